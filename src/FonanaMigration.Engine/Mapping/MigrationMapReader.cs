using System.Collections;


namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// Reads a <see cref="MigrationMap"/> from a plain dictionary (what a hashtable or a .psd1 file becomes): every
/// problem is collected, so one error can list them all.
/// </summary>
public static class MigrationMapReader
{
    private static readonly string[] Sections = { "Columns", "Tables", "EnumLabels" };

    public static MigrationMap Read(IDictionary map, List<string> problems)
    {
        foreach (var key in map.Keys.Cast<object>().Select(k => k?.ToString() ?? "").Where(k => !Sections.Contains(k, StringComparer.OrdinalIgnoreCase)))
            problems.Add($"Unknown section '{key}': a map has Columns, Tables and EnumLabels.");

        var columns = new Dictionary<MapKey, ColumnMapping>();
        foreach (var (name, value) in Entries(Section(map, "Columns", problems)))
        {
            if (!MapKey.TryParse(name, 3, out var key)) { problems.Add($"Columns['{name}']: a column key is schema.table.column."); continue; }
            if (value is string expression && expression.Trim().Length > 0) { columns[key] = new ColumnMapping(expression, false); continue; }
            // A Decide key marks a decision still to make (New-FonanaMigrationMap writes it next to its suggestion): it wins until removed.
            if (value is IDictionary entry && Known(entry, $"Columns['{name}']", problems, "Expression", "Drop", "Decide"))
            {
                if (Text(entry, "Decide") is { } decide) columns[key] = new ColumnMapping(null, false, decide);
                else if (Text(entry, "Expression") is { } written && !Flag(entry, "Drop")) columns[key] = new ColumnMapping(written, false);
                else if (Flag(entry, "Drop") && Text(entry, "Expression") is null) columns[key] = new ColumnMapping(null, true);
                else problems.Add($"Columns['{name}']: give an SQL expression, or @{{ Drop = $true }}.");
                continue;
            }
            if (value is not IDictionary) problems.Add($"Columns['{name}']: give an SQL expression, or @{{ Drop = $true }}.");
        }

        var tables = new Dictionary<MapKey, TableMapping>();
        foreach (var (name, value) in Entries(Section(map, "Tables", problems)))
        {
            if (!MapKey.TryParse(name, 2, out var key)) { problems.Add($"Tables['{name}']: a table key is schema.table."); continue; }
            if (value is not IDictionary entry) { problems.Add($"Tables['{name}']: give @{{ From = 'SELECT …' }}, @{{ Drop = $true }} or @{{ Target = 'schema.table' }}."); continue; }
            if (!Known(entry, $"Tables['{name}']", problems, "From", "Drop", "Target", "Decide")) continue;
            var from = Text(entry, "From");
            var target = Text(entry, "Target");
            MapKey? targetKey = null;
            if (target is not null)
            {
                if (MapKey.TryParse(target, 2, out var parsed)) targetKey = parsed;
                else { problems.Add($"Tables['{name}'].Target: '{target}' is not schema.table."); continue; }
            }
            var chosen = (from is null ? 0 : 1) + (Flag(entry, "Drop") ? 1 : 0) + (targetKey is null ? 0 : 1);
            if (Text(entry, "Decide") is { } decide) tables[key] = new TableMapping(null, false, null, decide);
            else if (chosen != 1) problems.Add($"Tables['{name}']: give exactly one of From, Drop or Target.");
            else tables[key] = new TableMapping(from, Flag(entry, "Drop"), targetKey);
        }

        var enums = new Dictionary<MapKey, IReadOnlyDictionary<string, LabelMapping>>();
        foreach (var (name, value) in Entries(Section(map, "EnumLabels", problems)))
        {
            if (!MapKey.TryParse(name, 2, out var key)) { problems.Add($"EnumLabels['{name}']: an enum key is schema.type."); continue; }
            if (value is not IDictionary labels) { problems.Add($"EnumLabels['{name}']: give @{{ SOURCE_LABEL = 'TARGET_LABEL' }}."); continue; }
            var read = new Dictionary<string, LabelMapping>(StringComparer.Ordinal);
            foreach (var (label, to) in Entries(labels))
            {
                if (to is string target && target.Length > 0) read[label] = new LabelMapping(target, false);
                else if (to is IDictionary entry && Known(entry, $"EnumLabels['{name}']['{label}']", problems, "To", "RefuseRows", "Decide"))
                {
                    if (Text(entry, "Decide") is { } decide) read[label] = new LabelMapping(null, false, decide);
                    else if (Text(entry, "To") is { } written) read[label] = new LabelMapping(written, false);
                    else if (Flag(entry, "RefuseRows")) read[label] = new LabelMapping(null, true);
                    else problems.Add($"EnumLabels['{name}']['{label}']: give a target label, or @{{ RefuseRows = $true }}.");
                }
                else if (to is not IDictionary) problems.Add($"EnumLabels['{name}']['{label}']: give a target label, or @{{ RefuseRows = $true }}.");
            }
            enums[key] = read;
        }
        return new MigrationMap { Columns = columns, Tables = tables, EnumLabels = enums };
    }

    private static IDictionary? Section(IDictionary map, string name, List<string> problems)
    {
        var key = map.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase));
        if (key is null || map[key] is null) return null;
        if (map[key] is IDictionary section) return section;
        problems.Add($"{name} must be a hashtable.");
        return null;
    }

    private static IEnumerable<(string Key, object? Value)> Entries(IDictionary? section) =>
        section is null ? Enumerable.Empty<(string, object?)>() :
        section.Keys.Cast<object>().Select(k => (k?.ToString() ?? "", section[k])).OrderBy(e => e.Item1, StringComparer.Ordinal);

    private static bool Known(IDictionary entry, string where, List<string> problems, params string[] allowed)
    {
        var unknown = entry.Keys.Cast<object>().Select(k => k?.ToString() ?? "").Where(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var key in unknown) problems.Add($"{where}: unknown key '{key}' (known: {string.Join(", ", allowed)}).");
        return unknown.Count == 0;
    }

    private static object? Value(IDictionary entry, string name)
    {
        var key = entry.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase));
        return key is null ? null : entry[key];
    }

    private static string? Text(IDictionary entry, string name) => Value(entry, name) is string s && s.Trim().Length > 0 ? s : null;

    private static bool Flag(IDictionary entry, string name) => Value(entry, name) is true;
}
