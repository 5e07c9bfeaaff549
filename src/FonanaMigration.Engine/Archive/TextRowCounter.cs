namespace FonanaMigration.Engine;

/// <summary>COPY text ends every row with one newline byte and escapes newlines inside values, so rows are line ends.</summary>
internal sealed class TextRowCounter : RowCounter
{
    public override void Observe(ReadOnlySpan<byte> data) => Rows += data.Count((byte)'\n');
}
