namespace FonanaMigration.Completion;

/// <summary>What Test-FonanaSchema reads as a saved schema: an archive (*.fnz) or a Get-FonanaSchema snapshot (*.json).</summary>
public sealed class SchemaFilePathCompleter : FileExtensionCompleter
{
    public SchemaFilePathCompleter() : base(".fnz", ".json") { }
}
