using System.Runtime.CompilerServices;

namespace FonanaMigration.Testing;

/// <summary>
/// The Fonana database as test data. Prepare builds two template databases once per server (loading
/// SQL takes a fraction of a second; copying a template takes a few milliseconds), then each test
/// gets its own fresh copy from CreateSeeded or CreateEmpty.
/// </summary>
public static class FonanaDatabase
{
    public const string DefaultRole = "fonana_user";
    public const string DefaultPassword = "fonana_pass";

    /// <summary>Template with schema and seed data.</summary>
    public const string SeededTemplate = "fonana_seeded";

    /// <summary>Template with the schema and the _prisma_migrations rows only, as `prisma migrate deploy` leaves a new database.</summary>
    public const string EmptyTemplate = "fonana_empty";

    /// <summary>Number of creators (users."isCreator") in the seed.</summary>
    public const long CreatorCount = 56;

    /// <summary>Rows per table after seed.sql, matching the production report. Keep in step with seed.sql.</summary>
    public static IReadOnlyDictionary<string, long> ExpectedCounts { get; } = new Dictionary<string, long>
    {
        ["_prisma_migrations"] = 4,
        ["users"] = 96,
        ["posts"] = 279,
        ["comments"] = 44,
        ["likes"] = 8,
        ["subscriptions"] = 1,
        ["follows"] = 12,
        ["notifications"] = 85,
        ["conversations"] = 3,
        ["_ConversationParticipants"] = 6,
        ["messages"] = 6,
        ["sessions"] = 4,
        ["accounts"] = 5,
        ["verification_tokens"] = 2,
    };

    /// <summary>Rows per table in the empty template: nothing but Prisma's migration history.</summary>
    public static IReadOnlyDictionary<string, long> ExpectedEmptyCounts { get; } =
        ExpectedCounts.ToDictionary(entry => entry.Key, entry => entry.Key == "_prisma_migrations" ? entry.Value : 0L);

    // Which role each prepared server's templates belong to, without keeping the server alive.
    private static readonly ConditionalWeakTable<PostgresServer, string> PreparedRoles = new();

    /// <summary>
    /// Creates the role (if missing) and the two template databases owned by it. The SQL runs after
    /// SET ROLE, so the role owns every table, type and sequence, as when Prisma deploys as the app user.
    /// </summary>
    public static void Prepare(PostgresServer server, string role = DefaultRole, string password = DefaultPassword)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!server.RoleExists(role))
        {
            server.CreateRole(role, password);
        }

        if (!server.DatabaseExists(EmptyTemplate))
        {
            server.CreateDatabase(EmptyTemplate, owner: role);
            server.ExecuteFile(EmptyTemplate, FonanaFixtureFiles.SchemaPath, asRole: role);
            MarkAsTemplate(server, EmptyTemplate);
        }
        if (!server.DatabaseExists(SeededTemplate))
        {
            // Copy the schema instead of running it again, then add the data.
            server.CreateDatabase(SeededTemplate, owner: role, template: EmptyTemplate);
            server.ExecuteFile(SeededTemplate, FonanaFixtureFiles.SeedPath, asRole: role);
            server.ExecuteSql(SeededTemplate, "VACUUM ANALYZE;");
            MarkAsTemplate(server, SeededTemplate);
        }
        // Flush the templates now, so the first copies do not pay for writing them out.
        server.ExecuteSql("postgres", "CHECKPOINT;");
        PreparedRoles.AddOrUpdate(server, role);
    }

    /// <summary>A fresh database with schema and seed data, owned by the prepared role. Returns its name.</summary>
    public static string CreateSeeded(PostgresServer server, string name) => CreateFrom(server, name, SeededTemplate);

    /// <summary>A fresh database with the schema only (plus _prisma_migrations rows), owned by the prepared role.</summary>
    public static string CreateEmpty(PostgresServer server, string name) => CreateFrom(server, name, EmptyTemplate);

    private static string CreateFrom(PostgresServer server, string name, string template)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!PreparedRoles.TryGetValue(server, out var role))
        {
            throw new InvalidOperationException($"Call {nameof(FonanaDatabase)}.{nameof(Prepare)} on this server before creating databases from {template}.");
        }
        server.CreateDatabase(name, owner: role, template: template);
        return name;
    }

    private static void MarkAsTemplate(PostgresServer server, string database) =>
        // IS_TEMPLATE documents intent and guards against an accidental DROP; copying works without it.
        server.ExecuteSql("postgres", $"ALTER DATABASE {SqlQuote.Identifier(database)} WITH IS_TEMPLATE true;");
}
