using System.Data.Common;
using System.Globalization;
using System.Text;

namespace FonanaMigration.Testing;

// Admin SQL goes through psql rather than a driver: this assembly must not reference Npgsql, because
// pwsh loads it beside the module's own Npgsql and two copies would clash.
public sealed partial class PostgresServer
{
    private static readonly TimeSpan PsqlTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A login role that can own a database and its objects, but is not superuser (like production).</summary>
    public void CreateRole(string name, string password, bool login = true)
    {
        var sql = $"CREATE ROLE {SqlQuote.Identifier(name)} WITH {(login ? "LOGIN" : "NOLOGIN")} "
            + $"NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD {SqlQuote.Literal(password)}";
        Psql("postgres", sql: sql);
    }

    public bool RoleExists(string name) =>
        QueryScalar("postgres", $"SELECT count(*) FROM pg_roles WHERE rolname = {SqlQuote.Literal(name)}") != "0";

    public bool DatabaseExists(string name) =>
        QueryScalar("postgres", $"SELECT count(*) FROM pg_database WHERE datname = {SqlQuote.Literal(name)}") != "0";

    public void CreateDatabase(string name, string? owner = null, string? template = null)
    {
        var sql = new StringBuilder("CREATE DATABASE ").Append(SqlQuote.Identifier(name));
        if (owner is not null)
        {
            sql.Append(" OWNER ").Append(SqlQuote.Identifier(owner));
        }
        if (template is not null)
        {
            sql.Append(" TEMPLATE ").Append(SqlQuote.Identifier(template));
            // PostgreSQL 15 copies templates block by block through the WAL by default; copying the
            // files (after a checkpoint, which costs nothing with fsync off) is several times faster here.
            if (Version.Major >= 15)
            {
                sql.Append(" STRATEGY FILE_COPY");
            }
        }
        Psql("postgres", sql: sql.ToString());
    }

    /// <summary>
    /// Drops the database if it exists, even when it is a template or a test still holds pooled
    /// connections to it (WITH (FORCE), PostgreSQL 13+).
    /// </summary>
    public void DropDatabase(string name)
    {
        var literal = SqlQuote.Literal(name);
        var script = new StringBuilder()
            .AppendLine("DO $fonana$ BEGIN")
            .AppendLine($"  IF EXISTS (SELECT 1 FROM pg_database WHERE datname = {literal} AND datistemplate) THEN")
            .AppendLine($"    EXECUTE format('ALTER DATABASE %I IS_TEMPLATE false', {literal});")
            .AppendLine("  END IF;")
            .AppendLine("END $fonana$;")
            .Append("DROP DATABASE IF EXISTS ").Append(SqlQuote.Identifier(name))
            .AppendLine(Version.Major >= 13 ? " WITH (FORCE);" : ";");
        Psql("postgres", standardInput: script.ToString());
    }

    /// <summary>Runs a script (any number of statements, psql meta-commands allowed) as the superuser.</summary>
    public void ExecuteSql(string database, string sql) => ExecuteSql(database, sql, asRole: null);

    /// <summary>
    /// Runs a script; with <paramref name="asRole"/> it runs after SET ROLE in the same session, so the
    /// objects it creates belong to that role exactly as if the role had connected itself.
    /// </summary>
    public void ExecuteSql(string database, string sql, string? asRole)
    {
        ArgumentNullException.ThrowIfNull(sql);
        Psql(database, setRole: asRole, file: "-", standardInput: sql);
    }

    public void ExecuteFile(string database, string path) => ExecuteFile(database, path, asRole: null);

    /// <summary>Runs a SQL file; see <see cref="ExecuteSql(string, string, string?)"/> for <paramref name="asRole"/>.</summary>
    public void ExecuteFile(string database, string path, string? asRole)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"SQL file not found: {fullPath}", fullPath);
        }
        Psql(database, setRole: asRole, file: fullPath);
    }

    /// <summary>
    /// Result of a query as psql's unaligned, tuples-only text (-At): one value per line, columns joined by '|',
    /// NULL as an empty string. Only the trailing line break is removed, so a value's own spaces survive.
    /// </summary>
    public string QueryScalar(string database, string sql)
    {
        var result = Psql(database, sql: sql, tuplesOnly: true);
        return result.StdOut.TrimEnd('\r', '\n');
    }

    /// <summary>postgresql://user:password@127.0.0.1:port/database with user, password and name URL-encoded.</summary>
    public string ConnectionUri(string user, string password, string database) =>
        string.Create(CultureInfo.InvariantCulture,
            $"postgresql://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{Host}:{Port}/{Uri.EscapeDataString(database)}");

    /// <summary>Npgsql-style Host=..;Port=..;Username=..;Password=..;Database=.., values quoted where needed.</summary>
    public string KeyValueConnectionString(string user, string password, string database)
    {
        var text = new StringBuilder();
        DbConnectionStringBuilder.AppendKeyValuePair(text, "Host", Host);
        DbConnectionStringBuilder.AppendKeyValuePair(text, "Port", Port.ToString(CultureInfo.InvariantCulture));
        DbConnectionStringBuilder.AppendKeyValuePair(text, "Username", user);
        DbConnectionStringBuilder.AppendKeyValuePair(text, "Password", password);
        DbConnectionStringBuilder.AppendKeyValuePair(text, "Database", database);
        return text.ToString();
    }

    /// <summary>
    /// One psql session: -c "SET ROLE" (optional), then either -c sql or -f file. psql 9.6+ runs repeated
    /// -c/-f options in order over a single connection, so the SET ROLE holds for the script.
    /// </summary>
    private CommandResult Psql(string database, string? sql = null, string? file = null, string? setRole = null, string? standardInput = null, bool tuplesOnly = false)
    {
        var arguments = new List<string> { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperuserName };
        // Trust over the private unix socket; Windows has no socket here, so TCP with the superuser password.
        arguments.AddRange(new[] { "-h", SocketDirectory ?? Host });
        if (tuplesOnly)
        {
            arguments.Add("-At");
        }
        if (setRole is not null)
        {
            arguments.AddRange(new[] { "-c", "SET ROLE " + SqlQuote.Identifier(setRole) });
        }
        if (sql is not null)
        {
            arguments.AddRange(new[] { "-c", sql });
        }
        if (file is not null)
        {
            arguments.AddRange(new[] { "-f", file });
        }

        var environment = new Dictionary<string, string?>
        {
            // The database travels in PGDATABASE, not -d: psql would parse a -d value containing '=' as a connection string.
            ["PGDATABASE"] = database,
            ["PGCLIENTENCODING"] = "UTF8",
            ["PGPASSWORD"] = SuperuserPassword,
            ["PGCONNECT_TIMEOUT"] = "10",
            ["PGAPPNAME"] = "FonanaMigration.Testing",
            // Whatever the developer's shell points libpq at must not redirect or reconfigure admin sessions.
            ["PGOPTIONS"] = null,
            ["PGSERVICE"] = null,
            ["PGSERVICEFILE"] = null,
            ["PGSSLMODE"] = null,
            ["PGTARGETSESSIONATTRS"] = null,
        };
        var result = ExternalCommand.Run(Binaries.Psql, arguments, standardInput, environment, timeout: PsqlTimeout);
        if (!result.Succeeded)
        {
            throw new PsqlException(database, result.ExitCode, result.StdErr.Length > 0 ? result.StdErr : result.StdOut);
        }
        return result;
    }
}
