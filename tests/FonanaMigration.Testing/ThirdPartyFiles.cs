using System.IO.Compression;

namespace FonanaMigration.Testing;

/// <summary>
/// The third-party SQL (Zabbix, DAViCal, Roundcube) that tests/fixtures/thirdparty/fetch.sh takes from Debian's
/// packages at test time (none of it is committed), plus our own supplementary scripts next to fetch.sh.
/// The folder is $FONANA_THIRDPARTY_DIR, else out/thirdparty in the repository; fetch.sh runs when it is incomplete.
/// </summary>
public static class ThirdPartyFiles
{
    public const string DirectoryVariable = "FONANA_THIRDPARTY_DIR";
    private static readonly string ScriptRelativePath = Path.Combine("tests", "fixtures", "thirdparty", "fetch.sh");
    private static readonly object Gate = new();

    /// <summary>tests/fixtures/thirdparty in the repository: fetch.sh, the README and our own scripts.</summary>
    public static string OwnScripts => Path.GetDirectoryName(Path.Combine(RepositoryRoot(), ScriptRelativePath))!;

    /// <summary>The fetched files, fetched first if they are not there yet.</summary>
    public static string Directory
    {
        get
        {
            var directory = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
                ? Path.GetFullPath(configured) : Path.Combine(RepositoryRoot(), "out", "thirdparty");
            lock (Gate)
            {
                if (!File.Exists(Path.Combine(directory, ".complete")))
                {
                    var result = ExternalCommand.Run("bash", new[] { Path.Combine(RepositoryRoot(), ScriptRelativePath) },
                        environment: new Dictionary<string, string?> { [DirectoryVariable] = directory }, timeout: TimeSpan.FromMinutes(10));
                    if (!result.Succeeded)
                        throw new InvalidOperationException($"fetch.sh could not fetch the third-party SQL: {result.Output}");
                }
            }
            return directory;
        }
    }

    /// <summary>A .sql.gz unpacked next to <paramref name="workDirectory"/>, for psql -f.</summary>
    public static string Gunzip(string path, string workDirectory)
    {
        var target = Path.Combine(workDirectory, Path.GetFileNameWithoutExtension(path));
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = File.Create(target);
        input.CopyTo(output);
        return target;
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, ScriptRelativePath)))
                    return directory.FullName;
        throw new DirectoryNotFoundException($"Could not find {ScriptRelativePath} above '{AppContext.BaseDirectory}'.");
    }
}
