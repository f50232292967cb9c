using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// No compression: "compressing" copies, "decompressing" checks the size and copies. Streams pass bytes through. No levels.
/// Thread-safe; owns nothing.
/// </summary>
internal sealed class NoneCodec : CompressionCodec
{
    public NoneCodec(CompressionOptions options)
        : base(CompressionCodecs.None, level: null)
    {
        RejectLevel(CompressionCodecs.None, options.Level);
    }

    protected override long GetMaxCompressedLengthCore(int inputLength) => inputLength;

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!source.TryCopyTo(destination))
        {
            throw DestinationTooSmall(destination.Length);
        }

        return source.Length;
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length != destination.Length)
        {
            throw LarderErrors.CodecSizeMismatch(Name, destination.Length, source.Length);
        }

        source.CopyTo(destination);
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        if (source.Length > maxOutputLength)
        {
            throw LarderErrors.CodecOutputLimitExceeded(Name, maxOutputLength);
        }

        destination.Write(source);
        return source.Length;
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen) => new PassThroughStream(inner, leaveOpen, writing: true);

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen) => new PassThroughStream(inner, leaveOpen, writing: false);
}

/// <summary>A read-only or write-only view of another stream; disposes it unless <c>leaveOpen</c>.</summary>
internal sealed class PassThroughStream : CodecStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly bool _writing;
    private bool _disposed;

    public PassThroughStream(Stream inner, bool leaveOpen, bool writing)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _writing = writing;
    }

    public override bool CanRead => !_disposed && !_writing;

    public override bool CanWrite => !_disposed && _writing;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writing ? throw new NotSupportedException() : _inner.Read(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_writing)
        {
            throw new NotSupportedException();
        }

        _inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
        if (_writing && !_disposed)
        {
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_writing)
            {
                _inner.Flush();
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
