using Mono.Cecil;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// The engine's units (one namespace per folder) and which units each may use. The table is acyclic, so any loop
/// between units breaks a rule; references are read from the compiled IL (signatures, bodies, attributes), so a
/// dependency hidden in a method body or a lambda counts as much as one in a signature. docs/architecture.md explains it.
/// </summary>
public class EngineUnitBoundaryTests
{
    private const string Root = "FonanaMigration.Engine";

    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>
    {
        ["Errors"] = [],
        ["Hosting"] = ["Errors"],
        ["Connections"] = ["Errors", "Hosting"],
        ["Schema"] = ["Connections", "Errors", "Hosting"],
        ["Streams"] = ["Schema", "Errors", "Hosting"],
        ["Archive"] = ["Streams", "Schema", "Connections", "Errors", "Hosting"],
        ["Selection"] = ["Archive", "Schema", "Connections", "Errors", "Hosting"],
        ["Scans"] = ["Schema", "Errors", "Hosting"],
        ["Verification"] = ["Archive", "Selection", "Streams", "Schema", "Connections", "Errors", "Hosting"],
        ["Sequences"] = ["Archive", "Schema", "Connections", "Errors", "Hosting"],
        ["Statistics"] = ["Schema", "Connections", "Errors", "Hosting"],
        ["Mapping"] = ["Verification", "Archive", "Selection", "Streams", "Schema", "Connections", "Errors", "Hosting"],
        ["Replication"] = ["Statistics", "Sequences", "Verification", "Selection", "Archive", "Streams", "Schema", "Connections", "Errors", "Hosting"],
        ["Transfer"] = ["Mapping", "Statistics", "Sequences", "Verification", "Archive", "Selection", "Streams", "Schema", "Connections", "Errors", "Hosting"],
        ["Integrity"] = ["Verification", "Selection", "Scans", "Schema", "Connections", "Errors", "Hosting"],
        ["Media"] = ["Verification", "Selection", "Scans", "Schema", "Connections", "Errors", "Hosting"],
        ["Reports"] = ["Integrity", "Verification", "Errors", "Hosting"],
    };

    [Fact]
    public void EveryEngineTypeLivesInAUnitOfTheTable()
    {
        var outside = EngineTypes().Where(t => UnitOf(t) is not { } unit || !MayUse.ContainsKey(unit))
            .Select(t => t.FullName).ToList();
        Assert.True(outside.Count == 0, "Types outside the units of the table (add the folder's unit to MayUse and docs/architecture.md): " + string.Join(", ", outside));
    }

    [Fact]
    public void UnitsUseOnlyTheUnitsTheTableAllows()
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in EngineTypes())
        {
            if (UnitOf(type) is not { } unit || !MayUse.TryGetValue(unit, out var allowed)) continue;
            foreach (var used in ReferencedTypes(type))
            {
                if (Outermost(used) is not { } target || UnitOf(target) is not { } usedUnit || usedUnit == unit) continue;
                if (!allowed.Contains(usedUnit)) violations.Add($"{unit} -> {usedUnit}: {Outermost(type)!.FullName} uses {target.FullName}");
            }
        }
        Assert.True(violations.Count == 0, "Dependencies the table does not allow:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void AllowedDependenciesFormNoLoop()
    {
        // Depth-first search for a back edge: a loop in the table would let a loop in the code pass.
        var state = new Dictionary<string, int>();
        string? Loop(string unit, List<string> path)
        {
            state[unit] = 1;
            path.Add(unit);
            foreach (var next in MayUse[unit])
            {
                Assert.True(MayUse.ContainsKey(next), $"{unit} may use {next}, which is not a unit of the table");
                if (state.GetValueOrDefault(next) == 1) return string.Join(" -> ", path.Append(next));
                if (state.GetValueOrDefault(next) == 0 && Loop(next, path) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[unit] = 2;
            return null;
        }
        foreach (var unit in MayUse.Keys)
            if (state.GetValueOrDefault(unit) == 0)
                Assert.Null(Loop(unit, new List<string>()));
    }

    private static IEnumerable<TypeDefinition> EngineTypes()
    {
        var module = ModuleDefinition.ReadModule(typeof(DatabaseEndpoint).Assembly.Location);
        return module.GetTypes().Where(t => t.DeclaringType is null && t.Namespace.StartsWith(Root, StringComparison.Ordinal)).ToList();
    }

    private static string? UnitOf(TypeReference type)
    {
        var ns = Outermost(type)?.Namespace ?? "";
        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal)) return ns == Root ? "" : null;
        var rest = ns[(Root.Length + 1)..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    private static TypeReference? Outermost(TypeReference? type)
    {
        while (type is TypeSpecification spec) type = spec.ElementType;
        while (type?.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    /// <summary>Every type named anywhere in a type and its nested types (compiler-generated closures and state machines included).</summary>
    private static IEnumerable<TypeReference> ReferencedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            if (t is null) return;
            found.Add(t);
            if (t is GenericInstanceType g) foreach (var a in g.GenericArguments) Add(a);
            if (t is TypeSpecification s) Add(s.ElementType);
        }
        void AddMember(MemberReference? m)
        {
            switch (m)
            {
                case TypeReference t: Add(t); break;
                case MethodReference method:
                    Add(method.DeclaringType);
                    Add(method.ReturnType);
                    foreach (var p in method.Parameters) Add(p.ParameterType);
                    if (method is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
                    break;
                case FieldReference field: Add(field.DeclaringType); Add(field.FieldType); break;
            }
        }
        void Attributes(ICustomAttributeProvider p)
        {
            foreach (var a in p.CustomAttributes)
            {
                Add(a.AttributeType);
                foreach (var arg in a.ConstructorArguments) if (arg.Value is TypeReference tr) Add(tr);
            }
        }
        void Visit(TypeDefinition t)
        {
            Add(t.BaseType);
            foreach (var i in t.Interfaces) Add(i.InterfaceType);
            Attributes(t);
            foreach (var f in t.Fields) { Add(f.FieldType); Attributes(f); }
            foreach (var p in t.Properties) { Add(p.PropertyType); Attributes(p); }
            foreach (var e in t.Events) Add(e.EventType);
            foreach (var m in t.Methods)
            {
                Attributes(m);
                Add(m.ReturnType);
                foreach (var p in m.Parameters) { Add(p.ParameterType); Attributes(p); }
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(v.VariableType);
                foreach (var h in m.Body.ExceptionHandlers) Add(h.CatchType);
                foreach (var ins in m.Body.Instructions)
                    if (ins.Operand is MemberReference member) AddMember(member);
            }
            foreach (var n in t.NestedTypes) Visit(n);
        }
        Visit(type);
        return found;
    }
}
