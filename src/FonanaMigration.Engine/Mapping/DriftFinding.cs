
namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// One difference between a drifted source and its target, explained for a person: what would happen to the data, and
/// the migration map entry that resolves it (filled when the module can decide, marked Decide when only a person can).
/// </summary>
public sealed class DriftFinding
{
    public SchemaDifference Difference { get; init; } = null!;
    /// <summary>What the data would go through, with counts from the live source when it was read ("96 non-NULL values would be lost").</summary>
    public string Impact { get; init; } = "";
    /// <summary>Columns, Tables or EnumLabels; null when no map entry can resolve it (fix the target instead).</summary>
    public string? Section { get; init; }
    /// <summary>The entry's key (public.users.token), and for EnumLabels the label inside it.</summary>
    public string? Key { get; init; }
    public string? Label { get; init; }
    /// <summary>The entry's value as PowerShell data text, e.g. <c>@{ Drop = $true }</c>.</summary>
    public string? Entry { get; init; }
    /// <summary>True when the module could decide the entry; false when it is marked Decide for a person.</summary>
    public bool Decided { get; init; }
    /// <summary>Names related differences that are one change (a table on one side, the columns that replaced it on the other).</summary>
    public string? Group { get; init; }

    /// <summary>"Columns['public.users.token'] = @{ Drop = $true }", for messages.</summary>
    public string? Resolution => Section is null ? null
        : Label is null ? $"{Section}['{Key}'] = {Entry}" : $"{Section}['{Key}'] = @{{ {Label} = {Entry} }}";
}
