using System.Text;
using Npgsql;

namespace FonanaMigration.Engine.Connections;

/// <summary>
/// One PostgreSQL database to talk to. Parsed from a libpq URI (postgresql://user:pass@host:port/db?sslmode=...)
/// or an Npgsql key=value string. The password is held privately: every public member, ToString and
/// serialized form shows a redacted description, so the object can travel down a pipeline safely.
/// </summary>
public sealed partial class DatabaseEndpoint
{
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly UriExtras _extras;

    private DatabaseEndpoint(NpgsqlConnectionStringBuilder builder, UriExtras? extras = null)
    {
        _builder = builder;
        _extras = extras ?? new UriExtras();
    }

    /// <summary>What a URI says beyond Npgsql's keywords: Prisma's schema, a connect_timeout, and parameters left unused.</summary>
    private sealed class UriExtras
    {
        public string? Schema;
        public int? ConnectTimeout;
        public List<string> Ignored = new();
        public List<string> ForcedOff = new();
    }

    /// <summary>
    /// The schema a Prisma URL names (?schema=…): with no -Table, only that schema's tables are migrated and compared,
    /// as Prisma means it. Null when the connection names none (every schema).
    /// </summary>
    public string? Schema => _extras.Schema;

    /// <summary>The URI's connect_timeout, in seconds (0: wait forever), or null when it gives none.</summary>
    public int? ConnectTimeoutSeconds => _extras.ConnectTimeout;

    /// <summary>Parameters of the URI that only mean something to Prisma's own engine (pool sizes, pgbouncer…), by name.</summary>
    public IReadOnlyList<string> IgnoredParameters => _extras.Ignored;

    /// <summary>A note naming the ignored parameters (never their values: sslpassword is one), or null.</summary>
    public string? IgnoredParametersNote => _extras.Ignored.Count == 0 ? null :
        $"Ignoring {string.Join(", ", _extras.Ignored)} in the connection to {DisplayName}: these parameters only mean something to Prisma's own engine.";

    /// <summary>A note naming the keywords given but kept off (never their values), and why; or null.</summary>
    public string? ForcedOffKeywordsNote => _extras.ForcedOff.Count == 0 ? null :
        $"Keeping {string.Join(", ", _extras.ForcedOff)} off in the connection to {DisplayName}: the password never leaves an open connection, " +
        "and row values appear in errors and logs only with -IncludeRowValues.";

    public string Host => _builder.Host ?? "localhost";
    public int Port => _builder.Port;
    public string Database => _builder.Database ?? _builder.Username ?? "postgres";
    public string? Username => _builder.Username;
    public bool HasPassword => !string.IsNullOrEmpty(_builder.Password);
    public string SslMode => _builder.SslMode.ToString();

    /// <summary>The sslrootcert file: the CA a verify-ca/verify-full connection trusts (null: the system's roots).</summary>
    public string? SslRootCertificate => _builder.RootCertificate;

    /// <summary>Every host of a multi-host connection (Host=a,b:5433), without ports.</summary>
    public IReadOnlyList<string> Hosts =>
        Host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(StripPort).ToList();

    /// <summary>postgresql://user@host:port/database — never with the password.</summary>
    public string DisplayName => _unreadable is { } u ? u.RedactedText :
        $"postgresql://{(Username is null ? "" : Uri.EscapeDataString(Username) + "@")}{FormatHost(Host)}:{Port}/{Uri.EscapeDataString(Database)}";

    public override string ToString() => DisplayName;

    /// <summary>PowerShell converts a string argument through this method, so -Target 'postgresql://…' just works.</summary>
    public static DatabaseEndpoint Parse(string connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
            throw new MigrationException(FailureKind.InvalidArgument, "ConnectionStringEmpty",
                "The connection is empty. Give a URI such as postgresql://user@host:5432/database or Host=…;Database=….", null);

        var text = connection.Trim();
        var extras = new UriExtras();
        try
        {
            var builder = text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                          || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                ? FromUri(text, extras)
                : FromKeyValue(text, extras);
            if (builder.Port == 0) builder.Port = 5432;
            return new DatabaseEndpoint(builder, extras);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            // Parsers quote the text they choke on, which may be the password: say what is wrong without quoting it,
            // and keep no inner exception whose message could.
            throw Invalid($"The connection could not be read ({ex.GetType().Name}): {Redact(text)}");
        }
    }

    private static MigrationException Invalid(string message) =>
        new(FailureKind.InvalidArgument, ErrorIds.ConnectionStringInvalid, message, null);

    /// <summary>A copy of this endpoint with another password (from a PSCredential or a prompt).</summary>
    public DatabaseEndpoint WithCredential(string username, string password)
    {
        if (_unreadable is not null) return this; // still unreadable; the credential cannot repair it
        var copy = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Username = username, Password = password };
        return new DatabaseEndpoint(copy, _extras);
    }

    /// <summary>A copy pointing at another database of the same server (used for backups and checks).</summary>
    public DatabaseEndpoint WithDatabase(string database)
    {
        EnsureReadable();
        var copy = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = database };
        return new DatabaseEndpoint(copy, _extras);
    }

    internal string ConnectionString(string applicationName, int timeoutSeconds, bool includeRowValues = false)
    {
        EnsureReadable(); // defence in depth: a placeholder never reaches a server
        var copy = new NpgsqlConnectionStringBuilder(_builder.ConnectionString)
        {
            ApplicationName = applicationName,
            Timeout = timeoutSeconds,
            CommandTimeout = 0,      // long COPY statements are bounded by cancellation and the stall watch, not by a timer
            Pooling = false,         // each run owns its connections; nothing lingers after a cmdlet returns
            PersistSecurityInfo = false, // the password must never come back out of an open connection (logs, errors)
            IncludeErrorDetail = includeRowValues, // error details quote row values (emails, COPY lines): only on request
            LogParameters = false,   // parameter values are row values too
            // A silently dropped link must not hang forever while the target holds its locks.
            TcpKeepAlive = true,
            TcpKeepAliveTime = 30,
            TcpKeepAliveInterval = 10,
            KeepAlive = 30,
        };
        return copy.ConnectionString;
    }

    private static NpgsqlConnectionStringBuilder FromKeyValue(string text, UriExtras extras)
    {
        // The generic parser only splits pairs (its messages quote positions, not text); each keyword is then checked
        // against the allowed list before Npgsql reads its value.
        var pairs = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = text };
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (string key in pairs.Keys)
            SetKeyword(builder, extras, key, pairs[key]?.ToString() ?? "");
        return builder;
    }

    private static void SetKeyword(NpgsqlConnectionStringBuilder builder, UriExtras extras, string key, string value)
    {
        if (ConnectionKeywords.IsForcedOff(key))
        {
            // A pasted .NET connection string often carries these: accept it, but keep them off (the value is never read).
            if (!extras.ForcedOff.Contains(key.Trim())) extras.ForcedOff.Add(key.Trim());
            return;
        }
        if (!ConnectionKeywords.IsAllowed(key))
            throw Invalid($"The connection keyword '{key}' is not accepted: it is unknown, or it would put the password or row values into logs and errors, or it is the module's own to set.");
        try { builder[key] = value; }
        catch (Exception)
        {
            // The value is not quoted: a mis-split string can put the password into any keyword's value.
            throw Invalid($"The connection keyword '{key}' has a value that cannot be read.");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text, UriExtras extras)
    {
        // libpq URIs allow several hosts and percent-encoded parts; System.Uri handles the common single-host form.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw Invalid($"The connection URI could not be read: {Redact(text)}");

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            ApplyUriParameter(builder, extras, key, value);
        }
        return builder;
    }

    private static int ReadInt(string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw Invalid($"The connection parameter '{key}' must be a whole number, not '{value}'.");

    private static void ApplyUriParameter(NpgsqlConnectionStringBuilder builder, UriExtras extras, string key, string value)
    {
        if (PrismaOnlyParameters.Contains(key))
        {
            if (!extras.Ignored.Contains(key.ToLowerInvariant())) extras.Ignored.Add(key.ToLowerInvariant());
            return;
        }
        switch (key.ToLowerInvariant())
        {
            case "sslmode":
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => Npgsql.SslMode.Disable,
                    "allow" => Npgsql.SslMode.Allow,
                    "prefer" => Npgsql.SslMode.Prefer,
                    "require" => Npgsql.SslMode.Require,
                    "verify-ca" => Npgsql.SslMode.VerifyCA,
                    "verify-full" => Npgsql.SslMode.VerifyFull,
                    _ => throw Invalid($"Unknown sslmode '{value}'."),
                };
                break;
            case "sslaccept":
                // Prisma's way to say verify the certificate (strict) or not (accept_invalid_certs, its default).
                if (value.Equals("strict", StringComparison.OrdinalIgnoreCase))
                {
                    if (builder.SslMode is not (Npgsql.SslMode.VerifyCA or Npgsql.SslMode.VerifyFull)) builder.SslMode = Npgsql.SslMode.VerifyFull;
                }
                else if (!value.Equals("accept_invalid_certs", StringComparison.OrdinalIgnoreCase))
                    throw Invalid($"Unknown sslaccept '{value}' (Prisma knows strict and accept_invalid_certs).");
                break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "connect_timeout": builder.Timeout = (extras.ConnectTimeout = ReadInt(key, value)).Value; break;
            case "application_name": builder.ApplicationName = value; break;
            case "user": builder.Username = value; break;
            case "password": builder.Password = value; break;
            case "dbname": builder.Database = value; break;
            case "host": builder.Host = value; break;
            case "port": builder.Port = ReadInt(key, value) is var port and > 0 and < 65536 ? port : throw Invalid($"The port '{value}' is out of range."); break;
            case "schema": extras.Schema = value.Length == 0 ? null : value; break;
            default:
                // Pass the rest through as Npgsql keywords when they are allowed; anything else is an error, not a silent drop.
                SetKeyword(builder, extras, key, value);
                break;
        }
    }

    // Prisma's own engine reads these (pool, pgbouncer mode, its TLS identity); they mean nothing to a COPY session.
    // sslcert is here too: for Prisma it names the server's CA, not libpq's client certificate.
    private static readonly HashSet<string> PrismaOnlyParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "pgbouncer", "connection_limit", "pool_timeout", "socket_timeout", "statement_cache_size", "sslidentity", "sslpassword", "sslcert",
    };

    /// <summary>
    /// Removes a password from a URI-shaped string so that even an unreadable input can be quoted back. Anything else
    /// (a key=value string, a URI with a password parameter) is never quoted: its password could sit anywhere in it.
    /// </summary>
    internal static string Redact(string text)
    {
        const string Unquotable = "(connection string not shown: it may hold a password)";
        var at = text.LastIndexOf('@');
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return Unquotable;
        var redacted = text;
        if (at > scheme)
        {
            var userInfo = text[(scheme + 3)..at];
            var colon = userInfo.IndexOf(':');
            if (colon >= 0) redacted = new StringBuilder().Append(text, 0, scheme + 3).Append(userInfo[..colon]).Append(text[at..]).ToString();
        }
        var query = redacted.IndexOf('?');
        return query >= 0 && System.Text.RegularExpressions.Regex.IsMatch(redacted[query..], "(?i)(password|psw|pwd)") ? Unquotable : redacted;
    }

    private static string StripPort(string host)
    {
        // "h:5433" and "[::1]:5433" carry a port; a bare IPv6 address ("::1") does not.
        if (host.StartsWith('[')) return host[..(host.IndexOf(']') is var close and > 0 ? close + 1 : host.Length)];
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':') == colon ? host[..colon] : host;
    }

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('/') ? $"[{host}]" : host;
}
