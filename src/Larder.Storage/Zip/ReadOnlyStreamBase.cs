namespace Larder.Storage.Zip;

/// <summary>A forward-only readable stream: subclasses implement <see cref="Read(Span{byte})"/> only.</summary>
internal abstract class ReadOnlyStreamBase : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A forward-only writable stream: subclasses implement <see cref="Write(ReadOnlySpan{byte})"/> (and may override the
/// async and flush members).
/// </summary>
internal abstract class WriteOnlyStreamBase : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// Reads the byte range [<c>start</c>, <c>start + length</c>) of a seekable stream, seeking before every read so that
/// several range streams can share one underlying stream (one at a time).
/// </summary>
internal sealed class RangeReadStream(Stream source, long start, long length) : ReadOnlyStreamBase
{
    private long _position;

    public long Remaining => length - _position;

    public override int Read(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, length - _position);
        if (want <= 0)
        {
            return 0;
        }

        source.Position = start + _position;
        int total = 0;
        while (total < want)
        {
            int n = source.Read(buffer[total..want]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        _position += total;
        return total;
    }
}
