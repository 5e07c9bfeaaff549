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
