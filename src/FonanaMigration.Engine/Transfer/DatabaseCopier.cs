using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Copy: the import's <see cref="TransactionalLoad"/>, fed straight from a live snapshot of the source instead of an
/// archive file. Same snapshot, safety rules, single transaction and verified commit; no intermediate file.
/// </summary>
public static class DatabaseCopier
{
    public static async Task<TargetLoadResult> CopyAsync(CopyRequest request, RunContext context)
    {
        var versions = await ServerIdentity.EnsureDifferentAsync(request.Source, request.Target, context).ConfigureAwait(false);
        // Both sides must compute the same checksum: the typed hash only when both servers have it.
        var checksum = ChecksumAlgorithm.CommonTo(versions.Source, versions.Target);
        var live = await LiveRowSource.OpenAsync(request.Source, request.Tables, context, checksum).ConfigureAwait(false);
        await using IRowSource source = request.Map is null ? live : new MappedLiveRowSource(live, request.Map);
        var result = await TransactionalLoad.RunAsync(source, new LoadOptions
        {
            Target = request.Target, Activity = "Copy", Clean = request.Clean, BackupPath = request.BackupPath, DeferConstraints = request.DeferConstraints,
        }, context).ConfigureAwait(false);
        result.Source = request.Source;
        return result;
    }
}
