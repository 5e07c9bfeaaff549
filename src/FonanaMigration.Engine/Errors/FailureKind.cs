namespace FonanaMigration.Engine.Errors;

/// <summary>What went wrong, in terms a host can map to its own error categories (PowerShell's ErrorCategory).</summary>
public enum FailureKind
{
    InvalidArgument,
    ConnectionFailed,
    AuthenticationFailed,
    PermissionDenied,
    ObjectNotFound,
    SchemaIncompatible,
    TargetNotEmpty,
    InvalidData,
    VerificationFailed,
    Cancelled,
    ServerError,
    /// <summary>TLS was required but the server's certificate could not be verified (or it offered no TLS).</summary>
    ServerNotTrusted,
    /// <summary>A file of ours (an archive) could not be written: a full disk, a lost mount, no permission.</summary>
    WriteFailed,
    /// <summary>Another session holds what is needed (a lock) and did not let go in time.</summary>
    ResourceBusy,
}
