using System.Management.Automation;

namespace FonanaMigration;

public abstract partial class FonanaCmdlet
{
    // Set while one input's engine run is under way: Fail then ends only that input, not the pipeline.
    private bool _inputScope;

    /// <summary>Whether a failure now ends only the current input; cancellation (Ctrl+C) always ends everything.</summary>
    private bool FailsOnlyThisInput(ErrorRecord error) =>
        _inputScope && error.CategoryInfo.Category != ErrorCategory.OperationStopped;

    /// <summary>
    /// Runs the engine for the current pipeline input. Its failure is written as a non-terminating error and false
    /// returned, so the other inputs still run; <paramref name="absorb"/> may turn a failure into a plain false
    /// (-Quiet answers). A -LogPath that broke mid-run still ends everything: no input may run unlogged.
    /// </summary>
    protected bool TryRunEngineForInput<T>(Func<Engine.Hosting.RunContext, Task<T>> work, out T result, Func<ErrorRecord, bool>? absorb = null)
    {
        _inputScope = true;
        try
        {
            result = RunEngine(work);
            return true;
        }
        catch (InputFailure failure)
        {
            result = default!;
            _inputScope = false;
            if (_logFailure is not null) ThrowTerminatingError(failure.Record);
            if (absorb?.Invoke(failure.Record) == true)
            {
                WriteVerbose(failure.Record.Exception.Message);
                return false;
            }
            WriteError(failure.Record);
            return false;
        }
        finally
        {
            _inputScope = false;
        }
    }
}
