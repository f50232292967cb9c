using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// Write-only LZ4 frame compressor over <c>LZ4F_compressBegin/Update/Flush/End</c> with a context rented from the codec's
/// pool (returned on dispose). Writes one frame without a content size; the header is written on the first write, flush or
/// dispose. <see cref="Flush"/> compresses buffered input into a block; <see cref="Stream.Dispose()"/> ends the frame. Not
/// thread-safe.
/// </summary>
internal sealed unsafe class Lz4FrameCompressStream : Stream
{
    private const int InputChunk = 64 * 1024;

    private readonly NativeContextPool<Lz4FrameCompressionContextHandle> _pool;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly Lz4Preferences _preferences;
    private Lz4FrameCompressionContextHandle? _context;
    private byte[]? _output;
    private bool _started;

    public Lz4FrameCompressStream(NativeContextPool<Lz4FrameCompressionContextHandle> pool, int level, bool checksum, Stream inner, bool leaveOpen)
    {
        _pool = pool;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _preferences = Lz4Native.Preferences(level, checksum, contentSize: 0, autoFlush: false);
        _context = pool.Rent();
        Lz4Preferences preferences = _preferences;
        int bound = (int)Lz4Native.LZ4F_compressBound(InputChunk, &preferences);
        _output = ArrayPool<byte>.Shared.Rent(Math.Max(bound, 64));
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

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Lz4FrameCompressionContextHandle context = Start();
        byte[] output = _output!;
        var options = default(Lz4CompressOptions);
        while (!buffer.IsEmpty)
        {
            ReadOnlySpan<byte> chunk = buffer[..Math.Min(buffer.Length, InputChunk)];
            nuint written;
            fixed (byte* src = chunk)
            fixed (byte* dst = output)
            {
                written = Check(Lz4Native.LZ4F_compressUpdate(context, dst, (nuint)output.Length, src, (nuint)chunk.Length, &options));
            }

            if (written > 0)
            {
                _inner.Write(output, 0, (int)written);
            }

            buffer = buffer[chunk.Length..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write(new ReadOnlySpan<byte>(in value));

    public override void Flush()
    {
        Lz4FrameCompressionContextHandle context = Start();
        byte[] output = _output!;
        var options = default(Lz4CompressOptions);
        nuint written;
        fixed (byte* dst = output)
        {
            written = Check(Lz4Native.LZ4F_flush(context, dst, (nuint)output.Length, &options));
        }

        if (written > 0)
        {
            _inner.Write(output, 0, (int)written);
        }

        _inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _context is not null)
        {
            try
            {
                Lz4FrameCompressionContextHandle context = Start();
                byte[] output = _output!;
                var options = default(Lz4CompressOptions);
                nuint written;
                fixed (byte* dst = output)
                {
                    written = Check(Lz4Native.LZ4F_compressEnd(context, dst, (nuint)output.Length, &options));
                }

                _inner.Write(output, 0, (int)written);
                _inner.Flush();
            }
            finally
            {
                // LZ4F_compressBegin resets a context completely, so it can go back to the pool in any state.
                _pool.Return(_context);
                _context = null;
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

    private static nuint Check(nuint code)
        => Lz4Native.IsError(code) ? throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Lz4, Lz4Native.ErrorName(code)) : code;

    private Lz4FrameCompressionContextHandle Start()
    {
        Lz4FrameCompressionContextHandle context = _context ?? throw new ObjectDisposedException(nameof(Lz4FrameCompressStream));
        if (!_started)
        {
            byte[] output = _output!;
            Lz4Preferences preferences = _preferences;
            nuint written;
            fixed (byte* dst = output)
            {
                written = Check(Lz4Native.LZ4F_compressBegin(context, dst, (nuint)output.Length, &preferences));
            }

            _started = true;
            _inner.Write(output, 0, (int)written);
        }

        return context;
    }
}

/// <summary>
/// Read-only LZ4 frame decompressor over <c>LZ4F_decompress</c> with a context rented from the codec's pool (returned on
/// dispose). Decodes concatenated and skippable frames until the inner stream ends; input that ends inside a frame is a
/// <see cref="LarderFormatException"/>. Not thread-safe.
/// </summary>
internal sealed unsafe class Lz4FrameDecompressStream : Stream
{
    private const int InputSize = 64 * 1024;

    private readonly NativeContextPool<Lz4FrameDecompressionContextHandle> _pool;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private Lz4FrameDecompressionContextHandle? _context;
    private byte[]? _input;
    private int _inPos;
    private int _inLen;
    private bool _eof;
    private bool _frameOpen;
    private LarderFormatException? _fault;

    public Lz4FrameDecompressStream(NativeContextPool<Lz4FrameDecompressionContextHandle> pool, Stream inner, bool leaveOpen)
    {
        _pool = pool;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _context = pool.Rent();
        _input = ArrayPool<byte>.Shared.Rent(InputSize);
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
        Lz4FrameDecompressionContextHandle context = _context ?? throw new ObjectDisposedException(nameof(Lz4FrameDecompressStream));
        if (_fault is not null)
        {
            throw _fault;
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        byte[] input = _input!;
        var options = default(Lz4DecompressOptions);
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

            nuint hint;
            nuint dstSize = (nuint)buffer.Length;
            nuint srcSize = (nuint)(_inLen - _inPos);
            fixed (byte* src = input)
            fixed (byte* dst = buffer)
            {
                hint = Lz4Native.LZ4F_decompress(context, dst, &dstSize, src + _inPos, &srcSize, &options);
            }

            if (Lz4Native.IsError(hint))
            {
                throw _fault = LarderErrors.CodecDataCorrupt(CompressionCodecs.Lz4, Lz4Native.ErrorName(hint));
            }

            _inPos += (int)srcSize;
            _frameOpen = hint != 0;
            if (dstSize > 0)
            {
                return (int)dstSize;
            }

            if (_frameOpen && _eof && _inPos == _inLen)
            {
                throw _fault = LarderErrors.CodecDataTruncated(CompressionCodecs.Lz4);
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
            Lz4Native.LZ4F_resetDecompressionContext(context);
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
