using Microsoft.Extensions.Logging;
using Npgsql;
using FonanaMigration.Engine.Sequences;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Logical replication carries rows, not sequences: at cut-over each sequence the migrated tables use (owned by a
/// column, or named in a column's DEFAULT) is moved on the target to where the source's stands, and at least past the
/// largest value its column holds. Never backwards: the target's own position is a floor too.
/// </summary>
internal static class CutoverSequences
{
    private static readonly EventId Set = EngineEvents.CutoverSequenceSet;

    public static async Task<int> ApplyAsync(NpgsqlConnection source, NpgsqlConnection target, SchemaSnapshot targetSchema, IReadOnlyCollection<QualifiedName> tables,
        RunContext context)
    {
        var ct = context.CancellationToken;
        var done = 0;
        // The same discovery the offline load uses (the catalog's dependencies, never names): a standalone or shared
        // sequence called by a DEFAULT is found, and moves past every integer column that draws from it.
        var uses = await SequenceUse.ReadAsync(target, tables.Where(t => targetSchema.FindTable(t) is not null), ct).ConfigureAwait(false);
        foreach (var use in uses.Where(u => u.IsInteger))
        {
            var sourceValue = await ServerStatement.RowsAsync(source, "SELECT pg_sequence_last_value(to_regclass(@s))",
                r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0), ct, ("s", use.Sequence)).ConfigureAwait(false);
            var sql = $"""
                SELECT setval(to_regclass(@s), v, true)
                FROM (SELECT GREATEST(@src, pg_sequence_last_value(to_regclass(@s)), (SELECT max({Identifier.Quote(use.Column)})::bigint FROM {use.Table.Sql})) AS v) x
                WHERE v IS NOT NULL
                """;
            await using var cmd = new NpgsqlCommand(sql, target);
            cmd.Parameters.AddWithValue("s", use.Sequence);
            cmd.Parameters.AddWithValue("src", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)sourceValue.FirstOrDefault() ?? DBNull.Value);
            var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (value is long v)
            {
                done++;
                context.Logger.LogInformation(Set, "Sequence {Sequence} set to {Value} on the target.", use.Sequence, v);
            }
        }
        return done;
    }
}
