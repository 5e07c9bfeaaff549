namespace FonanaMigration.Engine.Hosting;

public enum EngineMessageLevel { Debug, Verbose, Warning, Progress }

/// <summary>
/// One record an engine run reports to its host: a log line or a progress update. BCL types only.
/// <see cref="Data"/> holds a log line's named values ({Table}, {Rows}, {Elapsed}) as invariant text, for structured logs.
/// </summary>
public sealed record EngineMessage(EngineMessageLevel Level, string EventName, string Text, TransferProgress? Progress = null,
    IReadOnlyDictionary<string, string>? Data = null);
