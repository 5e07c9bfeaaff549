namespace FonanaMigration.Engine;

/// <summary>
/// Which columns hold media references: those whose name says so (avatar, backgroundImage, thumbnail, mediaUrl…) and
/// any other text column where some value starts like a URL or a media path (/uploads/…). Strings inside arrays and
/// JSON count too.
/// </summary>
internal static class MediaColumns
{
    private static readonly HashSet<string> MediaWords = new(StringComparer.Ordinal)
    {
        "avatar", "avatars", "image", "images", "img", "picture", "pictures", "pic", "photo", "photos", "thumbnail", "thumbnails", "thumb",
        "media", "url", "urls", "uri", "cover", "banner", "video", "videos", "audio", "file", "files", "attachment", "attachments",
        "logo", "icon", "poster", "src",
    };

    public sealed record MediaColumn(TextColumn Text, bool ByName);

    public static bool IsMediaName(string column) => ColumnWords.Split(column).Any(MediaWords.Contains);

    /// <summary>A regex (as an SQL literal) for values that are references wherever they appear: URLs and the configured path prefixes.</summary>
    public static string ReferencePattern(IReadOnlyList<string> prefixes) =>
        Literal.Quote("^(?:https?://" + string.Concat(prefixes.Select(p => "|" + PostgresRegex.Escape(p))) + ")");

    /// <summary>In a column named for media, any absolute path is a reference as well.</summary>
    public static string NamedColumnPattern(IReadOnlyList<string> prefixes) =>
        Literal.Quote("^(?:https?://|/" + string.Concat(prefixes.Select(p => "|" + PostgresRegex.Escape(p))) + ")");

    public static async Task<IReadOnlyList<MediaColumn>> FindAsync(InspectionScope scope, TableSchema table)
    {
        var text = TextColumn.Of(table);
        var byName = text.Where(c => IsMediaName(c.Name)).Select(c => new MediaColumn(c, true)).ToList();
        var others = text.Where(c => !IsMediaName(c.Name)).ToList();
        if (others.Count == 0) return byName;

        var pattern = ReferencePattern(scope.Request.MediaPathPrefixes);
        var (_, counts) = await TableScan.CountAsync(scope.Connection, table, others.Select(c => c.AnyStringMatches("t", pattern)).ToList(),
            scope.CancellationToken).ConfigureAwait(false);
        return byName.Concat(others.Where((_, i) => counts[i] > 0).Select(c => new MediaColumn(c, false)))
            .OrderBy(c => c.Text.Column.Position).ToList();
    }
}
