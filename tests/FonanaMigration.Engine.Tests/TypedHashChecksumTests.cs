using Npgsql;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// The typed-hash content checksum (hash_record_extended): which columns hash by type and which as text, decided from the
/// catalog; equal data on two servers gives equal checksums; every kind of real change gives a different one.
/// </summary>
[Collection(ServerCollection.Name)]
public class TypedHashChecksumTests
{
    private const string Types = """
        CREATE EXTENSION IF NOT EXISTS citext;
        CREATE COLLATION caseless (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        CREATE TYPE pair AS (a int, b int);
        CREATE TYPE with_json AS (a int, j json);
        CREATE DOMAIN positive AS int CHECK (VALUE > 0);
        CREATE DOMAIN json_doc AS json;
        CREATE DOMAIN caseless_text AS text COLLATE caseless;
        CREATE TYPE caseless_range AS RANGE (subtype = text, collation = caseless);
        CREATE TYPE float_range AS RANGE (subtype = float8);
        """;

    private static readonly string[] Columns =
    [
        "i", "t", "ts", "jb", "n", "u", "ia", "r", "mr", "d", "da", "fr",
        "j", "x", "p", "b", "pg", "tv", "c", "cj", "ja", "dj", "ct", "cta", "ci", "cd", "cr", "e", "iv",
    ];

    private const string Table = """
        CREATE TABLE kinds (
            i int, t text, ts timestamptz, jb jsonb, n numeric, u uuid, ia int[], r int4range, mr int4multirange, d positive, da positive[], fr float_range,
            j json, x xml, p point, b box, pg polygon, tv tsvector, c pair, cj with_json, ja json[], dj json_doc, ct citext, cta citext[],
            ci text COLLATE caseless, cd caseless_text, cr caseless_range, e mood, iv interval);
        GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO fonana_user;
        """;

    private readonly ServerFixture _servers;

    public TypedHashChecksumTests(ServerFixture servers) => _servers = servers;

    [Fact]
    public async Task TypedHash_HashesByTypeOnlyBuiltInTypesWithAnExactExtendedHash_AndEverythingElseAsItsText()
    {
        var (name, endpoint) = _servers.Empty(_servers.Local);
        _servers.Local.ExecuteSql(name, Types + Table);
        await using var connection = await ServerConnector.OpenAsync(endpoint, new RunContext(), "test");

        var fields = (await TypedHashColumns.RowFieldsAsync(connection, new QualifiedName("public", "kinds"), Columns, default)).Split(", ");

        string Typed(string c) => $"t.\"{c}\"";
        string Text(string c) => $"t.\"{c}\"::text COLLATE \"C\"";
        string Array(string c) => $"array_dims(t.\"{c}\")";
        Assert.Equal(
        [
            // Built-in types with an extended hash; domains by their base type, arrays by their element (plus their
            // dimensions), ranges and multiranges by their subtype.
            Typed("i"), Typed("t"), Typed("ts"), Typed("jb"), Typed("n"), Typed("u"), Typed("ia"), Array("ia"), Typed("r"), Typed("mr"),
            Typed("d"), Typed("da"), Array("da"), Typed("fr"),
            // No hash opclass (json, xml, geometric, tsvector), composites, arrays and domains over those, an extension's
            // type (citext hashes case-insensitively), nondeterministic collations (column, domain, range), enums (the
            // hash is the label's oid), interval ('1 day' = '24 hours').
            Text("j"), Text("x"), Text("p"), Text("b"), Text("pg"), Text("tv"), Text("c"), Text("cj"), Text("ja"), Text("dj"), Text("ct"), Text("cta"),
            Text("ci"), Text("cd"), Text("cr"), Text("e"), Text("iv"),
        ], fields);

        // And the server accepts the row it builds, over every one of those types.
        _servers.Local.ExecuteSql(name, """
            INSERT INTO kinds VALUES (1, 'a', now(), '{"a":1}', 1.5, gen_random_uuid(), '{1,2}', '[1,3)', '{[1,3)}', 5, '{5}', '[1.5,2)',
                '{"a":1}', '<a/>', '(1,2)', '((0,0),(1,1))', '((0,0),(1,1),(1,0))', 'a b', '(1,2)', '(1,"{}")', ARRAY['{}'::json], '{}', 'Abc', '{Abc}',
                'Abc', 'Abc', '[a,b)', 'happy', '1 day');
            """);
        var sum = await ContentChecksum.ComputeAsync(connection, new QualifiedName("public", "kinds"), Columns, ChecksumAlgorithm.TypedHash, default);
        Assert.Equal(1, sum.Rows);
    }

    [Fact]
    public async Task TypedHash_OfTheSameRows_IsEqualOnTwoServers_WithDifferentTimeZonesAndEnumOids()
    {
        var (localName, local) = _servers.Empty(_servers.Local);
        var (prodName, prod) = _servers.Empty(_servers.Prod);
        // Shifts the oids the target's enum labels get: an enum's own hash is its label's oid, so it must go in as text.
        _servers.Prod.ExecuteSql(prodName, "CREATE TYPE unrelated AS ENUM ('x', 'y', 'z');");
        const string rows = """
            INSERT INTO kinds SELECT g, 'text ' || g, timestamptz '2024-03-10 12:00:00+00' + g * interval '1 hour', jsonb_build_object('k', g), g / 3.0,
                md5(g::text)::uuid, ARRAY[g, g + 1], int4range(g, g + 5), int4multirange(int4range(g, g + 1)), g, ARRAY[g]::positive[], float_range(g, g + 0.5),
                json_build_object('k', g), xmlelement(name a, g), point(g, g), box(point(0, 0), point(g, g)), '((0,0),(1,1),(1,0))', to_tsvector('simple', 'word ' || g),
                ROW(g, g)::pair, ROW(g, '{}')::with_json, ARRAY['{}'::json], '{}', 'Abc' || g, ARRAY['Abc'::citext], 'Abc', 'Abc', '[a,b)',
                CASE WHEN g % 2 = 0 THEN 'sad' ELSE 'happy' END::mood, g * interval '1 day'
            FROM generate_series(1, 200) g;
            INSERT INTO kinds (i) VALUES (NULL);
            """;
        _servers.Local.ExecuteSql(localName, Types + Table + rows);
        _servers.Prod.ExecuteSql(prodName, Types + Table + rows);

        var onLocal = await TypedChecksumAsync(local);
        var onProd = await TypedChecksumAsync(prod);

        Assert.Equal(201, onLocal.Rows);
        Assert.Equal(onLocal, onProd);
    }

    public static TheoryData<string, string> Changes => new()
    {
        { "one character of a text", "UPDATE public.v SET t = 'hellO' WHERE id = 1" },
        { "a timestamptz", "UPDATE public.v SET ts = ts + interval '1 microsecond' WHERE id = 1" },
        { "a json value", """UPDATE public.v SET j = '{"k": 2}' WHERE id = 1""" },
        { "json whitespace", """UPDATE public.v SET j = '{"k":1}' WHERE id = 1""" },
        { "an element of an int[]", "UPDATE public.v SET ia = '{1,2,4}' WHERE id = 1" },
        { "the bounds of an int[]", "UPDATE public.v SET ia = '[0:2]={1,2,3}' WHERE id = 1" },
        { "NULL to an empty string", "UPDATE public.v SET s = '' WHERE id = 2" },
        { "a row's values moved between two columns", "UPDATE public.v SET a = b, b = a WHERE id = 1" },
        { "a duplicated row", "INSERT INTO public.v SELECT * FROM public.v WHERE id = 1" },
        { "the case of a citext", "UPDATE public.v SET ct = 'abc' WHERE id = 1" },
        { "the case of a text under a nondeterministic collation", "UPDATE public.v SET ci = 'abc' WHERE id = 1" },
        { "an interval of the same length", "UPDATE public.v SET iv = interval '24 hours' WHERE id = 1" },
        { "an enum label", "UPDATE public.v SET e = 'sad' WHERE id = 1" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task TypedHash_ChangesWhenTheDataChanges(string change, string sql)
    {
        await using var connection = await ChangeTableAsync();
        var before = await TypedChecksumAsync(connection, "v");

        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using (var cmd = new NpgsqlCommand(sql, connection)) await cmd.ExecuteNonQueryAsync();
            var after = await TypedChecksumAsync(connection, "v");
            Assert.True(before != after, $"{change}: the checksum did not change");
            await tx.RollbackAsync();
        }
        Assert.Equal(before, await TypedChecksumAsync(connection, "v"));
    }

    [Fact]
    public async Task TypedHash_TreatsEqualNumericsOfAnotherScaleAsTheSameValue()
    {
        // Documented: numeric 1.0 and 1.00 are the same value and hash alike (the text algorithm tells them apart).
        await using var connection = await ChangeTableAsync();
        var before = await TypedChecksumAsync(connection, "v");
        await using var tx = await connection.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("UPDATE public.v SET n = 1.00 WHERE id = 1", connection)) await cmd.ExecuteNonQueryAsync();

        Assert.Equal(before, await TypedChecksumAsync(connection, "v"));
    }

    private async Task<NpgsqlConnection> ChangeTableAsync()
    {
        var (name, endpoint) = _servers.Empty(_servers.Local);
        _servers.Local.ExecuteSql(name, """
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE COLLATION caseless (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            CREATE TABLE v (id int, t text, ts timestamptz, j json, ia int[], s text, a int, b int, ct citext, ci text COLLATE caseless,
                iv interval, e mood, n numeric);
            INSERT INTO v VALUES (1, 'hello', '2024-01-01 00:00:00+00', '{"k": 1}', '{1,2,3}', 'x', 1, 2, 'Abc', 'Abc', '1 day', 'happy', 1.0),
                                 (2, 'world', '2024-01-02 00:00:00+00', '[]', '{}', NULL, 3, 4, 'Def', 'Def', '2 days', 'sad', 2);
            GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO fonana_user;
            """);
        return await ServerConnector.OpenAsync(endpoint, new RunContext(), "test");
    }

    private static async Task<ContentChecksum> TypedChecksumAsync(DatabaseEndpoint endpoint)
    {
        await using var connection = await ServerConnector.OpenAsync(endpoint, new RunContext(), "test");
        return await TypedChecksumAsync(connection, "kinds");
    }

    private static async Task<ContentChecksum> TypedChecksumAsync(NpgsqlConnection connection, string table)
    {
        var name = new QualifiedName("public", table);
        var columns = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT attname FROM pg_attribute WHERE attrelid = @t::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum", connection))
        {
            cmd.Parameters.AddWithValue("t", name.Sql);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        return await ContentChecksum.ComputeAsync(connection, name, columns, ChecksumAlgorithm.TypedHash, default);
    }
}
