using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>Row-level security, privileges and triggers on the target: loaded when the role may, refused before any row otherwise.</summary>
[Collection(ServerCollection.Name)]
public class TargetPreflightTests
{
    private readonly ServerFixture _servers;

    public TargetPreflightTests(ServerFixture servers) => _servers = servers;

    private long TotalRows(string database) => long.Parse(_servers.Prod.QueryScalar(database,
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments) + (SELECT count(*) FROM likes)"));

    /// <summary>An empty Fonana target whose <paramref name="table"/> belongs to another role, then <paramref name="sql"/> (as the superuser).</summary>
    private (string Name, DatabaseEndpoint Endpoint) TargetWithTableOwnedByAnotherRole(string table, string sql)
    {
        var (name, endpoint) = _servers.Empty(_servers.Prod);
        _servers.Prod.ExecuteSql(name, $"""
            DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{table}_owner') THEN CREATE ROLE {table}_owner; END IF; END $$;
            ALTER TABLE {table} OWNER TO {table}_owner;
            {sql}
            """);
        return (name, endpoint);
    }

    /// <summary>A copy of the seeded Fonana database into <paramref name="target"/>, which must fail.</summary>
    private async Task<MigrationException> CopyRefusedAsync(DatabaseEndpoint target)
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        return await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext()));
    }

    // A trigger that rewrites every row it sees: firing during the load would change the data.
    private const string ShoutOnComments = """
        CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN NEW.content := upper(NEW.content); RETURN NEW; END $f$;
        CREATE TRIGGER comments_shout BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION shout();
        """;

    [Fact]
    public async Task Copy_ForceRowSecurityOnATableTheRoleOwns_LoadsEveryRow_AndForceIsBackAfterCommit()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        // A policy that hides every row: under FORCE even the owner's COPY FROM is refused.
        _servers.Prod.ExecuteSql(targetName, """
            ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
            ALTER TABLE comments FORCE ROW LEVEL SECURITY;
            CREATE POLICY nobody ON comments USING (false) WITH CHECK (false);
            """, asRole: FonanaDatabase.DefaultRole);
        using var host = new RecordingHost();

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, host.Context);

        Assert.True(result.Verified);
        Assert.Equal(_servers.Local.QueryScalar(sourceName, "SELECT count(*) FROM comments"), _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM comments"));
        Assert.Equal("t|t", _servers.Prod.QueryScalar(targetName, "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'comments'::regclass"));
        Assert.Contains(host.Drain(), m => m.EventName == "RowSecurityLifted" && m.Text.Contains("comments"));
    }

    [Fact]
    public async Task Copy_RowSecurityOnATableOwnedByAnotherRole_IsRefusedBeforeAnyRow_NamingTheTableAndTheWayOut()
    {
        var (targetName, target) = TargetWithTableOwnedByAnotherRole("comments", """
            GRANT ALL ON comments TO fonana_user;
            ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
            CREATE POLICY everyone ON comments USING (true) WITH CHECK (true);
            """);

        var error = await CopyRefusedAsync(target);

        Assert.Equal("RowSecurityBlocksLoad", error.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, error.Kind);
        Assert.Contains("public.comments", error.Message);
        Assert.Contains("BYPASSRLS", error.Message);
        Assert.Equal(0, TotalRows(targetName));
    }

    [Fact]
    public async Task Copy_MissingInsertPrivilegeAndAnUnexecutableTrigger_AreAllListedBeforeAnyRow()
    {
        var (targetName, target) = TargetWithTableOwnedByAnotherRole("likes", """
            GRANT SELECT ON likes TO fonana_user;
            CREATE FUNCTION audit_likes() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;
            REVOKE EXECUTE ON FUNCTION audit_likes() FROM PUBLIC;
            CREATE TRIGGER likes_audit BEFORE INSERT ON likes FOR EACH ROW EXECUTE FUNCTION audit_likes();
            """);

        var error = await CopyRefusedAsync(target);

        Assert.Equal("TargetPermissionDenied", error.ErrorId);
        Assert.Contains("public.likes: no INSERT privilege", error.Message);
        Assert.Contains("likes_audit", error.Message);
        Assert.Equal(2, error.Details.Count);
        Assert.Equal(0, TotalRows(targetName));
    }

    [Fact]
    public async Task Copy_UserTriggerOnATableTheRoleOwns_DoesNotFireDuringTheLoad_AndIsEnabledAgainAfterCommit()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Prod.ExecuteSql(targetName, ShoutOnComments, asRole: FonanaDatabase.DefaultRole);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        Assert.True(result.Verified);
        Assert.Equal(_servers.Local.QueryScalar(sourceName, "SELECT string_agg(content, '|' ORDER BY id) FROM comments"),
            _servers.Prod.QueryScalar(targetName, "SELECT string_agg(content, '|' ORDER BY id) FROM comments"));
        Assert.Equal("O", _servers.Prod.QueryScalar(targetName, "SELECT tgenabled FROM pg_trigger WHERE tgname = 'comments_shout'"));
    }

    [Fact]
    public async Task Copy_TriggerMarkedEnableAlwaysOnATableTheRoleOwns_FiresDuringTheLoad()
    {
        var (targetName, target) = _servers.Empty(_servers.Prod);
        // ALWAYS is how a DBA says "fire even for replicated rows": it fires, so its rewrite fails the verification.
        _servers.Prod.ExecuteSql(targetName, ShoutOnComments + "ALTER TABLE comments ENABLE ALWAYS TRIGGER comments_shout;", asRole: FonanaDatabase.DefaultRole);

        var error = await CopyRefusedAsync(target);

        Assert.Equal("ImportVerificationFailed", error.ErrorId);
        Assert.Equal(0, TotalRows(targetName));
    }
}
