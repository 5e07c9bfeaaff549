using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace FonanaMigration.Isolation;

/// <summary>
/// The private load context that holds the engine and its allow-listed dependencies (Npgsql, the logging and DI
/// abstractions, DiagnosticSource), read from the module's Dependencies/ folder. Another module may load other
/// versions of the same assemblies into pwsh's default context; neither side sees the other's copy.
/// Everything not on the allow-list (the framework, System.Management.Automation) comes from the default context,
/// so there is one copy of each framework type in the process.
/// </summary>
internal sealed class FonanaLoadContext : AssemblyLoadContext
{
    public const string ContextName = "FonanaMigration";
    public const string DependencyFolderName = "Dependencies";
    public const string EngineAssemblyName = "FonanaMigration.Engine";

    /// <summary>The only assemblies this context loads itself. The staging target copies exactly these into Dependencies/.</summary>
    public static readonly IReadOnlyCollection<string> IsolatedAssemblies = new[]
    {
        EngineAssemblyName,
        "Npgsql",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "System.Diagnostics.DiagnosticSource",
    };

    private static readonly Lazy<FonanaLoadContext> Shared = new(() => new FonanaLoadContext(DefaultDependencyDirectory()));

    // One Assembly per name: the runtime may ask again for a name this context already served.
    private readonly ConcurrentDictionary<string, Assembly?> _loaded = new(StringComparer.OrdinalIgnoreCase);

    private FonanaLoadContext(string dependencyDirectory)
        : base(ContextName, isCollectible: false) // not collectible: the cmdlet assembly in the default context holds its types for the process's life
    {
        DependencyDirectory = dependencyDirectory;
    }

    /// <summary>The one instance per process; every import of the module (also after Remove-Module) uses it.</summary>
    public static FonanaLoadContext Instance => Shared.Value;

    public string DependencyDirectory { get; }

    /// <summary>Loads the engine into this context; its own references then come through <see cref="Load"/>.</summary>
    public Assembly LoadEngine() =>
        Load(new AssemblyName(EngineAssemblyName))
        ?? throw new FileNotFoundException(
            $"The module is incomplete: {EngineAssemblyName}.dll is missing from {DependencyDirectory}. Reinstall FonanaMigration.",
            Path.Combine(DependencyDirectory, EngineAssemblyName + ".dll"));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || !IsolatedAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase)) return null;
        if (FrameworkProvides(assemblyName)) return null;
        return _loaded.GetOrAdd(name, n =>
        {
            var path = Path.Combine(DependencyDirectory, n + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        });
    }

    /// <summary>
    /// True when the running .NET itself ships this assembly at the requested version or later
    /// (System.Diagnostics.DiagnosticSource on .NET 10): then the framework's copy is used, as every other library in
    /// the process uses it. On an older runtime (pwsh 7.4 on .NET 8) the private copy fills the gap.
    /// </summary>
    private static bool FrameworkProvides(AssemblyName requested)
    {
        var frameworkCopy = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), requested.Name + ".dll");
        if (!File.Exists(frameworkCopy)) return false;
        try
        {
            var available = AssemblyName.GetAssemblyName(frameworkCopy).Version;
            return available is not null && (requested.Version is null || available >= requested.Version);
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string DefaultDependencyDirectory() =>
        Path.Combine(Path.GetDirectoryName(typeof(FonanaLoadContext).Assembly.Location)!, DependencyFolderName);
}
