using System.Text.RegularExpressions;

namespace FonanaMigration.Engine.Archive;

/// <summary>
/// What a manifest must be before anything is read or written on its word: bounded in size, every table listed once,
/// every entry named once, sizes and hashes that can be true. A hostile or damaged file fails here, as ArchiveCorrupt.
/// </summary>
internal static partial class ManifestRules
{
    /// <summary>The largest manifest.json read: far above any real schema (a 10,000-table schema is ~20 MB), far below harm.</summary>
    public const long MaxManifestBytes = 64L << 20;

    /// <returns>Why the manifest cannot be trusted, or null when it can.</returns>
    public static string? Problem(ArchiveManifest manifest)
    {
        if (manifest.Tables is null) return "its manifest lists no tables";
        if (manifest.Schema is null) return "its manifest has no schema";
        var names = new HashSet<string>(StringComparer.Ordinal);
        var entries = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Tables.Count; i++)
        {
            var table = manifest.Tables[i];
            if (table is null) return $"table #{i + 1} of its manifest is null";
            if (string.IsNullOrEmpty(table.Schema) || string.IsNullOrEmpty(table.Name)) return $"table #{i + 1} of its manifest has no name";
            if (!names.Add(table.Table)) return $"its manifest lists {table.Table} twice";
            if (string.IsNullOrEmpty(table.Entry) || table.Entry == ArchiveManifest.EntryName) return $"{table.Table} names no data entry";
            if (!entries.Add(table.Entry)) return $"its manifest points two tables at the entry '{table.Entry}'";
            if (table.Columns is null || table.Columns.Any(c => c is null)) return $"{table.Table} has a missing column name";
            if (table.Sequences is null || table.Sequences.Any(q => q is null)) return $"{table.Table} has a null sequence";
            if (table.Rows < 0 || table.Bytes < 0) return $"{table.Table} has a negative row count or size";
            if (table.Sha256 is null || !Sha256Hex().IsMatch(table.Sha256)) return $"{table.Table} has no valid SHA-256";
        }
        return null;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
