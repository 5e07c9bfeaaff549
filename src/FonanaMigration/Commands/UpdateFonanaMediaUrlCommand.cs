using System.Management.Automation;
using FonanaMigration.Engine.Media;
using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Commands;

/// <summary>
/// Rewrites the prefix of stored media references on a target (http://localhost:3000 → https://fonana.example) in one
/// transaction. Counts first, asks once with the counts per column, then rewrites; -WhatIf shows the counts only.
/// </summary>
[Cmdlet(VerbsData.Update, "FonanaMediaUrl", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MediaUrlChange))]
public sealed class UpdateFonanaMediaUrlCommand : TargetTablesCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public override DatabaseEndpoint Target { get; set; } = null!;

    [Parameter(Mandatory = true)]
    public string From { get; set; } = null!;

    [Parameter(Mandatory = true)]
    public string To { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    public string[]? Column { get; set; }

    protected override void ProcessRecord()
    {
        Target = PrepareEndpoint(Target, TargetCredential);
        var request = new MediaUrlRewriteRequest
        {
            Target = Target, From = From, To = To, Tables = Tables, Columns = new ColumnFilter(Column),
        };
        var plan = RunEngine(context => MediaUrlRewriter.PlanAsync(request, context));
        if (plan.Count == 0)
        {
            WriteVerbose($"No stored reference on {Target.DisplayName} starts with '{From}'; nothing to rewrite.");
            return;
        }
        // One question for the whole transaction, listing what each column would get.
        var action = $"Rewrite '{plan[0].From}' to '{plan[0].To}' in one transaction: " +
                     string.Join("; ", plan.Select(p => $"{p.Table}.{p.Column} ({p.RowsChanged} row(s))"));
        if (!ShouldProcess(Target.DisplayName, action)) return;

        WriteObject(RunEngine(context => MediaUrlRewriter.RewriteAsync(request, plan, context)), enumerateCollection: true);
    }
}
