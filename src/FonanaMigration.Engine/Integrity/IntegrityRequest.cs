using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Integrity;

/// <summary>What Test-FonanaIntegrity inspects and how.</summary>
public sealed class IntegrityRequest
{
    public static IReadOnlyList<string> DefaultMediaPathPrefixes { get; } = new[] { "/uploads/", "/media/" };

    public required DatabaseEndpoint Target { get; init; }
    /// <summary>With a source, the timestamp check also compares sampled rows by primary key (TimestampShift).</summary>
    public DatabaseEndpoint? Source { get; init; }
    public IReadOnlyCollection<IntegrityCategory> Categories { get; init; } = Enum.GetValues<IntegrityCategory>();
    public TableFilter Tables { get; init; } = TableFilter.All;
    /// <summary>How many offending keys a finding carries.</summary>
    public int SampleSize { get; init; } = 5;
    /// <summary>Timestamps later than now plus this are FutureTimestamp findings (clock skew of a day is not news).</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromDays(1);
    /// <summary>The directory the application serves media from (Next.js: public/); null skips the file check.</summary>
    public string? MediaRoot { get; init; }
    /// <summary>Where media is served from on the new host; localhost URLs become Errors, and URLs on this host are checked as files.</summary>
    public Uri? MediaBaseUri { get; init; }
    /// <summary>URL paths and stored paths starting with one of these are files under <see cref="MediaRoot"/>.</summary>
    public IReadOnlyList<string> MediaPathPrefixes { get; init; } = DefaultMediaPathPrefixes;
    /// <summary>Rows per table compared with the source for TimestampShift.</summary>
    public int ShiftSampleRows { get; init; } = 500;
}
