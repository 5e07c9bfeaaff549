namespace FonanaMigration.HelpCompiler.Model;

/// <summary>Everything one cmdlet page says, already validated.</summary>
internal sealed class CommandHelp
{
    public required string Name { get; init; }

    public required string SourcePath { get; init; }

    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Contains('-') ? Name.Split('-', 2)[1] : string.Empty;

    public string Synopsis { get; set; } = string.Empty;

    public List<string> Description { get; } = new();

    public List<SyntaxSet> ParameterSets { get; } = new();

    public List<ParameterHelp> Parameters { get; } = new();

    public List<TypeHelp> Inputs { get; } = new();

    public List<TypeHelp> Outputs { get; } = new();

    public List<string> Notes { get; } = new();

    public List<ExampleHelp> Examples { get; } = new();

    public List<LinkHelp> RelatedLinks { get; } = new();

    public string? HelpUri { get; set; }
}

/// <summary>A "### SetName" heading of the SYNTAX section and the parameter order its code block shows.</summary>
internal sealed class SyntaxSet
{
    public required string Name { get; init; }

    public bool IsDefault { get; init; }

    public int Line { get; init; }

    /// <summary>Parameter names in the order the syntax code block lists them (without the dash).</summary>
    public List<string> SyntaxOrder { get; } = new();
}

internal sealed class ParameterHelp
{
    public const string SwitchType = "System.Management.Automation.SwitchParameter";

    public required string Name { get; init; }

    public int Line { get; init; }

    public List<string> Description { get; } = new();

    public string Type { get; set; } = "System.Object";

    public string DefaultValue { get; set; } = "None";

    public bool SupportsWildcards { get; set; }

    public List<string> Aliases { get; } = new();

    public List<string> AcceptedValues { get; } = new();

    public bool DontShow { get; set; }

    public List<ParameterSetEntry> Sets { get; } = new();

    public bool IsSwitch => Type is SwitchType or "SwitchParameter" or "switch";
}

/// <summary>One entry of the yaml ParameterSets list; <see cref="SetName"/> may be "(All)".</summary>
internal sealed class ParameterSetEntry
{
    public const string AllSets = "(All)";

    public required string SetName { get; init; }

    public int Line { get; init; }

    /// <summary>0-based position, or null for a named parameter.</summary>
    public int? Position { get; set; }

    public bool IsRequired { get; set; }

    public bool ValueFromPipeline { get; set; }

    public bool ValueFromPipelineByPropertyName { get; set; }

    public bool ValueFromRemainingArguments { get; set; }

    public bool AppliesTo(string setName) =>
        SetName == AllSets || string.Equals(SetName, setName, StringComparison.OrdinalIgnoreCase);
}

internal sealed record TypeHelp(string TypeName, List<string> Description);

internal sealed class ExampleHelp
{
    public required string Title { get; init; }

    public List<string> Code { get; } = new();

    public List<string> Remarks { get; } = new();
}

internal sealed record LinkHelp(string Text, string Uri);
