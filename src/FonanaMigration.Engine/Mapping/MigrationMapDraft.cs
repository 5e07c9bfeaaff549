using System.Text;


namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// Writes the starting point of a migration map (.psd1) from the drift findings: every entry the module can decide,
/// filled; every decision only a person can make, present with its suggestion and a Decide key that keeps the map
/// refused until a person removes it; each entry preceded by a comment saying what the data would go through.
/// </summary>
public static class MigrationMapDraft
{
    public static string Write(IReadOnlyList<DriftFinding> findings, string source, string target, bool unrecordedChange)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Migration map drafted by New-FonanaMigrationMap on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"# Source: {source}");
        text.AppendLine($"# Target: {target}");
        if (unrecordedChange)
            text.AppendLine("# Both record the same Prisma migrations, yet their tables differ: the source was probably changed with `prisma db push` or by hand.");
        text.AppendLine("# An entry with a Decide key is a decision only a person can make: the map is refused (MigrationMapInvalid) until every Decide key is gone.");
        text.AppendLine("# Use it with: Copy-FonanaDatabase -Map <this file> …, or Import-FonanaDatabase -Map <this file> ….");
        foreach (var f in findings.Where(f => f.Section is null))
            text.AppendLine($"# NOT RESOLVABLE BY A MAP: {f.Difference.Kind} {f.Difference.Object}: {f.Difference.Message} {f.Impact}");
        text.AppendLine("@{");
        foreach (var section in new[] { "Columns", "Tables" })
        {
            text.AppendLine($"    {section} = @{{");
            foreach (var f in findings.Where(f => f.Section == section).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                Comment(text, "        ", f);
                text.AppendLine($"        '{DriftAnalysis.Quote(f.Key!)}' = {f.Entry}");
            }
            text.AppendLine("    }");
        }
        text.AppendLine("    EnumLabels = @{");
        foreach (var type in findings.Where(f => f.Section == "EnumLabels").GroupBy(f => f.Key!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"        '{DriftAnalysis.Quote(type.Key)}' = @{{");
            foreach (var f in type)
            {
                Comment(text, "            ", f);
                text.AppendLine($"            '{DriftAnalysis.Quote(f.Label!)}' = {f.Entry}");
            }
            text.AppendLine("        }");
        }
        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }

    private static void Comment(StringBuilder text, string indent, DriftFinding f)
    {
        var d = f.Difference;
        var values = d.SourceValue is null && d.TargetValue is null ? "" : $" ({d.SourceValue ?? "none"} -> {d.TargetValue ?? "none"})";
        text.AppendLine($"{indent}# {d.Kind} {d.Object}{values}: {OneLine(f.Impact)}{(f.Group is null ? "" : $" Group: {f.Group}.")}");
    }

    private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
}
