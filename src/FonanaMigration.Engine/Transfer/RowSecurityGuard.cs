namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Row-level security would silently hide rows from an export. A table whose rows the connecting role cannot all see
/// is an error, never a partial copy.
/// </summary>
internal static class RowSecurityGuard
{
    public static async Task EnsureAllRowsVisibleAsync(NpgsqlConnection connection, IReadOnlyList<TableSchema> tables, CancellationToken ct)
    {
        var guarded = tables.Where(t => t.RowSecurity).ToList();
        if (guarded.Count == 0) return;

        const string sql = """
            SELECT NOT (r.rolsuper OR r.rolbypassrls OR (pg_has_role(c.relowner, 'USAGE') AND NOT c.relforcerowsecurity))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, pg_roles r
            WHERE r.rolname = current_user AND n.nspname = @schema AND c.relname = @name
            """;
        foreach (var table in guarded)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.AddWithValue("schema", table.Schema);
            cmd.Parameters.AddWithValue("name", table.Name);
            if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
                throw new MigrationException(FailureKind.PermissionDenied, ErrorIds.RowSecurityHidesRows,
                    $"{table.QualifiedName} has row-level security and the connecting role may not see every row; connect as its owner or a role with BYPASSRLS.",
                    table.QualifiedName.ToString());
        }
    }
}
