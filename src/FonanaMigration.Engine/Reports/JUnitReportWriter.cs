using System.Globalization;
using System.Text;
using System.Xml;

namespace FonanaMigration.Engine.Reports;

/// <summary>
/// The report for CI test tabs (GitLab, Azure DevOps, Jenkins, GitHub test-report actions): one testsuite per section,
/// one testcase per case, a failure element for each failed case. Warnings are not failures: they go to the case's
/// system-out, so they are visible without turning the pipeline red.
/// </summary>
public static class JUnitReportWriter
{
    public static void Write(VerificationReport report, Stream stream)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var xml = XmlWriter.Create(stream, settings);
        var time = (report.Elapsed ?? TimeSpan.Zero).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var timestamp = report.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", $"FonanaMigration {report.Title}: {report.Target}");
        Counts(xml, report.Tests, report.Failures);
        xml.WriteAttributeString("time", time);
        foreach (var section in report.Sections)
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", $"{report.Title}.{section.Name}");
            Counts(xml, section.Cases.Count, section.Failures);
            xml.WriteAttributeString("timestamp", timestamp);
            xml.WriteStartElement("properties");
            Property(xml, "target", report.Target);
            if (report.ComparedWith is not null) Property(xml, "comparedWith", report.ComparedWith);
            Property(xml, "toolVersion", report.ToolVersion);
            xml.WriteEndElement();
            foreach (var item in section.Cases)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", $"FonanaMigration.{report.Title.Replace(" ", "")}.{section.Name}");
                xml.WriteAttributeString("name", Clean(item.Name));
                xml.WriteAttributeString("time", "0");
                if (item.Outcome == ReportOutcome.Failed)
                {
                    var message = Clean(item.Message ?? "failed");
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", message.Split('\n')[0]);
                    xml.WriteAttributeString("type", section.Name);
                    xml.WriteString(message);
                    xml.WriteEndElement();
                }
                else if (item.Outcome == ReportOutcome.Warning && item.Message is not null)
                {
                    xml.WriteElementString("system-out", Clean(item.Message));
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Counts(XmlWriter xml, int tests, int failures)
    {
        xml.WriteAttributeString("tests", tests.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", "0");
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    /// <summary>Data can hold characters XML 1.0 forbids (control characters in a damaged string); they become U+FFFD.</summary>
    internal static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                result.Append(text, i, 2);
                i++;
            }
            else result.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
        }
        return result.ToString();
    }
}
