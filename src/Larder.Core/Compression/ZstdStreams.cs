using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// Write-only zstd compressor over <c>ZSTD_compressStream2</c> with a context rented from the codec's pool (returned on
/// dispose). Produces one frame without a content size; <see cref="Flush"/> ends the current block so that everything
/// written so far can be decoded; <see cref="Stream.Dispose()"/> ends the frame. Not thread-safe.
/// </summary>
internal sealed unsafe class ZstdCompressStream : Stream
{
    private readonly NativeContextPool<ZstdCompressionContextHandle> _pool;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private ZstdCompressionContextHandle? _context;
    private byte[]? _output;

    public ZstdCompressStream(NativeContextPool<ZstdCompressionContextHandle> pool, Stream inner, bool leaveOpen)
    {
        _pool = pool;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _context = pool.Rent();
        nuint reset = ZstdNative.ZSTD_CCtx_reset(_context, ZstdNative.ResetSessionOnly);
        if (ZstdNative.IsError(reset))
        {
            pool.Return(_context);
            throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Zstd, ZstdNative.ErrorName(reset));
        }

        _output = ArrayPool<byte>.Shared.Rent((int)ZstdNative.ZSTD_CStreamOutSize());
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _context is not null;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Run(buffer, ZstdNative.EndContinue);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write(new ReadOnlySpan<byte>(in value));

    public override void Flush()
    {
        Run(default, ZstdNative.EndFlush);
        _inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _context is { } context)
        {
            try
            {
                Run(default, ZstdNative.EndEnd);
                _inner.Flush();
            }
            finally
            {
                _context = null;
                ZstdNative.ZSTD_CCtx_reset(context, ZstdNative.ResetSessionOnly);
                _pool.Return(context);
                if (_output is { } output)
                {
                    _output = null;
                    ArrayPool<byte>.Shared.Return(output);
                }

                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private void Run(ReadOnlySpan<byte> data, int directive)
    {
        ZstdCompressionContextHandle context = _context ?? throw new ObjectDisposedException(nameof(ZstdCompressStream));
        byte[] output = _output!;
        fixed (byte* src = data)
        fixed (byte* dst = output)
        {
            var input = new ZstdInBuffer { Source = src, Size = (nuint)data.Length, Position = 0 };
            while (true)
            {
                var buffer = new ZstdOutBuffer { Destination = dst, Size = (nuint)output.Length, Position = 0 };
                nuint result = ZstdNative.ZSTD_compressStream2(context, &buffer, &input, directive);
                if (ZstdNative.IsError(result))
                {
                    throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Zstd, ZstdNative.ErrorName(result));
                }

                if (buffer.Position > 0)
                {
                    _inner.Write(output, 0, (int)buffer.Position);
                }

                bool finished = directive == ZstdNative.EndContinue ? input.Position == input.Size : result == 0;
                if (finished)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>
/// Read-only zstd decompressor over <c>ZSTD_decompressStream</c> with a context rented from the codec's pool (returned on
/// dispose). Decodes concatenated and skippable frames until the inner stream ends; input that ends inside a frame is a
/// <see cref="LarderFormatException"/>. Not thread-safe.
/// </summary>
internal sealed unsafe class ZstdDecompressStream : Stream
{
    private readonly NativeContextPool<ZstdDecompressionContextHandle> _pool;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private ZstdDecompressionContextHandle? _context;
    private byte[]? _input;
    private int _inPos;
    private int _inLen;
    private bool _eof;
    private bool _frameOpen;
    private LarderFormatException? _fault;

    public ZstdDecompressStream(NativeContextPool<ZstdDecompressionContextHandle> pool, Stream inner, bool leaveOpen)
    {
        _pool = pool;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _context = pool.Rent();
        ZstdNative.ZSTD_DCtx_reset(_context, ZstdNative.ResetSessionOnly);
        _input = ArrayPool<byte>.Shared.Rent((int)ZstdNative.ZSTD_DStreamInSize());
    }

    public override bool CanRead => _context is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        ZstdDecompressionContextHandle context = _context ?? throw new ObjectDisposedException(nameof(ZstdDecompressStream));
        if (_fault is not null)
        {
            throw _fault;
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        byte[] input = _input!;
        while (true)
        {
            if (_inPos == _inLen && !_eof)
            {
                _inPos = 0;
                _inLen = Math.Max(0, _inner.Read(input, 0, input.Length));
                _eof = _inLen == 0;
            }

            if (_inPos == _inLen && _eof && !_frameOpen)
            {
                return 0;
            }

            nuint result;
            int produced;
            fixed (byte* src = input)
            fixed (byte* dst = buffer)
            {
                var inBuffer = new ZstdInBuffer { Source = src, Size = (nuint)_inLen, Position = (nuint)_inPos };
                var outBuffer = new ZstdOutBuffer { Destination = dst, Size = (nuint)buffer.Length, Position = 0 };
                result = ZstdNative.ZSTD_decompressStream(context, &outBuffer, &inBuffer);
                _inPos = (int)inBuffer.Position;
                produced = (int)outBuffer.Position;
            }

            if (ZstdNative.IsError(result))
            {
                throw _fault = ZstdNative.DecodeError(result);
            }

            _frameOpen = result != 0;
            if (produced > 0)
            {
                return produced;
            }

            if (_frameOpen && _eof && _inPos == _inLen)
            {
                throw _fault = LarderErrors.CodecDataTruncated(CompressionCodecs.Zstd);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        byte value = 0;
        return Read(new Span<byte>(&value, 1)) == 1 ? value : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _context is { } context)
        {
            _context = null;
            ZstdNative.ZSTD_DCtx_reset(context, ZstdNative.ResetSessionOnly);
            _pool.Return(context);
            if (_input is { } input)
            {
                _input = null;
                ArrayPool<byte>.Shared.Return(input);
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
