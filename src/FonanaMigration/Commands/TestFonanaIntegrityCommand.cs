using System.Management.Automation;
using FonanaMigration.Engine.Integrity;
using FonanaMigration.Engine.Reports;

namespace FonanaMigration.Commands;

/// <summary>
/// Inspects one database (typically the target after an import) for data that arrived but is wrong: orphaned foreign
/// keys, contradictory or shifted timestamps, media references the new host cannot serve, damaged text. Writes the
/// findings; findings are results, not errors.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "FonanaIntegrity")]
[OutputType(typeof(IntegrityFinding))]
[OutputType(typeof(bool))]
public sealed class TestFonanaIntegrityCommand : SourceAndTargetTablesCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public override DatabaseEndpoint Target { get; set; } = null!;

    /// <summary>The source the data came from: timestamps of the same rows are compared (TimestampShift).</summary>
    [Parameter]
    [DatabaseEndpointArgument]
    public override DatabaseEndpoint Source { get; set; } = null!;

    [Parameter]
    public IntegrityCategory[]? Check { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int SampleSize { get; set; } = 5;

    [Parameter]
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);

    [Parameter]
    public string? MediaRoot { get; set; }

    [Parameter]
    public Uri? MediaBaseUri { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] MediaPathPrefix { get; set; } = IntegrityRequest.DefaultMediaPathPrefixes.ToArray();

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    [Parameter]
    public string? ReportPath { get; set; }

    protected override void ProcessRecord()
    {
        Target = PrepareEndpoint(Target, TargetCredential);
        if (Source is not null) Source = PrepareEndpoint(Source, SourceCredential);
        var request = new IntegrityRequest
        {
            Target = Target,
            Source = Source,
            Categories = Check is { Length: > 0 } ? Check.Distinct().ToArray() : Enum.GetValues<IntegrityCategory>(),
            Tables = Tables,
            SampleSize = SampleSize,
            FutureTolerance = FutureTolerance,
            // Paths resolve here, on the pipeline thread: the engine knows nothing of PowerShell drives.
            MediaRoot = MediaRoot is null ? null : GetUnresolvedProviderPathFromPSPath(MediaRoot),
            MediaBaseUri = MediaBaseUri,
            MediaPathPrefixes = MediaPathPrefix,
        };
        var inspection = RunEngine(context => IntegrityInspector.InspectAsync(request, context));
        if (ReportPath is not null) WriteReportFiles(IntegrityReport.From(inspection), ReportPath);

        var errors = inspection.Findings.Count(f => f.Severity == IntegritySeverity.Error);
        WriteVerbose($"{inspection.Findings.Count} finding(s), {errors} error(s), from {inspection.Runs.Count} check(s) in {inspection.Elapsed.TotalSeconds:0.0} s.");
        if (Quiet)
        {
            WriteObject(inspection.Passed);
            return;
        }
        WriteObject(inspection.Findings, enumerateCollection: true);
    }
}
