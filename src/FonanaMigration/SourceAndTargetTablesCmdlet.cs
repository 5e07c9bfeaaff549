using System.Management.Automation;

namespace FonanaMigration;

/// <summary>
/// A cmdlet that reads the selected tables of a source as well as a target's: -Source and -SourceCredential here,
/// -Target and -TargetCredential from the base.
/// </summary>
public abstract class SourceAndTargetTablesCmdlet : TargetTablesCmdlet
{
    /// <summary>
    /// The source, mandatory and first by default. A cmdlet where it is optional overrides it with its own [Parameter]
    /// (and finds it null when none was given), as <see cref="TargetTablesCmdlet.Target"/> explains.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [DatabaseEndpointArgument]
    public virtual DatabaseEndpoint Source { get; set; } = null!;

    /// <summary>User and password for -Source, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }
}
