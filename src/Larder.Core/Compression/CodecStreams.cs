namespace Larder.Compression;

/// <summary>
/// The shared shape of the codec streams: forward only (no seeking, length or position), reading or writing but not
/// both. Subclasses say which way they go (<see cref="ReadOnlyCodecStream"/>, <see cref="WriteOnlyCodecStream"/>).
/// </summary>
internal abstract class CodecStream : Stream
{
    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// A read-only codec stream: writing is not supported and flushing does nothing. Subclasses implement
/// <see cref="Stream.Read(Span{byte})"/>, which the array and single-byte reads go through; a decoder that only reads
/// arrays overrides <see cref="Read(byte[], int, int)"/> instead.
/// </summary>
internal abstract class ReadOnlyCodecStream : CodecStream
{
    public override bool CanWrite => false;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A write-only codec stream: reading is not supported. Subclasses implement <see cref="Stream.Write(ReadOnlySpan{byte})"/>
/// (which the array and single-byte writes go through; an encoder that only takes arrays overrides
/// <see cref="Write(byte[], int, int)"/> instead) and <see cref="Stream.Flush"/>.
/// </summary>
internal abstract class WriteOnlyCodecStream : CodecStream
{
    public override bool CanRead => false;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write(new ReadOnlySpan<byte>(in value));

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A read-only decoder of a framed format over a <see cref="BufferedSource"/> (which it disposes, but not the stream
/// under it), with one inner decoder at a time for the member being read (disposed before the source).
/// </summary>
/// <typeparam name="TDecoder">The inner decoder type.</typeparam>
internal abstract class BufferedDecoderStream<TDecoder> : ReadOnlyCodecStream
    where TDecoder : Stream
{
    private protected BufferedDecoderStream(Stream inner)
    {
        Source = new BufferedSource(inner);
    }

    public override bool CanRead => true;

    /// <summary>The compressed input.</summary>
    private protected BufferedSource Source { get; }

    /// <summary>The decoder of the current member, or null between members.</summary>
    private protected TDecoder? Decoder { get; set; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Decoder?.Dispose();
            Source.Dispose();
        }

        base.Dispose(disposing);
    }
}
