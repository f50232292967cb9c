using System.Buffers;

namespace Larder.Ipc.Flatbuf;

/// <summary>
/// Entry points of the Arrow IPC metadata layer: read (verify + decode) and write (encode) the flatbuffers of
/// <c>Message</c> (Message.fbs) and <c>Footer</c> (File.fbs). Pure functions without shared state; thread safe.
/// </summary>
/// <remarks>
/// The bytes are exactly one flatbuffer: no continuation marker, length prefix or padding (the IPC layer handles those).
/// Readers verify every offset and length against <c>bytes</c> before use and bound nesting and total work, so any input
/// either decodes or throws <see cref="LarderFormatException"/> (<see cref="LarderNotSupportedException"/> for
/// well-formed content Larder does not handle: Tensor and SparseTensor messages, type ids and metadata versions newer
/// than Arrow format 1.4 / V5). The decoded models copy what they need: they do not reference <c>bytes</c>.
/// </remarks>
internal static class ArrowFlatbuf
{
    /// <summary>
    /// Verifies and decodes one <c>Message</c> flatbuffer. The header is required; buffers of a RecordBatch or
    /// DictionaryBatch must lie within <see cref="FbMessage.BodyLength"/>; node null counts must not exceed their lengths.
    /// </summary>
    /// <param name="bytes">The flatbuffer (the metadata of one encapsulated message, without prefix or padding).</param>
    /// <param name="source">File or stream name for error messages; may be null.</param>
    /// <param name="baseOffset">Absolute offset of <paramref name="bytes"/> in <paramref name="source"/>, for error messages.</param>
    /// <exception cref="LarderFormatException">The bytes are not a valid Arrow message flatbuffer.</exception>
    public static FbMessage ReadMessage(ReadOnlySpan<byte> bytes, string? source = null, long baseOffset = 0)
        => ReadMessage(bytes, source, baseOffset, FlatBufferLimits.ForLength(bytes.Length));

    /// <summary>As <see cref="ReadMessage(ReadOnlySpan{byte}, string?, long)"/>, with explicit limits.</summary>
    public static FbMessage ReadMessage(ReadOnlySpan<byte> bytes, string? source, long baseOffset, FlatBufferLimits limits)
    {
        var reader = new FlatBufferReader(bytes, source, baseOffset, limits);
        return ArrowFlatbufDecoder.DecodeMessage(ref reader);
    }

    /// <summary>Verifies and decodes one <c>Message</c> flatbuffer held in memory.</summary>
    public static FbMessage ReadMessage(ReadOnlyMemory<byte> bytes, string? source = null, long baseOffset = 0)
        => ReadMessage(bytes.Span, source, baseOffset);

    /// <summary>
    /// Verifies and decodes the <c>Footer</c> flatbuffer of an Arrow file (the bytes before the int32 footer length and
    /// the trailing <c>ARROW1</c>). The schema is required; blocks must have non-negative offsets and lengths.
    /// </summary>
    /// <exception cref="LarderFormatException">The bytes are not a valid Arrow footer flatbuffer.</exception>
    public static FbFooter ReadFooter(ReadOnlySpan<byte> bytes, string? source = null, long baseOffset = 0)
        => ReadFooter(bytes, source, baseOffset, FlatBufferLimits.ForLength(bytes.Length));

    /// <summary>As <see cref="ReadFooter(ReadOnlySpan{byte}, string?, long)"/>, with explicit limits.</summary>
    public static FbFooter ReadFooter(ReadOnlySpan<byte> bytes, string? source, long baseOffset, FlatBufferLimits limits)
    {
        var reader = new FlatBufferReader(bytes, source, baseOffset, limits);
        return ArrowFlatbufDecoder.DecodeFooter(ref reader);
    }

    /// <summary>Verifies and decodes the <c>Footer</c> flatbuffer held in memory.</summary>
    public static FbFooter ReadFooter(ReadOnlyMemory<byte> bytes, string? source = null, long baseOffset = 0)
        => ReadFooter(bytes.Span, source, baseOffset);

    /// <summary>
    /// Writes <paramref name="message"/> as one flatbuffer (root offset first, length a multiple of 8) into
    /// <paramref name="output"/> with a single GetSpan/Advance; returns the number of bytes written. Writes nothing
    /// when it throws.
    /// </summary>
    /// <exception cref="LarderUsageException">The message holds values the format cannot carry (see <see cref="ArrowFlatbufEncoder"/>).</exception>
    public static int WriteMessage(FbMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        using var builder = new FlatBufferBuilder(EstimateSize(message.Header));
        builder.Finish(ArrowFlatbufEncoder.EncodeMessage(builder, message));
        return builder.WriteTo(output);
    }

    /// <summary>Writes <paramref name="footer"/> as one flatbuffer into <paramref name="output"/>; returns its length.</summary>
    /// <exception cref="LarderUsageException">The footer holds values the format cannot carry.</exception>
    public static int WriteFooter(FbFooter footer, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(footer);
        ArgumentNullException.ThrowIfNull(output);
        using var builder = new FlatBufferBuilder(1024 + ((footer.Dictionaries.Length + footer.RecordBatches.Length) * StructSizes.Block));
        builder.Finish(ArrowFlatbufEncoder.EncodeFooter(builder, footer));
        return builder.WriteTo(output);
    }

    /// <summary>Writes <paramref name="message"/> into a new array (convenience for tests and small messages).</summary>
    public static byte[] EncodeMessage(FbMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        WriteMessage(message, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="footer"/> into a new array.</summary>
    public static byte[] EncodeFooter(FbFooter footer)
    {
        var output = new ArrayBufferWriter<byte>();
        WriteFooter(footer, output);
        return output.WrittenSpan.ToArray();
    }

    private static int EstimateSize(FbMessageHeader header)
    {
        FbRecordBatch? batch = header switch
        {
            FbRecordBatch b => b,
            FbDictionaryBatch d => d.Data,
            _ => null,
        };
        if (batch is null)
        {
            return 1024;
        }

        long size = 256 + ((batch.Nodes.Length + (long)batch.Buffers.Length) * 16) + (batch.VariadicBufferCounts.Length * 8L);
        return (int)Math.Min(size, 1 << 30);
    }
}
