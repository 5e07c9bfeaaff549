namespace FonanaMigration.Engine.Streams;

/// <summary>Counts rows in a COPY data stream as its bytes pass by, whatever the chunk boundaries.</summary>
internal abstract class RowCounter
{
    public long Rows { get; protected set; }

    public abstract void Observe(ReadOnlySpan<byte> data);

    /// <summary>The data seen so far ends where a COPY stream may end (not in the middle of a row).</summary>
    public abstract bool Complete { get; }

    public static RowCounter For(string dataFormat) => dataFormat switch
    {
        CopyFormat.Binary => new BinaryCopyRowCounter(),
        _ => new TextRowCounter(),
    };
}
