using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Sort memory for the keys and indexes built after the load, for the load's transaction only (SET LOCAL). With the
/// default maintenance_work_mem (64 MB) the sort of a large index spills to disk in runs merged afterwards; with more
/// it sorts in memory and the parallel build gets enough memory per worker. Never lowers what the server or role
/// already gives.
/// </summary>
internal static class IndexBuildMemory
{
    private static readonly EventId Raised = EngineEvents.IndexBuildMemory;

    /// <summary>512 MB: enough to sort the largest index of a GB-sized load in memory, small beside a server's RAM.</summary>
    public const long WantedKilobytes = 512L * 1024;

    public static async Task ApplyAsync(NpgsqlConnection connection, RunContext context)
    {
        await using var cmd = new NpgsqlCommand("SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem'", connection);
        var current = await cmd.ExecuteScalarAsync(context.CancellationToken).ConfigureAwait(false) is long kb ? kb : 0;
        if (current >= WantedKilobytes) return;
        await Sql.ExecuteAsync(connection, $"SET LOCAL maintenance_work_mem = '{WantedKilobytes}kB'", context).ConfigureAwait(false);
        context.Logger.LogDebug(Raised, "maintenance_work_mem raised from {Current} kB to {Wanted} kB for the index builds of this transaction.", current, WantedKilobytes);
    }
}
