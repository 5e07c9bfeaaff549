using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using FonanaMigration.Engine.Hosting;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Schema;

namespace FonanaMigration.Completion;

/// <summary>
/// Completes -Table and -ExcludeTable with the tables of whatever the same command line names: the live -Source, an
/// archive or snapshot file (-Path, -Reference), or the live -Connection / -Target. A name is offered bare when only one
/// schema has it and as schema.table otherwise, quoted when it needs quotes. Lists are cached, so pressing Tab again
/// does not ask the server again; completion never throws and gives up after a few seconds.
/// </summary>
public sealed class TableNameCompleter : IArgumentCompleter
{
    // Where the names come from, in order of preference: the side the rows come from first.
    private static readonly string[] FileParameters = { "Path", "Reference", "TargetReference" };
    private static readonly string[] ServerParameters = { "Source", "Connection", "Target" };
    private static readonly Dictionary<string, string> CredentialOf = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Source"] = "SourceCredential", ["Target"] = "TargetCredential", ["Connection"] = "Credential",
    };

    private static readonly TimeSpan ServerListLifetime = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, CachedList> Cache = new(StringComparer.Ordinal);

    private sealed record CachedList(IReadOnlyList<QualifiedName> Tables, DateTime ExpiresUtc);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<QualifiedName> tables;
        try
        {
            tables = TablesNamedBy(commandName, fakeBoundParameters);
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>(); // a completer must never break the prompt
        }

        var typed = wordToComplete.Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        var sharedNames = tables.GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var results = new List<CompletionResult>();
        foreach (var table in tables)
        {
            var qualified = $"{table.Schema}.{table.Name}";
            // "p" means tables starting with p, not every table of schema public: only a dot brings the schema in.
            if (!pattern.IsMatch(typed.Contains('.') ? qualified : table.Name)) continue;
            var text = sharedNames.Contains(table.Name) ? qualified : table.Name;
            results.Add(new CompletionResult(Quote(text), text, CompletionResultType.ParameterValue, qualified));
        }
        return results;
    }

    private static IReadOnlyList<QualifiedName> TablesNamedBy(string commandName, IDictionary bound)
    {
        // Export-FonanaDatabase writes its -Path: a file there is old news, the live -Source is the truth.
        var files = commandName.Equals("Export-FonanaDatabase", StringComparison.OrdinalIgnoreCase) ? Array.Empty<string>() : FileParameters;
        if (Value(bound, "Source") is not null && ServerTables(bound, "Source") is { } fromSource) return fromSource;
        foreach (var parameter in files)
            if (Value(bound, parameter) is string path && FileTables(path) is { } fromFile) return fromFile;
        foreach (var parameter in ServerParameters.Skip(1))
            if (Value(bound, parameter) is not null && ServerTables(bound, parameter) is { } fromServer) return fromServer;
        return Array.Empty<QualifiedName>();
    }

    private static IReadOnlyList<QualifiedName>? FileTables(string path)
    {
        var full = ResolvePath(path);
        if (!File.Exists(full)) return null;
        var key = $"file|{full}|{File.GetLastWriteTimeUtc(full).Ticks}";
        return Cached(key, DateTime.MaxValue, () => TableCatalog.FromFile(full));
    }

    private static IReadOnlyList<QualifiedName>? ServerTables(IDictionary bound, string parameter)
    {
        var endpoint = Value(bound, parameter) switch
        {
            DatabaseEndpoint e => e,
            string s => DatabaseEndpoint.ParseOrUnreadable(s),
            _ => null,
        };
        if (endpoint is not { IsReadable: true }) return null; // completion ignores what cannot be read, silently
        if (CredentialOf.TryGetValue(parameter, out var credentialParameter) && Value(bound, credentialParameter) is PSCredential credential)
            endpoint = endpoint.WithCredential(credential.UserName, credential.GetNetworkCredential().Password);
        // Completion cannot warn: it never sends a password (given, or found in PGPASSWORD / .pgpass) to a remote server
        // whose certificate is not verified.
        if (!TransportSecurity.IsSafeToSendPassword(endpoint)) return null;

        var key = $"server|{endpoint.DisplayName}|{endpoint.HasPassword}";
        return Cached(key, DateTime.UtcNow + ServerListLifetime, () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var context = RunContext.Silent(timeout.Token, connectTimeoutSeconds: 5);
            return Task.Run(() => TableCatalog.FromServerAsync(endpoint, context)).GetAwaiter().GetResult();
        });
    }

    private static IReadOnlyList<QualifiedName>? Cached(string key, DateTime expiresUtc, Func<IReadOnlyList<QualifiedName>> load)
    {
        if (Cache.TryGetValue(key, out var hit) && hit.ExpiresUtc > DateTime.UtcNow) return hit.Tables.Count == 0 ? null : hit.Tables;
        try
        {
            var tables = load();
            Cache[key] = new CachedList(tables, expiresUtc);
            return tables;
        }
        catch (Exception)
        {
            // Remember a failure briefly, so every Tab against an unreachable server does not wait out the timeout again.
            Cache[key] = new CachedList(Array.Empty<QualifiedName>(), DateTime.UtcNow + FailureLifetime);
            return null;
        }
    }

    // A completer runs inside the pipeline that asked for it, where SessionStateProxy refuses calls; a script block
    // made and invoked here sees the same session state (current location, PSDrives). Made per call: a script block
    // kept in a static would stay tied to the first runspace that ran it.
    private static string ResolvePath(string path) =>
        ScriptBlock.Create("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])")
            .Invoke(path).FirstOrDefault()?.BaseObject as string ?? Path.GetFullPath(path);

    private static object? Value(IDictionary bound, string parameter) =>
        bound.Contains(parameter) ? bound[parameter] is PSObject ps ? ps.BaseObject : bound[parameter] : null;

    private static string Quote(string text) =>
        text.All(c => char.IsLetterOrDigit(c) || c is '_' or '.') ? text : $"'{CodeGeneration.EscapeSingleQuotedStringContent(text)}'";
}
