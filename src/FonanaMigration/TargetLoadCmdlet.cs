using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Errors;

namespace FonanaMigration;

/// <summary>
/// Import and Copy: cmdlets that load rows into a target in one transaction, with the same rules for a target that
/// already holds rows (-Clean, with an optional -BackupPath taken first).
/// </summary>
public abstract class TargetLoadCmdlet : TargetTablesCmdlet
{
    /// <summary>Empty the loaded tables on the target first (in the same transaction).</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    /// <summary>With -Clean: export what the target holds in those tables to this archive first.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ArchivePathCompleter))]
    public string? BackupPath { get; set; }

    /// <summary>Also write one LoadedTable object per table and materialized view, before the summary.</summary>
    [Parameter]
    public SwitchParameter PerTable { get; set; }

    /// <summary>The run's result: the per-table objects first when -PerTable asks for them, then the summary.</summary>
    protected void WriteLoadResult(Engine.Transfer.TargetLoadResult result)
    {
        if (PerTable) WriteObject(LoadedTable.From(result), enumerateCollection: true);
        WriteObject(result);
    }

    /// <summary>Let errors and logs quote the row values a server names when it rejects a row (off: they are left out).</summary>
    [Parameter]
    public SwitchParameter IncludeRowValues { get; set; }

    /// <summary>Seconds a COPY stream may move no data before the run is rolled back as stalled.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int StallTimeout { get; set; } = 300;

    protected override bool RowValuesWanted => IncludeRowValues;
    protected override TimeSpan? StallLimit => TimeSpan.FromSeconds(StallTimeout);

    /// <summary>A migration map (hashtable or .psd1 path): moves the rows of a drifted source through it, verified against the mapped source.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(MigrationMapPathCompleter))]
    public object? Map { get; set; }

    /// <summary>The map as the engine takes it, or null; a malformed map ends the command here, before anything connects.</summary>
    protected Engine.Mapping.MigrationMap? ReadMap() => MigrationMapArgument.Read(this, Map);

    /// <summary>The backup's full path, or null; refuses -BackupPath without -Clean (without it the target must be empty).</summary>
    protected string? ResolveBackupPath()
    {
        if (BackupPath is null) return null;
        if (!Clean)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-BackupPath only makes sense with -Clean: without it the target must be empty."),
                ErrorIds.BackupPathWithoutClean, ErrorCategory.InvalidArgument, BackupPath));
        return GetUnresolvedProviderPathFromPSPath(BackupPath);
    }

    /// <summary>The ShouldProcess sentence: what is loaded from where, and whether existing rows go first.</summary>
    protected string LoadAction(string what, string from) => Clean
        ? $"Replace the rows of {what} with those of {from} (existing rows are deleted{(BackupPath is null ? ", with no backup" : ", after a backup")}) in one transaction"
        : $"Load {what} of {from} in one transaction";
}
