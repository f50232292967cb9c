using System.Buffers;
using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// A codec over a native library whose calls each rent a context: the instance's pools of compression and decompression
/// contexts (freed on dispose), and one-shot compression of one frame, through pooled scratch memory when the encoder
/// wants more room than the destination has (<see cref="CompressAside"/>). Thread-safe.
/// </summary>
/// <typeparam name="TCompressor">The native compression context type.</typeparam>
/// <typeparam name="TDecompressor">The native decompression context type.</typeparam>
internal abstract class PooledNativeCodec<TCompressor, TDecompressor> : CompressionCodec
    where TCompressor : SafeHandle
    where TDecompressor : SafeHandle
{
    private protected PooledNativeCodec(string name, int? level, Func<TCompressor> createCompressor, Func<TDecompressor> createDecompressor)
        : base(name, level)
    {
        Compressors = new NativeContextPool<TCompressor>(createCompressor);
        Decompressors = new NativeContextPool<TDecompressor>(createDecompressor);
    }

    private protected NativeContextPool<TCompressor> Compressors { get; }

    private protected NativeContextPool<TDecompressor> Decompressors { get; }

    protected override void DisposeCore()
    {
        Compressors.Dispose();
        Decompressors.Dispose();
    }

    /// <summary>Compresses <paramref name="source"/> as one frame; <paramref name="destination"/> has the room the encoder insists on.</summary>
    private protected abstract int CompressFrame(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>
    /// Compresses into pooled scratch memory of <paramref name="bound"/> bytes (the room the encoder insists on) and copies
    /// the result when it fits <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The output does not fit <paramref name="destination"/>.</exception>
    private protected int CompressAside(ReadOnlySpan<byte> source, Span<byte> destination, int bound)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            int written = CompressFrame(source, scratch);
            if (written > destination.Length)
            {
                throw DestinationTooSmall(destination.Length);
            }

            scratch.AsSpan(0, written).CopyTo(destination);
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
