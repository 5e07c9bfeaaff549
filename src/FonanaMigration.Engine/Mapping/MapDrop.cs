
namespace FonanaMigration.Engine.Mapping;

/// <summary>What one Drop entry of a migration map discarded: a source column's non-NULL values or a source table's rows.</summary>
public sealed class MapDrop
{
    /// <summary>public.users.token or public.old_table.</summary>
    public string Object { get; init; } = "";
    /// <summary>Column or Table.</summary>
    public string Kind { get; init; } = "";
    /// <summary>Non-NULL values (a column) or rows (a table) that did not move.</summary>
    public long Discarded { get; init; }

    public override string ToString() => $"{Object}: {Discarded} {(Kind == "Table" ? "row(s)" : "non-NULL value(s)")} discarded";
}
