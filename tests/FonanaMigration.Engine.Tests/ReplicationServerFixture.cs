using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// Two throwaway servers with wal_level = logical for the online-migration tests: "source" with Fonana's data (its
/// owner role may replicate), "target" with the schema only. The target is reached as its superuser, since on
/// PostgreSQL 15 only a superuser may subscribe.
/// </summary>
public sealed class ReplicationServerFixture : IDisposable
{
    private int _sequence;

    public ReplicationServerFixture()
    {
        Source = StartSource("repl-source");
        Target = PostgresServer.Start(Logical("repl-target"));
        FonanaDatabase.Prepare(Target);
    }

    /// <summary>A source server like <see cref="Source"/>; <paramref name="settings"/> inject a fault into its configuration.</summary>
    public static PostgresServer StartSource(string name, params (string Name, string Value)[] settings)
    {
        var options = Logical(name);
        foreach (var (key, value) in settings) options.Settings[key] = value;
        var server = PostgresServer.Start(options);
        FonanaDatabase.Prepare(server);
        server.ExecuteSql("postgres", $"ALTER ROLE {FonanaDatabase.DefaultRole} REPLICATION;");
        return server;
    }

    private static PostgresServerOptions Logical(string name)
    {
        var options = new PostgresServerOptions { Name = name };
        options.Settings["wal_level"] = "logical";
        options.Settings["max_replication_slots"] = "20";
        options.Settings["max_wal_senders"] = "20";
        options.Settings["max_logical_replication_workers"] = "8";
        // Feedback from the subscriber more often than every 10 s, so cut-over waits less on an idle source.
        options.Settings["wal_receiver_status_interval"] = "1";
        return options;
    }

    public PostgresServer Source { get; }
    public PostgresServer Target { get; }

    public (string Name, DatabaseEndpoint Endpoint) SeededSource() =>
        Named(FonanaDatabase.CreateSeeded(Source, $"src{Interlocked.Increment(ref _sequence)}"), Source, owner: true);

    /// <summary>A target database that already holds Fonana's rows, for -Clean.</summary>
    public (string Name, DatabaseEndpoint Endpoint) SeededTarget() =>
        Named(FonanaDatabase.CreateSeeded(Target, $"dst{Interlocked.Increment(ref _sequence)}"), Target, owner: false);

    public (string Name, DatabaseEndpoint Endpoint) EmptyTarget() =>
        Named(FonanaDatabase.CreateEmpty(Target, $"dst{Interlocked.Increment(ref _sequence)}"), Target, owner: false);

    private static (string, DatabaseEndpoint) Named(string name, PostgresServer server, bool owner) =>
        (name, owner ? ServerFixture.Endpoint(server, name) : Superuser(server, name));

    public static DatabaseEndpoint Superuser(PostgresServer server, string database) =>
        DatabaseEndpoint.Parse(server.ConnectionUri(server.SuperuserName, server.SuperuserPassword, database));

    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicationServerCollection : ICollectionFixture<ReplicationServerFixture>
{
    public const string Name = "replication servers";
}
