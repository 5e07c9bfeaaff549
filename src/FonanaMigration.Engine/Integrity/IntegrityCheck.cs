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

public static class IntegrityCheckCategory
{
    public static IntegrityCategory Of(IntegrityCheck check) => check switch
    {
        IntegrityCheck.ForeignKeyOrphan => IntegrityCategory.ForeignKey,
        IntegrityCheck.TimestampOrder or IntegrityCheck.FutureTimestamp or IntegrityCheck.TimestampShift => IntegrityCategory.Timestamp,
        IntegrityCheck.MediaMissing or IntegrityCheck.MediaLocalhost => IntegrityCategory.Media,
        _ => IntegrityCategory.Encoding,
    };
}
