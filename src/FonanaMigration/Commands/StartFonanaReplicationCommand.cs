using System.Management.Automation;
using FonanaMigration.Engine.Replication;

namespace FonanaMigration.Commands;

/// <summary>
/// Starts an online migration on PostgreSQL's logical replication: checks everything first, then a publication and a
/// slot on the source and a subscription on the target, which copies every table straight from the source and streams
/// every later change.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "FonanaReplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ReplicationStatus))]
public sealed class StartFonanaReplicationCommand : SourceAndTargetTablesCmdlet
{
    /// <summary>The source as the target server reaches it (default: -Source).</summary>
    [Parameter]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint? SourceFromTarget { get; set; }

    /// <summary>Empty the target's copied tables first, in the transaction that creates the subscription.</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    /// <summary>For tables without a primary key: UniqueIndex or Full, set on the source (and target) until the migration ends.</summary>
    /// <remarks>
    /// A string, not the engine's enum: an enum is a value type, so a field of it would make the runtime load the
    /// engine while PowerShell lists the module's types, before the private load context can answer for it.
    /// </remarks>
    [Parameter]
    [ValidateSet("None", "UniqueIndex", "Full")]
    public string ReplicaIdentity { get; set; } = "None";

    protected override void ProcessRecord()
    {
        Source = PrepareEndpoint(Source, SourceCredential);
        Target = PrepareEndpoint(Target, TargetCredential);
        // The target server's own link to the source may cross a network too: warn about it like any other.
        if (SourceFromTarget is not null) SourceFromTarget = PrepareEndpoint(SourceFromTarget, null);
        var fromTarget = SourceFromTarget ?? Source;
        if (fromTarget.HasPassword)
            WriteWarning($"The target server logs in to the source as '{fromTarget.Username}' with a password, which PostgreSQL keeps in the target's " +
                         "pg_subscription catalog (readable by superusers) until the migration is completed or stopped. Prefer a password file on the target " +
                         "server (~postgres/.pgpass) with a -SourceFromTarget that carries no password, or a role made for this move.");
        var action = $"Publish {WhichTables} of {Source.DisplayName} and subscribe the target to them (publication and replication slot on the source, " +
                     $"subscription on the target{(Clean ? "; the target's tables are emptied first" : "")})";
        if (!ShouldProcess(Target.DisplayName, action)) return;

        var request = new ReplicationStartRequest
        {
            Source = Source, Target = Target, SourceFromTarget = SourceFromTarget, Tables = Tables, Clean = Clean, ReplicaIdentity = Enum.Parse<ReplicaIdentityFallback>(ReplicaIdentity, ignoreCase: true),
        };
        WriteObject(RunEngine(context => ReplicationStarter.StartAsync(request, context)));
    }
}
