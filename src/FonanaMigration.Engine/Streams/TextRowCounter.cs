namespace FonanaMigration.Engine.Streams;

/// <summary>COPY text ends every row with one newline byte and escapes newlines inside values, so rows are line ends.</summary>
internal sealed class TextRowCounter : RowCounter
{
    private bool _endsWithNewline = true;

    public override void Observe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        Rows += data.Count((byte)'\n');
        _endsWithNewline = data[^1] == (byte)'\n';
    }

    public override bool Complete => _endsWithNewline;
}
