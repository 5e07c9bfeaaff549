using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace FonanaMigration.Isolation;

/// <summary>
/// Runs when PowerShell imports the module and when it removes it. The cmdlet assembly (in pwsh's default context)
/// references the engine directly, but the engine is not beside it: it lives in Dependencies/, where default probing
/// never looks. So the default context asks its Resolving event, and this handler answers that one request, and only
/// that one, with the engine loaded into <see cref="FonanaLoadContext"/>. Every other request is left to others.
/// </summary>
public sealed class EngineResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static int _imports;

    public void OnImport()
    {
        // Importing into a second runspace must not hook the event twice; removal from the last one unhooks it.
        lock (Gate)
        {
            if (_imports++ > 0) return;
            AssemblyLoadContext.Default.Resolving += Resolve;
            EngineTypeNames.Register(FonanaLoadContext.Instance.LoadEngine());
        }
    }

    public void OnRemove(PSModuleInfo module)
    {
        lock (Gate)
        {
            if (_imports == 0 || --_imports > 0) return;
            AssemblyLoadContext.Default.Resolving -= Resolve;
            EngineTypeNames.Unregister();
        }
    }

    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, FonanaLoadContext.EngineAssemblyName, StringComparison.OrdinalIgnoreCase)
            ? FonanaLoadContext.Instance.LoadEngine()
            : null;
}
