using System.Management.Automation;
using FonanaMigration.Completion;
using FonanaMigration.Engine.Selection;

namespace FonanaMigration;

/// <summary>A FonanaMigration cmdlet that works on a chosen set of tables: -Table and -ExcludeTable, with wildcards and completion.</summary>
public abstract class TableSelectingCmdlet : FonanaCmdlet
{
    /// <summary>Only these tables (wildcards; a name without a dot matches in every schema).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? Table { get; set; }

    /// <summary>Leave these tables out (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? ExcludeTable { get; set; }

    protected TableFilter Tables => new(Table, ExcludeTable);

    /// <summary>"every table" or "the selected tables", for ShouldProcess sentences.</summary>
    protected string WhichTables => Table is null && ExcludeTable is null ? "every table" : "the selected tables";
}
