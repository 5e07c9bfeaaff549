namespace FonanaMigration.Engine.Schema;

/// <summary>
/// Blocking: an import would fail, or lose or change data. Warning: it works but deserves a look. Info: worth knowing.
/// </summary>
public enum DifferenceSeverity { Info = 0, Warning = 1, Blocking = 2 }
