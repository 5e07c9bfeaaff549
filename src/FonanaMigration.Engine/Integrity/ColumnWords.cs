using System.Text.RegularExpressions;

namespace FonanaMigration.Engine.Integrity;

/// <summary>A column name as lower-case words: Prisma's camelCase and SQL's snake_case alike ("backgroundImage", "background_image" → background, image).</summary>
internal static partial class ColumnWords
{
    public static IReadOnlyList<string> Split(string name) =>
        WordPattern().Matches(name).Select(m => m.Value.ToLowerInvariant()).ToList();

    /// <summary>The name without separators or case: "created_at" and "createdAt" are both "createdat".</summary>
    public static string Compact(string name) => string.Concat(Split(name));

    // An upper-case run not followed by lower case (URL in imageURL), a capitalised or lower-case word, or digits.
    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
