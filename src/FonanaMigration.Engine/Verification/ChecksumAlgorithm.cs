namespace FonanaMigration.Engine.Verification;

/// <summary>
/// How a <see cref="ContentChecksum"/> hashes each row. Both sides of a comparison must use the same one, so an archive
/// names the one it was written with (manifest <c>checksumAlgorithm</c>; absent means <see cref="RowText"/>, the only
/// one older archives know).
/// </summary>
public sealed class ChecksumAlgorithm
{
    /// <summary>Each row's text form, hashed with hashtextextended: runs on any server, but formatting every value as text is most of its cost.</summary>
    public static readonly ChecksumAlgorithm RowText = new("row-text-v1", 0);

    /// <summary>
    /// hash_record_extended of each row (PostgreSQL 14+): each column hashed by its type's own extended hash, no text
    /// formatting; a column whose type has no exact, server-independent hash goes in as text (<see cref="TypedHashColumns"/>).
    /// </summary>
    public static readonly ChecksumAlgorithm TypedHash = new("typed-hash-v1", 140000);

    private ChecksumAlgorithm(string name, int minimumServerVersion)
    {
        Name = name;
        MinimumServerVersion = minimumServerVersion;
    }

    /// <summary>The manifest's name for it.</summary>
    public string Name { get; }

    /// <summary>The lowest server_version_num that can compute it.</summary>
    public int MinimumServerVersion { get; }

    public bool RunsOn(int serverVersionNumber) => serverVersionNumber >= MinimumServerVersion;

    /// <summary>The cheapest algorithm every one of these servers can compute (a comparison's two sides must agree).</summary>
    public static ChecksumAlgorithm CommonTo(params int[] serverVersionNumbers) =>
        serverVersionNumbers.All(TypedHash.RunsOn) ? TypedHash : RowText;

    /// <summary>The algorithm a manifest names; absent (an archive older than the field) is <see cref="RowText"/>; unknown is null.</summary>
    public static ChecksumAlgorithm? FromManifest(string? name) =>
        string.IsNullOrEmpty(name) || name == RowText.Name ? RowText : name == TypedHash.Name ? TypedHash : null;

    /// <summary>The algorithm an archive's manifest names; one this module does not know is ArchiveFormatUnsupported.</summary>
    public static ChecksumAlgorithm ForArchive(string? name, string path) =>
        FromManifest(name) ?? throw new MigrationException(FailureKind.InvalidData, ErrorIds.ArchiveFormatUnsupported,
            $"The archive '{path}' was verified with the content checksum '{name}', which this module does not know. Update FonanaMigration.", path);

    /// <summary>
    /// Fails before anything is written when the server that must reproduce a checksum cannot compute this algorithm
    /// (an archive exported from PostgreSQL 14+ imported into an older server).
    /// </summary>
    public void EnsureRunsOn(int serverVersionNumber, string serverVersion, object target, string what)
    {
        if (!RunsOn(serverVersionNumber))
            throw new MigrationException(FailureKind.SchemaIncompatible, ErrorIds.ChecksumAlgorithmUnsupported,
                $"{what} is verified with the content checksum {Name}, which needs PostgreSQL {MinimumServerVersion / 10000} or later; " +
                $"the target runs {serverVersion}. Nothing was changed. Use Copy-FonanaDatabase (it picks a checksum both servers compute), export from a server older than 14, or upgrade the target.", target);
    }

    public override string ToString() => Name;
}
