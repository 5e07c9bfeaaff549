namespace FonanaMigration.Engine.Media;

/// <summary>One column Update-FonanaMediaUrl rewrote (or, in a plan, would rewrite): how many rows changed.</summary>
public sealed class MediaUrlChange
{
    /// <summary>schema.table.</summary>
    public string Table { get; init; } = "";
    public string Column { get; init; } = "";
    /// <summary>text, character varying(n), text[], jsonb…: what kind of value was rewritten.</summary>
    public string DataType { get; init; } = "";
    public long RowsChanged { get; init; }
    public string From { get; init; } = "";
    public string To { get; init; } = "";
}
