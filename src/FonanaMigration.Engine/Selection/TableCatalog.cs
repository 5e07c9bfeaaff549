using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Selection;

/// <summary>
/// Which tables a command line can name in -Table and -ExcludeTable, for tab completion: the tables an archive holds,
/// the tables of a saved snapshot, or the data tables of a live server (one catalog query, not a full schema read, so a
/// Tab against a distant server stays quick). Sorted by schema, then name.
/// </summary>
public static class TableCatalog
{
    // Ordinary tables in user schemas, without tables that belong to extensions: what an export would read.
    private const string ListSql = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2
        """;

    public static IReadOnlyList<QualifiedName> FromFile(string path)
    {
        if (File.Exists(path) && SchemaFile.IsZip(path))
        {
            using var archive = ArchiveReader.Open(path);
            return Sorted(archive.Manifest.Tables.Select(t => t.QualifiedName));
        }
        return Sorted(SchemaFile.Load(path).Tables.Where(t => t.Kind == "r").Select(t => t.QualifiedName));
    }

    public static async Task<IReadOnlyList<QualifiedName>> FromServerAsync(DatabaseEndpoint endpoint, RunContext context)
    {
        await using var connection = await ServerConnector.OpenAsync(endpoint, context, "completion").ConfigureAwait(false);
        try
        {
            var names = new List<QualifiedName>();
            await using var command = new NpgsqlCommand(ListSql, connection);
            await using var reader = await command.ExecuteReaderAsync(context.CancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false))
                names.Add(new QualifiedName(reader.GetString(0), reader.GetString(1)));
            return names;
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, context.CancellationToken);
        }
    }

    private static IReadOnlyList<QualifiedName> Sorted(IEnumerable<QualifiedName> names) =>
        names.OrderBy(n => n.Schema, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
}
