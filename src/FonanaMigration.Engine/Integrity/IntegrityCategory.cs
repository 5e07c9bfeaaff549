namespace FonanaMigration.Engine.Integrity;

/// <summary>The groups of checks Test-FonanaIntegrity -Check chooses from.</summary>
public enum IntegrityCategory { ForeignKey, Timestamp, Media, Encoding }
