using System.Management.Automation;
using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Errors;
using FonanaMigration.Engine.Schema;

namespace FonanaMigration.Commands;

/// <summary>Reads a database's schema snapshot from pg_catalog; optionally saves it as JSON for offline comparison.</summary>
[Cmdlet(VerbsCommon.Get, "FonanaSchema", SupportsShouldProcess = true)]
[OutputType(typeof(SchemaSnapshot))]
public sealed class GetFonanaSchemaCommand : FonanaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Source", "Target")]
    [DatabaseEndpointArgument]
    public DatabaseEndpoint Connection { get; set; } = null!;

    /// <summary>Also write the snapshot to this JSON file.</summary>
    [Parameter]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        Connection = PrepareEndpoint(Connection, Credential);
        if (!TryRunEngineForInput(context => SchemaInspector.ReadAsync(Connection, context), out var snapshot)) return;
        if (Path is not null)
        {
            var full = GetUnresolvedProviderPathFromPSPath(Path);
            if (ShouldProcess(full, $"Save the schema of {Connection.DisplayName} as JSON"))
            {
                try { SchemaFile.Save(snapshot, full); }
                catch (IOException ex) { ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.SchemaFileWriteFailed, ErrorCategory.WriteError, full)); }
                catch (UnauthorizedAccessException ex) { ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.SchemaFileWriteFailed, ErrorCategory.PermissionDenied, full)); }
            }
        }
        WriteObject(snapshot);
    }

    /// <summary>User and password for -Connection, replacing any in the connection.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }
}
