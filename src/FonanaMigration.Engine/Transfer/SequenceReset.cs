using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// After rows arrive with their own ids, serial and identity sequences must move past them, or the application's next
/// INSERT collides. The sequence goes to the larger of the largest imported value and where the source's sequence stood.
/// </summary>
internal static class SequenceReset
{
    public static async Task ApplyAsync(NpgsqlConnection connection, TableSchema target, TableContent archived, RunContext context)
    {
        foreach (var column in target.Columns.Where(c => c.OwnedSequence is not null && archived.Columns.Contains(c.Name)))
        {
            var source = archived.Sequences.FirstOrDefault(s => s.Column == column.Name);
            var floor = source is { IsCalled: true } ? source.LastValue : (long?)null;
            var sql = $"""
                SELECT setval('{column.OwnedSequence!.Replace("'", "''")}', v, true)
                FROM (SELECT GREATEST((SELECT max({Identifier.Quote(column.Name)})::bigint FROM ONLY {target.QualifiedName.Sql}), @floor) AS v) s
                WHERE v IS NOT NULL
                """;
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.AddWithValue("floor", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)floor ?? DBNull.Value);
            var value = await cmd.ExecuteScalarAsync(context.CancellationToken).ConfigureAwait(false);
            context.Logger.LogInformation(EngineEvents.SequenceReset, "Sequence {Sequence} set to {Value}.", column.OwnedSequence, value ?? "(unchanged, no rows)");
        }
    }
}
