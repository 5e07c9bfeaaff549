using System.Runtime.InteropServices;

namespace FonanaMigration.Testing;

/// <summary>
/// Which OS account the server processes run under. PostgreSQL refuses to run as root, and CI runs
/// as root, so there every server command goes through <c>runuser -u postgres --</c> and the
/// server's directories are handed to that user. As anyone else, commands run directly.
/// </summary>
internal sealed class ServerAccount
{
    private const string ServiceUser = "postgres";

    private readonly string? _runuser;

    private ServerAccount(string? runuser)
    {
        _runuser = runuser;
    }

    /// <summary>True when commands are wrapped in runuser and directories chown'ed to postgres.</summary>
    public bool SwitchesUser => _runuser is not null;

    public string Name => SwitchesUser ? ServiceUser : Environment.UserName;

    public static ServerAccount Detect()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || !IsRoot())
        {
            return new ServerAccount(null);
        }

        var runuser = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists)
            ?? PostgresBinaries.FindOnPath("runuser")
            ?? throw new InvalidOperationException(
                "This process runs as root, which PostgreSQL refuses, and 'runuser' (util-linux) was not found to switch to the 'postgres' user. Run the tests as a normal user.");

        var user = ExternalCommand.Run("id", new[] { "-u", ServiceUser }, timeout: TimeSpan.FromSeconds(30));
        if (!user.Succeeded)
        {
            throw new InvalidOperationException(
                "This process runs as root, which PostgreSQL refuses, and there is no 'postgres' OS user to run the server as. "
                + "Create one (useradd --system --user-group postgres; Debian's postgresql package does this) or run the tests as a normal user.");
        }
        return new ServerAccount(runuser);
    }

    private static bool IsRoot()
    {
        if (Environment.UserName == "root")
        {
            return true;
        }
        // UserName can be stale or odd in containers (e.g. uid 0 without a passwd entry); the effective uid is the truth.
        try
        {
            var id = ExternalCommand.Run("id", new[] { "-u" }, timeout: TimeSpan.FromSeconds(30));
            return id.Succeeded && id.StdOut.Trim() == "0";
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Runs a server tool (initdb, pg_ctl) as the account the server must run under.</summary>
    public CommandResult Run(string tool, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        if (_runuser is null)
        {
            return ExternalCommand.Run(tool, arguments, workingDirectory: workingDirectory, timeout: timeout);
        }
        var wrapped = new List<string> { "-u", ServiceUser, "--", tool };
        wrapped.AddRange(arguments);
        return ExternalCommand.Run(_runuser, wrapped, workingDirectory: workingDirectory, timeout: timeout);
    }

    /// <summary>Hands a directory tree to the server account so initdb and the server can write in it.</summary>
    public void TakeOwnership(string directory)
    {
        if (_runuser is null)
        {
            return;
        }
        var result = ExternalCommand.Run("chown", new[] { "-R", ServiceUser + ":", directory }, timeout: TimeSpan.FromSeconds(60));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not give '{directory}' to the '{ServiceUser}' user: {result.Output}");
        }
    }

    /// <summary>
    /// True when the server account can reach <paramref name="directory"/>: every ancestor must be
    /// searchable by others, since the postgres user is neither owner nor group member of root's directories.
    /// </summary>
    public bool CanTraverse(string directory)
    {
        if (_runuser is null || OperatingSystem.IsWindows())
        {
            return true;
        }
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (current.Exists && (current.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }
        return true;
    }
}
