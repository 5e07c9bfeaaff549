using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Tests;

/// <summary>Each kind of difference, made on purpose on a copy of the Fonana schema, is found with the right severity and names the object.</summary>
[Collection(ServerCollection.Name)]
public class SchemaComparisonTests
{
    private readonly ServerFixture _servers;

    public SchemaComparisonTests(ServerFixture servers) => _servers = servers;

    private async Task<IReadOnlyList<SchemaDifference>> CompareAfterAsync(string targetChange, Func<QualifiedName, bool>? include = null)
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        if (targetChange.Length > 0) _servers.Prod.ExecuteSql(targetName, targetChange, asRole: FonanaDatabase.DefaultRole);
        var a = await SchemaInspector.ReadAsync(source, new RunContext());
        var b = await SchemaInspector.ReadAsync(target, new RunContext());
        return SchemaComparer.Compare(a, b, include);
    }

    private static SchemaDifference Single(IReadOnlyList<SchemaDifference> found, string kind) =>
        Assert.Single(found, d => d.Kind == kind);

    [Fact]
    public async Task IdenticalFonanaSchemas_OnServersInDifferentTimeZones_HaveNoBlockingDifference_OnlyTheTimeZoneWarning()
    {
        var found = await CompareAfterAsync("");
        Assert.DoesNotContain(found, d => d.Severity == DifferenceSeverity.Blocking);
        var zone = Assert.Single(found, d => d.Severity == DifferenceSeverity.Warning);
        Assert.Equal(("ServerTimeZone", "UTC", "Asia/Tokyo"), (zone.Kind, zone.SourceValue, zone.TargetValue));
        Assert.Contains("createdAt", zone.Message);
    }

    [Fact]
    public async Task PartitionedOnOneSideOnly_IsBlocking()
    {
        var (sourceName, source) = _servers.Empty(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Local.ExecuteSql(sourceName, "CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at)", asRole: FonanaDatabase.DefaultRole);
        _servers.Prod.ExecuteSql(targetName, "CREATE TABLE events (id int, at date NOT NULL)", asRole: FonanaDatabase.DefaultRole);

        var found = SchemaComparer.Compare(await SchemaInspector.ReadAsync(source, new RunContext()), await SchemaInspector.ReadAsync(target, new RunContext()));

        Assert.Equal(DifferenceSeverity.Blocking, Single(found, "TableKind").Severity);
    }

    private async Task<IReadOnlyList<SchemaDifference>> ComparePartitionedAsync(string sourceSql, string targetSql)
    {
        var ((_, source), (_, target)) = _servers.EmptyPair(sourceSql, targetSql);
        return SchemaComparer.Compare(await SchemaInspector.ReadAsync(source, new RunContext()), await SchemaInspector.ReadAsync(target, new RunContext()));
    }

    private const string YearlyEvents = """
        CREATE TABLE events (id int, at date NOT NULL, created date NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        """;

    [Fact]
    public async Task PartitionCoveringAnotherRange_IsBlocking_WithBothBounds()
    {
        var found = await ComparePartitionedAsync(
            YearlyEvents + "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
            YearlyEvents + "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2024-07-01') TO ('2025-07-01');");

        var bound = Single(found, "PartitionBound");
        Assert.Equal(DifferenceSeverity.Blocking, bound.Severity);
        Assert.Equal("public.events_2025", bound.Object);
        Assert.Contains("2025-01-01", bound.SourceValue);
        Assert.Contains("2024-07-01", bound.TargetValue);
        // The partition whose bounds agree is not reported.
        Assert.DoesNotContain(found, d => d.Object == "public.events_2026");
    }

    [Fact]
    public async Task PartitionKeyOnAnotherColumn_IsBlocking()
    {
        var found = await ComparePartitionedAsync(YearlyEvents, YearlyEvents.Replace("RANGE (at)", "RANGE (created)"));

        var key = Single(found, "PartitionKey");
        Assert.Equal(DifferenceSeverity.Blocking, key.Severity);
        Assert.Equal("public.events", key.Object);
        Assert.Equal(("RANGE (at)", "RANGE (created)"), (key.SourceValue, key.TargetValue));
    }

    [Fact]
    public async Task SchemaFileWrittenBeforePartitionBoundsWereRead_StillLoads_AndReportsNoPartitionDifference()
    {
        var found = await ComparePartitionedAsync(YearlyEvents, YearlyEvents);
        Assert.DoesNotContain(found, d => d.Kind is "PartitionBound" or "PartitionKey");

        var (sourceName, source) = _servers.Empty(_servers.Local);
        _servers.Local.ExecuteSql(sourceName, YearlyEvents, asRole: FonanaDatabase.DefaultRole);
        var live = await SchemaInspector.ReadAsync(source, new RunContext());
        var path = Path.Combine(Path.GetTempPath(), $"fonana-schema-{Guid.NewGuid():N}.json");
        try
        {
            SchemaFile.Save(live, path);
            // An older writer knew neither field.
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
            foreach (var table in json["tables"]!.AsArray())
            {
                table!.AsObject().Remove("partitionKey");
                table.AsObject().Remove("partitionBound");
            }
            File.WriteAllText(path, json.ToJsonString());
            var old = SchemaFile.Load(path);

            Assert.All(old.Tables, t => Assert.Null(t.PartitionBound ?? t.PartitionKey));
            Assert.DoesNotContain(SchemaComparer.Compare(old, live), d => d.Kind is "PartitionBound" or "PartitionKey");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task DroppedColumn_IsBlocking_AndNamed()
    {
        var d = Single(await CompareAfterAsync("ALTER TABLE posts DROP COLUMN \"thumbnail\""), "MissingColumn");
        Assert.Equal(DifferenceSeverity.Blocking, d.Severity);
        Assert.Equal("public.posts.thumbnail", d.Object);
        Assert.Equal("text", d.SourceValue);
    }

    [Fact]
    public async Task ChangedType_IsBlocking_WithBothTypes()
    {
        var d = Single(await CompareAfterAsync("ALTER TABLE posts ALTER COLUMN price TYPE numeric(8,2)"), "ColumnType");
        Assert.Equal(DifferenceSeverity.Blocking, d.Severity);
        Assert.Equal("public.posts.price", d.Object);
        Assert.Equal("numeric(10,2)", d.SourceValue);
        Assert.Equal("numeric(8,2)", d.TargetValue);
    }

    [Fact]
    public async Task MissingEnumLabel_IsBlocking()
    {
        // PostgreSQL cannot drop an enum label: rebuild the type without it, as a hand-edited migration would.
        var found = await CompareAfterAsync("""
            ALTER TYPE "PostType" RENAME TO "PostType_old";
            CREATE TYPE "PostType" AS ENUM ('TEXT', 'IMAGE', 'VIDEO');
            ALTER TABLE posts ALTER COLUMN type DROP DEFAULT;
            ALTER TABLE posts ALTER COLUMN type TYPE "PostType" USING type::text::"PostType";
            DROP TYPE "PostType_old";
            """);
        var d = Single(found, "EnumLabelMissing");
        Assert.Equal(DifferenceSeverity.Blocking, d.Severity);
        Assert.Equal("public.\"PostType\"", d.Object);
        Assert.Contains("'AUDIO'", d.Message);
    }

    [Fact]
    public async Task UnappliedLastPrismaMigration_IsBlocking_AndNamed()
    {
        var found = await CompareAfterAsync("DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)");
        var d = Single(found, "PrismaMigrationMissing");
        Assert.Equal(DifferenceSeverity.Blocking, d.Severity);
        Assert.Matches("^[0-9]{14}_", d.Object);
    }

    [Fact]
    public async Task FailedPrismaMigrationOnTarget_IsBlocking()
    {
        var found = await CompareAfterAsync("UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)");
        Assert.Equal(DifferenceSeverity.Blocking, Single(found, "PrismaMigrationFailed").Severity);
    }

    [Fact]
    public async Task EditedPrismaMigrationChecksum_IsAWarning()
    {
        var found = await CompareAfterAsync("UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = (SELECT min(migration_name) FROM _prisma_migrations)");
        Assert.Equal(DifferenceSeverity.Warning, Single(found, "PrismaMigrationChecksum").Severity);
    }

    [Fact]
    public async Task AddedNotNullColumnWithoutDefault_IsBlocking_ButWithADefaultOnlyAWarning()
    {
        var found = await CompareAfterAsync("""ALTER TABLE users ADD COLUMN "tier" text NOT NULL; ALTER TABLE users ADD COLUMN "theme" text NOT NULL DEFAULT 'dark'""");
        var required = Assert.Single(found, d => d.Object == "public.users.tier");
        Assert.Equal(("ExtraColumnNotNull", DifferenceSeverity.Blocking), (required.Kind, required.Severity));
        var optional = Assert.Single(found, d => d.Object == "public.users.theme");
        Assert.Equal(("ExtraColumn", DifferenceSeverity.Warning), (optional.Kind, optional.Severity));
    }

    [Fact]
    public async Task ChangedForeignKeyAction_IsReportedWithBothDefinitions()
    {
        var found = await CompareAfterAsync("""
            ALTER TABLE posts DROP CONSTRAINT "posts_creatorId_fkey";
            ALTER TABLE posts ADD CONSTRAINT "posts_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES users(id) ON DELETE RESTRICT ON UPDATE CASCADE;
            """);
        var d = Single(found, "ForeignKeyAction");
        Assert.Equal(DifferenceSeverity.Warning, d.Severity);
        Assert.Equal("public.posts.\"posts_creatorId_fkey\"", d.Object);
        Assert.Contains("ON DELETE CASCADE", d.SourceValue);
        Assert.Contains("ON DELETE RESTRICT", d.TargetValue);
    }

    [Fact]
    public async Task RemovedIndex_IsAWarning_AndNamed()
    {
        var d = Single(await CompareAfterAsync("DROP INDEX \"posts_tags_idx\""), "MissingIndex");
        Assert.Equal(DifferenceSeverity.Warning, d.Severity);
        Assert.Equal("public.posts.posts_tags_idx", d.Object);
        Assert.Contains("USING gin", d.SourceValue);
    }

    [Fact]
    public async Task CheckConstraintOnlyOnTheTarget_IsBlocking()
    {
        var d = Single(await CompareAfterAsync("ALTER TABLE posts ADD CONSTRAINT posts_price_positive CHECK (price > 0)"), "ExtraCheck");
        Assert.Equal(DifferenceSeverity.Blocking, d.Severity);
        Assert.Equal("public.posts.posts_price_positive", d.Object);
    }

    [Fact]
    public async Task TargetNotNullWhereTheSourceAllowsNull_IsBlocking()
    {
        var d = Single(await CompareAfterAsync("UPDATE posts SET thumbnail = ''; ALTER TABLE posts ALTER COLUMN thumbnail SET NOT NULL"), "ColumnNullability");
        Assert.Equal(DifferenceSeverity.Blocking, d.Severity);
    }

    [Fact]
    public async Task DifferentColumnOrder_IsOnlyInfo()
    {
        // Re-create a table with its columns in another order: the import maps by name, so this blocks nothing.
        var found = await CompareAfterAsync("""
            CREATE TABLE verification_tokens_new (token text NOT NULL, identifier text NOT NULL, expires timestamp(3) without time zone NOT NULL);
            DROP TABLE verification_tokens;
            ALTER TABLE verification_tokens_new RENAME TO verification_tokens;
            CREATE UNIQUE INDEX "verification_tokens_token_key" ON verification_tokens(token);
            CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON verification_tokens(identifier, token);
            """);
        var d = Single(found, "ColumnOrder");
        Assert.Equal(DifferenceSeverity.Info, d.Severity);
        Assert.DoesNotContain(found, x => x.Severity == DifferenceSeverity.Blocking);
    }

    [Fact]
    public async Task QuotedIdentifiersWithCapitalsSpacesAndQuotes_AreNamedAsPostgreSQLWouldQuoteThem()
    {
        var (sourceName, source) = _servers.Empty(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        const string create = """"CREATE SCHEMA "Odd Schema"; CREATE TABLE "Odd Schema"."My ""Table""" ("Weird Col" int, "ok" text)"""";
        _servers.Local.ExecuteSql(sourceName, create, asRole: null);
        _servers.Prod.ExecuteSql(targetName, create.Replace("\"Weird Col\" int, ", ""), asRole: null);

        var found = SchemaComparer.Compare(await SchemaInspector.ReadAsync(source, new RunContext()), await SchemaInspector.ReadAsync(target, new RunContext()));

        var d = Single(found, "MissingColumn");
        Assert.Equal("\"Odd Schema\".\"My \"\"Table\"\"\".\"Weird Col\"", d.Object);
    }

    [Fact]
    public async Task ComparingWithASavedJsonSnapshot_GivesTheSameResultAsTheLiveServer()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Prod.ExecuteSql(targetName, "ALTER TABLE posts DROP COLUMN thumbnail; DROP INDEX \"posts_tags_idx\"", asRole: FonanaDatabase.DefaultRole);
        var live = await SchemaInspector.ReadAsync(source, new RunContext());
        var path = Path.Combine(Path.GetTempPath(), $"fonana-schema-{Guid.NewGuid():N}.json");
        try
        {
            SchemaFile.Save(live, path);
            var saved = SchemaFile.Load(path);
            var targetSchema = await SchemaInspector.ReadAsync(target, new RunContext());

            var fromLive = SchemaComparer.Compare(live, targetSchema).Select(d => d.ToString());
            var fromFile = SchemaComparer.Compare(saved, targetSchema).Select(d => d.ToString());
            Assert.Equal(fromLive, fromFile);
            Assert.NotEmpty(fromLive);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task MissingTable_IsBlocking_UnlessItIsLeftOutOfTheMove()
    {
        Assert.Equal(DifferenceSeverity.Blocking, Single(await CompareAfterAsync("DROP TABLE likes"), "MissingTable").Severity);
        Assert.DoesNotContain(await CompareAfterAsync("DROP TABLE likes", t => t.Name != "likes"), d => d.Kind == "MissingTable");
    }
}
