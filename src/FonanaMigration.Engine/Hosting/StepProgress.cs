using System.Diagnostics;

namespace FonanaMigration.Engine.Hosting;

/// <summary>
/// Reports a run of steps as progress: one per table (a count, a checksum), weighted by the tables' rows, since on a
/// large database one big table is most of the wait; or plain steps (reading a schema) with no rows to weigh.
/// </summary>
public sealed class StepProgress
{
    private readonly RunContext _context;
    private readonly string _activity;
    private readonly int _tables;
    private readonly long _rowsTotal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _rowsDone;
    private int _done;

    public StepProgress(RunContext context, string activity, int steps, long rowsTotal = 0)
    {
        _context = context;
        _activity = activity;
        _tables = steps;
        _rowsTotal = rowsTotal;
    }

    public void Starting(string step, string? table = null) =>
        _context.Report(new TransferProgress(_activity, $"{step} ({_done + 1} of {_tables})", table, _rowsDone, _rowsTotal, 0, _clock.Elapsed));

    public void Finished(long rows = 0)
    {
        _rowsDone += rows;
        _done++;
    }

    public void Complete() =>
        _context.Report(new TransferProgress(_activity, "Done", null, _rowsDone, _rowsTotal, 0, _clock.Elapsed, Completed: true));
}
