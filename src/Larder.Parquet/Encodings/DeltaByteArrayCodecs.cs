using System.Buffers;
using Larder.Memory;

namespace Larder.Parquet.Encodings;

/// <summary>
/// DELTA_LENGTH_BYTE_ARRAY: the value lengths as DELTA_BINARY_PACKED, then all value bytes back to back. Decodes a whole
/// page's values at once into Arrow layout (offsets + one data buffer) without allocating: the lengths are decoded straight
/// into the offsets span and turned into offsets in place. Stateless.
/// </summary>
internal static class DeltaLengthByteArrayDecoder
{
    private const string Name = "DELTA_LENGTH_BYTE_ARRAY";

    /// <summary>
    /// Decodes <c>offsets.Length - 1</c> values (the encoded count must match) appending their bytes to
    /// <paramref name="data"/>; <c>offsets[0]</c> is set to the data length on entry. Returns the bytes consumed.
    /// </summary>
    /// <exception cref="LarderFormatException">The count differs, a length is negative, or the bytes run short.</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<int> offsets, BufferBuilder data, long baseOffset = 0)
    {
        if (offsets.IsEmpty)
        {
            throw EncodingErrors.Argument(nameof(offsets), "offsets needs at least one entry");
        }

        int count = offsets.Length - 1;
        var lengths = new DeltaBinaryPackedDecoder(source, baseOffset);
        if (lengths.TotalCount != count)
        {
            throw EncodingErrors.CountMismatch(Name, lengths.TotalCount, count, baseOffset);
        }

        lengths.ReadExactly(offsets[1..]);
        lengths.SkipToEnd();
        int pos = lengths.BytesConsumed;
        long total = ToOffsets(offsets, data.Length, source.Length - pos, Name, baseOffset + pos);
        source.Slice(pos, (int)total).CopyTo(data.Extend((int)total));
        return pos + (int)total;
    }

    /// <summary>
    /// Turns lengths in <c>offsets[1..]</c> into offsets starting at <paramref name="start"/>; checks each length is
    /// non-negative and the total fits <paramref name="available"/> bytes. Returns the total.
    /// </summary>
    internal static long ToOffsets(Span<int> offsets, int start, long available, string encoding, long offset)
    {
        long total = 0;
        offsets[0] = start;
        for (int i = 1; i < offsets.Length; i++)
        {
            int length = offsets[i];
            if (length < 0)
            {
                throw EncodingErrors.Invalid(encoding, $"value {i - 1} has negative length {length}", offset);
            }

            total += length;
            if (total > available)
            {
                throw EncodingErrors.Truncated(encoding, $"the value bytes (lengths add up to over {available} bytes)", offset);
            }

            if (start + total > BufferAllocator.MaxLength)
            {
                throw EncodingErrors.OutputTooLarge(encoding, start + total, BufferAllocator.MaxLength, offset);
            }

            offsets[i] = (int)(start + total);
        }

        return total;
    }
}

/// <summary>Encoder of DELTA_LENGTH_BYTE_ARRAY from Arrow layout (offsets + data). Stateless.</summary>
internal static class DeltaLengthByteArrayEncoder
{
    /// <summary>
    /// Appends the encoding of <c>offsets.Length - 1</c> values; value i is <c>data[offsets[i]..offsets[i + 1]]</c>.
    /// </summary>
    public static void Encode(ReadOnlySpan<int> offsets, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        int count = Math.Max(0, offsets.Length - 1);
        int[] lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        try
        {
            for (int i = 0; i < count; i++)
            {
                lengths[i] = offsets[i + 1] - offsets[i];
                if (lengths[i] < 0)
                {
                    throw EncodingErrors.Argument(nameof(offsets), $"offsets decrease at value {i}");
                }
            }

            DeltaBinaryPackedEncoder.Encode(lengths.AsSpan(0, count), output);
            if (count > 0)
            {
                output.Write(data[offsets[0]..offsets[count]]);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }
}

/// <summary>
/// DELTA_BYTE_ARRAY (incremental / front coding): prefix lengths as DELTA_BINARY_PACKED, then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY. Decodes a whole page's values at once into Arrow layout. Stateless.
/// </summary>
internal static class DeltaByteArrayDecoder
{
    private const string Name = "DELTA_BYTE_ARRAY";

    /// <summary>
    /// Decodes <c>offsets.Length - 1</c> values (both encoded counts must match) appending their bytes to
    /// <paramref name="data"/>; <c>offsets[0]</c> is set to the data length on entry. Returns the bytes consumed. Because
    /// prefixes let a small input expand, the decoded bytes are capped at <paramref name="maxDataBytes"/> (checked before
    /// anything is appended). One pooled array of prefix lengths is rented per call.
    /// </summary>
    /// <exception cref="LarderFormatException">Counts differ, a prefix exceeds the previous value, a length is negative,
    /// bytes run short, or the output would exceed the cap.</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<int> offsets, BufferBuilder data, long baseOffset = 0, long maxDataBytes = BufferAllocator.MaxLength)
    {
        if (offsets.IsEmpty)
        {
            throw EncodingErrors.Argument(nameof(offsets), "offsets needs at least one entry");
        }

        int count = offsets.Length - 1;
        var prefixDecoder = new DeltaBinaryPackedDecoder(source, baseOffset);
        if (prefixDecoder.TotalCount != count)
        {
            throw EncodingErrors.CountMismatch(Name, prefixDecoder.TotalCount, count, baseOffset);
        }

        int[] prefixes = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        try
        {
            prefixDecoder.ReadExactly(prefixes.AsSpan(0, count));
            prefixDecoder.SkipToEnd();
            int pos = prefixDecoder.BytesConsumed;
            var suffixDecoder = new DeltaBinaryPackedDecoder(source[pos..], baseOffset + pos);
            if (suffixDecoder.TotalCount != count)
            {
                throw EncodingErrors.CountMismatch(Name, suffixDecoder.TotalCount, count, baseOffset + pos);
            }

            suffixDecoder.ReadExactly(offsets[1..]);
            suffixDecoder.SkipToEnd();
            pos += suffixDecoder.BytesConsumed;

            // Pass 1: validate lengths and prefixes, size the output.
            long suffixTotal = 0;
            long outputTotal = 0;
            long previousLength = 0;
            for (int i = 0; i < count; i++)
            {
                int prefix = prefixes[i];
                int suffix = offsets[i + 1];
                if (suffix < 0)
                {
                    throw EncodingErrors.Invalid(Name, $"value {i} has negative suffix length {suffix}", baseOffset + pos);
                }

                if (prefix < 0 || prefix > previousLength)
                {
                    throw EncodingErrors.Invalid(Name, $"value {i} has prefix length {prefix} but the previous value has {previousLength} bytes", baseOffset);
                }

                suffixTotal += suffix;
                if (suffixTotal > source.Length - pos)
                {
                    throw EncodingErrors.Truncated(Name, $"the suffix bytes (lengths add up to over {source.Length - pos} bytes)", baseOffset + pos);
                }

                previousLength = (long)prefix + suffix;
                outputTotal += previousLength;
                long limit = Math.Min(maxDataBytes, BufferAllocator.MaxLength - (long)data.Length);
                if (outputTotal > limit)
                {
                    throw EncodingErrors.OutputTooLarge(Name, outputTotal, limit, baseOffset + pos);
                }
            }

            // Pass 2: assemble values; each prefix is copied from the previous value already in the output.
            int start = data.Length;
            var output = data.Extend((int)outputTotal);
            var suffixes = source.Slice(pos, (int)suffixTotal);
            int o = 0;
            int s = 0;
            int previousStart = 0;
            offsets[0] = start;
            for (int i = 0; i < count; i++)
            {
                int prefix = prefixes[i];
                int suffix = offsets[i + 1];
                if (prefix > 0)
                {
                    output.Slice(previousStart, prefix).CopyTo(output[o..]);
                }

                suffixes.Slice(s, suffix).CopyTo(output[(o + prefix)..]);
                previousStart = o;
                o += prefix + suffix;
                s += suffix;
                offsets[i + 1] = start + o;
            }

            return pos + (int)suffixTotal;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(prefixes);
        }
    }
}

/// <summary>Encoder of DELTA_BYTE_ARRAY from Arrow layout (offsets + data). Stateless.</summary>
internal static class DeltaByteArrayEncoder
{
    /// <summary>
    /// Appends the encoding of <c>offsets.Length - 1</c> values; value i is <c>data[offsets[i]..offsets[i + 1]]</c>.
    /// </summary>
    public static void Encode(ReadOnlySpan<int> offsets, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        int count = Math.Max(0, offsets.Length - 1);
        int[] lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, 2 * count));
        try
        {
            var prefixes = lengths.AsSpan(0, count);
            var suffixes = lengths.AsSpan(count, count);
            ReadOnlySpan<byte> previous = default;
            for (int i = 0; i < count; i++)
            {
                var value = data[offsets[i]..offsets[i + 1]];
                int prefix = previous.CommonPrefixLength(value);
                prefixes[i] = prefix;
                suffixes[i] = value.Length - prefix;
                previous = value;
            }

            DeltaBinaryPackedEncoder.Encode(prefixes, output);
            DeltaBinaryPackedEncoder.Encode(suffixes, output);
            for (int i = 0; i < count; i++)
            {
                output.Write(data.Slice(offsets[i + 1] - suffixes[i], suffixes[i]));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }
}
