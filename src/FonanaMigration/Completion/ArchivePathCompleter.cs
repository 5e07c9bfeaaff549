namespace FonanaMigration.Completion;

/// <summary>Export archives: *.fnz files (and folders to walk into).</summary>
public sealed class ArchivePathCompleter : FileExtensionCompleter
{
    public ArchivePathCompleter() : base(".fnz") { }
}
