namespace FonanaMigration.Engine.Tests;

/// <summary>
/// A fault injected into a real server: <c>zz_a_refuses</c> has an expression index whose function raises only while
/// ANALYZE samples it (building the index, COPY and logical replication's apply evaluate it without complaint).
/// zz_a_ sorts first, so a failure that stopped the other tables would show.
/// </summary>
internal static class AnalyzeRefusal
{
    public const string Message = "injected: statistics refused";

    public const string TableDdl = $$$"""
        CREATE FUNCTION zz_fails_in_analyze(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
          IF current_query() ILIKE 'ANALYZE%' THEN RAISE EXCEPTION '{{{Message}}}'; END IF;
          RETURN t;
        END $$;
        CREATE TABLE zz_a_refuses (id int PRIMARY KEY, body text);
        CREATE INDEX zz_a_refuses_expr ON zz_a_refuses (zz_fails_in_analyze(body));

        """;
}
