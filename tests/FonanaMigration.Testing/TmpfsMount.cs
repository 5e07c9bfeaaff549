namespace FonanaMigration.Testing;

/// <summary>
/// A small tmpfs mounted on a fresh directory: a disk that really fills up (ENOSPC), for disk-full faults.
/// Needs root (CI runs as root); <see cref="IsSupported"/> says whether this machine can do it. Dispose unmounts it.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private int _removed;

    private TmpfsMount(string path, long sizeBytes)
    {
        Path = path;
        SizeBytes = sizeBytes;
    }

    public string Path { get; }
    public long SizeBytes { get; }

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/bin/mount");

    public static TmpfsMount Create(long sizeBytes)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("A tmpfs mount needs Linux and root.");
        }
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fonana-tmpfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        var result = ExternalCommand.Run("mount", new[] { "-t", "tmpfs", "-o", $"size={sizeBytes},mode=0777", "tmpfs", path }, timeout: TimeSpan.FromSeconds(30));
        if (!result.Succeeded)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs failed (exit {result.ExitCode}): {result.Output}");
        }
        return new TmpfsMount(path, sizeBytes);
    }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Writes a filler file until the disk is full, leaving no room for anyone else.</summary>
    public void Fill()
    {
        var path = System.IO.Path.Combine(Path, "filler-" + Guid.NewGuid().ToString("N")[..8]);
        var filler = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        try
        {
            // 64 KiB writes, then 512-byte ones for the last gap.
            foreach (var size in new[] { 64 * 1024, 512 })
            {
                var buffer = new byte[size];
                try
                {
                    while (true)
                    {
                        filler.Write(buffer);
                    }
                }
                catch (IOException)
                {
                    // ENOSPC: full at this write size.
                }
            }
        }
        finally
        {
            try
            {
                filler.Dispose();
            }
            catch (IOException)
            {
                // Nothing is buffered (bufferSize 1), but a full disk may still refuse the close's flush.
            }
        }
    }

    /// <summary>Unmounts (lazily, so an open file cannot keep it) and removes the directory. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 1)
        {
            return;
        }
        ExternalCommand.Run("umount", new[] { "-l", Path }, timeout: TimeSpan.FromSeconds(30));
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
