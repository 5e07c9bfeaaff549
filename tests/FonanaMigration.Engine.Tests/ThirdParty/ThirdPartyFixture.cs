using System.Collections.Concurrent;
using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// Two servers holding databases no one here wrote (Zabbix 6.0, DAViCal, from Debian's packages at test time) and our
/// supplementary schema: each loaded once on the source with its rows, and once on the target as a schema without
/// rows (a template each migration copies). Everything is created by a non-superuser role that owns it, as an
/// application's deploy would, and every migration connects as that role.
/// </summary>
public sealed class ThirdPartyFixture : IDisposable
{
    public const string Role = "thirdparty_owner";
    private const string Password = "thirdparty_pass";

    private readonly string _work = Directory.CreateTempSubdirectory("fonana-thirdparty-").FullName;
    private readonly ConcurrentDictionary<(string, string), Lazy<Task<(string Database, TargetLoadResult Result)>>> _migrations = new();

    public ThirdPartyFixture()
    {
        var files = ThirdPartyFiles.Directory;
        var own = ThirdPartyFiles.OwnScripts;
        var davical = Path.Combine(files, "davical");
        Databases = new Dictionary<string, (string[] Schema, string[] Rows, string TargetSql)>
        {
            ["zabbix"] = (new[] { Gz(files, "zabbix/schema.sql.gz") }, new[] { Gz(files, "zabbix/images.sql.gz"), Gz(files, "zabbix/data.sql.gz") }, ""),
            // The order of DAViCal's own dba/create-database.sh and update-davical-database.
            ["davical"] = (new[] { "awl/awl-tables.sql", "awl/schema-management.sql", "davical.sql", "supported_locales.sql", "caldav_functions.sql",
                    "rrule_functions.sql", "views/dav_principal.sql" }.Select(f => Path.Combine(davical, f)).ToArray(),
                new[] { Path.Combine(davical, "base-data.sql"), Path.Combine(own, "davical-rows.sql") }, ""),
            // The target's author table refuses COPY even from its owner until FORCE is lifted for the load.
            ["supplement"] = (new[] { Path.Combine(own, "supplement-schema.sql") }, new[] { Path.Combine(own, "supplement-rows.sql") },
                "ALTER TABLE author ENABLE ROW LEVEL SECURITY; ALTER TABLE author FORCE ROW LEVEL SECURITY; CREATE POLICY nobody ON author USING (false);"),
        };

        Source = PostgresServer.Start(new PostgresServerOptions { Name = "thirdparty-source" });
        Target = PostgresServer.Start(new PostgresServerOptions { Name = "thirdparty-target", TimeZone = "Asia/Tokyo" });
        foreach (var server in new[] { Source, Target }) server.CreateRole(Role, Password);

        // Zabbix's 32 MB of INSERTs dominate: load it while the rest is set up.
        var loads = Databases.Select(d => Task.Run(() => LoadSource(d.Key, d.Value.Schema, d.Value.Rows)))
            .Append(Task.Run(() => { foreach (var d in Databases) LoadTargetTemplate(d.Key, d.Value.Schema, d.Value.TargetSql); }))
            .ToArray();
        Task.WaitAll(loads);
    }

    public PostgresServer Source { get; }
    public PostgresServer Target { get; }
    public IReadOnlyDictionary<string, (string[] Schema, string[] Rows, string TargetSql)> Databases { get; }

    public static DatabaseEndpoint Endpoint(PostgresServer server, string database) =>
        DatabaseEndpoint.Parse(server.ConnectionUri(Role, Password, database));

    /// <summary>
    /// <paramref name="database"/> migrated once by "Copy" or "ExportImport" with zero options into a fresh copy of the
    /// target's empty schema; later calls get the same result.
    /// </summary>
    public Task<(string Database, TargetLoadResult Result)> MigratedAsync(string database, string how) =>
        _migrations.GetOrAdd((database, how), _ => new Lazy<Task<(string, TargetLoadResult)>>(async () =>
        {
            var target = $"{database}_{how.ToLowerInvariant()}";
            Target.CreateDatabase(target, owner: Role, template: database + "_schema");
            var source = Endpoint(Source, database);
            TargetLoadResult result;
            if (how == "Copy")
                result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = Endpoint(Target, target) }, new RunContext());
            else
            {
                var path = Path.Combine(_work, database + ".fnz");
                await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
                result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = Endpoint(Target, target), Path = path }, new RunContext());
            }
            return (target, result);
        })).Value;

    private string Gz(string files, string relative) => ThirdPartyFiles.Gunzip(Path.Combine(files, relative), _work);

    private void LoadSource(string database, string[] schema, string[] rows)
    {
        Source.CreateDatabase(database, owner: Role);
        foreach (var file in schema.Concat(rows)) Source.ExecuteFile(database, file, asRole: Role);
        Source.ExecuteSql(database, "VACUUM ANALYZE;");
    }

    // The schema as the application's installer makes it, then emptied (DAViCal's scripts insert bookkeeping rows):
    // a migration target holds the schema and no rows.
    private void LoadTargetTemplate(string database, string[] schema, string targetSql)
    {
        var name = database + "_schema";
        Target.CreateDatabase(name, owner: Role);
        foreach (var file in schema) Target.ExecuteFile(name, file, asRole: Role);
        Target.ExecuteSql(name, """
            DO $$ DECLARE t text; BEGIN
              SELECT string_agg(c.oid::regclass::text, ', ') INTO t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema');
              IF t IS NOT NULL THEN EXECUTE 'TRUNCATE ' || t || ' CASCADE'; END IF;
            END $$;
            """ + targetSql, asRole: Role);
        Target.ExecuteSql("postgres", "CHECKPOINT;");
    }

    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ThirdPartyCollection : ICollectionFixture<ThirdPartyFixture>
{
    public const string Name = "thirdparty";
}
