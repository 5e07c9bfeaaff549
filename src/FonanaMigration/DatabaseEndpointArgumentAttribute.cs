using System.Management.Automation;

namespace FonanaMigration;

/// <summary>
/// Turns a string argument into a <see cref="DatabaseEndpoint"/> before PowerShell's own conversion can try: that one
/// quotes the whole argument, password included, when the string cannot be read. It never throws: an unreadable string
/// becomes a placeholder holding only the redacted text and the reason, which the cmdlet refuses first thing with the
/// module's own id (ConnectionStringInvalid) rather than PowerShell's transformation error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DatabaseEndpointArgumentAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is not string text) return inputData; // an endpoint already, or null for PowerShell to refuse
        return DatabaseEndpoint.ParseOrUnreadable(text);
    }
}
