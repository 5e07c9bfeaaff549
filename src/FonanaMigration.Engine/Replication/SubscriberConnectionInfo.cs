using System.Text;
using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// The libpq connection string the target server uses to reach the source (CREATE SUBSCRIPTION ... CONNECTION). It is
/// sent to the target once, inside the statement, and never logged: PostgreSQL keeps it, password included, in the
/// target's pg_subscription (readable by superusers only).
/// </summary>
internal static class SubscriberConnectionInfo
{
    public static string For(DatabaseEndpoint endpoint)
    {
        var b = new NpgsqlConnectionStringBuilder(endpoint.ConnectionString("FonanaMigration subscription", 15));
        var text = new StringBuilder();
        Add(text, "host", b.Host);
        Add(text, "port", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(text, "dbname", endpoint.Database);
        Add(text, "user", b.Username);
        Add(text, "password", b.Password);
        Add(text, "sslmode", b.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        Add(text, "sslrootcert", b.RootCertificate);
        Add(text, "application_name", "fonana_migration");
        return text.ToString().TrimEnd();
    }

    private static void Add(StringBuilder text, string key, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        // libpq conninfo: single-quoted, with backslash and quote escaped by a backslash.
        text.Append(key).Append("='").Append(value.Replace("\\", "\\\\").Replace("'", "\\'")).Append("' ");
    }
}
