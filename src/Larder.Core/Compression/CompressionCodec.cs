using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// Shared argument checks, disposal and level validation for the codecs. Subclasses implement the <c>*Core</c> methods
/// and must keep them thread-safe (no per-call state in fields).
/// </summary>
internal abstract class CompressionCodec : ICompressionCodec
{
    private volatile bool _disposed;

    protected CompressionCodec(string name, int? level)
    {
        Name = name;
        Level = level;
    }

    public string Name { get; }

    public int? Level { get; }

    public virtual bool SupportsStreaming => true;

    protected bool IsDisposed => _disposed;

    public int GetMaxCompressedLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long bound = GetMaxCompressedLengthCore(inputLength);
        if (bound > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, $"{Name} output for {inputLength} bytes may exceed 2 GiB; compress smaller pieces.");
        }

        return (int)bound;
    }

    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ThrowIfDisposed();
        return CompressCore(source, destination);
    }

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ThrowIfDisposed();
        DecompressCore(source, destination);
        return destination.Length;
    }

    public long Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputLength);
        ThrowIfDisposed();
        return DecompressCore(source, destination, maxOutputLength);
    }

    public Stream CreateCompressor(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ThrowIfDisposed();
        if (!inner.CanWrite)
        {
            throw new ArgumentException("The inner stream of a compressor must be writable.", nameof(inner));
        }

        return CreateCompressorCore(inner, leaveOpen);
    }

    public Stream CreateDecompressor(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ThrowIfDisposed();
        if (!inner.CanRead)
        {
            throw new ArgumentException("The inner stream of a decompressor must be readable.", nameof(inner));
        }

        return CreateDecompressorCore(inner, leaveOpen);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            DisposeCore();
        }
    }

    public override string ToString() => Level is int level ? $"{Name} (level {level})" : Name;

    protected abstract long GetMaxCompressedLengthCore(int inputLength);

    protected abstract int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>Fills all of <paramref name="destination"/> or throws <see cref="LarderFormatException"/>.</summary>
    protected abstract void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination);

    protected abstract long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength);

    protected abstract Stream CreateCompressorCore(Stream inner, bool leaveOpen);

    protected abstract Stream CreateDecompressorCore(Stream inner, bool leaveOpen);

    protected virtual void DisposeCore()
    {
    }

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    protected ArgumentException DestinationTooSmall(int length)
        => new($"The destination ({length} bytes) is too small for the {Name} output; use GetMaxCompressedLength(source.Length) bytes.", "destination");

    /// <summary>The level to use: the default when unset, after checking the range.</summary>
    protected static int ResolveLevel(string codec, int? level, int min, int max, int defaultLevel)
    {
        if (level is not int value)
        {
            return defaultLevel;
        }

        if (value < min || value > max)
        {
            throw LarderErrors.CodecLevelOutOfRange(codec, value, min, max);
        }

        return value;
    }

    /// <summary>Checks that no level was given to a codec that has none.</summary>
    protected static void RejectLevel(string codec, int? level)
    {
        if (level is not null)
        {
            throw LarderErrors.CodecLevelNotSupported(codec);
        }
    }

    /// <summary>
    /// Whether an exception thrown by a managed third-party or framework decoder means "bad data" (to be rethrown as
    /// <see cref="LarderFormatException"/>) rather than a Larder error or cancellation.
    /// </summary>
    internal static bool IsDecoderFailure(Exception ex)
        => ex is not (LarderException or OperationCanceledException or OutOfMemoryException or ObjectDisposedException);
}
