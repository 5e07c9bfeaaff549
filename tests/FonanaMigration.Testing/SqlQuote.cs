namespace FonanaMigration.Testing;

/// <summary>
/// Quoting for the few statements built from names and passwords (CREATE ROLE, CREATE DATABASE).
/// Literals assume standard_conforming_strings = on, the default since PostgreSQL 9.1, so only quotes double.
/// </summary>
public static class SqlQuote
{
    /// <summary>"name" with embedded double quotes doubled; always quoted so case and odd characters survive.</summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0'))
        {
            throw new ArgumentException("PostgreSQL names cannot contain NUL characters.", nameof(name));
        }
        return "\"" + name.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>'text' with embedded single quotes doubled.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0'))
        {
            throw new ArgumentException("PostgreSQL text cannot contain NUL characters.", nameof(value));
        }
        return "'" + value.Replace("'", "''") + "'";
    }
}
