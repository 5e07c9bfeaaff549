using Microsoft.Extensions.Logging;
using Npgsql;


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
        foreach (var table in tables.Select(targetSchema.FindTable).OfType<TableSchema>())
        {
            foreach (var column in table.Columns)
            {
                var sequence = column.OwnedSequence ?? SequenceInDefault(column.Default);
                if (sequence is null) continue;
                var sourceValue = await ServerStatement.RowsAsync(source, "SELECT pg_sequence_last_value(to_regclass(@s))",
                    r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0), ct, ("s", sequence)).ConfigureAwait(false);
                var sql = $"""
                    SELECT setval(to_regclass(@s), v, true)
                    FROM (SELECT GREATEST(@src, pg_sequence_last_value(to_regclass(@s)), (SELECT max({Identifier.Quote(column.Name)})::bigint FROM {table.QualifiedName.Sql})) AS v) x
                    WHERE v IS NOT NULL
                    """;
                await using var cmd = new NpgsqlCommand(sql, target);
                cmd.Parameters.AddWithValue("s", sequence);
                cmd.Parameters.AddWithValue("src", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)sourceValue.FirstOrDefault() ?? DBNull.Value);
                var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
                if (value is long v)
                {
                    done++;
                    context.Logger.LogInformation(Set, "Sequence {Sequence} set to {Value} on the target.", sequence, v);
                }
            }
        }
        return done;
    }

    /// <summary>The sequence of a DEFAULT nextval('name'::regclass), as the text regclass reads.</summary>
    private static string? SequenceInDefault(string? columnDefault)
    {
        if (columnDefault is null) return null;
        var m = System.Text.RegularExpressions.Regex.Match(columnDefault, @"^nextval\('((?:[^']|'')+)'::regclass\)$");
        return m.Success ? m.Groups[1].Value.Replace("''", "'") : null;
    }
}
