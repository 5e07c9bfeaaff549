using System.Management.Automation;
using FonanaMigration.Engine.Errors;

namespace FonanaMigration;

/// <summary>The error mapper: engine failures as ErrorRecords with the category their kind means.</summary>
public abstract partial class FonanaCmdlet
{
    internal static ErrorRecord ToErrorRecord(MigrationException ex) =>
        new(ex, ex.ErrorId, CategoryOf(ex.Kind), ex.TargetObject);

    internal static ErrorCategory CategoryOf(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.ConnectionFailed => ErrorCategory.ConnectionError,
        FailureKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.SchemaIncompatible => ErrorCategory.InvalidOperation,
        FailureKind.TargetNotEmpty => ErrorCategory.ResourceExists,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.VerificationFailed => ErrorCategory.InvalidResult,
        FailureKind.Cancelled => ErrorCategory.OperationStopped,
        FailureKind.ServerNotTrusted => ErrorCategory.SecurityError,
        FailureKind.WriteFailed => ErrorCategory.WriteError,
        FailureKind.ResourceBusy => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Ends the command with a terminating error (or, inside TryRunEngineForInput, only the current input), after putting it in the log.</summary>
    internal void Fail(ErrorRecord error)
    {
        WriteLog("Error", error.FullyQualifiedErrorId, error.Exception.Message, null, error.FullyQualifiedErrorId, error.CategoryInfo.Category.ToString());
        if (FailsOnlyThisInput(error)) throw new InputFailure(error);
        ThrowTerminatingError(error);
    }
}
