using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Commands;

/// <summary>Loads an archive into a target in one verified, all-or-nothing transaction.</summary>
[Cmdlet(VerbsData.Import, "FonanaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TargetLoadResult))]
[OutputType(typeof(LoadedTable))]
public sealed class ImportFonanaDatabaseCommand : TargetLoadCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ArchivePath")]
    [ArgumentCompleter(typeof(ArchivePathCompleter))]
    public string Path { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    [DatabaseEndpointArgument]
    public override DatabaseEndpoint Target { get; set; } = null!;

    protected override void ProcessRecord()
    {
        Target = PrepareEndpoint(Target, TargetCredential);
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        var backup = ResolveBackupPath();
        var map = ReadMap();
        if (!ShouldProcess(Target.DisplayName, LoadAction(WhichTables, $"the archive '{full}'"))) return;

        var request = new ImportRequest { Target = Target, Path = full, Tables = Tables, Clean = Clean, BackupPath = backup, Map = map };
        if (TryRunEngineForInput(context => DatabaseImporter.ImportAsync(request, context), out var result)) WriteLoadResult(result);
    }
}
