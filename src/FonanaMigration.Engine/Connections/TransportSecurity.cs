using System.Net;

namespace FonanaMigration.Engine.Connections;

/// <summary>
/// Whether a connection's password and rows may cross a network unencrypted. A pure function of the endpoint: no name is
/// resolved and nothing is contacted, so a host hears nothing from us before the user has seen the warning.
/// </summary>
public static class TransportSecurity
{
    /// <summary>
    /// True for names and addresses that never leave the machine: a unix socket directory, localhost and *.localhost
    /// (RFC 6761), 127.0.0.0/8, ::1 and IPv4-mapped 127.x.
    /// </summary>
    public static bool IsLoopback(string host)
    {
        var name = host.Trim();
        if (name.Length == 0 || name.StartsWith('/') || name.StartsWith('@')) return true; // unix socket (path or abstract)
        name = name.Trim('[', ']').TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!IPAddress.TryParse(name, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address);
    }

    /// <summary>sslmode require, verify-ca and verify-full refuse to talk without TLS; disable, allow and prefer do not.</summary>
    public static bool IsEncryptionRequired(DatabaseEndpoint endpoint) =>
        endpoint.SslMode is "Require" or "VerifyCA" or "VerifyFull";

    /// <summary>The warning to show before connecting, or null when the link is loopback-only or TLS is required.</summary>
    public static string? PlaintextWarning(DatabaseEndpoint endpoint)
    {
        if (IsEncryptionRequired(endpoint)) return null;
        var remote = endpoint.Hosts.Where(h => !IsLoopback(h)).ToList();
        if (remote.Count == 0) return null;
        return $"The connection to {string.Join(", ", remote)} (port {endpoint.Port}) does not require TLS " +
               $"(sslmode={SslModeText(endpoint.SslMode)}): the password and every row may cross the network unencrypted. " +
               "Add ?sslmode=verify-full&sslrootcert=<CA file> to the connection (or at least sslmode=require).";
    }

    /// <summary>verify-ca and verify-full check the server's certificate; require only encrypts, so anyone on the path can pose as the server.</summary>
    public static bool IsCertificateVerified(DatabaseEndpoint endpoint) => endpoint.SslMode is "VerifyCA" or "VerifyFull";

    /// <summary>
    /// The warning to show before connecting, or null when the link is loopback-only or the server's certificate is
    /// verified: without a verified certificate the password goes to whoever answers, even over TLS.
    /// </summary>
    public static string? UnverifiedWarning(DatabaseEndpoint endpoint)
    {
        if (PlaintextWarning(endpoint) is { } plaintext) return plaintext;
        if (IsCertificateVerified(endpoint)) return null;
        var remote = endpoint.Hosts.Where(h => !IsLoopback(h)).ToList();
        if (remote.Count == 0) return null;
        return $"The connection to {string.Join(", ", remote)} (port {endpoint.Port}) is encrypted but the server's certificate is not verified " +
               $"(sslmode={SslModeText(endpoint.SslMode)}): whoever answers at that address gets the password and every row. " +
               "Add ?sslmode=verify-full&sslrootcert=<CA file> to the connection (or sslaccept=strict in a Prisma URL).";
    }

    /// <summary>
    /// Whether a password may be sent without the user having seen a warning (tab completion, which cannot warn): only
    /// to loopback, or to a server whose certificate is verified.
    /// </summary>
    public static bool IsSafeToSendPassword(DatabaseEndpoint endpoint) => UnverifiedWarning(endpoint) is null;

    private static string SslModeText(string mode) => mode switch
    {
        "VerifyCA" => "verify-ca",
        "VerifyFull" => "verify-full",
        _ => mode.ToLowerInvariant(),
    };
}
