using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FonanaMigration.Completion;

/// <summary>
/// Completes a path with folders and with files of the given extensions only, using PowerShell's own file name
/// completion (drives, ~, relative paths and quoting behave as everywhere else).
/// </summary>
public abstract class FileExtensionCompleter : IArgumentCompleter
{
    private readonly string[] _extensions;

    protected FileExtensionCompleter(params string[] extensions) => _extensions = extensions;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionCompleters.CompleteFilename(wordToComplete).Where(r =>
            r.ResultType == CompletionResultType.ProviderContainer
            || _extensions.Any(e => r.ListItemText.EndsWith(e, StringComparison.OrdinalIgnoreCase)));
}
