using FonanaMigration.HelpCompiler.Markdown;

namespace FonanaMigration.HelpCompiler.Tests;

public sealed class InlineTextTests
{
    [Theory]
    [InlineData("**bold** and *em* and __strong__ and _em_", "bold and em and strong and em")]
    [InlineData("see [Get-Help](Get-Help.md)", "see Get-Help")]
    [InlineData("see [docs](https://example.invalid/a)", "see docs (https://example.invalid/a)")]
    [InlineData("see <https://example.invalid/a>", "see https://example.invalid/a")]
    [InlineData("keeps `**code**` and `$a_b_c` verbatim", "keeps `**code**` and `$a_b_c` verbatim")]
    [InlineData("names like about_Fonana_Migration and $my_var_x stay", "names like about_Fonana_Migration and $my_var_x stay")]
    [InlineData("takes a <string> or <CommonParameters>", "takes a <string> or <CommonParameters>")]
    [InlineData("line<br>break and <b>tag</b>", "line break and tag")]
    [InlineData(@"escaped \* and \_ and \[x\]", "escaped * and _ and [x]")]
    [InlineData("2 * 3 * 4", "2 * 3 * 4")]
    public void Strip_RemovesMarkdownMarkupButKeepsPowerShellText(string markdown, string expected) =>
        Assert.Equal(expected, InlineText.Strip(markdown));
}
