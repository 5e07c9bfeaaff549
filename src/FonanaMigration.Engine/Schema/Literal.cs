namespace FonanaMigration.Engine.Schema;

/// <summary>
/// SQL string literals for values the engine itself puts into statements (patterns, prefixes). Every session runs with
/// standard_conforming_strings on (<see cref="SessionSettings"/>), so doubling the quote is the whole escape.
/// </summary>
public static class Literal
{
    public static string Quote(string value)
    {
        if (value.Contains('\0'))
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ValueHasNulCharacter, "A text value cannot contain a NUL character.", value);
        return "'" + value.Replace("'", "''") + "'";
    }
}
