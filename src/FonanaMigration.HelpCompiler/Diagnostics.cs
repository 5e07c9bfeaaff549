namespace FonanaMigration.HelpCompiler;

internal enum Severity
{
    Error,
    Warning,
}

/// <summary>One problem found in a page, printed as <c>path:line: error: message</c>.</summary>
internal sealed record Diagnostic(string Path, int Line, Severity Severity, string Message)
{
    public override string ToString() =>
        $"{Path}:{Line}: {(Severity == Severity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>Collects diagnostics for one source file.</summary>
internal sealed class Diagnostics
{
    private readonly List<Diagnostic> _items;

    public Diagnostics(string path, List<Diagnostic>? sink = null)
    {
        Path = path;
        _items = sink ?? new List<Diagnostic>();
    }

    public string Path { get; }

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == Severity.Error && d.Path == Path);

    public void Error(int line, string message) => _items.Add(new Diagnostic(Path, Math.Max(1, line), Severity.Error, message));

    public void Warning(int line, string message) => _items.Add(new Diagnostic(Path, Math.Max(1, line), Severity.Warning, message));
}
