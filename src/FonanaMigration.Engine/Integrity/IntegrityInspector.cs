using System.Diagnostics;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Looks for data that arrived but is wrong: broken foreign keys, contradictory or shifted timestamps, media references
/// the new host cannot serve, and damaged text. Reads one REPEATABLE READ, READ ONLY snapshot of the database (and of the
/// source, for timestamp shifts); everything is counted by the server, and only counts and a few keys come back.
/// </summary>
public static class IntegrityInspector
{
    public static async Task<IntegrityTestResult> InspectAsync(IntegrityRequest request, RunContext context)
    {
        Validate(request);
        var clock = Stopwatch.StartNew();
        try
        {
            await using var target = await ReadOnlySnapshot.OpenAsync(request.Target, context, "integrity").ConfigureAwait(false);
            var schema = await SchemaReader.ReadAsync(target.Connection, context).ConfigureAwait(false);
            var scope = new IntegrityCheckContext
            {
                Connection = target.Connection,
                Schema = schema,
                Request = request,
                Context = context,
                Tables = TableSelection.Select(schema, request.Tables),
            };
            context.Logger.LogInformation(EngineEvents.InspectingIntegrity, "Inspecting {Tables} table(s) of {Endpoint}: {Categories}.",
                scope.Tables.Count, request.Target.DisplayName, string.Join(", ", request.Categories));

            var steps = Enum.GetValues<IntegrityCategory>().Where(request.Categories.Contains).ToList();
            for (var i = 0; i < steps.Count; i++)
            {
                context.Report(new TransferProgress("Integrity", $"Checking {steps[i]}", null, i, steps.Count, 0, clock.Elapsed));
                await RunCategoryAsync(scope, steps[i]).ConfigureAwait(false);
            }
            context.Report(new TransferProgress("Integrity", "Done", null, steps.Count, steps.Count, 0, clock.Elapsed, Completed: true));

            return new IntegrityTestResult
            {
                Target = request.Target.DisplayName,
                Source = request.Source?.DisplayName,
                Findings = scope.Findings
                    .OrderByDescending(f => f.Severity).ThenBy(f => f.Check).ThenBy(f => f.Table, StringComparer.Ordinal).ThenBy(f => f.Column, StringComparer.Ordinal)
                    .ToList(),
                Runs = scope.Runs,
                Elapsed = clock.Elapsed,
            };
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Target, context.CancellationToken);
        }
    }

    private static async Task RunCategoryAsync(IntegrityCheckContext scope, IntegrityCategory category)
    {
        switch (category)
        {
            case IntegrityCategory.ForeignKey:
                await ForeignKeyOrphanCheck.RunAsync(scope).ConfigureAwait(false);
                break;
            case IntegrityCategory.Timestamp:
                await TimestampCheck.RunAsync(scope).ConfigureAwait(false);
                if (scope.Request.Source is { } source) await CompareWithSourceAsync(scope, source).ConfigureAwait(false);
                break;
            case IntegrityCategory.Media:
                await MediaReferenceCheck.RunAsync(scope).ConfigureAwait(false);
                break;
            case IntegrityCategory.Encoding:
                await EncodingCheck.RunAsync(scope).ConfigureAwait(false);
                break;
        }
    }

    private static async Task CompareWithSourceAsync(IntegrityCheckContext scope, DatabaseEndpoint source)
    {
        try
        {
            await using var snapshot = await ReadOnlySnapshot.OpenAsync(source, scope.Context, "integrity source").ConfigureAwait(false);
            var schema = await SchemaReader.ReadAsync(snapshot.Connection, scope.Context).ConfigureAwait(false);
            await TimestampShiftCheck.RunAsync(scope, snapshot.Connection, schema).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            // Name the server at fault: a failure here is the source's, not the target's.
            throw ServerConnector.Translate(ex, source, scope.CancellationToken);
        }
    }

    private static void Validate(IntegrityRequest request)
    {
        if (request.SampleSize < 1)
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.SampleSizeInvalid, "The sample size must be at least 1.", request.SampleSize);
        if (request.MediaRoot is { } root && !Directory.Exists(root))
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.MediaRootNotFound, $"The media directory '{Path.GetFullPath(root)}' does not exist.", root);
        if (request.MediaBaseUri is { } uri && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.MediaBaseUriInvalid, $"The media base URI '{uri}' must be an absolute http or https URI.", uri);
        foreach (var prefix in request.MediaPathPrefixes)
        {
            if (!prefix.StartsWith('/'))
                throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.MediaPathPrefixInvalid, $"The media path prefix '{prefix}' must start with '/'.", prefix);
        }
    }
}
