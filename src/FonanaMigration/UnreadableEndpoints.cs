using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Connections;
using FonanaMigration.Engine.Errors;
using FonanaMigration.Engine.Hosting;
using FonanaMigration.Engine.Integrity;
using FonanaMigration.Engine.Media;
using FonanaMigration.Engine.Reports;
using FonanaMigration.Engine.Scans;
using FonanaMigration.Engine.Schema;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Transfer;
using FonanaMigration.Engine.Verification;

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
