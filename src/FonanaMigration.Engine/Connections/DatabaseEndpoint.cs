using System.Text;

namespace FonanaMigration.Engine.Connections;

/// <summary>
/// One PostgreSQL database to talk to. Parsed from a libpq URI (postgresql://user:pass@host:port/db?sslmode=...)
/// or an Npgsql key=value string. The password is held privately: every public member, ToString and
/// serialized form shows a redacted description, so the object can travel down a pipeline safely.
/// </summary>
public sealed class DatabaseEndpoint
{
    private readonly NpgsqlConnectionStringBuilder _builder;

    private DatabaseEndpoint(NpgsqlConnectionStringBuilder builder)
    {
        _builder = builder;
    }

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
    public string DisplayName =>
        $"postgresql://{(Username is null ? "" : Uri.EscapeDataString(Username) + "@")}{FormatHost(Host)}:{Port}/{Uri.EscapeDataString(Database)}";

    public override string ToString() => DisplayName;

    /// <summary>PowerShell converts a string argument through this method, so -Target 'postgresql://…' just works.</summary>
    public static DatabaseEndpoint Parse(string connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ConnectionStringEmpty,
                "The connection is empty. Give a URI such as postgresql://user@host:5432/database or Host=…;Database=….", null);

        var text = connection.Trim();
        var builder = text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                      || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            ? FromUri(text)
            : FromKeyValue(text);
        if (builder.Port == 0) builder.Port = 5432;
        return new DatabaseEndpoint(builder);
    }

    /// <summary>A copy of this endpoint with another password (from a PSCredential or a prompt).</summary>
    public DatabaseEndpoint WithCredential(string username, string password)
    {
        var copy = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Username = username, Password = password };
        return new DatabaseEndpoint(copy);
    }

    /// <summary>A copy pointing at another database of the same server (used for backups and checks).</summary>
    public DatabaseEndpoint WithDatabase(string database)
    {
        var copy = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = database };
        return new DatabaseEndpoint(copy);
    }

    internal string ConnectionString(string applicationName, int timeoutSeconds)
    {
        var copy = new NpgsqlConnectionStringBuilder(_builder.ConnectionString)
        {
            ApplicationName = applicationName,
            Timeout = timeoutSeconds,
            CommandTimeout = 0,      // long COPY statements are bounded by cancellation, not by a timer
            Pooling = false,         // each run owns its connections; nothing lingers after a cmdlet returns
            IncludeErrorDetail = true,
        };
        return copy.ConnectionString;
    }

    private static NpgsqlConnectionStringBuilder FromKeyValue(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException ex)
        {
            // Npgsql's message quotes the offending keyword, never the value, so it is safe to pass on.
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ConnectionStringInvalid,
                $"The connection string could not be read: {ex.Message}", null, ex);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        // libpq URIs allow several hosts and percent-encoded parts; System.Uri handles the common single-host form.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ConnectionUriInvalid,
                $"The connection URI could not be read: {Redact(text)}", null);

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
            ApplyUriParameter(builder, key, value);
        }
        return builder;
    }

    private static void ApplyUriParameter(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
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
                    _ => throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ConnectionUriInvalid,
                        $"Unknown sslmode '{value}'.", null),
                };
                break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "connect_timeout": builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "application_name": builder.ApplicationName = value; break;
            case "user": builder.Username = value; break;
            case "password": builder.Password = value; break;
            case "dbname": builder.Database = value; break;
            case "host": builder.Host = value; break;
            case "port": builder.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "schema": break; // Prisma's own parameter: tells Prisma the schema, means nothing to the server
            default:
                // Pass the rest through as Npgsql keywords when they are known; an unknown one is an error, not a silent drop.
                try { builder[key] = value; }
                catch (ArgumentException)
                {
                    throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ConnectionUriInvalid,
                        $"Unknown connection parameter '{key}'.", null);
                }
                break;
        }
    }

    /// <summary>Removes a password from a URI-shaped string so that even an unreadable input can be quoted back.</summary>
    internal static string Redact(string text)
    {
        var at = text.LastIndexOf('@');
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || at < scheme) return text.Contains("assword", StringComparison.OrdinalIgnoreCase) ? "(connection string)" : text;
        var userInfo = text[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':');
        return colon < 0 ? text : new StringBuilder().Append(text, 0, scheme + 3).Append(userInfo[..colon]).Append(text[at..]).ToString();
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
