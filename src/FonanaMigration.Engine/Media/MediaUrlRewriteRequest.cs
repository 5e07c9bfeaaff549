using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Media;

/// <summary>What Update-FonanaMediaUrl rewrites: every stored reference that starts with <see cref="From"/> gets <see cref="To"/> instead.</summary>
public sealed class MediaUrlRewriteRequest
{
    public required DatabaseEndpoint Target { get; init; }
    /// <summary>The old prefix, e.g. http://localhost:3000 (a trailing / is ignored).</summary>
    public required string From { get; init; }
    /// <summary>The new prefix, e.g. https://fonana.example.</summary>
    public required string To { get; init; }
    public TableFilter Tables { get; init; } = TableFilter.All;
    public ColumnFilter Columns { get; init; } = ColumnFilter.All;
}
