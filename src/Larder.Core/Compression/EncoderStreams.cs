using System.Buffers;
using System.Runtime.ExceptionServices;
using ICSharpCode.SharpZipLib.BZip2;

namespace Larder.Compression;

/// <summary>
/// Wraps a framework deflate-family encoder (<see cref="System.IO.Compression.GZipStream"/>, ZLibStream, DeflateStream),
/// which writes nothing at all when no bytes were written to it, so that empty input still produces a valid gzip member,
/// zlib stream or deflate block (the gzip tool rejects an empty file). Disposes the inner stream unless leaveOpen.
/// </summary>
internal sealed class EmptySafeEncoderStream : WriteOnlyCodecStream
{
    private readonly Stream _encoder;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _emptyEncoding;
    private bool _wroteData;
    private bool _disposed;

    /// <param name="encoder">The framework encoder, created over <paramref name="inner"/> with leaveOpen = true.</param>
    /// <param name="inner">The destination.</param>
    /// <param name="leaveOpen">Whether to leave <paramref name="inner"/> open on dispose.</param>
    /// <param name="emptyEncoding">The complete encoding of empty input in this format.</param>
    public EmptySafeEncoderStream(Stream encoder, Stream inner, bool leaveOpen, byte[] emptyEncoding)
    {
        _encoder = encoder;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _emptyEncoding = emptyEncoding;
    }

    public override bool CanWrite => !_disposed;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!buffer.IsEmpty)
        {
            _wroteData = true;
            _encoder.Write(buffer);
        }
    }

    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_wroteData)
        {
            _encoder.Flush();
        }
        else
        {
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _encoder.Dispose();
                if (!_wroteData)
                {
                    _inner.Write(_emptyEncoding);
                }

                _inner.Flush();
            }
            finally
            {
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Wraps SharpZipLib's <see cref="BZip2OutputStream"/>, which writes to its destination one byte at a time and whose
/// <c>Dispose</c> swallows every exception (a failing destination would lose data silently): writes go through a 64 KiB
/// buffer whose failures are remembered and rethrown when the stream is disposed. Disposes the inner stream unless
/// leaveOpen.
/// </summary>
internal sealed class Bzip2EncoderStream : WriteOnlyCodecStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly BufferedWriteGuard _sink;
    private readonly BZip2OutputStream _encoder;
    private bool _disposed;

    public Bzip2EncoderStream(Stream inner, bool leaveOpen, int blockSize)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _sink = new BufferedWriteGuard(inner);
        _encoder = new BZip2OutputStream(_sink, blockSize) { IsStreamOwner = false };
    }

    public override bool CanWrite => !_disposed;

    public override void Write(byte[] buffer, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _sink.Failure?.Throw();
        _encoder.Write(buffer, offset, count);
    }

    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _sink.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _encoder.Dispose(); // swallows exceptions: the sink remembers them
                if (_sink.Failure is null)
                {
                    _sink.Flush();
                }

                _sink.Failure?.Throw();
            }
            finally
            {
                _sink.Dispose();
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>A write buffer over the destination that remembers the first exception the destination throws.</summary>
    private sealed class BufferedWriteGuard : WriteOnlyCodecStream
    {
        private const int Size = 64 * 1024;
        private readonly Stream _inner;
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(Size);
        private int _count;

        public BufferedWriteGuard(Stream inner)
        {
            _inner = inner;
        }

        public ExceptionDispatchInfo? Failure { get; private set; }

        public override bool CanWrite => true;

        public override void WriteByte(byte value)
        {
            byte[] buffer = _buffer ?? throw new ObjectDisposedException(nameof(BufferedWriteGuard));
            if (_count == buffer.Length)
            {
                Drain();
            }

            buffer[_count++] = value;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                WriteByte(buffer[offset + i]);
            }
        }

        public override void Flush()
        {
            Drain();
            Guard(() => _inner.Flush());
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

        private void Drain()
        {
            Failure?.Throw();
            byte[] buffer = _buffer ?? throw new ObjectDisposedException(nameof(BufferedWriteGuard));
            int count = _count;
            _count = 0;
            if (count > 0)
            {
                Guard(() => _inner.Write(buffer, 0, count));
            }
        }

        private void Guard(Action action)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                Failure ??= ExceptionDispatchInfo.Capture(ex);
                throw;
            }
        }
    }
}
