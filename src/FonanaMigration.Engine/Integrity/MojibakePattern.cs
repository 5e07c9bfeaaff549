using System.Text;
using System.Text.RegularExpressions;
using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Signatures of UTF-8 text that was decoded in a single-byte code page and stored again ("mojibake"). In UTF-8 every
/// non-ASCII character is a lead byte followed by continuation bytes 0x80–0xBF; read as Windows-1252, Mac Roman or
/// Windows-1251, each byte becomes one character, so the damage is a lead character followed by one of the 64
/// characters the code page puts at 0x80–0xBF. The production report's Cyrillic "ЗАДАЧА" read as Mac Roman is
/// "–ó–ê–î–ê–ß–ê": D0 → '–', 97 → 'ó', D0 → '–', 90 → 'Ê', and so on.
/// The character classes are computed from the code pages themselves, not typed in. Patterns are ASCII (\uXXXX escapes)
/// and mean the same to PostgreSQL's `~` and to .NET's Regex.
/// </summary>
public static class MojibakePattern
{
    // Characters that legitimately follow a word ending in Ã or Ñ (Portuguese, Spanish): not evidence on their own.
    private const string WordPunctuation = "\u2026\u2013\u2014\u2018\u2019\u201C\u201D\u00AB\u00BB\u2022";
    // Cyrillic letters of other languages, and punctuation, that may follow Р or С in correct text.
    private const string Cyrillic1251Legitimate = "ЁёІіЇїЄєЎўЈјҐґ\u2026\u2013\u2014\u2018\u2019\u201C\u201D\u00AB\u00BB\u2022\u00A0\u00B7";

    private static readonly Family[] Families = BuildFamilies();

    /// <summary>Matches text that contains mojibake. A Cyrillic signature needs two damaged letters in a row, which correct text never has.</summary>
    public static string Detect { get; } = string.Join("|", Families.SelectMany(f => f.Signatures));

    /// <summary>Matches from the first signature through the rest of the damaged run, to show (and repair) one example.</summary>
    public static string Fragment { get; } = $"(?={Detect})(?:{string.Join("|", Families.SelectMany(f => f.Pairs))})+";

    private static readonly Regex DetectRegex = new(Detect, RegexOptions.CultureInvariant);

    public static bool IsMatch(string text) => DetectRegex.IsMatch(text);

    /// <summary>
    /// What <paramref name="fragment"/> most likely said before it was damaged: the code page whose bytes for the fragment
    /// are valid UTF-8. Null when no code page fits.
    /// </summary>
    public static (string CodePage, string Original)? Repair(string fragment)
    {
        // Only a code page whose own signature is in the fragment: bytes of another can be valid UTF-8 by accident.
        foreach (var family in Families.Where(f => f.Signature.IsMatch(fragment)))
        {
            try
            {
                var bytes = family.StrictEncoding.GetBytes(fragment);
                var original = StrictUtf8.GetString(bytes);
                if (original != fragment) return (family.Name, original);
            }
            catch (ArgumentException)
            {
                // EncoderFallbackException / DecoderFallbackException: not this code page.
            }
        }
        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed record Family(string Name, Encoding StrictEncoding, IReadOnlyList<string> Signatures, IReadOnlyList<string> Pairs)
    {
        public Regex Signature { get; } = new(string.Join("|", Signatures), RegexOptions.CultureInvariant);
    }

    private static Family[] BuildFamilies()
    {
        var provider = CodePagesEncodingProvider.Instance;
        Encoding Strict(int codePage) => provider.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
                                          ?? throw new InvalidOperationException($"Code page {codePage} is not available.");
        Encoding Lenient(int codePage) => provider.GetEncoding(codePage)!;
        // The 64 characters a code page shows for continuation bytes, and what it shows for the given lead bytes.
        string Continuations(int codePage) => Lenient(codePage).GetString(Enumerable.Range(0x80, 0x40).Select(b => (byte)b).ToArray());
        string Show(int codePage, params byte[] bytes) => Lenient(codePage).GetString(bytes);
        string Class(string chars, string except = "") => PostgresRegex.CharacterClass(chars.Where(c => !except.Contains(c)));
        string Seq(string text) => PostgresRegex.Sequence(text);

        // Windows-1252 (and Latin-1, which shows 0x80–0x9F as C1 control characters; 1252's five unused bytes decode to them too).
        var w = Continuations(1252) + new string(Enumerable.Range(0x80, 0x20).Select(i => (char)i).ToArray());
        var windows1252 = new Family("Windows-1252", Strict(1252),
            new[]
            {
                $"(?:{Class(Show(1252, 0xD0, 0xD1))}{Class(w)}){{2}}",              // Cyrillic: Ð/Ñ + continuation, twice
                $"{Class(Show(1252, 0xC2, 0xC3))}{Class(w, WordPunctuation)}",      // Latin-1 letters: Ã©, Ã¼, Â°
                Seq(Show(1252, 0xE2, 0x80)),                                      // quotes and dashes: â€™, â€œ
                Seq(Show(1252, 0xF0, 0x9F)),                                      // emoji: ðŸ
            },
            new[]
            {
                $"{Class(Show(1252, 0xC2, 0xC3, 0xD0, 0xD1))}{Class(w)}",
                $"{Seq(Show(1252, 0xE2, 0x80))}{Class(w)}?",
                $"{Seq(Show(1252, 0xF0, 0x9F))}{Class(w)}{{0,2}}",
            });

        var m = Continuations(10000);
        var macRoman = new Family("Mac Roman", Strict(10000),
            new[]
            {
                $"(?:{Class(Show(10000, 0xD0, 0xD1))}{Class(m)}){{2}}",             // Cyrillic: –ó–ê–î–ê–ß–ê
                $"{Seq(Show(10000, 0xC3))}{Class(m)}",                            // Latin-1 letters: √© (é)
                Seq(Show(10000, 0xE2, 0x80)),                                     // quotes and dashes: ‚Äô
                Seq(Show(10000, 0xF0, 0x9F)),                                     // emoji
            },
            new[]
            {
                $"{Class(Show(10000, 0xC3, 0xD0, 0xD1))}{Class(m)}",
                $"{Seq(Show(10000, 0xE2, 0x80))}{Class(m)}?",
                $"{Seq(Show(10000, 0xF0, 0x9F))}{Class(m)}{{0,2}}",
            });

        var c = Continuations(1251);
        var windows1251 = new Family("Windows-1251", Strict(1251),
            new[]
            {
                $"(?:{Class(Show(1251, 0xD0, 0xD1))}{Class(c, Cyrillic1251Legitimate)}){{2}}", // Cyrillic: РџСЂРёРІРµС‚
                Seq(Show(1251, 0xE2, 0x80)),                                                   // quotes and dashes: вЂ™
                Seq(Show(1251, 0xF0, 0x9F)),                                                   // emoji: рџ
            },
            new[]
            {
                $"{Class(Show(1251, 0xD0, 0xD1))}{Class(c)}",
                $"{Seq(Show(1251, 0xE2, 0x80))}{Class(c)}?",
                $"{Seq(Show(1251, 0xF0, 0x9F))}{Class(c)}{{0,2}}",
            });

        // Mac Roman first: it is the production report's case, and its pairs are never valid Windows-1252 mojibake.
        return new[] { macRoman, windows1252, windows1251 };
    }
}
