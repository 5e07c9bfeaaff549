namespace FonanaMigration.Engine.Tests;

/// <summary>Two throwaway servers shared by the engine tests: "local" with Fonana's data, "prod" with the schema only.</summary>
public sealed class ServerFixture : IDisposable
{
    private int _sequence;

    public ServerFixture()
    {
        Local = PostgresServer.Start(new PostgresServerOptions { Name = "engine-local" });
        Prod = PostgresServer.Start(new PostgresServerOptions { Name = "engine-prod", TimeZone = "Asia/Tokyo" });
        FonanaDatabase.Prepare(Local);
        FonanaDatabase.Prepare(Prod);
    }

    public PostgresServer Local { get; }
    public PostgresServer Prod { get; }

    public (string Name, DatabaseEndpoint Endpoint) Seeded(PostgresServer server)
    {
        var name = FonanaDatabase.CreateSeeded(server, $"seeded{Interlocked.Increment(ref _sequence)}");
        return (name, Endpoint(server, name));
    }

    public (string Name, DatabaseEndpoint Endpoint) Empty(PostgresServer server)
    {
        var name = FonanaDatabase.CreateEmpty(server, $"empty{Interlocked.Increment(ref _sequence)}");
        return (name, Endpoint(server, name));
    }

    /// <summary>An empty Fonana source (Local) and target (Prod), each given its DDL as the application's role (the target the source's unless said).</summary>
    public ((string Name, DatabaseEndpoint Endpoint) Source, (string Name, DatabaseEndpoint Endpoint) Target) EmptyPair(string sourceDdl, string? targetDdl = null)
    {
        var (source, target) = (Empty(Local), Empty(Prod));
        Local.ExecuteSql(source.Name, sourceDdl, asRole: FonanaDatabase.DefaultRole);
        Prod.ExecuteSql(target.Name, targetDdl ?? sourceDdl, asRole: FonanaDatabase.DefaultRole);
        return (source, target);
    }

    public static DatabaseEndpoint Endpoint(PostgresServer server, string database) =>
        DatabaseEndpoint.Parse(server.ConnectionUri(FonanaDatabase.DefaultRole, FonanaDatabase.DefaultPassword, database));

    public void Dispose()
    {
        Local.Dispose();
        Prod.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "servers";
}
