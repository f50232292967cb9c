namespace Larder.Compression;

/// <summary>
/// Write-only LZ4 frame compressor over <c>LZ4F_compressBegin/Update/Flush/End</c> with a context rented from the codec's
/// pool (returned on dispose). Writes one frame without a content size; the header is written on the first write, flush or
/// dispose. <see cref="Flush"/> compresses buffered input into a block; <see cref="Stream.Dispose()"/> ends the frame. Not
/// thread-safe.
/// </summary>
internal sealed unsafe class Lz4FrameCompressStream : NativeCompressStream<Lz4FrameCompressionContextHandle>
{
    private const int InputChunk = 64 * 1024;

    private readonly Lz4Preferences _preferences;
    private bool _started;

    public Lz4FrameCompressStream(NativeContextPool<Lz4FrameCompressionContextHandle> pool, int level, bool checksum, Stream inner, bool leaveOpen)
        : base(pool, inner, leaveOpen)
    {
        _preferences = Lz4Native.Preferences(level, checksum, contentSize: 0, autoFlush: false);
        Lz4Preferences preferences = _preferences;
        int bound = (int)Lz4Native.LZ4F_compressBound(InputChunk, &preferences);
        RentOutput(Math.Max(bound, 64));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Lz4FrameCompressionContextHandle context = Start();
        byte[] output = Output;
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

            Emit(written);
            buffer = buffer[chunk.Length..];
        }
    }

    public override void Flush()
    {
        EmitBuffered(endFrame: false);
        Inner.Flush();
    }

    private protected override void Finish() => EmitBuffered(endFrame: true);

    // LZ4F_compressBegin resets a context completely, so it can go back to the pool in any state.
    private protected override void ResetContext(Lz4FrameCompressionContextHandle context)
    {
    }

    private static nuint Check(nuint code)
        => Lz4Native.IsError(code) ? throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Lz4, Lz4Native.ErrorName(code)) : code;

    /// <summary>Compresses the input LZ4F buffered into a block and writes it (<c>LZ4F_flush</c>), or also ends the frame (<c>LZ4F_compressEnd</c>).</summary>
    private void EmitBuffered(bool endFrame)
    {
        Lz4FrameCompressionContextHandle context = Start();
        byte[] output = Output;
        var options = default(Lz4CompressOptions);
        nuint written;
        fixed (byte* dst = output)
        {
            written = Check(endFrame
                ? Lz4Native.LZ4F_compressEnd(context, dst, (nuint)output.Length, &options)
                : Lz4Native.LZ4F_flush(context, dst, (nuint)output.Length, &options));
        }

        Emit(written);
    }

    /// <summary>Writes the first <paramref name="written"/> bytes of the output buffer to the inner stream.</summary>
    private void Emit(nuint written)
    {
        if (written > 0)
        {
            Inner.Write(Output, 0, (int)written);
        }
    }

    private Lz4FrameCompressionContextHandle Start()
    {
        Lz4FrameCompressionContextHandle context = Context;
        if (!_started)
        {
            byte[] output = Output;
            Lz4Preferences preferences = _preferences;
            nuint written;
            fixed (byte* dst = output)
            {
                written = Check(Lz4Native.LZ4F_compressBegin(context, dst, (nuint)output.Length, &preferences));
            }

            _started = true;
            Emit(written);
        }

        return context;
    }
}

/// <summary>
/// Read-only LZ4 frame decompressor over <c>LZ4F_decompress</c> with a context rented from the codec's pool (returned on
/// dispose). Decodes concatenated and skippable frames until the inner stream ends; input that ends inside a frame is a
/// <see cref="LarderFormatException"/>. Not thread-safe.
/// </summary>
internal sealed unsafe class Lz4FrameDecompressStream : NativeDecompressStream<Lz4FrameDecompressionContextHandle>
{
    private const int InputSize = 64 * 1024;

    public Lz4FrameDecompressStream(NativeContextPool<Lz4FrameDecompressionContextHandle> pool, Stream inner, bool leaveOpen)
        : base(CompressionCodecs.Lz4, pool, inner, leaveOpen, InputSize)
    {
    }

    private protected override nuint Decode(Lz4FrameDecompressionContextHandle context, byte[] input, int start, int end, Span<byte> output, out int consumed, out int produced)
    {
        var options = default(Lz4DecompressOptions);
        nuint dstSize = (nuint)output.Length;
        nuint srcSize = (nuint)(end - start);
        nuint hint;
        fixed (byte* src = input)
        fixed (byte* dst = output)
        {
            hint = Lz4Native.LZ4F_decompress(context, dst, &dstSize, src + start, &srcSize, &options);
        }

        consumed = (int)srcSize;
        produced = (int)dstSize;
        return hint;
    }

    private protected override LarderFormatException? DecodeError(nuint result)
        => Lz4Native.IsError(result) ? LarderErrors.CodecDataCorrupt(CompressionCodecs.Lz4, Lz4Native.ErrorName(result)) : null;

    private protected override void ResetContext(Lz4FrameDecompressionContextHandle context)
        => Lz4Native.LZ4F_resetDecompressionContext(context);
}
