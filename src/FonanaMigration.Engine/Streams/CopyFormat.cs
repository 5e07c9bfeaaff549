namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Chooses, per table, how its rows travel. Binary COPY is the fastest (no value is formatted or parsed on either side),
/// but arrays and composite values carry the type OIDs of their elements, which differ between databases for
/// user-defined types (an enum array, a composite): such tables travel as COPY text, which names values, not OIDs.
/// </summary>
public static class CopyFormat
{
    public const string Binary = "binary";
    public const string Text = "text";

    public static string For(TableSchema table) =>
        table.CopiedColumns.All(c => c.BinarySafe) ? Binary : Text;

    internal static string CopyOutSql(QualifiedName table, IReadOnlyList<string> columns, string format) =>
        $"COPY (SELECT {ColumnList(columns)} FROM ONLY {table.Sql}) TO STDOUT{(format == Binary ? " (FORMAT binary)" : "")}";

    internal static string CopyInSql(QualifiedName table, IReadOnlyList<string> columns, string format) =>
        $"COPY {table.Sql} ({ColumnList(columns)}) FROM STDIN{(format == Binary ? " (FORMAT binary)" : "")}";

    internal static string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(Identifier.Quote));
}
