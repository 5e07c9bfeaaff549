namespace FonanaMigration.Engine.Errors;

/// <summary>
/// The one exception the engine throws on purpose. <see cref="ErrorId"/> is stable (hosts use it as the
/// FullyQualifiedErrorId), <see cref="TargetObject"/> is the thing at fault (a table, an archive path, an endpoint),
/// and the message never contains a password.
/// </summary>
public sealed class MigrationException : Exception
{
    public MigrationException(FailureKind kind, string errorId, string message, object? targetObject, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        TargetObject = targetObject;
    }

    public FailureKind Kind { get; }
    public string ErrorId { get; }
    public object? TargetObject { get; }

    /// <summary>Details that belong with the error (for example every blocking schema difference).</summary>
    public IReadOnlyList<object> Details { get; init; } = Array.Empty<object>();
}
