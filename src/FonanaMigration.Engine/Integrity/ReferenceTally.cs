namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Counts one kind of bad reference in a column while the references stream past, keeping only what a finding shows:
/// the count, the smallest example, a few origins and the smallest keys. Memory stays bounded however many there are.
/// </summary>
internal sealed class ReferenceTally
{
    private readonly int _sampleSize;
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);

    public ReferenceTally(int sampleSize) => _sampleSize = sampleSize;

    public long Count { get; private set; }
    public string? Example { get; private set; }
    public IReadOnlyList<string> Keys => _keys.ToList();
    public IReadOnlyList<string> Origins => _origins.ToList();

    public void Add(string value, string key, string? origin = null)
    {
        Count++;
        if (Example is null || string.CompareOrdinal(value, Example) < 0) Example = value;
        _keys.Add(key);
        if (_keys.Count > _sampleSize) _keys.Remove(_keys.Max!);
        if (origin is not null)
        {
            _origins.Add(origin);
            if (_origins.Count > 3) _origins.Remove(_origins.Max!);
        }
    }
}
