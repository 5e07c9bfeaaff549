using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Which columns hold media references: those whose name says so (avatar, backgroundImage, thumbnail, mediaUrl…),
/// where any absolute path or URL counts, and every other text column, array or JSON document, where a value counts
/// when it starts like a URL or a media path (/uploads/…).
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

    public static IReadOnlyList<MediaColumn> Candidates(TableSchema table) =>
        TextColumn.Of(table).Select(c => new MediaColumn(c, IsMediaName(c.Name))).ToList();

    /// <summary>The start of a reference, as a regex alternation: URLs and the configured path prefixes, and any path in a column named for media.</summary>
    public static string Starts(MediaColumn column, IReadOnlyList<string> prefixes) =>
        "https?://" + (column.ByName ? "|/" : string.Concat(prefixes.Select(p => "|" + PostgresRegex.Escape(p))));
}
