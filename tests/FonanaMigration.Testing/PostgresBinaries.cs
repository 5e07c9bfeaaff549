using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace FonanaMigration.Testing;

/// <summary>
/// Where the PostgreSQL server tools live. Tests start their own server, so they need initdb, pg_ctl
/// and postgres (the server), plus psql for admin SQL; a libpq client alone is not enough.
/// </summary>
public sealed class PostgresBinaries
{
    /// <summary>Environment variable that pins the bin directory and skips the search.</summary>
    public const string BinDirectoryVariable = "FONANA_PG_BINDIR";

    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    private static readonly string ExeSuffix = IsWindows ? ".exe" : "";

    private PostgresBinaries(string binDirectory, string psql, Version version, string foundBy)
    {
        BinDirectory = binDirectory;
        Psql = psql;
        Version = version;
        FoundBy = foundBy;
    }

    /// <summary>Directory holding initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; }

    /// <summary>Server version (major.minor), read from <c>pg_ctl --version</c>.</summary>
    public Version Version { get; }

    /// <summary>Which search step found the binaries, for diagnostics.</summary>
    public string FoundBy { get; }

    public string InitDb => Tool("initdb");
    public string PgCtl => Tool("pg_ctl");
    public string Postgres => Tool("postgres");

    /// <summary>psql from <see cref="BinDirectory"/> when present, otherwise the one on PATH.</summary>
    public string Psql { get; }

    public override string ToString() => $"PostgreSQL {Version} in {BinDirectory} (found by {FoundBy})";

    /// <summary>
    /// Finds the server binaries: FONANA_PG_BINDIR, then PATH, pg_config --bindir, Debian's
    /// /usr/lib/postgresql/N/bin, Homebrew, and the Windows installer's directory.
    /// </summary>
    public static PostgresBinaries Find()
    {
        var looked = new List<string>();

        // An explicit setting that is wrong is an error, not a reason to silently use some other install.
        var pinned = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(pinned))
        {
            if (!HasServerTools(pinned))
            {
                throw new PostgresBinariesNotFoundException(
                    $"{BinDirectoryVariable} is set to '{pinned}', but that directory does not contain initdb{ExeSuffix}, pg_ctl{ExeSuffix} and postgres{ExeSuffix}.");
            }
            return Create(pinned, BinDirectoryVariable);
        }

        foreach (var (directory, foundBy) in Candidates(looked))
        {
            if (HasServerTools(directory))
            {
                return Create(directory, foundBy);
            }
        }

        throw new PostgresBinariesNotFoundException(NotFoundMessage(looked));
    }

    private static IEnumerable<(string Directory, string FoundBy)> Candidates(List<string> looked)
    {
        looked.Add($"${BinDirectoryVariable} (not set)");

        looked.Add("PATH (pg_ctl, initdb)");
        foreach (var tool in new[] { "pg_ctl", "initdb" })
        {
            var onPath = FindOnPath(tool);
            if (onPath is not null)
            {
                // Debian's /usr/local/bin/pg_ctl style symlinks point into the real bin directory.
                yield return (Path.GetDirectoryName(ResolveLinks(onPath))!, $"PATH ({onPath})");
            }
        }

        looked.Add("pg_config --bindir");
        var fromPgConfig = BinDirectoryFromPgConfig();
        if (fromPgConfig is not null)
        {
            yield return (fromPgConfig, "pg_config --bindir");
        }

        if (IsWindows)
        {
            var programFiles = Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles);
            var root = Path.Combine(string.IsNullOrEmpty(programFiles) ? @"C:\Program Files" : programFiles, "PostgreSQL");
            looked.Add(Path.Combine(root, "<N>", "bin"));
            foreach (var directory in VersionedDirectories(root, "", "bin"))
            {
                yield return (directory, "Program Files");
            }
            yield break;
        }

        looked.Add("/usr/lib/postgresql/<N>/bin");
        foreach (var directory in VersionedDirectories("/usr/lib/postgresql", "", "bin"))
        {
            yield return (directory, "Debian layout");
        }

        foreach (var root in new[] { "/opt/homebrew/opt", "/usr/local/opt" })
        {
            looked.Add($"{root}/postgresql@<N>/bin");
            foreach (var directory in VersionedDirectories(root, "postgresql@", "bin"))
            {
                yield return (directory, "Homebrew");
            }
        }
        looked.Add("/opt/homebrew/bin");
        yield return ("/opt/homebrew/bin", "Homebrew");
    }

    /// <summary>Subdirectories named prefix+number, highest number first (so postgresql@16 beats @15).</summary>
    private static IEnumerable<string> VersionedDirectories(string root, string prefix, string leaf)
    {
        if (!Directory.Exists(root))
        {
            return Array.Empty<string>();
        }
        return Directory.EnumerateDirectories(root, prefix + "*")
            .Select(path => (Path: path, Number: LeadingNumber(Path.GetFileName(path).Substring(prefix.Length))))
            .Where(entry => entry.Number is not null)
            .OrderByDescending(entry => entry.Number)
            .Select(entry => Path.Combine(entry.Path, leaf))
            .ToList();
    }

    private static double? LeadingNumber(string text)
    {
        var match = Regex.Match(text, @"^\d+(\.\d+)?");
        return match.Success ? double.Parse(match.Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static bool HasServerTools(string directory) =>
        new[] { "initdb", "pg_ctl", "postgres" }.All(tool => File.Exists(Path.Combine(directory, tool + ExeSuffix)));

    private string Tool(string name) => Path.Combine(BinDirectory, name + ExeSuffix);

    private static PostgresBinaries Create(string binDirectory, string foundBy)
    {
        binDirectory = Path.GetFullPath(binDirectory);
        var psql = Path.Combine(binDirectory, "psql" + ExeSuffix);
        if (!File.Exists(psql))
        {
            // Not resolved through symlinks: Debian's /usr/bin/psql is a wrapper that dispatches on its own name.
            psql = FindOnPath("psql") ?? throw new PostgresBinariesNotFoundException(
                $"Found the PostgreSQL server in '{binDirectory}', but no psql next to it or on PATH. "
                + "Install the client too (Debian: apt-get install -y postgresql-client).");
        }

        var pgCtl = Path.Combine(binDirectory, "pg_ctl" + ExeSuffix);
        var result = ExternalCommand.Run(pgCtl, new[] { "--version" }, timeout: TimeSpan.FromSeconds(30));
        var match = Regex.Match(result.StdOut, @"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?");
        if (!result.Succeeded || !match.Success)
        {
            throw new PostgresBinariesNotFoundException($"'{pgCtl} --version' did not report a PostgreSQL version: {result.Output}");
        }
        var version = new Version(int.Parse(match.Groups[1].Value), match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0);
        return new PostgresBinaries(binDirectory, psql, version, foundBy);
    }

    private static string? BinDirectoryFromPgConfig()
    {
        var pgConfig = FindOnPath("pg_config");
        if (pgConfig is null)
        {
            return null;
        }
        try
        {
            var result = ExternalCommand.Run(pgConfig, new[] { "--bindir" }, timeout: TimeSpan.FromSeconds(30));
            var directory = result.StdOut.Trim();
            return result.Succeeded && directory.Length > 0 ? directory : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    internal static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory.Trim('"'), tool + ExeSuffix);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static string NotFoundMessage(IEnumerable<string> looked)
    {
        var message = new StringBuilder();
        message.AppendLine("PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Looked in:");
        foreach (var place in looked)
        {
            message.AppendLine("  - " + place);
        }
        message.AppendLine("Install PostgreSQL (version 13 or later; 15 is what CI uses):");
        message.AppendLine("  Debian/Ubuntu: apt-get install -y postgresql");
        message.AppendLine("  macOS:         brew install postgresql@15");
        message.AppendLine("  Windows:       the EDB installer from postgresql.org (adds C:\\Program Files\\PostgreSQL\\<N>\\bin)");
        message.Append($"or set {BinDirectoryVariable} to the directory that contains initdb and pg_ctl.");
        return message.ToString();
    }
}
