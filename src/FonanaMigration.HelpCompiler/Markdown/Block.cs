namespace FonanaMigration.HelpCompiler.Markdown;

internal enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    Table,
    Code,
}

/// <summary>A link in a prose block: its text as help prints it, and its address as written.</summary>
internal sealed record LinkText(string Text, string Url);

/// <summary>
/// One block of a page, flattened out of Markdig's tree: the page readers walk sections as a flat list of headings
/// and the blocks under them, so nesting (lists, block quotes) is resolved once, here.
/// </summary>
internal sealed class Block
{
    public required BlockKind Kind { get; init; }

    /// <summary>1-based line of the block's first line (the opening fence for code).</summary>
    public required int Line { get; init; }

    /// <summary>Heading level (1-6); 0 for other blocks.</summary>
    public int Level { get; init; }

    /// <summary>Help text of a heading, paragraph or list item (inline markup already removed).</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>List marker of a list item: "-" or "1.".</summary>
    public string Marker { get; init; } = string.Empty;

    /// <summary>Info string of a code fence ("powershell", "yaml", ...).</summary>
    public string Info { get; init; } = string.Empty;

    /// <summary>Verbatim lines of code and tables (trimmed for tables); empty for prose.</summary>
    public List<string> Lines { get; } = new();

    /// <summary>The links of a paragraph or list item, in order.</summary>
    public List<LinkText> Links { get; } = new();

    public override string ToString() => $"{Kind}@{Line}: {(Kind is BlockKind.Code or BlockKind.Table ? string.Join(" | ", Lines) : Text)}";
}
