namespace FonanaMigration.Engine.Hosting;

/// <summary>Where a long operation stands: which step, which table, how far through the rows and bytes.</summary>
public sealed record TransferProgress(
    string Activity,
    string Status,
    string? Table,
    long RowsDone,
    long RowsTotal,
    /// <summary>Bytes of the current table moved so far (COPY data as it travels).</summary>
    long BytesDone,
    TimeSpan Elapsed,
    bool Completed = false)
{
    public int PercentComplete => RowsTotal <= 0 ? -1 : (int)Math.Clamp(RowsDone * 100 / RowsTotal, 0, 100);

    /// <summary>Estimated time left from the rows done so far; null until there is something to estimate from.</summary>
    public TimeSpan? Remaining => RowsDone <= 0 || RowsTotal <= 0 || RowsDone >= RowsTotal
        ? null
        : TimeSpan.FromTicks((long)(Elapsed.Ticks * ((double)(RowsTotal - RowsDone) / RowsDone)));
}
