using System.Text.RegularExpressions;
using Npgsql;


namespace FonanaMigration.Engine.Hosting;

/// <summary>
/// A server error put into words for an error record or a log. Row values (a key's email in DETAIL, a whole COPY line
/// in CONTEXT, the bad value in "invalid input syntax … : "x"") appear only when the user asked for them: errors and
/// logs travel further than the data should.
/// </summary>
internal static class ServerErrorText
{
    public const string ValuesLeftOut = "row values left out; -IncludeRowValues shows them";

    // A trailing quoted value, as PostgreSQL appends it: …: "value" (the value may itself hold quotes).
    private static readonly Regex QuotedTail = new(@": "".*""\s*$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    public static string Describe(PostgresException pg, bool includeRowValues)
    {
        if (includeRowValues)
            return $"{pg.MessageText}{(pg.Detail is null ? "" : " (" + pg.Detail + ")")}{(pg.Where is null ? "" : " [" + pg.Where + "]")}";
        var where = pg.Where is null ? "" : " [" + StripValue(pg.Where.Split('\n')[0]) + "]";
        return $"{StripValue(pg.MessageText)}{where} ({ValuesLeftOut})";
    }

    /// <summary>The exception to keep as the inner one: the server's own only when its values may be shown.</summary>
    public static Exception? Inner(PostgresException pg, bool includeRowValues) => includeRowValues ? pg : null;

    private static string StripValue(string text) => QuotedTail.Replace(text, "");
}
