using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Mapping;
using FonanaMigration.Engine.Schema;

namespace FonanaMigration.Commands;

/// <summary>
/// Drafts a migration map (.psd1) for a source whose schema drifted from the target's: what the module can decide is
/// filled, what only a person can decide is present with a suggestion and a Decide key that keeps the map refused.
/// </summary>
[Cmdlet(VerbsCommon.New, "FonanaMigrationMap", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewFonanaMigrationMapCommand : SourceAndTargetTablesCmdlet
{
    /// <summary>The .psd1 file to write.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ArgumentCompleter(typeof(MigrationMapPathCompleter))]
    public string Path { get; set; } = null!;

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        Source = PrepareEndpoint(Source, SourceCredential);
        Target = PrepareEndpoint(Target, TargetCredential);
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(path) && !Force)
            ThrowTerminatingError(new ErrorRecord(new IOException($"'{path}' exists; a drafted map would replace the decisions made in it. Use -Force to replace it."),
                "MigrationMapFileExists", ErrorCategory.ResourceExists, path));
        var filter = Tables;
        var (text, undecided) = RunEngine(async context =>
        {
            var source = await SchemaInspector.ReadAsync(Source, context).ConfigureAwait(false);
            var target = await SchemaInspector.ReadAsync(Target, context).ConfigureAwait(false);
            var differences = SchemaComparer.Compare(source, target, filter.Includes);
            var findings = await DriftAnalysis.AnalyzeAsync(Source, source, target, differences, context).ConfigureAwait(false);
            var draft = MigrationMapDraft.Write(findings, Source.DisplayName, Target.DisplayName, DriftAnalysis.LooksLikeUnrecordedChange(source, target, differences));
            return (draft, findings.Count(f => f.Section is not null && !f.Decided));
        });
        if (!ShouldProcess(path, "Write a migration map")) return;
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(false));
        WriteVerbose(undecided == 0 ? $"Wrote {path}; every entry is decided." : $"Wrote {path}; {undecided} decision(s) are marked Decide and must be made before the map is used.");
        WriteObject(new FileInfo(path));
    }
}
