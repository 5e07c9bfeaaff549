using System.Management.Automation;
using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Commands;

/// <summary>Streams every table from a source straight into a target: the import's safety and verified commit, no intermediate file.</summary>
[Cmdlet(VerbsCommon.Copy, "FonanaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TargetLoadResult))]
[OutputType(typeof(LoadedTable))]
public sealed class CopyFonanaDatabaseCommand : TargetLoadCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Source { get; set; } = null!;

    protected override void ProcessRecord()
    {
        Source = PrepareEndpoint(Source, SourceCredential);
        Target = PrepareEndpoint(Target, TargetCredential);
        var backup = ResolveBackupPath();
        var map = ReadMap();
        if (!ShouldProcess(Target.DisplayName, LoadAction(WhichTables, Source.DisplayName))) return;

        var request = new CopyRequest { Source = Source, Target = Target, Tables = Tables, Clean = Clean, BackupPath = backup, Map = map };
        if (TryRunEngineForInput(context => DatabaseCopier.CopyAsync(request, context), out var result)) WriteLoadResult(result);
    }

    /// <summary>User and password for -Source, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }
}
