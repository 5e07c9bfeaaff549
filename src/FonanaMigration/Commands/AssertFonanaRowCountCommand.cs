using System.Collections;
using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Errors;
using FonanaMigration.Engine.Reports;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Commands;

/// <summary>
/// Compares per-table row counts (and optionally content checksums) of a target with an archive, a source or explicit
/// numbers. Writes one object per table or query, then fails with a terminating error when anything differs.
/// </summary>
[Cmdlet(VerbsLifecycle.Assert, "FonanaRowCount", DefaultParameterSetName = "Default")]
[Alias("Assert-FonanaCounts")]
[OutputType(typeof(RowCountComparison))]
public sealed class AssertFonanaRowCountCommand : SourceAndTargetTablesCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public override DatabaseEndpoint Target { get; set; } = null!;

    /// <summary>An export archive whose manifest says what to expect.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ArchivePath")]
    [ArgumentCompleter(typeof(ArchivePathCompleter))]
    public string? Path { get; set; }

    /// <summary>A live source to count (and checksum) as the expected side; binds from Copy-FonanaDatabase's output.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public override DatabaseEndpoint Source { get; set; } = null!;

    /// <summary>Explicit expected counts: @{ users = 96; creators = 56 }.</summary>
    [Parameter]
    public Hashtable? Expected { get; set; }

    /// <summary>Named counting queries run on both sides: @{ creators = 'SELECT count(*) FROM users WHERE "isCreator"' }.</summary>
    [Parameter]
    public Hashtable? Query { get; set; }

    /// <summary>Also compare each table's content checksum, computed by each server.</summary>
    [Parameter]
    public SwitchParameter Checksum { get; set; }

    /// <summary>Also write the comparisons as PATH.md (CI job summary), PATH.json and PATH.junit.xml; a directory gets row-counts.*.</summary>
    [Parameter]
    public string? ReportPath { get; set; }

    protected override void ProcessRecord()
    {
        Target = PrepareEndpoint(Target, TargetCredential);
        if (Source is not null) Source = PrepareEndpoint(Source, SourceCredential);
        var request = new RowCountRequest
        {
            Target = Target,
            Source = Source,
            ArchivePath = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path),
            Expected = ToDictionary(Expected, ErrorIds.ExpectedValueInvalid, v => LanguagePrimitives.ConvertTo<long>(v)),
            Queries = ToDictionary(Query, ErrorIds.QueryValueInvalid, v => LanguagePrimitives.ConvertTo<string>(v)),
            Tables = Tables,
            Checksum = Checksum,
        };
        // A target or archive that cannot be read ends this input only; a count that differs is the verdict and stays terminating.
        if (!TryRunEngineForInput(context => RowCountVerifier.VerifyAsync(request, context), out var results)) return;
        WriteObject(results, enumerateCollection: true);
        // Before the verdict: a failed run is exactly when the report matters.
        if (ReportPath is not null) WriteReportFiles(RowCountReport.From(results, Target.DisplayName, ComparedWith()), ReportPath);

        var failed = results.Where(r => !r.Match).ToList();
        if (failed.Count > 0)
        {
            var message = $"{failed.Count} of {results.Count} count(s) on {Target.DisplayName} do not match: " +
                          string.Join(", ", failed.Select(f => $"{f.Name} (expected {f.Expected?.ToString() ?? "?"}, found {f.Actual?.ToString() ?? "?"}{(f.ChecksumMatch == false ? ", content differs" : "")})"));
            Fail(new ErrorRecord(new InvalidOperationException(message), ErrorIds.RowCountMismatch, ErrorCategory.InvalidResult, failed));
        }
    }

    private string? ComparedWith()
    {
        var sides = new List<string>();
        if (Path is not null) sides.Add($"archive {Path}");
        if (Source is not null) sides.Add($"source {Source.DisplayName}");
        if (Expected is { Count: > 0 }) sides.Add("explicit counts");
        return sides.Count == 0 ? null : string.Join(" and ", sides);
    }

    private Dictionary<string, T> ToDictionary<T>(Hashtable? table, string invalidValueErrorId, Func<object, T> convert)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        if (table is null) return result;
        foreach (DictionaryEntry entry in table)
        {
            try
            {
                result[entry.Key.ToString()!] = convert(entry.Value is PSObject ps ? ps.BaseObject : entry.Value!);
            }
            catch (PSInvalidCastException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, invalidValueErrorId, ErrorCategory.InvalidArgument, entry.Key));
            }
        }
        return result;
    }
}
