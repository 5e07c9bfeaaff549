using System.Diagnostics;

namespace FonanaMigration.Engine.Tests;

/// <summary>A test that needs root (to mount a small tmpfs); skipped, saying why, anywhere else. CI runs as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux to mount a tmpfs";
        else if (Environment.UserName != "root" && !IsRootByUid()) Skip = "needs root to mount a small tmpfs (CI runs as root)";
        else if (!File.Exists("/bin/mount") && !File.Exists("/usr/bin/mount")) Skip = "the mount command is not installed";
    }

    private static bool IsRootByUid()
    {
        try { return File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:") && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"); }
        catch (IOException) { return false; }
    }
}

/// <summary>A tmpfs of a given size mounted on a fresh folder; unmounted (and the folder removed) on dispose.</summary>
public sealed class SmallDisk : IDisposable
{
    public SmallDisk(string parent, string size)
    {
        Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, "small-disk")).FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {error}");
    }
}
