using System.Text.Json;

namespace FonanaMigration.Engine.Tests;

public class DatabaseEndpointTests
{
    [Fact]
    public void Uri_FromTheProductionReport_IsReadWithoutShowingThePassword()
    {
        var endpoint = DatabaseEndpoint.Parse("postgresql://fonana_user:fonana_pass@localhost:5432/fonana");

        Assert.Equal("localhost", endpoint.Host);
        Assert.Equal(5432, endpoint.Port);
        Assert.Equal("fonana", endpoint.Database);
        Assert.Equal("fonana_user", endpoint.Username);
        Assert.True(endpoint.HasPassword);
        Assert.Equal("postgresql://fonana_user@localhost:5432/fonana", endpoint.ToString());
        Assert.DoesNotContain("fonana_pass", JsonSerializer.Serialize(endpoint));
    }

    [Fact]
    public void Uri_WithEncodedCharactersAndSslMode_IsDecoded()
    {
        var endpoint = DatabaseEndpoint.Parse("postgres://app%40corp:p%3Ass%2Fw@db.internal:6543/my%20db?sslmode=require&schema=public");

        Assert.Equal("app@corp", endpoint.Username);
        Assert.Equal("my db", endpoint.Database);
        Assert.Equal(6543, endpoint.Port);
        Assert.Equal("Require", endpoint.SslMode);
        Assert.DoesNotContain("p:ss", endpoint.DisplayName);
    }

    [Fact]
    public void KeyValueString_IsRead()
    {
        var endpoint = DatabaseEndpoint.Parse("Host=127.0.0.1;Port=5433;Database=fonana;Username=u;Password=secret");

        Assert.Equal("postgresql://u@127.0.0.1:5433/fonana", endpoint.DisplayName);
        Assert.DoesNotContain("secret", endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("postgresql://")]
    [InlineData("Host=x;NoSuchKeyword=1")]
    [InlineData("postgresql://u:p@h/db?sslmode=sometimes")]
    public void Unreadable_Connection_IsAnInvalidArgument(string text)
    {
        var ex = Assert.Throws<MigrationException>(() => DatabaseEndpoint.Parse(text));
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("p@h", ex.Message);
    }

    [Fact]
    public void UnreadableUri_IsQuotedBackWithoutItsPassword()
    {
        Assert.Equal("postgresql://user@[bad", DatabaseEndpoint.Redact("postgresql://user:hunter2@[bad"));
    }
}
