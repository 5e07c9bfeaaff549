using System.Runtime.InteropServices;

namespace FonanaMigration.Engine.Archive;

/// <summary>
/// fsync of a folder, so a file just renamed into it survives a crash: on Linux and macOS the rename lives in the
/// folder's entry, which the file's own fsync does not cover. Windows has no such call (NTFS journals the rename).
/// </summary>
internal static class DirectorySync
{
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        // A folder we may write into but not read (mode -wx) cannot be opened: nothing more can be done for it then.
        if (fd < 0) return;
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"Syncing the folder '{directory}' to disk failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
