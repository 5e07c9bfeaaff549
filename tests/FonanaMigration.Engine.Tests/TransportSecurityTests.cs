namespace FonanaMigration.Engine.Tests;

/// <summary>The plaintext warning is a pure function of the endpoint: these tests never open a connection.</summary>
public class TransportSecurityTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("fonana.localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.20.30")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("/var/run/postgresql")]
    [InlineData("@abstract-socket")]
    public void LoopbackHostsAndSockets_AreLoopback(string host) => Assert.True(TransportSecurity.IsLoopback(host));

    [Theory]
    [InlineData("db.example.com")]
    [InlineData("localhost.example.com")]
    [InlineData("192.0.2.10")]
    [InlineData("10.0.0.5")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:192.0.2.10")]
    public void OtherHosts_AreNotLoopback(string host) => Assert.False(TransportSecurity.IsLoopback(host));

    [Theory]
    [InlineData("postgresql://u:secret@db.example.com/fonana", "sslmode=prefer")]
    [InlineData("postgresql://u:secret@db.example.com/fonana?sslmode=disable", "sslmode=disable")]
    [InlineData("postgresql://u:secret@db.example.com/fonana?sslmode=allow", "sslmode=allow")]
    [InlineData("Host=192.0.2.10;Username=u;Password=secret;SSL Mode=Prefer", "sslmode=prefer")]
    public void RemoteHostWithoutRequiredTls_IsWarnedAbout_WithoutThePassword(string connection, string mode)
    {
        var warning = TransportSecurity.PlaintextWarning(DatabaseEndpoint.Parse(connection));

        Assert.NotNull(warning);
        Assert.Contains(mode, warning);
        Assert.Contains("verify-full", warning);
        Assert.DoesNotContain("secret", warning);
    }

    [Theory]
    [InlineData("postgresql://u@db.example.com/fonana?sslmode=require")]
    [InlineData("postgresql://u@db.example.com/fonana?sslmode=verify-ca&sslrootcert=/ca.crt")]
    [InlineData("postgresql://u@db.example.com/fonana?sslmode=verify-full&sslrootcert=/ca.crt")]
    [InlineData("postgresql://u@localhost/fonana?sslmode=disable")]
    [InlineData("postgresql://u@127.0.0.1:5432/fonana")]
    [InlineData("Host=/var/run/postgresql;Database=fonana")]
    public void RequiredTlsOrLoopback_IsNotWarnedAbout(string connection) =>
        Assert.Null(TransportSecurity.PlaintextWarning(DatabaseEndpoint.Parse(connection)));

    [Fact]
    public void MultiHostConnection_NamesOnlyTheRemoteHosts()
    {
        var endpoint = DatabaseEndpoint.Parse("Host=localhost,db.example.com:5433,[::1]:5434;Database=fonana");

        Assert.Equal(new[] { "localhost", "db.example.com", "[::1]" }, endpoint.Hosts);
        var warning = TransportSecurity.PlaintextWarning(endpoint);
        Assert.NotNull(warning);
        Assert.Contains("db.example.com", warning);
        Assert.DoesNotContain("localhost", warning);
    }
}
