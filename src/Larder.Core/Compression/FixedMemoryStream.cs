namespace Larder.Compression;

/// <summary>
/// A stream over pinned memory (a <c>fixed</c> span), read-only or write-only, so that framework and third-party
/// codecs that only speak <see cref="Stream"/> can work on spans without copying. Valid only inside the <c>fixed</c>
/// scope that produced the pointer. A write past the end sets <see cref="Overflowed"/> and throws <see cref="IOException"/>.
/// </summary>
internal sealed unsafe class FixedMemoryStream : CodecStream
{
    private readonly byte* _pointer;
    private readonly int _length;
    private readonly bool _writable;
    private int _position;

    private FixedMemoryStream(byte* pointer, int length, bool writable)
    {
        _pointer = pointer;
        _length = length;
        _writable = writable;
    }

    /// <summary>Whether a write did not fit.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Bytes read or written so far.</summary>
    public int BytesProcessed => _position;

    public override bool CanRead => !_writable;

    public override bool CanWrite => _writable;

    public override long Length => _writable ? _position : _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public static FixedMemoryStream ForReading(byte* pointer, int length) => new(pointer, length, writable: false);

    public static FixedMemoryStream ForWriting(byte* pointer, int capacity) => new(pointer, capacity, writable: true);

    public override int Read(Span<byte> buffer)
    {
        if (_writable)
        {
            throw new NotSupportedException();
        }

        int n = Math.Min(buffer.Length, _length - _position);
        new ReadOnlySpan<byte>(_pointer + _position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte() => !_writable && _position < _length ? _pointer[_position++] : -1;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_writable)
        {
            throw new NotSupportedException();
        }

        if (buffer.Length > _length - _position)
        {
            Overflowed = true;
            throw new IOException("The destination buffer is full.");
        }

        buffer.CopyTo(new Span<byte>(_pointer + _position, buffer.Length));
        _position += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write(new ReadOnlySpan<byte>(in value));

    public override void Flush()
    {
    }
}
