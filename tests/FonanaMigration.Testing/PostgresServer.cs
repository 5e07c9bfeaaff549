using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FonanaMigration.Testing;

/// <summary>
/// A private PostgreSQL server in a temp directory, listening on 127.0.0.1 only, with durability
/// switched off (fsync, full_page_writes, synchronous_commit) because its data is thrown away.
/// Dispose stops it and deletes every file; process exit and the finalizer do the same as a backstop.
/// </summary>
public sealed partial class PostgresServer : IDisposable
{
    public const string LoopbackHost = "127.0.0.1";

    /// <summary>Environment variable naming the directory for server temp directories (see <see cref="PostgresServerOptions.ParentDirectory"/>).</summary>
    public const string ParentDirectoryVariable = "FONANA_PG_TMPDIR";

    private const int StartAttempts = 3;

    // /dev/shm is used only with this much room left, so a full memory disk falls back to the temp folder.
    private const long MemoryDiskMinimumFree = 2L * 1024 * 1024 * 1024;

    private readonly ServerDirectory _directory;
    private readonly ServerAccount _account;

    private PostgresServer(
        ServerDirectory directory,
        ServerAccount account,
        PostgresBinaries binaries,
        int port,
        string superuserPassword,
        string timeZone,
        string name)
    {
        _directory = directory;
        _account = account;
        Binaries = binaries;
        Port = port;
        SuperuserPassword = superuserPassword;
        TimeZone = timeZone;
        Name = name;
    }

    ~PostgresServer()
    {
        _directory.Remove();
    }

    public string Host => LoopbackHost;
    public int Port { get; }
    public string Name { get; }
    public string TimeZone { get; }
    public PostgresBinaries Binaries { get; }
    public string BinDirectory => Binaries.BinDirectory;
    public Version Version => Binaries.Version;

    /// <summary>The temp directory holding data, socket and log; deleted on Dispose.</summary>
    public string RootDirectory => _directory.Root;
    public string DataDirectory => _directory.Data;
    public string LogPath => _directory.Log;

    /// <summary>Directory of the unix socket that the admin helpers use (null on Windows, where they use TCP).</summary>
    public string? SocketDirectory => OperatingSystem.IsWindows() ? null : _directory.Socket;

    /// <summary>The bootstrap superuser, for tests that need superuser connections over TCP.</summary>
    public string SuperuserName => "postgres";
    public string SuperuserPassword { get; }

    /// <summary>OS account the server runs as: "postgres" when this process is root, otherwise the current user.</summary>
    public string ServerOsUser => _account.Name;

    public static PostgresServer Start(PostgresServerOptions? options = null)
    {
        options ??= new PostgresServerOptions();
        var binaries = options.Binaries ?? PostgresBinaries.Find();
        var account = ServerAccount.Detect();
        var timeZone = string.IsNullOrWhiteSpace(options.TimeZone) ? "UTC" : options.TimeZone;
        var label = Regex.Replace(options.Name ?? "", "[^A-Za-z0-9_-]", "");
        label = label.Length == 0 ? "server" : label[..Math.Min(label.Length, 16)];
        var leaf = $"{ServerDirectory.Prefix}{label}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        var parent = ChooseParentDirectory(options, account, leaf);

        AbandonedServers.SweepOnce(parent, binaries, account);

        var directory = ServerDirectory.Create(Path.Combine(parent, leaf), binaries.PgCtl, account);
        try
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            InitDb(directory, account, binaries, password);
            AppendSettings(directory, timeZone, options.Settings);
            if (options.SslCertificateFile is not null || options.SslKeyFile is not null)
            {
                EnableSsl(directory, account, options);
            }
            var port = StartOnFreePort(directory, account, binaries);
            return new PostgresServer(directory, account, binaries, port, password, timeZone, label);
        }
        catch
        {
            directory.Remove();
            throw;
        }
    }

    /// <summary>Stops the server immediately and deletes its directory. Idempotent.</summary>
    public void Dispose()
    {
        _directory.Remove();
        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"PostgreSQL {Version} on {Host}:{Port} ({DataDirectory})";

    /// <summary>
    /// Where the server directory goes: the option, then FONANA_PG_TMPDIR, then /dev/shm, then the temp folder.
    /// Falls back to /tmp when the postgres user could not reach the choice (root's private TMPDIR) or the
    /// socket path would pass the ~100 byte unix socket limit (macOS's /var/folders/...).
    /// </summary>
    private static string ChooseParentDirectory(PostgresServerOptions options, ServerAccount account, string leaf)
    {
        var chosen = options.ParentDirectory;
        if (string.IsNullOrWhiteSpace(chosen))
        {
            chosen = Environment.GetEnvironmentVariable(ParentDirectoryVariable);
        }
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            Directory.CreateDirectory(chosen);
            return Path.GetFullPath(chosen);
        }
        if (OperatingSystem.IsWindows())
        {
            return Path.GetTempPath();
        }

        var candidates = new List<string>();
        if (OperatingSystem.IsLinux() && HasRoom("/dev/shm"))
        {
            candidates.Add("/dev/shm");
        }
        candidates.Add(Path.GetTempPath());
        foreach (var candidate in candidates)
        {
            var socketFile = Path.Combine(candidate, leaf, "socket", ".s.PGSQL.65535");
            if (Encoding.UTF8.GetByteCount(socketFile) <= 100 && account.CanTraverse(candidate))
            {
                return candidate;
            }
        }
        return "/tmp";
    }

    private static bool HasRoom(string directory)
    {
        try
        {
            return Directory.Exists(directory) && new DriveInfo(directory).AvailableFreeSpace >= MemoryDiskMinimumFree;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static void InitDb(ServerDirectory directory, ServerAccount account, PostgresBinaries binaries, string password)
    {
        // initdb reads the superuser password from a file so it never shows up in a process listing.
        var passwordFile = Path.Combine(directory.Root, "pwfile");
        File.WriteAllText(passwordFile, password + "\n");
        account.TakeOwnership(directory.Root);

        var arguments = new List<string>
        {
            "-D", directory.Data,
            "-U", "postgres",
            "--encoding=UTF8",
            "--locale=" + ChooseLocale(),
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--pwfile=" + passwordFile,
            "--no-sync",
        };
        if (binaries.Version.Major >= 14)
        {
            arguments.Add("--no-instructions");
        }

        var result = account.Run(binaries.InitDb, arguments, directory.Root, TimeSpan.FromMinutes(3));
        File.Delete(passwordFile);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"initdb failed (exit {result.ExitCode}): {result.CommandLine}{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>C.UTF-8 sorts bytewise like C yet knows character classes for UTF-8; plain C where the OS lacks it (macOS, Windows).</summary>
    private static string ChooseLocale()
    {
        if (OperatingSystem.IsWindows())
        {
            return "C";
        }
        try
        {
            var locales = ExternalCommand.Run("locale", new[] { "-a" }, timeout: TimeSpan.FromSeconds(30));
            var hasCUtf8 = locales.Succeeded && locales.StdOut
                .Split('\n', StringSplitOptions.TrimEntries)
                .Any(name => name.Replace("-", "").Equals("C.utf8", StringComparison.OrdinalIgnoreCase));
            return hasCUtf8 ? "C.UTF-8" : "C";
        }
        catch (InvalidOperationException)
        {
            return "C";
        }
    }

    /// <summary>
    /// Settings go into postgresql.conf rather than onto pg_ctl's -o line: pg_ctl passes -o through a
    /// shell, so paths and time zone names there would need shell quoting on every platform.
    /// Only the port goes on the command line, because it changes between start attempts.
    /// </summary>
    private static void AppendSettings(ServerDirectory directory, string timeZone, IDictionary<string, string> extra)
    {
        var socketDirectories = OperatingSystem.IsWindows() ? "" : directory.Socket;
        var settings = new StringBuilder()
            .AppendLine()
            .AppendLine("# Added by FonanaMigration.Testing: a throwaway test server, so durability is traded for speed.")
            .AppendLine($"listen_addresses = '{LoopbackHost}'")
            .AppendLine($"unix_socket_directories = {ConfString(socketDirectories)}")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .AppendLine($"timezone = {ConfString(timeZone)}");
        foreach (var (name, value) in extra)
        {
            settings.AppendLine($"{name} = {value}");
        }
        File.AppendAllText(Path.Combine(directory.Data, "postgresql.conf"), settings.ToString());
    }

    /// <summary>
    /// Copies the certificate and key into the data directory (the server refuses a key others can read, and as root
    /// the files must belong to the server account) and switches TLS on.
    /// </summary>
    private static void EnableSsl(ServerDirectory directory, ServerAccount account, PostgresServerOptions options)
    {
        if (options.SslCertificateFile is null || options.SslKeyFile is null)
        {
            throw new ArgumentException("TLS needs both SslCertificateFile and SslKeyFile.", nameof(options));
        }
        var certificate = Path.Combine(directory.Data, "server.crt");
        var key = Path.Combine(directory.Data, "server.key");
        File.Copy(options.SslCertificateFile, certificate, overwrite: true);
        File.Copy(options.SslKeyFile, key, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        account.TakeOwnership(directory.Data);
        File.AppendAllText(Path.Combine(directory.Data, "postgresql.conf"),
            $"ssl = on{Environment.NewLine}ssl_cert_file = {ConfString(certificate)}{Environment.NewLine}ssl_key_file = {ConfString(key)}{Environment.NewLine}");
    }

    /// <summary>A postgresql.conf string value: single-quoted, quotes doubled, and backslashes escaped (the conf parser reads \ escapes).</summary>
    private static string ConfString(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "''") + "'";

    private static int StartOnFreePort(ServerDirectory directory, ServerAccount account, PostgresBinaries binaries)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Between finding a free port and the postmaster binding it, another process can take it: retry then.
            var port = FreeLoopbackPort();
            var arguments = new[] { "start", "-D", directory.Data, "-l", directory.Log, "-w", "-t", "60", "-o", "-p " + port.ToString(CultureInfo.InvariantCulture) };
            var result = account.Run(binaries.PgCtl, arguments, directory.Root, TimeSpan.FromSeconds(90));
            if (result.Succeeded)
            {
                return port;
            }

            var log = ReadLogTail(directory.Log);
            var portTaken = log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                || log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || log.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase);
            if (!portTaken || attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL did not start on {LoopbackHost}:{port} (attempt {attempt} of {StartAttempts}, exit {result.ExitCode}).{Environment.NewLine}"
                    + $"{result.CommandLine}{Environment.NewLine}{result.Output}{Environment.NewLine}--- {directory.Log} ---{Environment.NewLine}{log}");
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string ReadLogTail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 40)));
        }
        catch (Exception)
        {
            return "(no server log)";
        }
    }
}
