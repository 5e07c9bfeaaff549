using System.Management.Automation;

namespace FonanaMigration;

/// <summary>
/// A failure that concerns one pipeline input only (this archive, this server): raised by <see cref="FonanaCmdlet.Fail"/>
/// inside <see cref="FonanaCmdlet.TryRunEngineForInput{T}"/> and written there as a non-terminating error, so the
/// pipeline's other inputs still run (-ErrorAction Stop makes it terminating, as for any cmdlet).
/// </summary>
internal sealed class InputFailure : Exception
{
    public InputFailure(ErrorRecord record) : base(record.Exception.Message, record.Exception) => Record = record;

    public ErrorRecord Record { get; }
}
