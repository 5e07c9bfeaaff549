using System.Diagnostics;
using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Import: proves the archive intact (every entry's SHA-256 and row count) before touching the target, then performs
/// the <see cref="TransactionalLoad"/> from it.
/// </summary>
public static class DatabaseImporter
{
    public static async Task<TargetLoadResult> ImportAsync(ImportRequest request, RunContext context)
    {
        var clock = Stopwatch.StartNew();
        using var archive = ArchiveReader.Open(request.Path);
        var unmatched = request.Tables.UnmatchedPatterns(archive.Manifest.Tables.Select(t => t.QualifiedName)).ToList();
        if (unmatched.Count > 0)
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.TableNotFound,
                $"The archive holds no table matching {string.Join(", ", unmatched.Select(p => "'" + p + "'"))}.", unmatched[0]);
        var tables = archive.Manifest.Tables.Where(t => request.Tables.Includes(t.QualifiedName)).ToList();

        context.Report(new TransferProgress("Import", "Checking the archive", null, 0, 0, 0, clock.Elapsed));
        await archive.VerifyAsync(tables, context).ConfigureAwait(false);

        var archived = new ArchiveRowSource(archive, tables, context.StallTimeout);
        await using IRowSource source = request.Map is null ? archived : new MappedArchiveRowSource(archived, request.Map);
        var result = await TransactionalLoad.RunAsync(source, new LoadOptions
        {
            Target = request.Target, Activity = "Import", Clean = request.Clean, BackupPath = request.BackupPath, DeferConstraints = request.DeferConstraints,
        }, context).ConfigureAwait(false);
        result.Path = archive.Path;
        return result;
    }
}
