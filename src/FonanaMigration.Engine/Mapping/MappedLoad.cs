
namespace FonanaMigration.Engine.Mapping;

/// <summary>A migration map resolved against both schemas: what fills each target table, what is dropped, and every problem found.</summary>
internal sealed class MappedLoad
{
    public List<MappedTablePlan> Plans { get; } = new();
    /// <summary>Source columns (Column set) and tables the map drops; their discarded values are counted in the source's rows.</summary>
    public List<MapKey> Drops { get; } = new();
    /// <summary>Source table, column and label whose rows the map refuses: any such row fails the map before the load.</summary>
    public List<(TableSchema Table, ColumnSchema Column, string Label)> Refused { get; } = new();
    public List<string> Problems { get; } = new();
}
