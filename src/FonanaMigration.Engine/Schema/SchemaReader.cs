namespace FonanaMigration.Engine.Schema;

/// <summary>
/// Reads a <see cref="SchemaSnapshot"/> from pg_catalog (not information_schema, which hides objects the role does not
/// own and loses type modifiers). Runs on whatever session it is given, so an export reads its schema inside its snapshot.
/// </summary>
internal static class SchemaReader
{
    // User relations: not system schemas, not objects that belong to an extension.
    private const string UserRelationFilter = """
        n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
        """;

    public static async Task<SchemaSnapshot> ReadAsync(NpgsqlConnection connection, RunContext context)
    {
        var ct = context.CancellationToken;
        context.Logger.LogInformation(EngineEvents.ReadingSchema, "Reading the schema of database '{Database}'.", connection.Database);
        var server = await ReadServerFactsAsync(connection, ct).ConfigureAwait(false);
        var tables = await ReadTablesAsync(connection, ct).ConfigureAwait(false);
        var byOid = tables.ToDictionary(t => t.Oid);
        await ReadColumnsAsync(connection, byOid, ct).ConfigureAwait(false);
        await ReadConstraintsAsync(connection, byOid, ct).ConfigureAwait(false);
        await ReadIndexesAsync(connection, byOid, ct).ConfigureAwait(false);
        var enums = await ReadEnumsAsync(connection, ct).ConfigureAwait(false);
        var domains = await ReadDomainsAsync(connection, ct).ConfigureAwait(false);
        var sequences = await ReadSequencesAsync(connection, ct).ConfigureAwait(false);
        var extensions = await ReadExtensionsAsync(connection, ct).ConfigureAwait(false);
        var materializedViews = await MaterializedViewReader.ReadAsync(connection, ct).ConfigureAwait(false);
        var history = tables.FirstOrDefault(t => t.Table.Name == SchemaSnapshot.PrismaHistoryTable);
        var migrations = history is null ? null : await ReadPrismaMigrationsAsync(connection, history.Table.QualifiedName, ct).ConfigureAwait(false);

        return new SchemaSnapshot
        {
            Database = connection.Database,
            TakenAt = DateTimeOffset.UtcNow,
            Server = server,
            Tables = tables.Select(t => t.Table).ToList(),
            Enums = enums,
            Domains = domains,
            Sequences = sequences,
            Extensions = extensions,
            MaterializedViews = materializedViews,
            PrismaMigrations = migrations,
        };
    }

    private sealed record TableRow(uint Oid, TableSchema Table);

    private static async Task<ServerFacts> ReadServerFactsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string sql = """
            SELECT current_setting('server_version'), current_setting('server_version_num')::int, current_setting('server_encoding'),
                   d.datcollate, d.datctype, (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone')
            FROM pg_database d WHERE d.datname = current_database()
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new ServerFacts
        {
            Version = reader.GetString(0),
            VersionNumber = reader.GetInt32(1),
            Encoding = reader.GetString(2),
            Collate = reader.GetString(3),
            Ctype = reader.GetString(4),
            TimeZone = reader.IsDBNull(5) ? "" : reader.GetString(5),
        };
    }

    private static async Task<List<TableRow>> ReadTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var sql = $"""
            SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity, pn.nspname, pc.relname,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
            LEFT JOIN pg_class pc ON pc.oid = i.inhparent
            LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE c.relkind IN ('r', 'p') AND {UserRelationFilter}
            ORDER BY n.nspname, c.relname
            """;
        var result = new List<TableRow>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add(new TableRow(reader.GetFieldValue<uint>(0), new TableSchema
            {
                Schema = reader.GetString(1),
                Name = reader.GetString(2),
                Kind = reader.GetString(3),
                RowSecurity = reader.GetBoolean(4),
                ForceRowSecurity = reader.GetBoolean(5),
                PartitionOf = reader.IsDBNull(6) ? null : new QualifiedName(reader.GetString(6), reader.GetString(7)),
                PartitionKey = reader.IsDBNull(8) ? null : reader.GetString(8),
                PartitionBound = reader.IsDBNull(9) ? null : reader.GetString(9),
            }));
        }
        return result;
    }

    private static async Task ReadColumnsAsync(NpgsqlConnection connection, Dictionary<uint, TableRow> tables, CancellationToken ct)
    {
        const string sql = """
            SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                   CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN cn.nspname || '.' || quote_ident(co.collname) END,
                   COALESCE(et.typtype, t.typtype)::text, t.typcategory = 'A',
                   (SELECT quote_ident(sn.nspname) || '.' || quote_ident(s.relname)
                    FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S' JOIN pg_namespace sn ON sn.oid = s.relnamespace
                    WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i') LIMIT 1),
                   CASE WHEN bt.typcategory = 'A' THEN bt.typelem < 16384 AND EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = bt.typelem AND e.typsend <> 0 AND e.typreceive <> 0)
                        WHEN bt.typtype IN ('c', 'p') THEN false
                        ELSE bt.typsend <> 0 AND bt.typreceive <> 0 END
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
            WHERE a.attrelid = ANY(@oids) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        AddOids(cmd, tables);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            tables[reader.GetFieldValue<uint>(0)].Table.Columns.Add(new ColumnSchema
            {
                Position = reader.GetInt16(1),
                Name = reader.GetString(2),
                DataType = reader.GetString(3),
                NotNull = reader.GetBoolean(4),
                Default = reader.IsDBNull(5) ? null : reader.GetString(5),
                Identity = reader.GetString(6),
                Generated = reader.GetString(7),
                Collation = reader.IsDBNull(8) ? null : reader.GetString(8),
                TypeKind = reader.GetString(9),
                IsArray = reader.GetBoolean(10),
                OwnedSequence = reader.IsDBNull(11) ? null : reader.GetString(11),
                BinarySafe = reader.GetBoolean(12),
            });
        }
    }

    private static async Task ReadConstraintsAsync(NpgsqlConnection connection, Dictionary<uint, TableRow> tables, CancellationToken ct)
    {
        const string sql = """
            SELECT con.conrelid, con.conname, con.contype::text, pg_get_constraintdef(con.oid),
                   ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
                   rn.nspname, rc.relname,
                   ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),
                   con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.convalidated
            FROM pg_constraint con
            LEFT JOIN pg_class rc ON rc.oid = con.confrelid
            LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE con.conrelid = ANY(@oids) AND con.contype IN ('p', 'u', 'f', 'c', 'x') AND con.conparentid = 0
            ORDER BY con.conrelid, con.conname
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        AddOids(cmd, tables);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var type = reader.GetString(2);
            tables[reader.GetFieldValue<uint>(0)].Table.Constraints.Add(new ConstraintSchema
            {
                Name = reader.GetString(1),
                Type = type,
                Definition = reader.GetString(3),
                Columns = reader.GetFieldValue<string[]>(4),
                ReferencedTable = reader.IsDBNull(5) ? null : new QualifiedName(reader.GetString(5), reader.GetString(6)),
                ReferencedColumns = reader.GetFieldValue<string[]>(7),
                OnUpdate = type == "f" ? ActionName(reader.GetString(8)) : null,
                OnDelete = type == "f" ? ActionName(reader.GetString(9)) : null,
                Deferrable = reader.GetBoolean(10),
                Validated = reader.GetBoolean(11),
            });
        }
    }

    private static void AddOids(NpgsqlCommand cmd, Dictionary<uint, TableRow> tables) =>
        cmd.Parameters.Add(new NpgsqlParameter<uint[]>("oids", tables.Keys.ToArray()) { DataTypeName = "oid[]" });

    private static string ActionName(string code) => code switch
    {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => code,
    };

    private static async Task ReadIndexesAsync(NpgsqlConnection connection, Dictionary<uint, TableRow> tables, CancellationToken ct)
    {
        const string sql = """
            SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary,
                   EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = ANY(@oids)
            ORDER BY i.indrelid, ic.relname
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        AddOids(cmd, tables);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            tables[reader.GetFieldValue<uint>(0)].Table.Indexes.Add(new IndexSchema
            {
                Name = reader.GetString(1),
                Definition = reader.GetString(2),
                IsUnique = reader.GetBoolean(3),
                IsPrimary = reader.GetBoolean(4),
                BacksConstraint = reader.GetBoolean(5),
            });
        }
    }

    private static async Task<List<EnumTypeSchema>> ReadEnumsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string sql = """
            SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
            GROUP BY n.nspname, t.typname ORDER BY 1, 2
            """;
        var result = new List<EnumTypeSchema>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(new EnumTypeSchema { Schema = reader.GetString(0), Name = reader.GetString(1), Labels = reader.GetFieldValue<string[]>(2) });
        return result;
    }

    private static async Task<List<DomainSchema>> ReadDomainsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string sql = """
            SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
                   ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.contypid = t.oid ORDER BY c.conname)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
            ORDER BY 1, 2
            """;
        var result = new List<DomainSchema>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(new DomainSchema
            {
                Schema = reader.GetString(0), Name = reader.GetString(1), BaseType = reader.GetString(2), NotNull = reader.GetBoolean(3),
                Default = reader.IsDBNull(4) ? null : reader.GetString(4), Checks = reader.GetFieldValue<string[]>(5),
            });
        return result;
    }

    private static async Task<List<SequenceSchema>> ReadSequencesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var sql = $"""
            SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqcycle,
                   (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                    FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1)
            FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserRelationFilter}
            ORDER BY 1, 2
            """;
        var result = new List<SequenceSchema>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(new SequenceSchema
            {
                Schema = reader.GetString(0), Name = reader.GetString(1), DataType = reader.GetString(2), Increment = reader.GetInt64(3),
                MinValue = reader.GetInt64(4), MaxValue = reader.GetInt64(5), Cycle = reader.GetBoolean(6), OwnedBy = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        return result;
    }

    private static async Task<List<ExtensionSchema>> ReadExtensionsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string sql = "SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1";
        var result = new List<ExtensionSchema>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(new ExtensionSchema { Name = reader.GetString(0), Version = reader.GetString(1), Schema = reader.GetString(2) });
        return result;
    }

    private static async Task<List<PrismaMigration>> ReadPrismaMigrationsAsync(NpgsqlConnection connection, QualifiedName table, CancellationToken ct)
    {
        var sql = $"SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NOT NULL FROM {table.Sql} ORDER BY started_at, migration_name";
        var result = new List<PrismaMigration>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(new PrismaMigration { Name = reader.GetString(0), Checksum = reader.GetString(1), Finished = reader.GetBoolean(2), RolledBack = reader.GetBoolean(3) });
        return result;
    }
}
