using System.Buffers.Binary;

namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Walks PostgreSQL's binary COPY format (header; per row an int16 field count, then per field an int32 length and
/// that many bytes; an int16 -1 trailer) and counts rows. Only lengths are read, never values, so it costs almost
/// nothing and also notices a stream that stops in the middle of a row.
/// </summary>
internal sealed class BinaryCopyRowCounter : RowCounter
{
    private static readonly byte[] Signature = { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0 };

    private enum State { Header, HeaderExtension, FieldCount, FieldLength, FieldData, Done }

    private State _state = State.Header;
    private readonly byte[] _pending = new byte[19];
    private int _pendingLength;
    private long _skip;
    private int _fieldsLeft;

    public override bool Complete => _state == State.Done;

    public override void Observe(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            switch (_state)
            {
                case State.FieldData:
                    var take = (int)Math.Min(_skip, data.Length);
                    data = data[take..];
                    _skip -= take;
                    if (_skip == 0) NextField();
                    break;
                case State.HeaderExtension:
                    goto case State.FieldData;
                case State.Done:
                    throw new InvalidDataException("binary COPY data continues after its trailer");
                default:
                    var need = _state switch { State.Header => 19, State.FieldCount => 2, _ => 4 };
                    var fill = Math.Min(need - _pendingLength, data.Length);
                    data[..fill].CopyTo(_pending.AsSpan(_pendingLength));
                    _pendingLength += fill;
                    data = data[fill..];
                    if (_pendingLength == need) Consume(_pending.AsSpan(0, need));
                    break;
            }
        }
    }

    private void Consume(ReadOnlySpan<byte> value)
    {
        _pendingLength = 0;
        switch (_state)
        {
            case State.Header:
                if (!value[..11].SequenceEqual(Signature)) throw new InvalidDataException("binary COPY data has no PGCOPY signature");
                _skip = BinaryPrimitives.ReadInt32BigEndian(value[15..]);
                _state = _skip > 0 ? State.HeaderExtension : State.FieldCount;
                if (_state == State.HeaderExtension) return;
                break;
            case State.FieldCount:
                var fields = BinaryPrimitives.ReadInt16BigEndian(value);
                if (fields == -1) { _state = State.Done; return; }
                Rows++;
                _fieldsLeft = fields;
                _state = State.FieldLength;
                if (_fieldsLeft == 0) _state = State.FieldCount;
                break;
            case State.FieldLength:
                var length = BinaryPrimitives.ReadInt32BigEndian(value);
                if (length <= 0) NextField(); // -1 is NULL, 0 an empty value: no bytes follow
                else { _skip = length; _state = State.FieldData; }
                break;
        }
    }

    private void NextField()
    {
        if (_state == State.HeaderExtension) { _state = State.FieldCount; return; }
        _fieldsLeft--;
        _state = _fieldsLeft > 0 ? State.FieldLength : State.FieldCount;
    }
}
