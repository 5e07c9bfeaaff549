namespace FonanaMigration.Testing;

/// <summary>
/// The Fonana fixture drifted as `prisma db push` drifts it (tests/fixtures/fonana/drift): a source whose catalog
/// follows a changed schema.prisma while its history matches the target's, and a target built by the migrations.
/// </summary>
public static class DriftedFonanaDatabase
{
    public static string MigrationPath => Path.Combine(FonanaFixtureFiles.Directory, "drift", "migration.sql");
    public static string DbPushPath => Path.Combine(FonanaFixtureFiles.Directory, "drift", "db-push.sql");

    /// <summary>Seeded Fonana, migrated, then drifted by db push; every drifted column holds data.</summary>
    public static string CreateSource(PostgresServer server, string name)
    {
        FonanaDatabase.CreateSeeded(server, name);
        server.ExecuteFile(name, MigrationPath, asRole: FonanaDatabase.DefaultRole);
        server.ExecuteFile(name, DbPushPath, asRole: FonanaDatabase.DefaultRole);
        return name;
    }

    /// <summary>The migrations' schema (the same history as the source), no rows.</summary>
    public static string CreateTarget(PostgresServer server, string name)
    {
        FonanaDatabase.CreateEmpty(server, name);
        server.ExecuteFile(name, MigrationPath, asRole: FonanaDatabase.DefaultRole);
        return name;
    }
}
