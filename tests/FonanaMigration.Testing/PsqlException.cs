namespace FonanaMigration.Testing;

/// <summary>psql exited non-zero: the message carries psql's own error text so a failing test shows the SQL error.</summary>
public sealed class PsqlException : Exception
{
    public PsqlException(string database, int exitCode, string error)
        : base($"psql on database '{database}' failed with exit code {exitCode}: {error.Trim()}")
    {
        Database = database;
        ExitCode = exitCode;
        Error = error;
    }

    public string Database { get; }

    public int ExitCode { get; }

    /// <summary>psql's standard error, e.g. <c>ERROR:  relation "x" does not exist</c>.</summary>
    public string Error { get; }
}
