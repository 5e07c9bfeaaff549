
namespace FonanaMigration;

/// <summary>
/// Refuses the placeholder the argument conversion leaves for a connection string it could not read, with the module's
/// own id (ConnectionStringInvalid), InvalidArgument and the redacted text as target, before any work starts.
/// </summary>
internal static class UnreadableEndpoints
{
    public static void Refuse(FonanaCmdlet cmdlet, DatabaseEndpoint? endpoint)
    {
        if (endpoint?.ReadError is { } error) cmdlet.Fail(FonanaCmdlet.ToErrorRecord(error));
    }
}
