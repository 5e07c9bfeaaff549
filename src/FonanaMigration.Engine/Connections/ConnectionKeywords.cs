
namespace FonanaMigration.Engine.Connections;

/// <summary>
/// The Npgsql keywords a connection may carry. Persist Security Info, Include Error Detail and Log Parameters would put
/// the password or row values into logs and errors: they are accepted (pasted .NET strings carry them) but kept off.
/// Everything else is refused: unknown keywords, and pooling or command timeouts, which are the engine's own business.
/// </summary>
internal static class ConnectionKeywords
{
    // Normalized (lower case, no spaces), synonyms included, as Npgsql accepts them.
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "host", "server", "port", "database", "db", "username", "userid", "user", "password", "psw", "pwd", "passfile",
        "sslmode", "rootcertificate", "sslcertificate", "sslkey", "sslpassword", "checkcertificaterevocation", "sslnegotiation",
        "timeout", "applicationname", "targetsessionattributes", "loadbalancehosts", "hostrecheckseconds",
        "keepalive", "tcpkeepalive", "tcpkeepalivetime", "tcpkeepaliveinterval",
        "kerberosservicename", "krbsrvname", "includerealm", "gssencryptionmode", "channelbinding", "requireauth",
        "options", "timezone", "clientencoding", "encoding", "searchpath",
    };

    private static readonly HashSet<string> ForcedOff = new(StringComparer.Ordinal)
    {
        "persistsecurityinfo", "includeerrordetail", "includeerrordetails", "logparameters",
    };

    public static bool IsForcedOff(string keyword) => ForcedOff.Contains(Normalize(keyword));

    public static bool IsAllowed(string keyword) => Allowed.Contains(Normalize(keyword));

    public static string Normalize(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
