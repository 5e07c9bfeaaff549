namespace FonanaMigration.Engine.Errors;

/// <summary>
/// Every event id the engine logs with, in one place so no number is used twice. Hundreds name the unit: 1xx
/// connections, 2xx schema, 3xx export and the source snapshot, 4xx the load, 5xx counts, 6xx integrity, 7xx media.
/// The names are what the JSON-lines log and -Verbose show as the event; keep them when renumbering.
/// </summary>
public static class EngineEvents
{
    public static readonly EventId Connecting = new(100, "Connecting");
    public static readonly EventId ConnectionParametersIgnored = new(101, "ConnectionParametersIgnored");
    public static readonly EventId ConnectionBrokenAfterCancel = new(102, "ConnectionBrokenAfterCancel");

    public static readonly EventId ReadingSchema = new(200, "ReadingSchema");

    public static readonly EventId TableExported = new(300, "TableExported");
    public static readonly EventId SnapshotShared = new(301, "SnapshotShared");
    public static readonly EventId CopyOutStatement = new(302, "Statement");

    public static readonly EventId TableLoaded = new(400, "TableLoaded");
    public static readonly EventId Statement = new(401, "Statement");
    public static readonly EventId Committed = new(402, "Committed");
    public static readonly EventId LoadStrategy = new(403, "LoadStrategy");
    public static readonly EventId AnalyzeFailed = new(404, "AnalyzeFailed");
    public static readonly EventId CommitInDoubt = new(405, "CommitInDoubt");
    public static readonly EventId SequenceReset = new(410, "SequenceReset");
    public static readonly EventId SequenceRestored = new(411, "SequenceRestored");
    public static readonly EventId ConstraintsDeferred = new(420, "ConstraintsDeferred");
    public static readonly EventId ConstraintsRestored = new(421, "ConstraintsRestored");
    public static readonly EventId IndexBuildMemory = new(422, "IndexBuildMemory");
    public static readonly EventId FrozenLoad = new(423, "FrozenLoad");
    public static readonly EventId BackupWritten = new(430, "BackupWritten");
    public static readonly EventId ContentVerified = new(436, "ContentVerified");
    public static readonly EventId RowSecurityLifted = new(435, "RowSecurityLifted");
    public static readonly EventId MaterializedViewRefreshed = new(440, "MaterializedViewRefreshed");
    public static readonly EventId MaterializedViewDiffers = new(441, "MaterializedViewDiffers");

    public static readonly EventId Counted = new(500, "Counted");
    public static readonly EventId MaterializedViewCounted = new(501, "MaterializedViewCounted");

    public static readonly EventId InspectingIntegrity = new(600, "InspectingIntegrity");
    public static readonly EventId ForeignKeysChecked = new(610, "ForeignKeysChecked");
    public static readonly EventId TimestampsChecked = new(620, "TimestampsChecked");
    public static readonly EventId TimestampsCompared = new(621, "TimestampsCompared");
    public static readonly EventId MediaChecked = new(630, "MediaChecked");
    public static readonly EventId EncodingChecked = new(640, "EncodingChecked");

    public static readonly EventId MediaUrlPlanned = new(700, "MediaUrlPlanned");
    public static readonly EventId MediaUrlRewritten = new(701, "MediaUrlRewritten");

    // Migration maps (45x) and the online migration (8xx)
    public static readonly EventId MapDropped = new(450, "MapDropped");
    public static readonly EventId MapStaged = new(451, "MapStaged");
    public static readonly EventId ReplicationCreated = new(800, "ReplicationCreated");
    public static readonly EventId ReplicationRemoved = new(810, "ReplicationRemoved");
    public static readonly EventId SchemaDiverged = new(820, "SchemaDiverged");
    public static readonly EventId ApplyErrors = new(821, "ApplyErrors");
    public static readonly EventId CutoverSequenceSet = new(830, "SequenceSet");
    public static readonly EventId CutoverMaterializedViewRefreshed = new(831, "MaterializedViewRefreshed");
    public static readonly EventId CaughtUp = new(840, "CaughtUp");
    public static readonly EventId CutoverVerified = new(841, "CutoverVerified");
}
