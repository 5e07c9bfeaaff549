using System.Management.Automation;

namespace FonanaMigration;

/// <summary>
/// Get, Complete and Stop-FonanaReplication: cmdlets that act on an online migration already set up between a source
/// and a target, chosen by -Name. Each declares -Source and -Target itself, since which of them is mandatory and where
/// it stands differs from cmdlet to cmdlet; the credentials that go with them are declared here, once.
/// </summary>
public abstract class RunningReplicationCmdlet : FonanaCmdlet
{
    /// <summary>Only this replication (fonana_mig_…); without it, every one this module made on the servers given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>User and password for -Source, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }

    /// <summary>User and password for -Target, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? TargetCredential { get; set; }
}
