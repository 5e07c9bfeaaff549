
namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// While rows go in, the target's own functions run: CHECK constraints, expression indexes being rebuilt and
/// materialized view queries may call functions that name tables unqualified, as DAViCal's real_path_exists() does.
/// They must see the search_path the application sees (the role's and database's default), not the catalog-only path
/// the tool's own SQL uses. Set LOCAL, so it ends with the transaction; every name the tool writes is qualified anyway,
/// and pg_catalog is still searched first.
/// </summary>
internal static class ApplicationSearchPath
{
    public static Task UseAsync(Npgsql.NpgsqlConnection connection, RunContext context) =>
        Sql.ExecuteAsync(connection, "SELECT set_config('search_path', reset_val, true) FROM pg_settings WHERE name = 'search_path'", context);

    /// <summary>Back to the catalog-only path, so checksums print values (regclass, for one) exactly as the source's were printed.</summary>
    public static Task LeaveAsync(Npgsql.NpgsqlConnection connection, RunContext context) =>
        Sql.ExecuteAsync(connection, "SET LOCAL search_path = pg_catalog", context);
}
