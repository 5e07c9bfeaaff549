using System.Management.Automation;
using FonanaMigration.Engine.Replication;

namespace FonanaMigration.Commands;

/// <summary>
/// Aborts an online migration: removes its subscription, every replication slot it made and its publication, and puts
/// back the replica identities it set. Works from a new session; -Clean also empties the target's copied tables.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "FonanaReplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationRemoval))]
public sealed class StopFonanaReplicationCommand : RunningReplicationCmdlet
{
    /// <summary>The source: its slots and publication are dropped here.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint? Source { get; set; }

    /// <summary>The target: its subscription is dropped here.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint? Target { get; set; }

    /// <summary>Also empty the target's tables the subscription copied.</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    protected override void ProcessRecord()
    {
        if (Source is null && Target is null)
            Fail(new ErrorRecord(new ArgumentException("Give -Source, -Target, or both: the slots and publication live on the source, the subscription on the target."),
                "NothingToStop", ErrorCategory.InvalidArgument, null));
        if (Source is not null) Source = PrepareEndpoint(Source, SourceCredential);
        if (Target is not null) Target = PrepareEndpoint(Target, TargetCredential);
        if (Clean && Target is null)
            Fail(new ErrorRecord(new ArgumentException("-Clean empties the target's copied tables: give -Target too."), "CleanWithoutTarget", ErrorCategory.InvalidArgument, null));
        var where = Target?.DisplayName ?? Source!.DisplayName;
        if (!ShouldProcess(where, $"Remove the online migration{(Name is null ? "s made by this module" : " " + Name)}: subscription, replication slots and publication" +
                                  (Clean ? ", and empty the target's copied tables" : "")))
            return;
        var request = new ReplicationStopRequest { Source = Source, Target = Target, Name = Name, Clean = Clean };
        WriteObject(RunEngine(context => ReplicationStopper.StopAsync(request, context)), enumerateCollection: true);
    }
}
