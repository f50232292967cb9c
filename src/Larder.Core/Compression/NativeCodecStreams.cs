using System.Buffers;
using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// A write-only compressor over a native streaming encoder whose context is rented from the codec's pool: holds the
/// context and a pooled output buffer, and on dispose finishes the output (<see cref="Finish"/>), flushes the inner
/// stream, resets the context and returns it and the buffer, and disposes the inner stream unless leaveOpen. Not
/// thread-safe.
/// </summary>
/// <typeparam name="THandle">The native context type.</typeparam>
internal abstract class NativeCompressStream<THandle> : WriteOnlyCodecStream
    where THandle : SafeHandle
{
    private readonly NativeContextPool<THandle> _pool;
    private readonly bool _leaveOpen;
    private THandle? _context;
    private byte[]? _output;

    private protected NativeCompressStream(NativeContextPool<THandle> pool, Stream inner, bool leaveOpen)
    {
        _pool = pool;
        Inner = inner;
        _leaveOpen = leaveOpen;
        _context = pool.Rent();
    }

    public override bool CanWrite => _context is not null;

    /// <summary>The destination of the compressed bytes.</summary>
    private protected Stream Inner { get; }

    /// <summary>The rented context.</summary>
    /// <exception cref="ObjectDisposedException">The stream is disposed.</exception>
    private protected THandle Context => _context ?? throw new ObjectDisposedException(GetType().Name);

    /// <summary>The pooled output buffer (rented by the subclass's constructor with <see cref="RentOutput"/>).</summary>
    private protected byte[] Output => _output!;

    protected override void Dispose(bool disposing)
    {
        if (disposing && _context is { } context)
        {
            try
            {
                Finish();
                Inner.Flush();
            }
            finally
            {
                _context = null;
                ResetContext(context);
                NativeStreamResources.Release(_pool, context, ref _output, Inner, _leaveOpen);
            }
        }

        base.Dispose(disposing);
    }

    private protected void RentOutput(int size) => _output = ArrayPool<byte>.Shared.Rent(size);

    /// <summary>Gives the context back as it is, for a constructor that fails after the base constructor rented it.</summary>
    private protected void ReturnContextUnused()
    {
        if (_context is { } context)
        {
            _context = null;
            _pool.Return(context);
        }
    }

    /// <summary>Ends the output (the frame) and writes what is left to <see cref="Inner"/>.</summary>
    private protected abstract void Finish();

    /// <summary>Puts <paramref name="context"/> in a clean state before it goes back to the pool.</summary>
    private protected abstract void ResetContext(THandle context);
}

/// <summary>
/// A read-only decompressor over a native streaming decoder whose context is rented from the codec's pool (reset and
/// returned on dispose, with the pooled input buffer; the inner stream is disposed unless leaveOpen). Decodes
/// concatenated and skippable frames until the inner stream ends; input that ends inside a frame is a
/// <see cref="LarderFormatException"/>, and after a data error every read throws it again. Subclasses run one decoder
/// step (<see cref="Decode"/>). Not thread-safe.
/// </summary>
/// <typeparam name="THandle">The native context type.</typeparam>
internal abstract class NativeDecompressStream<THandle> : ReadOnlyCodecStream
    where THandle : SafeHandle
{
    private readonly string _codec;
    private readonly NativeContextPool<THandle> _pool;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private THandle? _context;
    private byte[]? _input;
    private int _inPos;
    private int _inLen;
    private bool _eof;
    private bool _frameOpen;
    private LarderFormatException? _fault;

    private protected NativeDecompressStream(string codec, NativeContextPool<THandle> pool, Stream inner, bool leaveOpen, int inputSize)
    {
        _codec = codec;
        _pool = pool;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _context = pool.Rent();
        _input = ArrayPool<byte>.Shared.Rent(inputSize);
    }

    public override bool CanRead => _context is not null;

    /// <summary>The rented context.</summary>
    /// <exception cref="ObjectDisposedException">The stream is disposed.</exception>
    private protected THandle Context => _context ?? throw new ObjectDisposedException(GetType().Name);

    public override int Read(Span<byte> buffer)
    {
        THandle context = Context;
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

            nuint result = Decode(context, input, _inPos, _inLen, buffer, out int consumed, out int produced);
            if (DecodeError(result) is { } error)
            {
                throw _fault = error;
            }

            _inPos += consumed;
            _frameOpen = result != 0;
            if (produced > 0)
            {
                return produced;
            }

            if (_frameOpen && _eof && _inPos == _inLen)
            {
                throw _fault = LarderErrors.CodecDataTruncated(_codec);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _context is { } context)
        {
            _context = null;
            ResetContext(context);
            NativeStreamResources.Release(_pool, context, ref _input, _inner, _leaveOpen);
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Runs the decoder once over <c>input[start..end]</c> (the whole array stays pinned) into <paramref name="output"/>:
    /// the native result (0 when a frame just ended, another value while one is open, or an error code), and the bytes
    /// consumed and produced.
    /// </summary>
    private protected abstract nuint Decode(THandle context, byte[] input, int start, int end, Span<byte> output, out int consumed, out int produced);

    /// <summary>The exception for an error result of <see cref="Decode"/>, or null when it is not an error.</summary>
    private protected abstract LarderFormatException? DecodeError(nuint result);

    /// <summary>Puts <paramref name="context"/> in a clean state before it goes back to the pool.</summary>
    private protected abstract void ResetContext(THandle context);
}

/// <summary>Gives back what a native codec stream holds when it is disposed.</summary>
internal static class NativeStreamResources
{
    /// <summary>
    /// Returns <paramref name="context"/> (already reset) to <paramref name="pool"/> and <paramref name="buffer"/> to the
    /// array pool (once: it is null afterwards), then disposes <paramref name="inner"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static void Release<THandle>(NativeContextPool<THandle> pool, THandle context, ref byte[]? buffer, Stream inner, bool leaveOpen)
        where THandle : SafeHandle
    {
        pool.Return(context);
        if (buffer is { } rented)
        {
            buffer = null;
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (!leaveOpen)
        {
            inner.Dispose();
        }
    }
}
