using System.Diagnostics;

namespace FonanaMigration.Testing;

/// <summary>
/// Stops servers left by test processes that died without running ProcessExit (SIGKILL, a killed CI job).
/// Each server directory names its owning process; if that process is gone, the server is stopped and
/// the directory deleted. Runs once per process and parent directory, before the first server starts there.
/// </summary>
internal static class AbandonedServers
{
    private static readonly HashSet<string> Swept = new();

    public static void SweepOnce(string tempRoot, PostgresBinaries binaries, ServerAccount account)
    {
        lock (Swept)
        {
            if (!Swept.Add(tempRoot) || !Directory.Exists(tempRoot))
            {
                return;
            }
        }
        foreach (var root in Directory.EnumerateDirectories(tempRoot, ServerDirectory.Prefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(root, ServerDirectory.OwnerFileName);
                // No owner file: someone else's directory, or one being created right now. Leave it.
                if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) || IsAlive(owner))
                {
                    continue;
                }
                new ServerDirectory(root, binaries.PgCtl, account).Remove();
            }
            catch (Exception)
            {
                // Best effort: a leftover we cannot clean must not stop a new test run.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
