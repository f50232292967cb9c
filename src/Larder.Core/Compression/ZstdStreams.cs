namespace Larder.Compression;

/// <summary>
/// Write-only zstd compressor over <c>ZSTD_compressStream2</c> with a context rented from the codec's pool (returned on
/// dispose). Produces one frame without a content size; <see cref="Flush"/> ends the current block so that everything
/// written so far can be decoded; <see cref="Stream.Dispose()"/> ends the frame. Not thread-safe.
/// </summary>
internal sealed unsafe class ZstdCompressStream : NativeCompressStream<ZstdCompressionContextHandle>
{
    public ZstdCompressStream(NativeContextPool<ZstdCompressionContextHandle> pool, Stream inner, bool leaveOpen)
        : base(pool, inner, leaveOpen)
    {
        nuint reset = ZstdNative.ZSTD_CCtx_reset(Context, ZstdNative.ResetSessionOnly);
        if (ZstdNative.IsError(reset))
        {
            ReturnContextUnused();
            throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Zstd, ZstdNative.ErrorName(reset));
        }

        RentOutput((int)ZstdNative.ZSTD_CStreamOutSize());
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Run(buffer, ZstdNative.EndContinue);

    public override void Flush()
    {
        Run(default, ZstdNative.EndFlush);
        Inner.Flush();
    }

    private protected override void Finish() => Run(default, ZstdNative.EndEnd);

    private protected override void ResetContext(ZstdCompressionContextHandle context)
        => ZstdNative.ZSTD_CCtx_reset(context, ZstdNative.ResetSessionOnly);

    private void Run(ReadOnlySpan<byte> data, int directive)
    {
        ZstdCompressionContextHandle context = Context;
        byte[] output = Output;
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
                    Inner.Write(output, 0, (int)buffer.Position);
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
internal sealed unsafe class ZstdDecompressStream : NativeDecompressStream<ZstdDecompressionContextHandle>
{
    public ZstdDecompressStream(NativeContextPool<ZstdDecompressionContextHandle> pool, Stream inner, bool leaveOpen)
        : base(CompressionCodecs.Zstd, pool, inner, leaveOpen, (int)ZstdNative.ZSTD_DStreamInSize())
    {
        ZstdNative.ZSTD_DCtx_reset(Context, ZstdNative.ResetSessionOnly);
    }

    private protected override nuint Decode(ZstdDecompressionContextHandle context, byte[] input, int start, int end, Span<byte> output, out int consumed, out int produced)
    {
        fixed (byte* src = input)
        fixed (byte* dst = output)
        {
            var inBuffer = new ZstdInBuffer { Source = src, Size = (nuint)end, Position = (nuint)start };
            var outBuffer = new ZstdOutBuffer { Destination = dst, Size = (nuint)output.Length, Position = 0 };
            nuint result = ZstdNative.ZSTD_decompressStream(context, &outBuffer, &inBuffer);
            consumed = (int)inBuffer.Position - start;
            produced = (int)outBuffer.Position;
            return result;
        }
    }

    private protected override LarderFormatException? DecodeError(nuint result)
        => ZstdNative.IsError(result) ? ZstdNative.DecodeError(result) : null;

    private protected override void ResetContext(ZstdDecompressionContextHandle context)
        => ZstdNative.ZSTD_DCtx_reset(context, ZstdNative.ResetSessionOnly);
}
