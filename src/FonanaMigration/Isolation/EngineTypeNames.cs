using System.Management.Automation;
using System.Reflection;

namespace FonanaMigration.Isolation;

/// <summary>
/// PowerShell resolves a type literal such as [FonanaMigration.Engine.Connections.DatabaseEndpoint] only among the assemblies of
/// the default load context, so the engine's types, living in <see cref="FonanaLoadContext"/>, would be invisible to
/// scripts (parameter binding and format views still work: they go by the object's type, not by name lookup).
/// Registering each public engine type as a type accelerator under its own full name makes the literal work again.
/// PowerShell has no public API for accelerators; the internal TypeAccelerators class is what modules use.
/// </summary>
internal static class EngineTypeNames
{
    private static readonly Type? Accelerators =
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    private static readonly List<string> Registered = new();

    public static void Register(Assembly engine)
    {
        var add = Accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string), typeof(Type) });
        if (add is null) return; // a future PowerShell without the class: literals stay unresolvable, nothing else breaks
        foreach (var type in engine.GetExportedTypes().Where(t => t.FullName is not null && !t.IsNested))
        {
            add.Invoke(null, new object[] { type.FullName!, type });
            Registered.Add(type.FullName!);
        }
    }

    public static void Unregister()
    {
        var remove = Accelerators?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string) });
        if (remove is null) return;
        foreach (var name in Registered) remove.Invoke(null, new object[] { name });
        Registered.Clear();
    }
}
