using System.Management.Automation;

namespace FonanaMigration;

/// <summary>
/// A cmdlet that works on the selected tables of a target database: -Target and -TargetCredential.
/// </summary>
public abstract class TargetTablesCmdlet : TableSelectingCmdlet
{
    /// <summary>
    /// The target, mandatory and second by default: after the source or archive it is loaded or compared from. A cmdlet
    /// whose -Target stands elsewhere overrides it with its own [Parameter]; PowerShell reads the attributes of the most
    /// derived declaration only (tests/ParameterContract.Tests.ps1 holds every cmdlet to its recorded contract).
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public virtual DatabaseEndpoint Target { get; set; } = null!;

    /// <summary>User and password for -Target, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? TargetCredential { get; set; }
}
