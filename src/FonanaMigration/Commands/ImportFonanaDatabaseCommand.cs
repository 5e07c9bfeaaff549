using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine;

namespace FonanaMigration.Commands;

/// <summary>Loads an archive into a target in one verified, all-or-nothing transaction.</summary>
[Cmdlet(VerbsData.Import, "FonanaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ImportResult))]
public sealed class ImportFonanaDatabaseCommand : FonanaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ArchivePath")]
    [ArgumentCompleter(typeof(ArchivePathCompleter))]
    public string Path { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    public DatabaseEndpoint Target { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? Table { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? ExcludeTable { get; set; }

    /// <summary>Empty the archive's tables on the target first (in the same transaction).</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    /// <summary>With -Clean: export what the target holds in those tables to this archive first.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ArchivePathCompleter))]
    public string? BackupPath { get; set; }

    protected override void ProcessRecord()
    {
        Target = PrepareEndpoint(Target, TargetCredential);
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        if (BackupPath is not null && !Clean)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-BackupPath only makes sense with -Clean: without it the target must be empty."),
                "BackupPathWithoutClean", ErrorCategory.InvalidArgument, BackupPath));

        var action = Clean
            ? $"Replace the rows of the archive's tables with the contents of '{full}' (existing rows are deleted{(BackupPath is null ? ", with no backup" : ", after a backup")}) in one transaction"
            : $"Load the archive '{full}' in one transaction";
        if (!ShouldProcess(Target.DisplayName, action)) return;

        var request = new ImportRequest
        {
            Target = Target, Path = full, Tables = Filter(Table, ExcludeTable), Clean = Clean,
            BackupPath = BackupPath is null ? null : GetUnresolvedProviderPathFromPSPath(BackupPath),
        };
        WriteObject(RunEngine(context => DatabaseImporter.ImportAsync(request, context)));
    }

    /// <summary>User and password for -Target, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? TargetCredential { get; set; }
}
