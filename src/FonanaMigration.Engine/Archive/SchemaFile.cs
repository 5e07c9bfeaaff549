using System.Text.Json;

namespace FonanaMigration.Engine.Archive;

/// <summary>A <see cref="SchemaSnapshot"/> kept in a file: a JSON snapshot saved by Get-FonanaSchema -Path, or the schema in an export archive's manifest.</summary>
public static class SchemaFile
{
    /// <summary>Loads a snapshot saved by Get-FonanaSchema -Path, or the schema stored in an export archive.</summary>
    public static SchemaSnapshot Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.SchemaFileNotFound, $"The file '{full}' does not exist.", path);
        if (IsZip(full))
        {
            using var archive = ArchiveReader.Open(full);
            return archive.Manifest.Schema;
        }
        // Same bound as an archive's manifest: a completer or -Reference never reads an unbounded file into memory.
        if (new FileInfo(full).Length > ManifestRules.MaxManifestBytes)
            throw new MigrationException(FailureKind.InvalidData, ErrorIds.SchemaFileInvalid, $"The file '{full}' is larger than the {ManifestRules.MaxManifestBytes} bytes a schema snapshot may have.", path);
        try
        {
            using var stream = File.OpenRead(full);
            return JsonSerializer.Deserialize<SchemaSnapshot>(stream, ArchiveManifest.Json)
                   ?? throw new JsonException("the file is empty");
        }
        catch (JsonException ex)
        {
            throw new MigrationException(FailureKind.InvalidData, ErrorIds.SchemaFileInvalid, $"The file '{full}' is not a schema snapshot: {ex.Message}", path, ex);
        }
    }

    public static void Save(SchemaSnapshot snapshot, string path)
    {
        var full = Path.GetFullPath(path);
        var partial = full + ".partial";
        using (var stream = File.Create(partial))
            JsonSerializer.Serialize(stream, snapshot, ArchiveManifest.Json);
        File.Move(partial, full, overwrite: true);
    }

    internal static bool IsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    }
}
