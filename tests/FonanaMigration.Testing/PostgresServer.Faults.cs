using System.Globalization;

namespace FonanaMigration.Testing;

// Faults a test injects into a real server: a crash (immediate stop, as a kill -9 of the postmaster's children
// would leave it) and the restart after it, on the same port so the same connection strings work again.
public sealed partial class PostgresServer
{
    /// <summary>The application_name prefix of every connection the module opens ("FonanaMigration &lt;purpose&gt;").</summary>
    public const string ModuleApplicationName = "FonanaMigration %";

    /// <summary>Stops the server with <c>pg_ctl stop -m immediate</c>: no checkpoint, every backend killed, crash recovery on restart.</summary>
    public void KillImmediately()
    {
        var result = _account.Run(Binaries.PgCtl, new[] { "stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60" }, RootDirectory, TimeSpan.FromSeconds(90));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"pg_ctl stop -m immediate failed (exit {result.ExitCode}): {result.Output}");
        }
    }

    /// <summary>Starts the server again on its port after <see cref="KillImmediately"/> (crash recovery runs first).</summary>
    public void Restart()
    {
        var arguments = new[] { "start", "-D", DataDirectory, "-l", LogPath, "-w", "-t", "120", "-o", "-p " + Port.ToString(CultureInfo.InvariantCulture) };
        var result = _account.Run(Binaries.PgCtl, arguments, RootDirectory, TimeSpan.FromSeconds(150));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"PostgreSQL did not restart on port {Port} (exit {result.ExitCode}): {result.Output}{Environment.NewLine}{ReadLogTail(LogPath)}");
        }
    }

    /// <summary>
    /// The module's sessions still open on a database: one line per backend, "pid|application_name|state|xact_start".
    /// Empty when none is left, which is what must hold once a cmdlet has returned.
    /// </summary>
    public string[] ModuleBackends(string database)
    {
        var text = QueryScalar("postgres",
            "SELECT pid || '|' || application_name || '|' || coalesce(state, '') || '|' || coalesce(xact_start::text, '') FROM pg_stat_activity "
            + $"WHERE datname = {SqlQuote.Literal(database)} AND application_name LIKE {SqlQuote.Literal(ModuleApplicationName)} AND pid <> pg_backend_pid()");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Waits (bounded) for the module's sessions on a database to end. A cut or killed client leaves the server to
    /// notice on its next read or write; this is that wait, never a speed check. Returns what is still left.
    /// </summary>
    public string[] WaitForModuleBackendsToEnd(string database, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var left = ModuleBackends(database);
            if (left.Length == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }
            Thread.Sleep(100);
        }
    }
}
