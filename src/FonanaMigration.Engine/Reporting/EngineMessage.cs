namespace FonanaMigration.Engine;

public enum EngineMessageLevel { Debug, Verbose, Information, Warning, Progress }

/// <summary>One record an engine run reports to its host: a log line or a progress update. BCL types only.</summary>
public sealed record EngineMessage(EngineMessageLevel Level, string EventName, string Text, TransferProgress? Progress = null);
