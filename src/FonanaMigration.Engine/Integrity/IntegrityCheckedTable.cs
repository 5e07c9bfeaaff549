namespace FonanaMigration.Engine.Integrity;

/// <summary>A check that ran on a table, with or without findings: the denominator of a report ("clean" needs it).</summary>
public sealed record IntegrityCheckedTable(IntegrityCheck Check, string Table);
