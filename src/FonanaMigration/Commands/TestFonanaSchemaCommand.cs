using System.Management.Automation;
using FonanaMigration.Engine;

namespace FonanaMigration.Commands;

/// <summary>Compares the source's schema (live, or saved in a JSON snapshot or an archive) with a target's, before any row moves.</summary>
[Cmdlet(VerbsDiagnostic.Test, "FonanaSchema", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(SchemaDifference), ParameterSetName = new[] { LiveSet, ReferenceSet })]
[OutputType(typeof(bool))]
public sealed class TestFonanaSchemaCommand : FonanaCmdlet
{
    private const string LiveSet = "Live";
    private const string ReferenceSet = "Reference";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
    public DatabaseEndpoint Source { get; set; } = null!;

    /// <summary>A schema snapshot (.json from Get-FonanaSchema) or an export archive whose schema stands for the source.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReferenceSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    public string Reference { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public DatabaseEndpoint Target { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    public string[]? Table { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[]? ExcludeTable { get; set; }

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var filter = Filter(Table, ExcludeTable);
        var differences = RunEngine(async context =>
        {
            var source = ParameterSetName == ReferenceSet
                ? SchemaInspector.Load(GetUnresolvedProviderPathFromPSPath(Reference))
                : await SchemaInspector.ReadAsync(Source, context).ConfigureAwait(false);
            var target = await SchemaInspector.ReadAsync(Target, context).ConfigureAwait(false);
            return SchemaComparer.Compare(source, target, filter.Includes);
        });

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
}
