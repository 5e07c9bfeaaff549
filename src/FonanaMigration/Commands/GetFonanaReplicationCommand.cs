using System.Management.Automation;
using FonanaMigration.Engine.Replication;

namespace FonanaMigration.Commands;

/// <summary>
/// Lists every online migration this module made: one object for each as a whole (state, lag, retained WAL, errors)
/// followed by one per table (copying, catching up, ready). -Wait shows progress until every table is ready.
/// </summary>
[Cmdlet(VerbsCommon.Get, "FonanaReplication")]
[OutputType(typeof(ReplicationStatus), typeof(ReplicationTableStatus))]
public sealed class GetFonanaReplicationCommand : RunningReplicationCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Target { get; set; } = null!;

    /// <summary>The source too: adds lag, retained WAL and slots or publications left without a subscription.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint? Source { get; set; }

    /// <summary>Wait, showing progress, until every table is ready.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        Target = PrepareEndpoint(Target, TargetCredential);
        if (Source is not null) Source = PrepareEndpoint(Source, SourceCredential);
        var request = new ReplicationStatusRequest { Target = Target, Source = Source, Name = Name };
        var all = RunEngine(context => Wait ? ReplicationMonitor.WaitUntilReadyAsync(request, context) : ReplicationMonitor.GetAsync(request, context));
        foreach (var status in all)
        {
            WriteObject(status);
            WriteObject(status.TableStatus, enumerateCollection: true);
        }
    }
}
