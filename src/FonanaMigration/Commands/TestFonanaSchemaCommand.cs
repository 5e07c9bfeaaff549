using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Hosting;
using FonanaMigration.Engine.Mapping;
using FonanaMigration.Engine.Schema;

namespace FonanaMigration.Commands;

/// <summary>Compares the source's schema (live, or saved in a JSON snapshot or an archive) with a target's, before any row moves.</summary>
[Cmdlet(VerbsDiagnostic.Test, "FonanaSchema", DefaultParameterSetName = LiveToLive)]
[OutputType(typeof(SchemaDifference))]
[OutputType(typeof(bool))]
public sealed class TestFonanaSchemaCommand : TableSelectingCmdlet
{
    // Either side is a live server or a saved snapshot: four combinations, one parameter set each.
    private const string LiveToLive = "Live";
    private const string ReferenceToLive = "Reference";
    private const string LiveToReference = "TargetReference";
    private const string ReferenceToReference = "BothReferences";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiveToLive, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiveToReference, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Source { get; set; } = null!;

    /// <summary>A schema snapshot (.json from Get-FonanaSchema) or an export archive whose schema stands for the source.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReferenceToLive, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ReferenceToReference, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ArgumentCompleter(typeof(SchemaFilePathCompleter))]
    public string Reference { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = LiveToLive, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ReferenceToLive, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Target { get; set; } = null!;

    /// <summary>A saved snapshot or archive that stands for the target.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiveToReference)]
    [Parameter(Mandatory = true, ParameterSetName = ReferenceToReference)]
    [ArgumentCompleter(typeof(SchemaFilePathCompleter))]
    public string TargetReference { get; set; } = null!;

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        if (Source is not null) Source = PrepareEndpoint(Source, SourceCredential);
        if (Target is not null) Target = PrepareEndpoint(Target, TargetCredential);
        var filter = Tables;
        var quiet = Quiet.IsPresent;
        // Paths resolve on the pipeline thread: the engine runs elsewhere and knows nothing of PowerShell drives.
        var referencePath = Reference is null ? null : GetUnresolvedProviderPathFromPSPath(Reference);
        var targetReferencePath = TargetReference is null ? null : GetUnresolvedProviderPathFromPSPath(TargetReference);
        // -Quiet answers false for a server it cannot reach, as Test-Connection -Quiet does.
        var unreachable = false;
        var ran = TryRunEngineForInput(async context =>
        {
            // Three steps a large catalog or a drift count can make slow: say which one the command is in.
            var progress = new StepProgress(context, "Comparing schemas", quiet ? 2 : 3);
            progress.Starting("Reading the source's schema");
            var source = Reference is not null
                ? SchemaFile.Load(referencePath!)
                : await SchemaInspector.ReadAsync(Source, context).ConfigureAwait(false);
            progress.Finished();
            progress.Starting("Reading the target's schema");
            var target = TargetReference is not null
                ? SchemaFile.Load(targetReferencePath!)
                : await SchemaInspector.ReadAsync(Target, context).ConfigureAwait(false);
            progress.Finished();
            var found = SchemaComparer.Compare(source, target, filter.Includes);
            if (quiet || found.All(d => d.Severity != DifferenceSeverity.Blocking)) return found;
            // Explain the drift: what each Blocking difference does to the data (counted when the source is live) and its map entry.
            progress.Starting("Counting the rows the differences affect");
            var findings = Reference is null
                ? await DriftAnalysis.AnalyzeAsync(Source, source, target, found, context).ConfigureAwait(false)
                : DriftAnalysis.Analyze(source, target, found);
            return DriftAnalysis.Annotate(found, findings, DriftAnalysis.LooksLikeUnrecordedChange(source, target, found));
        }, out var differences, failure => unreachable = quiet && failure.CategoryInfo.Category == ErrorCategory.ConnectionError);
        if (!ran)
        {
            if (unreachable) WriteObject(false);
            return;
        }

        if (Quiet)
        {
            WriteObject(differences.All(d => d.Severity != DifferenceSeverity.Blocking));
            return;
        }
        var blocking = differences.Count(d => d.Severity == DifferenceSeverity.Blocking);
        WriteVerbose(differences.Count == 0
            ? "The schemas match."
            : $"{differences.Count} difference(s), {blocking} blocking.");
        WriteObject(differences, enumerateCollection: true);
    }

    /// <summary>User and password for -Source, replacing any in the connection.</summary>
    [Parameter(ParameterSetName = LiveToLive)]
    [Parameter(ParameterSetName = LiveToReference)]
    [Credential]
    public PSCredential? SourceCredential { get; set; }

    /// <summary>User and password for -Target, replacing any in the connection.</summary>
    [Parameter(ParameterSetName = LiveToLive)]
    [Parameter(ParameterSetName = ReferenceToLive)]
    [Credential]
    public PSCredential? TargetCredential { get; set; }
}
