using System.Buffers;
using System.Buffers.Binary;

namespace Larder.Compression;

/// <summary>
/// Shared by the codecs built on raw LZ4 blocks: level handling and a pool of compressor states per instance
/// (<c>LZ4_compress_fast_extState</c> for levels below 3, with acceleration 1 - level for negative levels exactly as
/// liblz4's frame API does; <c>LZ4_compress_HC_extStateHC</c> for 3-12). Thread-safe.
/// </summary>
internal abstract unsafe class Lz4BlockCodec : CompressionCodec
{
    private readonly NativeContextPool<Lz4BlockStateHandle> _states;
    private readonly int _level;

    protected Lz4BlockCodec(string name, CompressionOptions options)
        : base(name, ResolveLz4Level(name, options.Level))
    {
        _level = Level ?? Lz4Native.DefaultLevel;
        bool highCompression = _level >= Lz4Native.HighCompressionMinLevel;
        _states = new NativeContextPool<Lz4BlockStateHandle>(() => Lz4BlockStateHandle.Create(highCompression, name));
    }

    /// <summary>The effective lz4 level: the default (1) when unset or 0, after checking the range.</summary>
    internal static int? ResolveLz4Level(string codec, int? level)
    {
        int resolved = ResolveLevel(codec, level, Lz4Native.MinLevel, Lz4Native.MaxLevel, Lz4Native.DefaultLevel);
        return resolved == 0 ? Lz4Native.DefaultLevel : resolved;
    }

    /// <summary>Compresses one raw block; returns the bytes written, or 0 when <paramref name="destination"/> is too small.</summary>
    internal int CompressBlock(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length > Lz4Native.MaxInputSize)
        {
            throw new ArgumentException($"An LZ4 block holds at most {Lz4Native.MaxInputSize} bytes.", nameof(source));
        }

        Lz4BlockStateHandle state = _states.Rent();
        byte dummy = 0;
        try
        {
            fixed (byte* srcFixed = source)
            fixed (byte* dstFixed = destination)
            {
                byte* src = srcFixed == null ? &dummy : srcFixed;
                byte* dst = dstFixed == null ? &dummy : dstFixed;
                return _level >= Lz4Native.HighCompressionMinLevel
                    ? Lz4Native.LZ4_compress_HC_extStateHC(state, src, dst, source.Length, destination.Length, _level)
                    : Lz4Native.LZ4_compress_fast_extState(state, src, dst, source.Length, destination.Length, _level < 0 ? 1 - _level : 1);
            }
        }
        finally
        {
            _states.Return(state);
        }
    }

    /// <summary>LZ4_decompress_safe: the bytes written, or a negative number for corrupt data or too small a destination.</summary>
    internal static int DecompressBlock(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte dummy = 0;
        fixed (byte* srcFixed = source)
        fixed (byte* dstFixed = destination)
        {
            byte* src = srcFixed == null ? &dummy : srcFixed;
            byte* dst = dstFixed == null ? &dummy : dstFixed;
            try
            {
                return Lz4Native.LZ4_decompress_safe(src, dst, source.Length, destination.Length);
            }
            catch (DllNotFoundException ex)
            {
                throw LarderErrors.CodecLibraryMissing(CompressionCodecs.Lz4Raw, Lz4Native.Library, Lz4Native.Package, ex);
            }
        }
    }

    /// <summary>LZ4_decompress_safe_partial: decodes at most <c>destination.Length</c> bytes of the block.</summary>
    internal static int DecompressBlockPartial(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte dummy = 0;
        fixed (byte* srcFixed = source)
        fixed (byte* dstFixed = destination)
        {
            byte* src = srcFixed == null ? &dummy : srcFixed;
            byte* dst = dstFixed == null ? &dummy : dstFixed;
            return Lz4Native.LZ4_decompress_safe_partial(src, dst, source.Length, destination.Length, destination.Length);
        }
    }

    protected override void DisposeCore() => _states.Dispose();
}

/// <summary>
/// One raw LZ4 block (Parquet LZ4_RAW), no framing: at most 2,113,929,216 input bytes. No streaming. Decoding without a
/// known size tries growing buffers up to the caller's limit (a raw block does not record its size).
/// </summary>
internal sealed class Lz4RawCodec : Lz4BlockCodec
{
    public Lz4RawCodec(CompressionOptions options)
        : base(CompressionCodecs.Lz4Raw, options)
    {
    }

    public override bool SupportsStreaming => false;

    protected override long GetMaxCompressedLengthCore(int inputLength)
        => inputLength > Lz4Native.MaxInputSize
            ? throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, $"An LZ4 block holds at most {Lz4Native.MaxInputSize} bytes.")
            : Lz4Native.BlockBound(inputLength);

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = CompressBlock(source, destination);
        return written > 0 ? written : throw DestinationTooSmall(destination.Length);
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = DecompressBlock(source, destination);
        if (written < 0)
        {
            throw LarderErrors.CodecDataCorrupt(Name, $"invalid LZ4 block, or it decompresses to more than the {destination.Length} bytes expected");
        }

        if (written != destination.Length)
        {
            throw LarderErrors.CodecSizeMismatch(Name, destination.Length, written);
        }
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        // An LZ4 sequence expands at most about 255 times; try 4x, then grow, never past the limit.
        long ceiling = Math.Min(maxOutputLength, Math.Min(((long)source.Length * 255) + 64, Array.MaxLength));
        long capacity = Math.Min(ceiling, Math.Max((long)source.Length * 4, 64 * 1024));
        while (true)
        {
            Span<byte> output = destination.GetSpan((int)Math.Max(capacity, 1))[..(int)capacity];
            int written = DecompressBlock(source, output);
            if (written >= 0)
            {
                destination.Advance(written);
                return written;
            }

            if (capacity < ceiling)
            {
                capacity = Math.Min(ceiling, capacity * 4);
                continue;
            }

            // The full limit did not suffice: either the block is corrupt or its output is longer than the limit.
            if (ceiling == maxOutputLength && ceiling > 0 && DecompressBlockPartial(source, output) == output.Length)
            {
                throw LarderErrors.CodecOutputLimitExceeded(Name, maxOutputLength);
            }

            throw LarderErrors.CodecDataCorrupt(Name, "invalid LZ4 block");
        }
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen) => throw StreamingNotSupported();

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen) => throw StreamingNotSupported();

    private static LarderNotSupportedException StreamingNotSupported()
        => LarderErrors.CodecStreamingNotSupported(
            CompressionCodecs.Lz4Raw,
            "a raw LZ4 block has no framing; use the span methods on whole blocks, or lz4 (frame) or lz4_hadoop for streams");
}

/// <summary>
/// LZ4 blocks in Hadoop framing (the deprecated Parquet LZ4 codec): repeated [u32 BE uncompressed size] followed by one or
/// more [u32 BE compressed size][raw LZ4 block] chunks until that size is reached. Compression writes blocks of at most
/// 256 KiB input (Hadoop's default buffer, so Hadoop and Arrow readers both accept them), one chunk each; empty input is
/// one empty block, as Arrow writes it. Known-size decompression falls back to a single raw LZ4 block when the data is not
/// Hadoop-framed, as Arrow does for files from old writers.
/// </summary>
internal sealed class Lz4HadoopCodec : Lz4BlockCodec
{
    internal const int BlockSize = 256 * 1024;

    public Lz4HadoopCodec(CompressionOptions options)
        : base(CompressionCodecs.Lz4Hadoop, options)
    {
    }

    protected override long GetMaxCompressedLengthCore(int inputLength)
    {
        long fullBlocks = inputLength / BlockSize;
        int rest = inputLength % BlockSize;
        long bound = fullBlocks * (8 + Lz4Native.BlockBound(BlockSize));
        if (rest > 0 || inputLength == 0)
        {
            bound += 8 + Lz4Native.BlockBound(rest);
        }

        return bound;
    }

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = 0;
        do
        {
            ReadOnlySpan<byte> block = source[..Math.Min(source.Length, BlockSize)];
            int size = destination.Length - written < 8 ? 0 : CompressBlock(block, destination[(written + 8)..]);
            if (size <= 0)
            {
                throw DestinationTooSmall(destination.Length);
            }

            BinaryPrimitives.WriteUInt32BigEndian(destination[written..], (uint)block.Length);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(written + 4)..], (uint)size);
            written += 8 + size;
            source = source[block.Length..];
        }
        while (!source.IsEmpty);

        return written;
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        long produced = TryDecodeHadoop(source, destination);
        if (produced == destination.Length)
        {
            return;
        }

        // Not Hadoop-framed (or not matching): old writers put one raw block under the same codec id.
        if (DecompressBlock(source, destination) == destination.Length)
        {
            return;
        }

        throw produced >= 0
            ? LarderErrors.CodecSizeMismatch(Name, destination.Length, produced)
            : LarderErrors.CodecDataCorrupt(Name, $"neither Hadoop-framed LZ4 blocks nor one raw LZ4 block of {destination.Length} bytes");
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        long total = 0;
        while (!source.IsEmpty)
        {
            if (source.Length < 8)
            {
                throw LarderErrors.CodecDataTruncated(Name);
            }

            uint blockSize = BinaryPrimitives.ReadUInt32BigEndian(source);
            source = source[4..];
            if (blockSize > maxOutputLength - total)
            {
                throw LarderErrors.CodecOutputLimitExceeded(Name, maxOutputLength);
            }

            if (blockSize > ((long)source.Length * 255) + 64)
            {
                throw LarderErrors.CodecDataCorrupt(Name, $"a block declares {blockSize} bytes, more than its data can hold");
            }

            int size = (int)blockSize;
            Span<byte> output = destination.GetSpan(Math.Max(size, 1))[..size];
            int produced = 0;
            do
            {
                if (source.Length < 4)
                {
                    throw LarderErrors.CodecDataTruncated(Name);
                }

                uint chunk = BinaryPrimitives.ReadUInt32BigEndian(source);
                source = source[4..];
                if (chunk > (uint)source.Length)
                {
                    throw LarderErrors.CodecDataTruncated(Name);
                }

                int n = DecompressBlock(source[..(int)chunk], output[produced..]);
                if (n < 0)
                {
                    throw LarderErrors.CodecDataCorrupt(Name, "invalid LZ4 block, or it decompresses to more than its block declares");
                }

                produced += n;
                source = source[(int)chunk..];
            }
            while (produced < size);

            destination.Advance(size);
            total += size;
        }

        return total;
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen) => new Lz4HadoopCompressStream(this, inner, leaveOpen);

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen)
        => new DecoderStream(Name, inner, leaveOpen, static source => new Lz4HadoopDecompressStream(source));

    /// <summary>Decodes Hadoop framing into <paramref name="destination"/>: the bytes produced, or -1 if the data is not valid Hadoop framing.</summary>
    private static long TryDecodeHadoop(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int produced = 0;
        while (!source.IsEmpty)
        {
            if (source.Length < 8)
            {
                return -1;
            }

            uint blockSize = BinaryPrimitives.ReadUInt32BigEndian(source);
            source = source[4..];
            if (blockSize > (uint)(destination.Length - produced))
            {
                return -1;
            }

            int blockEnd = produced + (int)blockSize;
            do
            {
                if (source.Length < 4)
                {
                    return -1;
                }

                uint chunk = BinaryPrimitives.ReadUInt32BigEndian(source);
                source = source[4..];
                if (chunk > (uint)source.Length)
                {
                    return -1;
                }

                int n = DecompressBlock(source[..(int)chunk], destination[produced..blockEnd]);
                if (n < 0)
                {
                    return -1;
                }

                produced += n;
                source = source[(int)chunk..];
            }
            while (produced < blockEnd);
        }

        return produced;
    }
}
