using System.Text.Json;
using System.Xml.Linq;
using FonanaMigration.Engine.Integrity;
using FonanaMigration.Engine.Reports;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Tests;

/// <summary>The three report files: a Markdown job summary, JSON with every property, and JUnit XML whose counts CI can trust.</summary>
public class ReportTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-report-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static VerificationReport Counts() => RowCountReport.From(new[]
    {
        new RowCountComparison { Name = "public.comments", Expected = 44, Actual = 44, ExpectedChecksum = "a", ActualChecksum = "a" },
        new RowCountComparison { Name = "public.likes", Expected = 8, Actual = 7, ExpectedChecksum = "b", ActualChecksum = "c" },
        new RowCountComparison { Name = "public.posts", Expected = 279, Actual = 279, ExpectedChecksum = "d", ActualChecksum = "e", Note = "Same number of rows, different content." },
        new RowCountComparison { Name = "creators", Kind = "Query", Expected = 56, Actual = 56 },
    }, "postgresql://fonana_user@127.0.0.1:5432/fonana", "archive fonana.fnz");

    private static VerificationReport Integrity() => IntegrityReport.From(new IntegrityTestResult
    {
        Target = "postgresql://fonana_user@127.0.0.1:5432/fonana",
        Findings = new[]
        {
            new IntegrityFinding { Severity = IntegritySeverity.Error, Check = IntegrityCheck.ForeignKeyOrphan, Table = "public.comments", Column = "postId", Count = 1, Sample = new[] { "c7" }, Message = "1 row(s) reference no row of public.posts | <b>" },
            new IntegrityFinding { Severity = IntegritySeverity.Warning, Check = IntegrityCheck.MediaLocalhost, Table = "public.posts", Column = "mediaUrl", Count = 140, Examined = 140, Message = "localhost" },
            new IntegrityFinding { Severity = IntegritySeverity.Error, Check = IntegrityCheck.EncodingMojibake, Table = "public.posts", Column = "title", Count = 1, Sample = new[] { "p\u0001\u0090" }, Message = "'–ó–ê–î–ê–ß–ê' \u0001 was 'ЗАДАЧА'" },
        },
        Runs = new[]
        {
            new IntegrityCheckedTable(IntegrityCheck.ForeignKeyOrphan, "public.comments"), new IntegrityCheckedTable(IntegrityCheck.ForeignKeyOrphan, "public.likes"),
            new IntegrityCheckedTable(IntegrityCheck.MediaLocalhost, "public.posts"), new IntegrityCheckedTable(IntegrityCheck.MediaLocalhost, "public.users"),
            new IntegrityCheckedTable(IntegrityCheck.EncodingMojibake, "public.posts"), new IntegrityCheckedTable(IntegrityCheck.EncodingMojibake, "public.users"),
        },
    });

    [Fact]
    public void Markdown_HasAFailHeadline_AndListsMismatchesBeforeMatches()
    {
        var text = MarkdownReportWriter.ToText(Counts());

        Assert.StartsWith("# ❌ FAIL: Row counts of `postgresql://fonana_user@127.0.0.1:5432/fonana`", text);
        Assert.Contains("4 check(s), 2 failed, 0 warning(s) · compared with archive fonana.fnz", text);
        var lines = text.Split('\n');
        var likes = Array.FindIndex(lines, l => l.Contains("public.likes"));
        var posts = Array.FindIndex(lines, l => l.Contains("public.posts"));
        var comments = Array.FindIndex(lines, l => l.Contains("public.comments"));
        Assert.True(likes < comments && posts < comments, "failures come first");
        Assert.Contains("| ❌ fail | public.likes | 8 | 7 | DIFFERENT |  |", lines);
        Assert.Contains("## Queries (all 1 passed)", text);
    }

    [Fact]
    public void Markdown_OfAnIntegrityReport_HasATablePerCheck_EscapingMarkup_AndShowsCleanTables()
    {
        var text = MarkdownReportWriter.ToText(Integrity());

        Assert.StartsWith("# ❌ FAIL: Integrity", text);
        Assert.Contains("## ForeignKeyOrphan (1 failed of 2)", text);
        Assert.Contains("## MediaLocalhost (1 warning(s) of 2)", text);
        Assert.Contains("reference no row of public.posts \\| &lt;b&gt;", text);
        Assert.Contains("| ✅ pass | public.likes |  |  |  |  | no findings |", text);
        Assert.Contains("| ✅ pass | public.users |  |  |  |  | no findings |", text);
    }

    [Fact]
    public void JUnit_HasOneTestcasePerCheckAndTable_FailuresOnlyForErrors_AndValidXmlDespiteControlCharacters()
    {
        using var stream = new MemoryStream();
        JUnitReportWriter.Write(Integrity(), stream);
        stream.Position = 0;
        var xml = XDocument.Load(stream);

        var root = xml.Root!;
        Assert.Equal(("testsuites", "6", "2"), (root.Name.LocalName, (string?)root.Attribute("tests"), (string?)root.Attribute("failures")));
        var cases = root.Descendants("testcase").ToList();
        Assert.Equal(6, cases.Count);
        Assert.Equal(2, cases.Count(c => c.Element("failure") is not null));
        var orphan = cases.Single(c => (string?)c.Attribute("classname") == "FonanaMigration.Integrity.ForeignKeyOrphan" && (string?)c.Attribute("name") == "public.comments");
        Assert.Contains("reference no row", orphan.Element("failure")!.Value);
        var localhost = cases.Single(c => (string?)c.Attribute("classname") == "FonanaMigration.Integrity.MediaLocalhost" && (string?)c.Attribute("name") == "public.posts");
        Assert.Null(localhost.Element("failure"));
        Assert.Contains("localhost", localhost.Element("system-out")!.Value);
        foreach (var suite in root.Elements("testsuite"))
            Assert.Equal(suite.Elements("testcase").Count(c => c.Element("failure") is not null).ToString(), (string?)suite.Attribute("failures"));
    }

    [Fact]
    public void Json_HoldsTheSummary_AndEveryPropertyOfEveryResult()
    {
        using var stream = new MemoryStream();
        JsonReportWriter.Write(Counts(), stream);
        using var json = JsonDocument.Parse(stream.ToArray());

        var root = json.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(4, root.GetProperty("summary").GetProperty("tests").GetInt32());
        Assert.Equal(2, root.GetProperty("summary").GetProperty("failures").GetInt32());
        var likes = root.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "public.likes");
        Assert.Equal(8, likes.GetProperty("expected").GetInt64());
        Assert.False(likes.GetProperty("match").GetBoolean());
        Assert.False(likes.GetProperty("checksumMatch").GetBoolean());
        Assert.Equal("c", likes.GetProperty("actualChecksum").GetString());
    }

    [Fact]
    public void Json_WritesSeverityAndCheckByName()
    {
        using var stream = new MemoryStream();
        JsonReportWriter.Write(Integrity(), stream);
        using var json = JsonDocument.Parse(stream.ToArray());

        var first = json.RootElement.GetProperty("results")[0];
        Assert.Equal("Error", first.GetProperty("severity").GetString());
        Assert.Equal("ForeignKeyOrphan", first.GetProperty("check").GetString());
        Assert.Equal("c7", first.GetProperty("sample")[0].GetString());
    }

    [Theory]
    [InlineData("", "row-counts")]
    [InlineData("verify", "verify")]
    [InlineData("verify.md", "verify")]
    [InlineData("nested/deeper/verify.junit.xml", "nested/deeper/verify")]
    public void ReportFiles_WritesTheThreeFiles_IntoADirectoryOrBesideABasePath(string relative, string expectedBase)
    {
        var path = relative.Length == 0 ? _work : Path.Combine(_work, relative);

        var written = ReportFiles.Write(Counts(), path);

        var basePath = Path.Combine(_work, expectedBase);
        Assert.Equal(new[] { basePath + ".md", basePath + ".json", basePath + ".junit.xml" }, written);
        Assert.All(written, f => Assert.True(new FileInfo(f).Length > 0));
        Assert.Empty(Directory.GetFiles(_work, "*.partial", SearchOption.AllDirectories));
    }
}
