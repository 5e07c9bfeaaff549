using System.Management.Automation;
using FonanaMigration.Engine.Replication;

namespace FonanaMigration.Commands;

/// <summary>
/// The cut-over, after the application stopped writing: waits until the target applied the source's last write,
/// verifies every table's count and checksum, then sets sequences, refreshes materialized views, checks foreign keys,
/// runs ANALYZE and removes subscription, slot and publication. Anything different leaves replication running.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "FonanaReplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationCompletion))]
public sealed class CompleteFonanaReplicationCommand : RunningReplicationCmdlet
{
    /// <summary>The source the application wrote to: the target must have applied its last write.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Source { get; set; } = null!;

    /// <summary>The target that takes over: verified here before the subscription is removed.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Target { get; set; } = null!;

    /// <summary>Seconds to wait for the target to apply the source's last write.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int CatchUpTimeout { get; set; } = 300;

    protected override void ProcessRecord()
    {
        Source = PrepareEndpoint(Source, SourceCredential);
        Target = PrepareEndpoint(Target, TargetCredential);
        if (!ShouldProcess(Target.DisplayName, $"Cut over the online migration{(Name is null ? "" : " " + Name)} from {Source.DisplayName}: verify every table, " +
                                               "set sequences, refresh materialized views, ANALYZE, and remove the subscription, slot and publication"))
            return;
        var request = new ReplicationCompleteRequest { Source = Source, Target = Target, Name = Name, CatchUpTimeout = TimeSpan.FromSeconds(CatchUpTimeout) };
        WriteObject(RunEngine(context => ReplicationCutover.CompleteAsync(request, context)));
    }
}
