using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// Zstandard through <c>libzstd.so.1</c>. Compression: one frame per call with <c>ZSTD_compress2</c> on a pooled
/// <c>ZSTD_CCtx</c> (level and checksum flag set once per context; content size recorded). Decompression:
/// <c>ZSTD_decompressDCtx</c> on a pooled <c>ZSTD_DCtx</c> when the size is known, <c>ZSTD_decompressStream</c> otherwise;
/// both accept concatenated and skippable frames and frames without a content size. Streaming decoding (the stream API,
/// and the unknown-size method unless the input is a single frame that records its size) refuses windows above 2^27 bytes
/// (<c>zstd --long=31</c> output), as the zstd tool does without <c>--memory</c>, so hostile frames cannot claim 2 GiB of
/// window; known-size decoding writes straight into the destination and needs no window.
/// </summary>
/// <remarks>Thread-safe: each call rents its own context from the instance's pool. Dispose frees the pooled contexts.</remarks>
internal sealed unsafe class ZstdCodec : PooledNativeCodec<ZstdCompressionContextHandle, ZstdDecompressionContextHandle>
{
    private const int ChunkSize = 256 * 1024;

    /// <summary>Largest zstd block (ZSTD_BLOCKSIZE_MAX).</summary>
    private const ulong MaxBlockSize = 128 * 1024;

    public ZstdCodec(CompressionOptions options)
        : base(CompressionCodecs.Zstd, ResolveZstdLevel(options.Level), CompressorFactory(options), ZstdDecompressionContextHandle.Create)
    {
    }

    protected override long GetMaxCompressedLengthCore(int inputLength) => ZstdNative.CompressBound(inputLength);

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // zstd may need a little more room than the final size while it works; otherwise compress aside and copy if it fits.
        long bound = ZstdNative.CompressBound(source.Length);
        return destination.Length >= bound || bound > Array.MaxLength
            ? CompressFrame(source, destination)
            : CompressAside(source, destination, (int)bound);
    }

    private protected override int CompressFrame(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ZstdCompressionContextHandle context = Compressors.Rent();
        try
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                nuint result = ZstdNative.ZSTD_compress2(context, dst, (nuint)destination.Length, src, (nuint)source.Length);
                if (ZstdNative.IsError(result))
                {
                    throw ZstdNative.ZSTD_getErrorCode(result) == ZstdNative.ErrorDestinationTooSmall
                        ? DestinationTooSmall(destination.Length)
                        : LarderErrors.CodecCompressionFailed(Name, ZstdNative.ErrorName(result));
                }

                return (int)result;
            }
        }
        finally
        {
            Compressors.Return(context);
        }
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ZstdDecompressionContextHandle context = Decompressors.Rent();
        try
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                nuint result = ZstdNative.ZSTD_decompressDCtx(context, dst, (nuint)destination.Length, src, (nuint)source.Length);
                if (ZstdNative.IsError(result))
                {
                    throw ZstdNative.ZSTD_getErrorCode(result) == ZstdNative.ErrorDestinationTooSmall
                        ? LarderErrors.CodecSizeMismatch(Name, destination.Length, null)
                        : ZstdNative.DecodeError(result);
                }

                if (result != (nuint)destination.Length)
                {
                    throw LarderErrors.CodecSizeMismatch(Name, destination.Length, (long)result);
                }
            }
        }
        finally
        {
            Decompressors.Return(context);
        }
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        if (source.IsEmpty)
        {
            return 0;
        }

        ZstdDecompressionContextHandle context = Decompressors.Rent();
        try
        {
            fixed (byte* src = source)
            {
                // One frame that records its size: decode in one call straight into the writer.
                ulong contentSize = ZstdNative.ZSTD_getFrameContentSize(src, (nuint)source.Length);
                if (contentSize < ZstdNative.ContentSizeError)
                {
                    if (contentSize > (ulong)maxOutputLength)
                    {
                        throw LarderErrors.CodecOutputLimitExceeded(Name, maxOutputLength);
                    }

                    // The densest block (an RLE block: 3 header bytes and 1 byte) stands for at most 128 KiB, so a
                    // frame declaring more than that per 3 input bytes lies; refuse it before allocating.
                    if (contentSize > (((ulong)source.Length / 3) + 1) * MaxBlockSize)
                    {
                        throw LarderErrors.CodecDataCorrupt(Name, $"the frame declares {contentSize} bytes, more than {source.Length} compressed bytes can hold");
                    }

                    nuint frameSize = ZstdNative.ZSTD_findFrameCompressedSize(src, (nuint)source.Length);
                    if (!ZstdNative.IsError(frameSize) && frameSize == (nuint)source.Length && contentSize <= ChunkSize * 4096UL)
                    {
                        int size = (int)contentSize;
                        Span<byte> output = destination.GetSpan(Math.Max(size, 1))[..size];
                        fixed (byte* dst = output)
                        {
                            nuint result = ZstdNative.ZSTD_decompressDCtx(context, dst, (nuint)size, src, (nuint)source.Length);
                            if (ZstdNative.IsError(result))
                            {
                                throw ZstdNative.DecodeError(result);
                            }

                            if (result != (nuint)size)
                            {
                                throw LarderErrors.CodecDataCorrupt(Name, $"the frame holds {result} bytes but declares {size}");
                            }
                        }

                        destination.Advance(size);
                        return size;
                    }
                }

                return DecompressStreaming(context, src, source.Length, destination, maxOutputLength);
            }
        }
        finally
        {
            ZstdNative.ZSTD_DCtx_reset(context, ZstdNative.ResetSessionOnly);
            Decompressors.Return(context);
        }
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen)
        => new ZstdCompressStream(Compressors, inner, leaveOpen);

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen)
        => new ZstdDecompressStream(Decompressors, inner, leaveOpen);

    private static int? ResolveZstdLevel(int? level)
    {
        int resolved = ResolveLevel(CompressionCodecs.Zstd, level, ZstdNative.MinLevel, ZstdNative.MaxLevel, ZstdNative.DefaultLevel);
        return resolved == 0 ? ZstdNative.DefaultLevel : resolved;
    }

    /// <summary>Creates compression contexts with the options' level and checksum flag (fixed now, not read later).</summary>
    private static Func<ZstdCompressionContextHandle> CompressorFactory(CompressionOptions options)
    {
        int level = ResolveZstdLevel(options.Level) ?? ZstdNative.DefaultLevel;
        bool checksum = options.ContentChecksum;
        return () => ZstdCompressionContextHandle.Create(level, checksum);
    }

    private long DecompressStreaming(ZstdDecompressionContextHandle context, byte* src, int length, IBufferWriter<byte> destination, long limit)
    {
        var input = new ZstdInBuffer { Source = src, Size = (nuint)length, Position = 0 };
        var limited = new LimitedOutput(destination, limit, ChunkSize, Name, stackalloc byte[1]);
        while (true)
        {
            Span<byte> output = limited.Next();
            nuint result;
            nuint produced;
            fixed (byte* dst = output)
            {
                var buffer = new ZstdOutBuffer { Destination = dst, Size = (nuint)output.Length, Position = 0 };
                result = ZstdNative.ZSTD_decompressStream(context, &buffer, &input);
                produced = buffer.Position;
            }

            if (ZstdNative.IsError(result))
            {
                throw ZstdNative.DecodeError(result);
            }

            limited.Commit((int)produced);
            if (input.Position == input.Size)
            {
                if (result == 0)
                {
                    return limited.Total;
                }

                if (produced < (nuint)output.Length)
                {
                    throw LarderErrors.CodecDataTruncated(Name);
                }
            }
        }
    }
}
