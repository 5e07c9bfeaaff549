using Npgsql;


namespace FonanaMigration.Engine.Connections;

/// <summary>
/// A connection string that could not be read, kept as a placeholder so that PowerShell's argument binding never sees
/// (and quotes) the original: it holds only the redacted text and the reason. The cmdlet refuses it before any work;
/// the engine refuses it too, should one ever get that far.
/// </summary>
public sealed partial class DatabaseEndpoint
{
    private sealed record UnreadableText(string RedactedText, string Reason, string ErrorId);

    private readonly UnreadableText? _unreadable;

    private DatabaseEndpoint(UnreadableText unreadable)
    {
        _builder = new NpgsqlConnectionStringBuilder();
        _extras = new UriExtras();
        _unreadable = unreadable;
    }

    /// <summary>A placeholder for a connection string that cannot be read: the redacted text and why, never the original.</summary>
    public static DatabaseEndpoint Unreadable(string redacted, string reason, string errorId = ErrorIds.ConnectionStringInvalid) =>
        new(new UnreadableText(redacted, reason, errorId));

    /// <summary>Reads the text, or returns the unreadable placeholder (for argument conversion, which must not throw the text back).</summary>
    public static DatabaseEndpoint ParseOrUnreadable(string text)
    {
        try
        {
            return Parse(text);
        }
        catch (MigrationException ex) when (ex.Kind == FailureKind.InvalidArgument)
        {
            return Unreadable(string.IsNullOrWhiteSpace(text) ? "" : Redact(text.Trim()), ex.Message, ex.ErrorId);
        }
    }

    /// <summary>False for the placeholder of a connection string that could not be read.</summary>
    public bool IsReadable => _unreadable is null;

    /// <summary>The error that refuses this endpoint (target object: the redacted text), or null when it is readable.</summary>
    public MigrationException? ReadError => _unreadable is { } u
        ? new MigrationException(FailureKind.InvalidArgument, u.ErrorId, u.Reason, u.RedactedText)
        : null;

    /// <summary>Throws the ConnectionStringInvalid error for a placeholder.</summary>
    public void EnsureReadable()
    {
        if (ReadError is { } error) throw error;
    }
}
