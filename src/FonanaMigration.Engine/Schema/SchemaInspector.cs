namespace FonanaMigration.Engine.Schema;

/// <summary>Reads a <see cref="SchemaSnapshot"/> from a live server; <c>SchemaFile</c> loads one from a saved snapshot or an archive.</summary>
public static class SchemaInspector
{
    public static async Task<SchemaSnapshot> ReadAsync(DatabaseEndpoint endpoint, RunContext context)
    {
        await using var connection = await ServerConnector.OpenAsync(endpoint, context, "schema").ConfigureAwait(false);
        try
        {
            return await SchemaReader.ReadAsync(connection, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, context.CancellationToken);
        }
    }
}
