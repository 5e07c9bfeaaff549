using System.Collections;
using System.Management.Automation;
using FonanaMigration.Engine.Mapping;

namespace FonanaMigration;

/// <summary>
/// Turns -Map (a hashtable, or the path of a .psd1 file read with PowerShell's own Import-PowerShellDataFile, which runs
/// no code) into the engine's plain <see cref="MigrationMap"/>. Every malformed entry is listed in one error.
/// </summary>
internal static class MigrationMapArgument
{
    public static MigrationMap? Read(PSCmdlet cmdlet, object? map)
    {
        if (map is null) return null;
        var value = map is PSObject wrapped ? wrapped.BaseObject : map;
        object target = value;
        if (value is string or FileInfo)
        {
            var path = cmdlet.GetUnresolvedProviderPathFromPSPath(value.ToString()!);
            target = path;
            if (!File.Exists(path))
                cmdlet.ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The migration map file '{path}' does not exist.", path),
                    "MigrationMapNotFound", ErrorCategory.ObjectNotFound, path));
            try
            {
                var read = cmdlet.InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($p) Import-PowerShellDataFile -LiteralPath $p"), null, path);
                value = read.Count == 1 ? read[0].BaseObject : null!;
            }
            catch (RuntimeException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(new InvalidDataException($"The migration map file '{path}' is not a PowerShell data file: {ex.Message}", ex),
                    MigrationMapInvalidId, ErrorCategory.InvalidData, path));
            }
        }
        if (value is not IDictionary dictionary)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Map takes a hashtable or the path of a .psd1 file holding one."),
                MigrationMapInvalidId, ErrorCategory.InvalidArgument, target));
            return null;
        }
        var problems = new List<string>();
        var result = MigrationMapReader.Read((IDictionary)Plain(dictionary)!, problems);
        if (problems.Count > 0)
            cmdlet.ThrowTerminatingError(new ErrorRecord(new InvalidDataException(
                $"The migration map is malformed ({problems.Count} problem(s)); nothing was done:{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select((p, i) => $"  {i + 1}. {p}"))), MigrationMapInvalidId, ErrorCategory.InvalidData, target));
        return result;
    }

    private const string MigrationMapInvalidId = "MigrationMapInvalid";

    // The engine knows no PowerShell: PSObject wrappers go, dictionaries become plain case-insensitive hashtables.
    private static object? Plain(object? value)
    {
        if (value is PSObject wrapped) value = wrapped.BaseObject;
        if (value is not IDictionary dictionary) return value;
        var plain = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in dictionary) plain[Plain(entry.Key)?.ToString() ?? ""] = Plain(entry.Value);
        return plain;
    }
}
