namespace FonanaMigration.Completion;

/// <summary>Completes folders and migration map files (*.psd1).</summary>
public sealed class MigrationMapPathCompleter : FileExtensionCompleter
{
    public MigrationMapPathCompleter() : base(".psd1") { }
}
