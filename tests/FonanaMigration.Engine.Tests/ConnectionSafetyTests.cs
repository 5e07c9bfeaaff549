namespace FonanaMigration.Engine.Tests;

/// <summary>What a connection string may carry, and what it may never let out: parse-level rules, no server needed.</summary>
public class ConnectionSafetyTests
{
    private const string PrismaUrl =
        "postgresql://app:S3CRET@db.example.com:5432/fonana?schema=public&pgbouncer=true&connection_limit=5&pool_timeout=10" +
        "&socket_timeout=30&connect_timeout=7&statement_cache_size=0&sslidentity=client.p12&sslpassword=IDPASS&sslcert=ca.pem&sslaccept=strict";

    [Fact]
    public void PrismaDatabaseUrl_WithEveryPrismaParameter_IsAccepted()
    {
        var endpoint = DatabaseEndpoint.Parse(PrismaUrl);

        Assert.Equal("db.example.com", endpoint.Host);
        Assert.Equal("public", endpoint.Schema);
        Assert.Equal("VerifyFull", endpoint.SslMode); // sslaccept=strict: the certificate is verified
        Assert.Equal(7, endpoint.ConnectTimeoutSeconds);
        Assert.Equal(new[] { "connection_limit", "pgbouncer", "pool_timeout", "socket_timeout", "sslcert", "sslidentity", "sslpassword", "statement_cache_size" },
            endpoint.IgnoredParameters.OrderBy(p => p, StringComparer.Ordinal));
    }

    [Fact]
    public void IgnoredPrismaParameters_AreNamedWithoutTheirValues()
    {
        var endpoint = DatabaseEndpoint.Parse(PrismaUrl);

        var note = endpoint.IgnoredParametersNote;
        Assert.NotNull(note);
        Assert.Contains("sslpassword", note);
        Assert.DoesNotContain("IDPASS", note);
        Assert.DoesNotContain("S3CRET", note);
    }

    [Fact]
    public void SslAcceptInvalidCerts_DoesNotClaimVerification()
    {
        var endpoint = DatabaseEndpoint.Parse("postgresql://u:p@db.example.com/fonana?sslaccept=accept_invalid_certs");
        Assert.NotEqual("VerifyFull", endpoint.SslMode);
        Assert.NotNull(TransportSecurity.UnverifiedWarning(endpoint));
    }

    [Fact]
    public void UriWithoutSchema_HasNoSchema() => Assert.Null(DatabaseEndpoint.Parse("postgresql://u@h/db").Schema);

    [Theory]
    [InlineData("Host=h;Database=d;Username=u;Password=S3CRET;Persist Security Info=true", "Persist Security Info")]
    [InlineData("postgresql://u:S3CRET@h/db?Persist%20Security%20Info=true", "Persist Security Info")]
    [InlineData("Host=h;Database=d;Username=u;Password=S3CRET;Include Error Detail=true", "Include Error Detail")]
    [InlineData("Host=h;Database=d;Username=u;Password=S3CRET;Log Parameters=true", "Log Parameters")]
    public void KeywordsThatCouldLeakSecretsOrRowValues_AreAcceptedButKeptOff_WithANoteNamingThem(string text, string keyword)
    {
        var endpoint = DatabaseEndpoint.Parse(text);
        var used = new Npgsql.NpgsqlConnectionStringBuilder(endpoint.ConnectionString("test", 5));
        Assert.False(used.PersistSecurityInfo);
        Assert.False(used.IncludeErrorDetail);
        Assert.False(used.LogParameters);
        Assert.Contains(keyword, endpoint.ForcedOffKeywordsNote, StringComparison.OrdinalIgnoreCase); // key=value keys arrive lower-cased
        Assert.Contains("-IncludeRowValues", endpoint.ForcedOffKeywordsNote);
        Assert.DoesNotContain("S3CRET", endpoint.ForcedOffKeywordsNote);
        Assert.DoesNotContain("true", endpoint.ForcedOffKeywordsNote);
    }

    [Theory]
    [InlineData("Host=h;Port=notaport;Username=u;Password=S3CRET")]
    [InlineData("postgresql://u:S3CRET@h/db?sslmode=sometimes")]
    [InlineData("Host=h;Password='S3CRET")]
    public void UnreadableConnection_BecomesAPlaceholderThatHoldsNoPassword_AndTheEngineRefuses(string text)
    {
        var endpoint = DatabaseEndpoint.ParseOrUnreadable(text);
        Assert.False(endpoint.IsReadable);
        Assert.DoesNotContain("S3CRET", endpoint.DisplayName);
        var error = Assert.Throws<MigrationException>(() => endpoint.ConnectionString("test", 5));
        Assert.Equal("ConnectionStringInvalid", error.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("S3CRET", error.TargetObject?.ToString() ?? "");
        AssertNoSecret(error, "S3CRET");
    }

    [Theory]
    [InlineData("Host=h;Port=notaport;Username=u;Password=S3CRET")]
    [InlineData("Host=h;Port=99999999999;Username=u;Password=S3CRET")]
    [InlineData("postgresql://u:S3CRET@h/db?port=abc")]
    [InlineData("postgresql://u:S3CRET@h/db?connect_timeout=soon")]
    [InlineData("postgresql://u:S3CRET@h/db?nosuchparameter=1")]
    [InlineData("postgresql://u:S3CRET@h/db?sslmode=sometimes")]
    [InlineData("Host=h;Password=S3CRET;NoSuchKeyword=1")]
    [InlineData("Host=h;Password='S3CRET")]
    public void UnreadableConnection_IsConnectionStringInvalid_AndNeverShowsThePassword(string text)
    {
        var ex = Assert.Throws<MigrationException>(() => DatabaseEndpoint.Parse(text));
        Assert.Equal("ConnectionStringInvalid", ex.ErrorId);
        AssertNoSecret(ex, "S3CRET");
    }

    [Fact]
    public void ConnectionString_NeverPersistsThePassword_NorIncludesRowValues_UnlessAsked()
    {
        var endpoint = DatabaseEndpoint.Parse("Host=h;Database=d;Username=u;Password=S3CRET");

        var plain = new Npgsql.NpgsqlConnectionStringBuilder(endpoint.ConnectionString("t", 5, includeRowValues: false));
        Assert.False(plain.PersistSecurityInfo);
        Assert.False(plain.IncludeErrorDetail);
        Assert.True(plain.TcpKeepAlive);
        Assert.True(plain.KeepAlive > 0);
        Assert.True(new Npgsql.NpgsqlConnectionStringBuilder(endpoint.ConnectionString("t", 5, includeRowValues: true)).IncludeErrorDetail);
    }

    [Theory]
    [InlineData("postgresql://u:p@db.example.com/fonana?sslmode=require")]
    [InlineData("postgresql://u:p@db.example.com/fonana?sslmode=prefer")]
    [InlineData("Host=192.0.2.10;Username=u;Password=p;SSL Mode=Require")]
    public void RemoteServerWhoseCertificateIsNotVerified_IsWarnedAbout(string text)
    {
        var endpoint = DatabaseEndpoint.Parse(text);
        var warning = TransportSecurity.UnverifiedWarning(endpoint);
        Assert.NotNull(warning);
        Assert.Contains("verify-full", warning);
        Assert.False(TransportSecurity.IsSafeToSendPassword(endpoint));
    }

    [Theory]
    [InlineData("postgresql://u:p@db.example.com/fonana?sslmode=verify-full&sslrootcert=/ca.crt")]
    [InlineData("postgresql://u:p@db.example.com/fonana?sslmode=verify-ca&sslrootcert=/ca.crt")]
    [InlineData("postgresql://u:p@127.0.0.1/fonana?sslmode=require")]
    [InlineData("postgresql://u:p@localhost/fonana")]
    public void VerifiedOrLoopbackServer_IsSafeForAPassword(string text)
    {
        var endpoint = DatabaseEndpoint.Parse(text);
        Assert.Null(TransportSecurity.UnverifiedWarning(endpoint));
        Assert.True(TransportSecurity.IsSafeToSendPassword(endpoint));
    }

    private static void AssertNoSecret(MigrationException ex, string secret)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(secret, e.Message);
            Assert.DoesNotContain(secret, e.ToString());
        }
        Assert.DoesNotContain(secret, ex.TargetObject?.ToString() ?? "");
    }
}
