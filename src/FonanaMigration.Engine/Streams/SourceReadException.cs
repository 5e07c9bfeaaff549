namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Marks a failure on the reading side of a copy (the source server), so it is reported against the source and not
/// mistaken for a row the target rejected.
/// </summary>
internal sealed class SourceReadException : Exception
{
    public SourceReadException(Exception inner) : base(inner.Message, inner) { }
}
