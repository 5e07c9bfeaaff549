using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Commands;

/// <summary>Exports a consistent snapshot of a database to one archive file.</summary>
[Cmdlet(VerbsData.Export, "FonanaDatabase", SupportsShouldProcess = true)]
[OutputType(typeof(ArchiveInfo))]
public sealed class ExportFonanaDatabaseCommand : TableSelectingCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Source { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(ArchivePathCompleter))]
    public string Path { get; set; } = null!;

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Seconds a COPY stream may move no data before the export fails as stalled.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int StallTimeout { get; set; } = 300;

    protected override TimeSpan? StallLimit => TimeSpan.FromSeconds(StallTimeout);

    protected override void ProcessRecord()
    {
        Source = PrepareEndpoint(Source, SourceCredential);
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(full, $"Export the rows of {Source.DisplayName} to an archive")) return;
        var request = new ExportRequest { Source = Source, Path = full, Tables = Tables, Force = Force };
        if (TryRunEngineForInput(context => DatabaseExporter.ExportAsync(request, context), out var result)) WriteObject(result);
    }

    /// <summary>User and password for -Source, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }
}
