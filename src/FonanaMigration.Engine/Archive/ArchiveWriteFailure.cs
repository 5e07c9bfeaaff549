
namespace FonanaMigration.Engine.Archive;

/// <summary>The error for an archive that could not be written: the file, the real cause and the space left on its disk.</summary>
internal static class ArchiveWriteFailure
{
    public const string ErrorId = ErrorIds.ArchiveWriteFailed;

    public static MigrationException For(string path, Exception cause)
    {
        var full = Path.GetFullPath(path);
        return new MigrationException(FailureKind.WriteFailed, ErrorId,
            $"Writing the archive '{full}' failed: {cause.Message} ({FreeSpace(full)}). Nothing was kept: the partial file was deleted.", path, cause);
    }

    private static string FreeSpace(string path)
    {
        try
        {
            var folder = Path.GetDirectoryName(path) ?? path;
            // On Unix DriveInfo takes any path and asks statvfs about the file system holding it.
            var free = new DriveInfo(folder).AvailableFreeSpace;
            return $"{FormatBytes(free)} free on the disk holding '{folder}'";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "free space unknown";
        }
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} KiB",
        _ => $"{bytes} bytes",
    };
}
