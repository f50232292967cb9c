using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// LZ4 frame format through <c>liblz4.so.1</c>. Frames use 4 MB independent blocks (like the <c>lz4</c> tool), record the
/// content size when it is known, and carry a content checksum when <see cref="CompressionOptions.ContentChecksum"/> is
/// set. Decoding accepts concatenated and skippable frames and frames without content size (not the legacy
/// <c>lz4 -l</c> format).
/// </summary>
/// <remarks>Thread-safe: each call rents its own <c>LZ4F_cctx</c> / <c>LZ4F_dctx</c> from the instance's pools.</remarks>
internal sealed unsafe class Lz4FrameCodec : PooledNativeCodec<Lz4FrameCompressionContextHandle, Lz4FrameDecompressionContextHandle>
{
    private const int ChunkSize = 256 * 1024;

    private readonly bool _checksum;
    private readonly int _level;

    public Lz4FrameCodec(CompressionOptions options)
        : base(
            CompressionCodecs.Lz4,
            Lz4BlockCodec.ResolveLz4Level(CompressionCodecs.Lz4, options.Level),
            Lz4FrameCompressionContextHandle.Create,
            Lz4FrameDecompressionContextHandle.Create)
    {
        _level = Level ?? Lz4Native.DefaultLevel;
        _checksum = options.ContentChecksum;
    }

    protected override long GetMaxCompressedLengthCore(int inputLength)
    {
        Lz4Preferences preferences = Lz4Native.Preferences(_level, _checksum, (ulong)inputLength, autoFlush: true);
        try
        {
            return (long)Lz4Native.LZ4F_compressFrameBound((nuint)inputLength, &preferences);
        }
        catch (DllNotFoundException ex)
        {
            throw LarderErrors.CodecLibraryMissing(Name, Lz4Native.Library, Lz4Native.Package, ex);
        }
    }

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // LZ4F insists on room for the worst case; otherwise compress aside and copy if the real output fits.
        int bound = GetMaxCompressedLength(source.Length);
        return destination.Length >= bound ? CompressFrame(source, destination) : CompressAside(source, destination, bound);
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        Lz4FrameDecompressionContextHandle context = Decompressors.Rent();
        byte dummy = 0;
        try
        {
            fixed (byte* srcFixed = source)
            fixed (byte* dstFixed = destination)
            {
                byte* src = srcFixed == null ? &dummy : srcFixed;
                byte* dst = dstFixed == null ? &dummy : dstFixed;
                var options = new Lz4DecompressOptions { StableDestination = 1 };
                nuint srcLength = (nuint)source.Length;
                nuint dstLength = (nuint)destination.Length;
                nuint srcPos = 0;
                nuint dstPos = 0;
                nuint hint = 0;
                while (srcPos < srcLength)
                {
                    nuint dstSize = dstLength - dstPos;
                    nuint srcSize = srcLength - srcPos;
                    hint = Lz4Native.LZ4F_decompress(context, dst + dstPos, &dstSize, src + srcPos, &srcSize, &options);
                    if (Lz4Native.IsError(hint))
                    {
                        throw LarderErrors.CodecDataCorrupt(Name, Lz4Native.ErrorName(hint));
                    }

                    srcPos += srcSize;
                    dstPos += dstSize;
                    if (srcSize == 0 && dstSize == 0)
                    {
                        throw LarderErrors.CodecSizeMismatch(Name, destination.Length, null);
                    }
                }

                if (hint != 0)
                {
                    // The input ended inside a frame: more output pending (destination too small) or truncated data.
                    if (dstPos == dstLength && HasPendingOutput(context))
                    {
                        throw LarderErrors.CodecSizeMismatch(Name, destination.Length, null);
                    }

                    throw LarderErrors.CodecDataTruncated(Name);
                }

                if (dstPos != dstLength)
                {
                    throw LarderErrors.CodecSizeMismatch(Name, destination.Length, (long)dstPos);
                }
            }
        }
        finally
        {
            Lz4Native.LZ4F_resetDecompressionContext(context);
            Decompressors.Return(context);
        }
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        if (source.IsEmpty)
        {
            return 0;
        }

        Lz4FrameDecompressionContextHandle context = Decompressors.Rent();
        try
        {
            fixed (byte* src = source)
            {
                var options = default(Lz4DecompressOptions);
                nuint srcLength = (nuint)source.Length;
                nuint srcPos = 0;
                var limited = new LimitedOutput(destination, maxOutputLength, ChunkSize, Name, stackalloc byte[1]);
                while (true)
                {
                    Span<byte> output = limited.Next();
                    nuint hint;
                    nuint dstSize = (nuint)output.Length;
                    nuint srcSize = srcLength - srcPos;
                    fixed (byte* dst = output)
                    {
                        hint = Lz4Native.LZ4F_decompress(context, dst, &dstSize, src + srcPos, &srcSize, &options);
                    }

                    if (Lz4Native.IsError(hint))
                    {
                        throw LarderErrors.CodecDataCorrupt(Name, Lz4Native.ErrorName(hint));
                    }

                    srcPos += srcSize;
                    limited.Commit((int)dstSize);
                    if (srcPos == srcLength)
                    {
                        if (hint == 0)
                        {
                            return limited.Total;
                        }

                        if (dstSize < (nuint)output.Length)
                        {
                            throw LarderErrors.CodecDataTruncated(Name);
                        }
                    }
                    else if (srcSize == 0 && dstSize == 0)
                    {
                        throw LarderErrors.CodecDataCorrupt(Name, "the decoder made no progress");
                    }
                }
            }
        }
        finally
        {
            Lz4Native.LZ4F_resetDecompressionContext(context);
            Decompressors.Return(context);
        }
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen)
        => new Lz4FrameCompressStream(Compressors, _level, _checksum, inner, leaveOpen);

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen)
        => new Lz4FrameDecompressStream(Decompressors, inner, leaveOpen);

    /// <summary>After the input ran out: whether the frame still has decoded bytes the destination had no room for.</summary>
    private static bool HasPendingOutput(Lz4FrameDecompressionContextHandle context)
    {
        byte scratch = 0;
        byte empty = 0;
        nuint dstSize = 1;
        nuint srcSize = 0;
        var options = default(Lz4DecompressOptions);
        nuint hint = Lz4Native.LZ4F_decompress(context, &scratch, &dstSize, &empty, &srcSize, &options);
        return !Lz4Native.IsError(hint) && dstSize > 0;
    }

    /// <summary>One frame; <paramref name="destination"/> must hold LZ4F_compressFrameBound bytes.</summary>
    private protected override int CompressFrame(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        Lz4FrameCompressionContextHandle context = Compressors.Rent();
        byte dummy = 0;
        try
        {
            fixed (byte* srcFixed = source)
            fixed (byte* dst = destination)
            {
                byte* src = srcFixed == null ? &dummy : srcFixed;
                Lz4Preferences preferences = Lz4Native.Preferences(_level, _checksum, (ulong)source.Length, autoFlush: true);
                var options = new Lz4CompressOptions { StableSource = 1 };
                nuint capacity = (nuint)destination.Length;
                nuint written = Check(Lz4Native.LZ4F_compressBegin(context, dst, capacity, &preferences));
                if (source.Length > 0)
                {
                    written += Check(Lz4Native.LZ4F_compressUpdate(context, dst + written, capacity - written, src, (nuint)source.Length, &options));
                }

                written += Check(Lz4Native.LZ4F_compressEnd(context, dst + written, capacity - written, &options));
                return (int)written;
            }
        }
        finally
        {
            Compressors.Return(context);
        }
    }

    private nuint Check(nuint code)
        => Lz4Native.IsError(code) ? throw LarderErrors.CodecCompressionFailed(Name, Lz4Native.ErrorName(code)) : code;
}
