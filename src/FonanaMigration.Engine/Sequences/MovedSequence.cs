
namespace FonanaMigration.Engine.Sequences;

/// <summary>A target sequence the load moved: where it stood before and where it stands after the COMMIT.</summary>
public sealed record MovedSequence(string Name, long OldValue, long NewValue);
