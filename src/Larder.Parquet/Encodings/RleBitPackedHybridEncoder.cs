using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Encoder of the RLE / bit-packed hybrid encoding for bit widths 0..32. The input is scanned in groups of 8: a group
/// whose 8 values are equal starts an RLE run (extended over every following equal value); other groups are bit-packed,
/// consecutive ones in one literal run, the last group padded with zeros. So a run of 15 or more equal values always
/// becomes an RLE run, and a run of 8..14 does when it starts on a group boundary. Stateless.
/// </summary>
internal static class RleBitPackedHybridEncoder
{
    /// <summary>Values per bit-packed group (and the shortest RLE run written, except a short final run).</summary>
    private const int Group = 8;

    /// <summary>An upper bound on the encoded size of <paramref name="count"/> values (without any prefix).</summary>
    public static long MaxEncodedLength(int count, int bitWidth)
    {
        long groups = ((long)count + 7) / 8;
        return ((groups + 1) * bitWidth) + ((2 * groups) + 2) * 9;
    }

    /// <summary>
    /// Encodes <paramref name="values"/> (each in 0..2^bitWidth-1; any bit pattern when the width is 32) into
    /// <paramref name="destination"/>, which must hold <see cref="MaxEncodedLength"/> bytes; returns the bytes written.
    /// Bytes of <paramref name="destination"/> past the returned length may be overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">A value does not fit the bit width, or the bit width is outside 0..32.</exception>
    public static int Encode(ReadOnlySpan<int> values, int bitWidth, Span<byte> destination) => EncodeCore(values, bitWidth, destination);

    /// <summary>Encodes levels (each in 0..2^bitWidth-1) like <see cref="Encode(ReadOnlySpan{int}, int, Span{byte})"/>.</summary>
    public static int Encode(ReadOnlySpan<short> values, int bitWidth, Span<byte> destination) => EncodeCore(values, bitWidth, destination);

    /// <summary>Encodes <paramref name="values"/> into <paramref name="output"/> (no prefix: v2 page levels).</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Bound(values.Length, bitWidth, 0));
        output.Advance(EncodeCore(values, bitWidth, span));
    }

    /// <summary>Encodes <paramref name="values"/> preceded by the 4-byte little-endian length (v1 page levels, RLE booleans).</summary>
    public static void EncodeWithLengthPrefix(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
        => EncodeWithLengthPrefixCore(values, bitWidth, output);

    /// <summary>Encodes levels preceded by the 4-byte little-endian length (v1 page levels).</summary>
    public static void EncodeWithLengthPrefix(ReadOnlySpan<short> values, int bitWidth, IBufferWriter<byte> output)
        => EncodeWithLengthPrefixCore(values, bitWidth, output);

    /// <summary>
    /// Encodes <paramref name="count"/> copies of <paramref name="value"/> preceded by the 4-byte little-endian length: the
    /// same bytes as <see cref="EncodeWithLengthPrefix(ReadOnlySpan{short}, int, IBufferWriter{byte})"/> of that many equal
    /// levels (one RLE run; nothing after the length for 0 values).
    /// </summary>
    public static void EncodeRunWithLengthPrefix(int value, int count, int bitWidth, IBufferWriter<byte> output)
    {
        if ((uint)bitWidth > 32)
        {
            throw EncodingErrors.Argument(nameof(bitWidth), $"bit width {bitWidth} is outside 0..32");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (bitWidth < 32 && (uint)value > (uint)((1UL << bitWidth) - 1))
        {
            throw EncodingErrors.Argument(nameof(value), $"value {value} does not fit in bit width {bitWidth}");
        }

        var span = output.GetSpan(4 + 10 + 4);
        int n = count == 0 ? 0 : WriteRle((uint)value, count, bitWidth, span[4..]);
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
        output.Advance(1 + EncodeCore(indices, bitWidth, span[1..]));
    }

    /// <summary>The index bit width for a dictionary of <paramref name="dictionarySize"/> entries (0 for 0 or 1 entries).</summary>
    public static int DictionaryIndexBitWidth(int dictionarySize)
        => dictionarySize <= 1 ? 0 : BitPacking.BitWidthOf((ulong)(dictionarySize - 1));

    private static void EncodeWithLengthPrefixCore<T>(ReadOnlySpan<T> values, int bitWidth, IBufferWriter<byte> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        var span = output.GetSpan(Bound(values.Length, bitWidth, 4));
        int n = EncodeCore(values, bitWidth, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, n);
        output.Advance(4 + n);
    }

    private static int Bound(int count, int bitWidth, int prefix)
    {
        long bound = MaxEncodedLength(count, bitWidth) + prefix;
        if (bound > int.MaxValue / 2)
        {
            throw EncodingErrors.Argument(nameof(count), $"{count} values are too many to encode in one section");
        }

        return (int)bound;
    }

    private static int EncodeCore<T>(ReadOnlySpan<T> values, int bitWidth, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>
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

        // Invariant: a pending literal [literalStart, i) holds whole groups.
        while (n - i >= Group)
        {
            T v = values[i];
            if (GroupIsRun(values.Slice(i, Group), v))
            {
                int other = values[(i + Group)..].IndexOfAnyExcept(v);
                int end = other < 0 ? n : i + Group + other;
                if (literalStart >= 0)
                {
                    o += WriteLiteral(values[literalStart..i], bitWidth, destination[o..]);
                    literalStart = -1;
                }

                o += WriteRle(uint.CreateTruncating(v), end - i, bitWidth, destination[o..]);
                i = end;
            }
            else
            {
                if (literalStart < 0)
                {
                    literalStart = i;
                }

                i += Group;
            }
        }

        if (i < n)
        {
            // The last (short) group: an RLE run when it is all one value and no literal is pending, else padded literal.
            var tail = values[i..];
            if (literalStart < 0 && tail.IndexOfAnyExcept(tail[0]) < 0)
            {
                o += WriteRle(uint.CreateTruncating(tail[0]), tail.Length, bitWidth, destination[o..]);
            }
            else
            {
                o += WriteLiteral(values[(literalStart < 0 ? i : literalStart)..], bitWidth, destination[o..]);
            }
        }
        else if (literalStart >= 0)
        {
            o += WriteLiteral(values[literalStart..], bitWidth, destination[o..]);
        }

        return o;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool GroupIsRun<T>(ReadOnlySpan<T> group, T v)
        where T : unmanaged, IBinaryInteger<T>
    {
        // Most groups of varying data differ in the second value: test it before the rest.
        return group[1] == v && group[7] == v && group[2] == v && group[3] == v && group[4] == v && group[5] == v && group[6] == v;
    }

    private static void CheckFits<T>(ReadOnlySpan<T> values, int bitWidth)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (bitWidth == 32)
        {
            return;
        }

        int typeBits = Unsafe.SizeOf<T>() * 8;
        T limit = bitWidth >= typeBits - 1 ? T.CreateTruncating((1UL << (typeBits - 1)) - 1) : T.CreateTruncating((1UL << bitWidth) - 1);
        int bad = values.IndexOfAnyExceptInRange(T.Zero, limit);
        if (bad >= 0)
        {
            throw EncodingErrors.Argument(nameof(values), $"value {values[bad]} does not fit in bit width {bitWidth}");
        }
    }

    private static int WriteRle(uint value, int run, int bitWidth, Span<byte> destination)
    {
        int o = Varint.WriteUInt64(destination, (ulong)(uint)run << 1);
        int valueBytes = (bitWidth + 7) >> 3;
        for (int b = 0; b < valueBytes; b++)
        {
            destination[o++] = (byte)(value >> (8 * b));
        }

        return o;
    }

    private static int WriteLiteral<T>(ReadOnlySpan<T> values, int bitWidth, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        int groups = (values.Length + 7) >> 3;
        int o = Varint.WriteUInt64(destination, ((ulong)(uint)groups << 1) | 1);
        if (bitWidth == 0)
        {
            return o;
        }

        int full = values.Length >> 3;
        Span<uint> padded = stackalloc uint[Group];
        for (int g = 0; g < groups; g++)
        {
            if (g < full)
            {
                var group = values.Slice(g * Group, Group);
                for (int k = 0; k < Group; k++)
                {
                    padded[k] = uint.CreateTruncating(group[k]);
                }
            }
            else
            {
                padded.Clear();
                var rest = values[(g * Group)..];
                for (int k = 0; k < rest.Length; k++)
                {
                    padded[k] = uint.CreateTruncating(rest[k]);
                }
            }

            o += PackGroup(padded, bitWidth, destination[o..]);
        }

        return o;
    }

    /// <summary>Bit-packs 8 values LSB first into exactly <paramref name="bitWidth"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackGroup(ReadOnlySpan<uint> v, int bitWidth, Span<byte> destination)
    {
        if (bitWidth <= 8)
        {
            int w = bitWidth;
            ulong acc = v[0] | ((ulong)v[1] << w) | ((ulong)v[2] << (2 * w)) | ((ulong)v[3] << (3 * w))
                | ((ulong)v[4] << (4 * w)) | ((ulong)v[5] << (5 * w)) | ((ulong)v[6] << (6 * w)) | ((ulong)v[7] << (7 * w));
            WriteLow(acc, bitWidth, destination);
            return bitWidth;
        }

        if (bitWidth <= 16)
        {
            // Values 0..3 fill the low 4w bits, 4..7 the next 4w bits (4w <= 64 each).
            int w = bitWidth;
            ulong lo = v[0] | ((ulong)v[1] << w) | ((ulong)v[2] << (2 * w)) | ((ulong)v[3] << (3 * w));
            ulong hi = v[4] | ((ulong)v[5] << w) | ((ulong)v[6] << (2 * w)) | ((ulong)v[7] << (3 * w));
            int loBits = 4 * w;
            ulong first = lo | (loBits == 64 ? 0 : hi << loBits);
            ulong second = loBits == 64 ? hi : hi >> (64 - loBits);
            if (destination.Length >= 16)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination, first);
                BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], second);
            }
            else
            {
                WriteLow(first, Math.Min(8, bitWidth), destination);
                WriteLow(second, bitWidth - 8, destination[8..]);
            }

            return bitWidth;
        }

        ulong accumulator = 0;
        int bits = 0;
        int o = 0;
        for (int k = 0; k < Group; k++)
        {
            accumulator |= (ulong)v[k] << bits;
            bits += bitWidth;
            if (bits >= 32)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(destination[o..], (uint)accumulator);
                o += 4;
                accumulator >>= 32;
                bits -= 32;
            }
        }

        for (; bits > 0; bits -= 8)
        {
            destination[o++] = (byte)accumulator;
            accumulator >>= 8;
        }

        return o;
    }

    /// <summary>Writes the low <paramref name="count"/> (0..8) bytes of <paramref name="value"/>, little endian.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLow(ulong value, int count, Span<byte> destination)
    {
        if (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, value);
            return;
        }

        for (int b = 0; b < count; b++)
        {
            destination[b] = (byte)(value >> (8 * b));
        }
    }
}
