namespace FonanaMigration.Engine.Archive;

/// <summary>A serial or identity sequence as the source left it, so the target never hands out a number the source already used.</summary>
public sealed class SequenceState
{
    public string Column { get; init; } = "";
    public string Sequence { get; init; } = "";
    public long LastValue { get; init; }
    public bool IsCalled { get; init; }
}
