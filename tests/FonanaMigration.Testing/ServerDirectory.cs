using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FonanaMigration.Testing;

/// <summary>
/// One server's temp directory and the knowledge to tear it down: stop the postmaster, delete the files.
/// Kept apart from <see cref="PostgresServer"/> so the ProcessExit list and the finalizer can both hold it
/// without keeping the public object alive, and so a half-started server can still be cleaned up.
/// </summary>
internal sealed class ServerDirectory
{
    /// <summary>Every directory in the temp folder starts with this, which is how the sweep finds leftovers.</summary>
    public const string Prefix = "fonana-pg-";

    /// <summary>Holds the id of the process that owns the directory; a dead owner means the directory is abandoned.</summary>
    public const string OwnerFileName = "owner.pid";

    private static readonly HashSet<ServerDirectory> Live = new();
    private static int _exitHookInstalled;
    private static PosixSignalRegistration? _sigterm;

    private readonly string _pgCtl;
    private readonly ServerAccount _account;
    private int _removed;

    public ServerDirectory(string root, string pgCtl, ServerAccount account)
    {
        Root = root;
        _pgCtl = pgCtl;
        _account = account;
    }

    public string Root { get; }
    public string Data => Path.Combine(Root, "data");
    public string Socket => Path.Combine(Root, "socket");
    public string Log => Path.Combine(Root, "server.log");

    /// <summary>Creates the directory, records this process as owner and puts it on the list stopped at process exit.</summary>
    public static ServerDirectory Create(string root, string pgCtl, ServerAccount account)
    {
        InstallExitHook();
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFileName), Environment.ProcessId.ToString());
        var directory = new ServerDirectory(root, pgCtl, account);
        lock (Live)
        {
            Live.Add(directory);
        }
        Directory.CreateDirectory(directory.Socket);
        return directory;
    }

    /// <summary>Stops the server (immediate: the data is thrown away anyway) and deletes the directory. Safe to call twice.</summary>
    public void Remove()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 1)
        {
            return;
        }
        lock (Live)
        {
            Live.Remove(this);
        }
        StopServer();
        DeleteTree(Root);
    }

    private void StopServer()
    {
        var pidFile = Path.Combine(Data, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }
        try
        {
            var result = _account.Run(_pgCtl, new[] { "stop", "-D", Data, "-m", "immediate", "-w", "-t", "30" }, Root, TimeSpan.FromSeconds(60));
            if (result.Succeeded || !File.Exists(pidFile))
            {
                return;
            }
        }
        catch (Exception)
        {
            // Fall through to killing the postmaster by its pid.
        }
        KillPostmaster(pidFile);
    }

    private static void KillPostmaster(string pidFile)
    {
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            if (int.TryParse(firstLine, out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill();
                postmaster.WaitForExit(10_000);
            }
        }
        catch (Exception)
        {
            // Already gone, or not ours to kill: nothing more we can do.
        }
    }

    private static void DeleteTree(string root)
    {
        // Backends of an immediate shutdown may still be closing files for a moment.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
                return;
            }
            catch (Exception) when (attempt < 4)
            {
                Thread.Sleep(200);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 1)
        {
            return;
        }
        // A test run that ends without disposing (a fixture that threw, pwsh closing) still stops its servers.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();

        // A killed test run (CI timeout, `kill`) gets SIGTERM, which does not raise ProcessExit by itself.
        // SIGINT is left alone on purpose: pwsh uses Ctrl+C to stop a pipeline, not to exit.
        if (!OperatingSystem.IsWindows())
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => RemoveAll());
        }
    }

    private static void RemoveAll()
    {
        ServerDirectory[] all;
        lock (Live)
        {
            all = Live.ToArray();
        }
        foreach (var directory in all)
        {
            directory.Remove();
        }
    }
}
