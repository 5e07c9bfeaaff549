using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine;

namespace FonanaMigration.Commands;

/// <summary>Streams every table from a source straight into a target: the import's safety and verified commit, no intermediate file.</summary>
[Cmdlet(VerbsCommon.Copy, "FonanaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ImportResult))]
public sealed class CopyFonanaDatabaseCommand : FonanaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public DatabaseEndpoint Source { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public DatabaseEndpoint Target { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? Table { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? ExcludeTable { get; set; }

    /// <summary>Empty the copied tables on the target first (in the same transaction).</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    /// <summary>With -Clean: export what the target holds in those tables to this archive first.</summary>
    [Parameter]
    public string? BackupPath { get; set; }

    protected override void ProcessRecord()
    {
        Source = PrepareEndpoint(Source, SourceCredential);
        Target = PrepareEndpoint(Target, TargetCredential);
        if (BackupPath is not null && !Clean)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-BackupPath only makes sense with -Clean: without it the target must be empty."),
                "BackupPathWithoutClean", ErrorCategory.InvalidArgument, BackupPath));

        var which = Table is null && ExcludeTable is null ? "every table" : "the selected tables";
        var action = Clean
            ? $"Replace the rows of {which} with those of {Source.DisplayName} (existing rows are deleted{(BackupPath is null ? ", with no backup" : ", after a backup")}) in one transaction"
            : $"Copy {which} of {Source.DisplayName} in one transaction";
        if (!ShouldProcess(Target.DisplayName, action)) return;

        var request = new CopyRequest
        {
            Source = Source, Target = Target, Tables = Filter(Table, ExcludeTable), Clean = Clean,
            BackupPath = BackupPath is null ? null : GetUnresolvedProviderPathFromPSPath(BackupPath),
        };
        WriteObject(RunEngine(context => DatabaseCopier.CopyAsync(request, context)));
    }

    /// <summary>User and password for -Source, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }

    /// <summary>User and password for -Target, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? TargetCredential { get; set; }
}
