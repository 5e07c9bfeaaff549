namespace FonanaMigration.Testing;

/// <summary>How to start a throwaway server. Everything has a default so <c>PostgresServer.Start()</c> just works.</summary>
public sealed class PostgresServerOptions
{
    /// <summary>Server <c>timezone</c> setting; tests of timestamptz handling start servers with others.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Label put into the temp directory name, so a left-over directory says which test made it.</summary>
    public string Name { get; set; } = "fonana";

    /// <summary>
    /// Directory under which the server's own temp directory is made. Null: $FONANA_PG_TMPDIR if set, else
    /// /dev/shm on Linux when it has room (memory-backed: template copies take ~20 ms there instead of
    /// hundreds on a VM disk), else the system temp folder. Set it to put a big benchmark on disk.
    /// </summary>
    public string? ParentDirectory { get; set; }

    /// <summary>Binaries to use; found with <see cref="PostgresBinaries.Find"/> when null.</summary>
    public PostgresBinaries? Binaries { get; set; }

    /// <summary>
    /// PEM certificate (chain) the server presents for TLS. With <see cref="SslKeyFile"/> set too, the server starts
    /// with <c>ssl = on</c> (plain connections are still accepted, as PostgreSQL does by default). Null: no TLS.
    /// </summary>
    public string? SslCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificateFile"/>; copied into the data directory with mode 0600.</summary>
    public string? SslKeyFile { get; set; }

    /// <summary>
    /// Further postgresql.conf settings (name → value as written in the file, quotes included where needed), e.g.
    /// wal_level = logical for logical replication tests. Appended after the fixture's own, so they win.
    /// </summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
