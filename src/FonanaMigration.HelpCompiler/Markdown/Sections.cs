namespace FonanaMigration.HelpCompiler.Markdown;

/// <summary>A heading and the blocks under it, up to the next heading of the same or a higher level.</summary>
internal sealed record Section(Block Heading, List<Block> Body)
{
    public string Title => Heading.Text;
}

internal static class Sections
{
    /// <summary>
    /// Splits <paramref name="blocks"/> at headings of exactly <paramref name="level"/>. Deeper headings stay in the
    /// body; blocks before the first such heading are returned as the preamble.
    /// </summary>
    public static (List<Block> Preamble, List<Section> Sections) Split(IEnumerable<Block> blocks, int level)
    {
        var preamble = new List<Block>();
        var sections = new List<Section>();
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading && block.Level <= level)
            {
                sections.Add(new Section(block, new List<Block>()));
            }
            else if (sections.Count == 0)
            {
                preamble.Add(block);
            }
            else
            {
                sections[^1].Body.Add(block);
            }
        }

        return (preamble, sections);
    }
}
