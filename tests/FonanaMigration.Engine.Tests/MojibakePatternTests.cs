using System.Text;
using FonanaMigration.Engine.Integrity;

namespace FonanaMigration.Engine.Tests;

/// <summary>The mojibake signatures on their own (no server): what they catch, what they must leave alone, and the repair.</summary>
public class MojibakePatternTests
{
    [Fact]
    public void TheProductionReportsMacRomanCyrillic_IsDetected_AndRepairedToЗАДАЧА()
    {
        Assert.True(MojibakePattern.IsMatch("Отчёт: –ó–ê–î–ê–ß–ê"));
        var repair = MojibakePattern.Repair("–ó–ê–î–ê–ß–ê");
        Assert.Equal(("Mac Roman", "ЗАДАЧА"), repair);
    }

    [Theory]
    [InlineData("ЗАДАЧА", 10000, "Mac Roman")]
    [InlineData("Задача: нарисовать кота", 10000, "Mac Roman")]
    [InlineData("Привет, мир", 1252, "Windows-1252")]
    [InlineData("ЗАДАЧА", 1252, "Windows-1252")]
    [InlineData("Привет, мир", 1251, "Windows-1251")]
    [InlineData("café", 1252, "Windows-1252")]
    [InlineData("Müller", 1252, "Windows-1252")]
    [InlineData("it’s “quoted”", 1252, "Windows-1252")]
    [InlineData("it’s", 10000, "Mac Roman")]
    [InlineData("it’s", 1251, "Windows-1251")]
    [InlineData("Hot drop 🔥", 1252, "Windows-1252")]
    [InlineData("café", 10000, "Mac Roman")]
    public void UTF8ReadInACodePage_IsDetected_AndTheFragmentRepairs(string original, int codePage, string expectedCodePage)
    {
        var damaged = CodePagesEncodingProvider.Instance.GetEncoding(codePage)!.GetString(Encoding.UTF8.GetBytes(original));

        Assert.True(MojibakePattern.IsMatch(damaged), $"'{damaged}' should be detected");
        var fragment = System.Text.RegularExpressions.Regex.Match(damaged, MojibakePattern.Fragment).Value;
        var repair = MojibakePattern.Repair(fragment);
        Assert.NotNull(repair);
        Assert.Equal(expectedCodePage, repair.Value.CodePage);
        Assert.Contains(repair.Value.Original, original);
    }

    [Theory]
    [InlineData("Анна Художница 🎨")]
    [InlineData("Seán O'Brien \"The Painter\"")]
    [InlineData("Привет, мир! Рисую каждый день 🎨🔥")]
    [InlineData("Задача №7")]
    [InlineData("Content of post 12 — Fonana")]
    [InlineData("Длинный текст 🎨 Длинный текст 🎨")]
    [InlineData("Новый подписчик 🎉 СССР РЁБРА Рёбра Сі")]
    [InlineData("«КОСМОС» — ЛЕС… ВЕТЕР»")]
    [InlineData("AÑO — ESPAÑA, IRMÃ… MAÇÃ» AMANHÃ—")]
    [InlineData("Élève — « Noël », Ärger, Öl, Übung, straße")]
    [InlineData("Portfolio at C:\\Users\\fonana\\art and a lone \\ backslash")]
    [InlineData("Ω ≤ ∞ π ± µ ° ©2024 ™")]
    public void CorrectText_InSeveralLanguages_IsNotMojibake(string text)
    {
        Assert.False(MojibakePattern.IsMatch(text), $"'{text}' is correct text");
    }

    [Fact]
    public void ThePatterns_AreAscii_SoTheyTravelToAnyServerUnchanged()
    {
        Assert.All(MojibakePattern.Detect, c => Assert.True(c < 128));
        Assert.All(MojibakePattern.Fragment, c => Assert.True(c < 128));
    }
}
