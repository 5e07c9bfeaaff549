namespace FonanaMigration.Engine.Integrity;

/// <summary>What a finding is about. Each check belongs to one <see cref="IntegrityCategory"/>.</summary>
public enum IntegrityCheck
{
    ForeignKeyOrphan,
    TimestampOrder,
    FutureTimestamp,
    TimestampShift,
    MediaMissing,
    MediaLocalhost,
    EncodingServer,
    EncodingReplacementChar,
    EncodingMojibake,
}
