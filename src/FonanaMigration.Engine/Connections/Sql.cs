namespace FonanaMigration.Engine.Connections;

/// <summary>Runs one statement and logs it at Debug, so -Debug shows exactly what the engine did to a server.</summary>
internal static class Sql
{
    public static void Log(string sql, RunContext context) => context.Logger.LogDebug(EngineEvents.Statement, "{Sql}", sql);

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, RunContext context)
    {
        context.Logger.LogDebug(EngineEvents.Statement, "{Sql}", sql);
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
