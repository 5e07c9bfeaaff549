namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Error: the data is wrong and the application will show it (a broken reference, a missing file, garbled text).
/// Warning: probably wrong, worth a look. Info: worth knowing. Ordered, so findings sort worst first.
/// </summary>
public enum IntegritySeverity { Info = 0, Warning = 1, Error = 2 }
