using System.Buffers;
using System.Runtime.ExceptionServices;

namespace Larder.Compression;

/// <summary>
/// Wraps the caller's inner stream and remembers the first exception it throws, so that <see cref="DecoderStream"/> can
/// tell "the inner stream failed" (rethrown unchanged) from "the decoder rejected the data" (a
/// <see cref="LarderFormatException"/>) even when a third-party decoder swallows or converts the inner exception.
/// Disposes the inner stream unless told to leave it open.
/// </summary>
internal sealed class GuardedReadStream : ReadOnlyCodecStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;

    public GuardedReadStream(Stream inner, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The first exception the inner stream threw, if any.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

    public override bool CanRead => true;

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception ex)
        {
            Failure ??= ExceptionDispatchInfo.Capture(ex);
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// The read-only stream <see cref="ICompressionCodec.CreateDecompressor"/> returns for managed decoders: creates the
/// decoder on first read over a <see cref="GuardedReadStream"/>, and turns every decoder exception into a
/// <see cref="LarderFormatException"/> while letting the inner stream's own exceptions through unchanged. After a failure
/// every further read throws the same exception. Not thread-safe.
/// </summary>
internal sealed class DecoderStream : ReadOnlyCodecStream
{
    private readonly string _codec;
    private readonly GuardedReadStream _source;
    private readonly Func<Stream, Stream> _factory;
    private Stream? _decoder;
    private ExceptionDispatchInfo? _fault;
    private bool _disposed;

    /// <param name="codec">Canonical codec name for messages.</param>
    /// <param name="inner">The compressed bytes.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="inner"/> open.</param>
    /// <param name="factory">Builds the decoder over the guarded source; the decoder must not dispose it.</param>
    public DecoderStream(string codec, Stream inner, bool leaveOpen, Func<Stream, Stream> factory)
    {
        _codec = codec;
        _source = new GuardedReadStream(inner, leaveOpen);
        _factory = factory;
    }

    public override bool CanRead => !_disposed;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _fault?.Throw();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            _decoder ??= _factory(_source);
            return _decoder.Read(buffer);
        }
        catch (Exception ex) when (_source.Failure is not null || ex is LarderException || CompressionCodec.IsDecoderFailure(ex))
        {
            if (_source.Failure is { } innerFailure)
            {
                _fault = innerFailure;
                innerFailure.Throw();
            }

            if (ex is LarderException)
            {
                _fault = ExceptionDispatchInfo.Capture(ex);
                throw;
            }

            LarderFormatException translated = LarderErrors.CodecDataCorrupt(_codec, ex.Message, ex);
            _fault = ExceptionDispatchInfo.Capture(translated);
            throw translated;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _decoder?.Dispose();
            }
            finally
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A read buffer over a stream that can look ahead (<see cref="Ensure"/>), step back a little (<see cref="RewindTo"/>)
/// and hand out small chunks (<see cref="Stream.Read(Span{byte})"/> serves at most <see cref="MaxServe"/> bytes), so
/// that a framing parser can find where a decoder that read ahead (such as <see cref="System.IO.Compression.DeflateStream"/>)
/// really stopped. The last <see cref="Keep"/> bytes before the read position stay in the buffer. Does not dispose the
/// inner stream; returns its pooled buffer on dispose.
/// </summary>
internal sealed class BufferedSource : ReadOnlyCodecStream
{
    /// <summary>The most one read hands out.</summary>
    public const int MaxServe = 16 * 1024;

    /// <summary>How many already-read bytes stay available for <see cref="RewindTo"/>.</summary>
    public const int Keep = 4 * MaxServe;

    private const int Capacity = 256 * 1024;

    private readonly Stream _inner;
    private byte[]? _buffer;
    private int _pos;
    private int _len;
    private long _base;
    private bool _eof;

    public BufferedSource(Stream inner)
    {
        _inner = inner;
        _buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    }

    /// <summary>The absolute offset of the next byte to read.</summary>
    public long Offset => _base + _pos;

    /// <summary>The buffered bytes from the read position on.</summary>
    public ReadOnlySpan<byte> Available => Buffer.AsSpan(_pos, _len - _pos);

    public override bool CanRead => true;

    public override long Position
    {
        get => Offset;
        set => throw new NotSupportedException();
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(BufferedSource));

    /// <summary>Buffers at least <paramref name="count"/> bytes from the read position; false if the input ends first.</summary>
    public bool Ensure(int count)
    {
        if (count > Capacity - Keep)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        while (_len - _pos < count)
        {
            if (_eof)
            {
                return false;
            }

            Fill();
        }

        return true;
    }

    /// <summary>Moves the read position back (or forward) to an absolute offset still in the buffer.</summary>
    public void RewindTo(long offset)
    {
        if (offset < _base || offset > _base + _len)
        {
            throw new InvalidOperationException("The offset is no longer buffered.");
        }

        _pos = (int)(offset - _base);
    }

    /// <summary>Skips <paramref name="count"/> buffered bytes (call <see cref="Ensure"/> first).</summary>
    public void Skip(int count)
    {
        if (count > _len - _pos)
        {
            throw new InvalidOperationException("Cannot skip bytes that are not buffered.");
        }

        _pos += count;
    }

    /// <summary>Reads and discards the rest of the input; afterwards <see cref="TailBytes"/> holds its last bytes.</summary>
    public void SkipToEnd()
    {
        _pos = _len;
        while (!_eof)
        {
            Fill();
            _pos = _len;
        }
    }

    /// <summary>The last (up to <paramref name="count"/>, at most <see cref="Keep"/>) bytes before the read position.</summary>
    public ReadOnlySpan<byte> TailBytes(int count)
    {
        int n = Math.Min(count, _pos);
        return Buffer.AsSpan(_pos - n, n);
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_pos == _len && !Ensure(1))
        {
            return 0;
        }

        int n = Math.Min(Math.Min(buffer.Length, _len - _pos), MaxServe);
        Buffer.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override int ReadByte()
    {
        if (_pos == _len && !Ensure(1))
        {
            return -1;
        }

        return Buffer[_pos++];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }

    private void Fill()
    {
        byte[] buffer = Buffer;
        int keepFrom = Math.Max(0, _pos - Keep);
        if (keepFrom > 0 && Capacity - _len < Capacity / 4)
        {
            buffer.AsSpan(keepFrom, _len - keepFrom).CopyTo(buffer);
            _base += keepFrom;
            _pos -= keepFrom;
            _len -= keepFrom;
        }

        int n = _inner.Read(buffer, _len, Capacity - _len);
        if (n <= 0)
        {
            _eof = true;
        }
        else
        {
            _len += n;
        }
    }
}

/// <summary>Drives a decoder stream for the span-based <see cref="ICompressionCodec"/> methods.</summary>
internal static class StreamDecoding
{
    private const int ChunkSize = 128 * 1024;

    /// <summary>Fills <paramref name="destination"/> and checks that the decoder has nothing more.</summary>
    public static void ReadExact(Stream decoder, Span<byte> destination, string codec)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = decoder.Read(destination[total..]);
            if (n == 0)
            {
                throw LarderErrors.CodecSizeMismatch(codec, destination.Length, total);
            }

            total += n;
        }

        Span<byte> probe = stackalloc byte[1];
        if (decoder.Read(probe) != 0)
        {
            throw LarderErrors.CodecSizeMismatch(codec, destination.Length, null);
        }
    }

    /// <summary>Appends everything the decoder produces, refusing to go past <paramref name="limit"/> bytes.</summary>
    public static long ReadToWriter(Stream decoder, IBufferWriter<byte> writer, long limit, string codec)
    {
        var output = new LimitedOutput(writer, limit, ChunkSize, codec, stackalloc byte[1]);
        while (true)
        {
            bool atLimit = output.AtLimit;
            int n = decoder.Read(output.Next());
            output.Commit(n);
            if (n == 0 || atLimit)
            {
                return output.Total;
            }
        }
    }
}
