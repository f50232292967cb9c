using System.Buffers;
using System.Buffers.Binary;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Encoder of the RLE / bit-packed hybrid encoding for bit widths 0..32. A run of 8 or more equal values becomes an RLE run
/// (a literal run before it borrows up to 7 of its values so that the literal stays a whole number of groups); everything
/// else is bit-packed in groups of 8, the last group padded with zeros. Stateless.
/// </summary>
internal static class RleBitPackedHybridEncoder
{
    /// <summary>Runs shorter than this are bit-packed.</summary>
    private const int MinRleRun = 8;

    /// <summary>An upper bound on the encoded size of <paramref name="count"/> values (without any prefix).</summary>
    public static long MaxEncodedLength(int count, int bitWidth)
    {
        long groups = ((long)count + 7) / 8;
        return ((groups + 1) * bitWidth) + ((2 * groups) + 2) * 9;
    }

    /// <summary>
    /// Encodes <paramref name="values"/> (each in 0..2^bitWidth-1; any bit pattern when the width is 32) into
    /// <paramref name="destination"/>, which must hold <see cref="MaxEncodedLength"/> bytes; returns the bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">A value does not fit the bit width, or the bit width is outside 0..32.</exception>
    public static int Encode(ReadOnlySpan<int> values, int bitWidth, Span<byte> destination)
    {
        if ((uint)bitWidth > 32)
        {
            throw EncodingErrors.Argument(nameof(bitWidth), $"bit width {bitWidth} is outside 0..32");
        }

        CheckFits(values, bitWidth);
        int n = values.Length;
        int o = 0;
        int i = 0;
        int literalStart = -1;
        while (i < n)
        {
            int v = values[i];
            int end = i + 1;
            int probeEnd = Math.Min(n, i + MinRleRun);
            while (end < probeEnd && values[end] == v)
            {
                end++;
            }

            if (end == i + MinRleRun && end < n)
            {
                int other = values[end..].IndexOfAnyExcept(v);
                end = other < 0 ? n : end + other;
            }

            int run = end - i;
            if (run >= MinRleRun)
            {
                if (literalStart >= 0)
                {
                    int pad = (8 - ((i - literalStart) & 7)) & 7;
                    if (run - pad < MinRleRun)
                    {
                        i = end;
                        continue;
                    }

                    i += pad;
                    run -= pad;
                    o += WriteLiteral(values[literalStart..i], bitWidth, destination[o..]);
                    literalStart = -1;
                }

                o += WriteRle(v, run, bitWidth, destination[o..]);
                i = end;
            }
            else
            {
                if (literalStart < 0)
                {
                    literalStart = i;
                }

                i = end;
            }
        }

        if (literalStart >= 0)
        {
            o += WriteLiteral(values[literalStart..], bitWidth, destination[o..]);
        }

        return o;
    }

    /// <summary>Encodes <paramref name="values"/> into <paramref name="output"/> (no prefix: v2 page levels).</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Bound(values.Length, bitWidth, 0));
        output.Advance(Encode(values, bitWidth, span));
    }

    /// <summary>Encodes <paramref name="values"/> preceded by the 4-byte little-endian length (v1 page levels, RLE booleans).</summary>
    public static void EncodeWithLengthPrefix(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Bound(values.Length, bitWidth, 4));
        int n = Encode(values, bitWidth, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, n);
        output.Advance(4 + n);
    }

    /// <summary>
    /// Encodes dictionary indices for an RLE_DICTIONARY data page: one byte holding <paramref name="bitWidth"/>, then the runs.
    /// Use <see cref="DictionaryIndexBitWidth"/> for the width.
    /// </summary>
    public static void EncodeDictionaryIndices(ReadOnlySpan<int> indices, int bitWidth, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Bound(indices.Length, bitWidth, 1));
        span[0] = (byte)bitWidth;
        output.Advance(1 + Encode(indices, bitWidth, span[1..]));
    }

    /// <summary>The index bit width for a dictionary of <paramref name="dictionarySize"/> entries (0 for 0 or 1 entries).</summary>
    public static int DictionaryIndexBitWidth(int dictionarySize)
        => dictionarySize <= 1 ? 0 : BitPacking.BitWidthOf((ulong)(dictionarySize - 1));

    private static int Bound(int count, int bitWidth, int prefix)
    {
        long bound = MaxEncodedLength(count, bitWidth) + prefix;
        if (bound > int.MaxValue / 2)
        {
            throw EncodingErrors.Argument(nameof(count), $"{count} values are too many to encode in one section");
        }

        return (int)bound;
    }

    private static void CheckFits(ReadOnlySpan<int> values, int bitWidth)
    {
        if (bitWidth == 32)
        {
            return;
        }

        uint limit = (uint)((1UL << bitWidth) - 1);
        foreach (int v in values)
        {
            if ((uint)v > limit)
            {
                throw EncodingErrors.Argument(nameof(values), $"value {v} does not fit in bit width {bitWidth}");
            }
        }
    }

    private static int WriteRle(int value, int run, int bitWidth, Span<byte> destination)
    {
        int o = Varint.WriteUInt64(destination, (ulong)(uint)run << 1);
        int valueBytes = (bitWidth + 7) >> 3;
        for (int b = 0; b < valueBytes; b++)
        {
            destination[o++] = (byte)((uint)value >> (8 * b));
        }

        return o;
    }

    private static int WriteLiteral(ReadOnlySpan<int> values, int bitWidth, Span<byte> destination)
    {
        int groups = (values.Length + 7) >> 3;
        int o = Varint.WriteUInt64(destination, ((ulong)(uint)groups << 1) | 1);
        if (bitWidth == 0)
        {
            return o;
        }

        ulong acc = 0;
        int bits = 0;
        int total = groups * 8;
        for (int k = 0; k < total; k++)
        {
            uint v = k < values.Length ? (uint)values[k] : 0u;
            acc |= (ulong)v << bits;
            bits += bitWidth;
            if (bits >= 32)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(destination[o..], (uint)acc);
                o += 4;
                acc >>= 32;
                bits -= 32;
            }
        }

        for (; bits > 0; bits -= 8)
        {
            destination[o++] = (byte)acc;
            acc >>= 8;
        }

        return o;
    }
}
