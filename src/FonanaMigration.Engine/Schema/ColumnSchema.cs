namespace FonanaMigration.Engine.Schema;

public sealed class ColumnSchema
{
    public string Name { get; init; } = "";
    public int Position { get; init; }
    /// <summary>format_type() with modifiers and a schema for non-catalog types: varchar(255), timestamp(3) without time zone, public."Role"[].</summary>
    public string DataType { get; init; } = "";
    public bool NotNull { get; init; }
    public string? Default { get; init; }
    /// <summary>'' none, 'a' GENERATED ALWAYS, 'd' BY DEFAULT.</summary>
    public string Identity { get; init; } = "";
    /// <summary>'' none, 's' stored generated column (computed by the server, never copied).</summary>
    public string Generated { get; init; } = "";
    public string? Collation { get; init; }
    /// <summary>pg_type.typtype of the column type or, for arrays, of the element type: b base, e enum, c composite, d domain, r range, m multirange.</summary>
    public string TypeKind { get; init; } = "b";
    public bool IsArray { get; init; }
    /// <summary>The sequence owned by this column (serial or identity), schema-qualified and quoted.</summary>
    public string? OwnedSequence { get; init; }

    /// <summary>
    /// The binary COPY form of this column's values means the same in every database: no user-defined type OID inside
    /// (arrays of enums or composites, and composites themselves, carry one) and the type has binary send/receive.
    /// </summary>
    public bool BinarySafe { get; init; }

    public bool IsGenerated => Generated.Length > 0;
}
