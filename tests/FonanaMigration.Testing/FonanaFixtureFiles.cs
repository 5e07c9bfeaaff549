namespace FonanaMigration.Testing;

/// <summary>
/// Finds tests/fixtures/fonana (schema.sql, seed.sql). The DLL runs from bin/…/net8.0 in a checkout,
/// so walking up from it reaches the repository; FONANA_FIXTURES overrides that for other layouts.
/// </summary>
public static class FonanaFixtureFiles
{
    public const string DirectoryVariable = "FONANA_FIXTURES";

    private static readonly string RelativePath = Path.Combine("tests", "fixtures", "fonana");

    public static string Directory => Locate();

    public static string SchemaPath => Path.Combine(Locate(), "schema.sql");

    public static string SeedPath => Path.Combine(Locate(), "seed.sql");

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // Accept either the fonana directory itself or the fixtures directory above it.
            foreach (var candidate in new[] { configured, Path.Combine(configured, "fonana") })
            {
                if (File.Exists(Path.Combine(candidate, "schema.sql")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
            throw new DirectoryNotFoundException($"{DirectoryVariable} is '{configured}', but neither it nor its 'fonana' subdirectory holds schema.sql.");
        }

        var starts = new[] { Path.GetDirectoryName(typeof(FonanaFixtureFiles).Assembly.Location), AppContext.BaseDirectory, Environment.CurrentDirectory };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var directory = new DirectoryInfo(start!); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, RelativePath);
                if (File.Exists(Path.Combine(candidate, "schema.sql")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException(
            $"Could not find {RelativePath} above '{starts[0]}' or the current directory. Set {DirectoryVariable} to the directory holding schema.sql and seed.sql.");
    }
}
