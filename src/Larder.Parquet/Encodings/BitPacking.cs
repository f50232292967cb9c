using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Little-endian ("LSB first") bit packing as used by the RLE/bit-packed hybrid and DELTA_BINARY_PACKED encodings: value k of
/// width w occupies bits [k*w, (k+1)*w) of the byte stream, each byte filled from its least significant bit. Values are
/// handled in groups of 8 (a group of width w is exactly w bytes). Stateless.
/// </summary>
[SkipLocalsInit]
internal static class BitPacking
{
    /// <summary>Bytes a fast-path read of one 8-value group may touch beyond its start: the last value's 64-bit load.</summary>
    private static int FastPathBytes(int bitWidth) => ((7 * bitWidth) >> 3) + 8;

    /// <summary>
    /// Unpacks <paramref name="groups"/> groups of 8 values of <paramref name="bitWidth"/> (0..32) bits from
    /// <paramref name="source"/> into <paramref name="destination"/> (8 × groups values). <paramref name="source"/> must hold at
    /// least <c>groups × bitWidth</c> bytes; reads never go past its end (the last groups use a zero-padded copy).
    /// Values of width 32 keep their bit pattern (so may be negative).
    /// </summary>
    public static void Unpack32(ReadOnlySpan<byte> source, Span<int> destination, int bitWidth, int groups)
    {
        Debug.Assert((uint)bitWidth <= 32);
        Debug.Assert((long)groups * bitWidth <= source.Length);
        Debug.Assert((long)groups * 8 <= destination.Length);
        int values = groups * 8;
        switch (bitWidth)
        {
            case 0:
                destination[..values].Clear();
                return;
            case 8:
                WidenBytes(source[..values], destination[..values]);
                return;
            case 16:
                WidenUInt16(source[..(values * 2)], destination[..values]);
                return;
            case 32:
                CopyInt32(source[..(values * 4)], destination[..values]);
                return;
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref int dst = ref MemoryMarshal.GetReference(destination);
        int fastGroups = FastGroupCount(source.Length, bitWidth, groups);
        ulong mask = (1UL << bitWidth) - 1;
        if (bitWidth <= 8)
        {
            // The whole group fits in one 64-bit load.
            for (int g = 0; g < fastGroups; g++)
            {
                ulong word = Load64(ref Unsafe.Add(ref src, g * bitWidth));
                ref int d = ref Unsafe.Add(ref dst, g * 8);
                d = (int)(word & mask);
                Unsafe.Add(ref d, 1) = (int)((word >> bitWidth) & mask);
                Unsafe.Add(ref d, 2) = (int)((word >> (2 * bitWidth)) & mask);
                Unsafe.Add(ref d, 3) = (int)((word >> (3 * bitWidth)) & mask);
                Unsafe.Add(ref d, 4) = (int)((word >> (4 * bitWidth)) & mask);
                Unsafe.Add(ref d, 5) = (int)((word >> (5 * bitWidth)) & mask);
                Unsafe.Add(ref d, 6) = (int)((word >> (6 * bitWidth)) & mask);
                Unsafe.Add(ref d, 7) = (int)((word >> (7 * bitWidth)) & mask);
            }
        }
        else
        {
            for (int g = 0; g < fastGroups; g++)
            {
                ref byte s = ref Unsafe.Add(ref src, g * bitWidth);
                ref int d = ref Unsafe.Add(ref dst, g * 8);
                d = (int)(Load64(ref s) & mask);
                Unsafe.Add(ref d, 1) = (int)Extract(ref s, bitWidth, mask);
                Unsafe.Add(ref d, 2) = (int)Extract(ref s, 2 * bitWidth, mask);
                Unsafe.Add(ref d, 3) = (int)Extract(ref s, 3 * bitWidth, mask);
                Unsafe.Add(ref d, 4) = (int)Extract(ref s, 4 * bitWidth, mask);
                Unsafe.Add(ref d, 5) = (int)Extract(ref s, 5 * bitWidth, mask);
                Unsafe.Add(ref d, 6) = (int)Extract(ref s, 6 * bitWidth, mask);
                Unsafe.Add(ref d, 7) = (int)Extract(ref s, 7 * bitWidth, mask);
            }
        }

        for (int g = fastGroups; g < groups; g++)
        {
            UnpackGroup32Padded(source.Slice(g * bitWidth, bitWidth), destination.Slice(g * 8, 8), bitWidth);
        }
    }

    /// <summary>
    /// Unpacks one group of 8 values from <paramref name="source"/>, which may be shorter than <paramref name="bitWidth"/>
    /// bytes (missing bytes read as zero). Used for the tail of a stream and for a truncated last group.
    /// </summary>
    public static void UnpackGroup32Padded(ReadOnlySpan<byte> source, Span<int> destination, int bitWidth)
    {
        Span<byte> padded = stackalloc byte[48];
        padded.Clear();
        source[..Math.Min(source.Length, bitWidth)].CopyTo(padded);
        Unpack32(padded, destination, bitWidth, 1);
    }

    /// <summary>
    /// Unpacks <paramref name="groups"/> groups of 8 values of <paramref name="bitWidth"/> (0..64) bits into
    /// <paramref name="destination"/>; <paramref name="source"/> must hold <c>groups × bitWidth</c> bytes. Never reads past it.
    /// </summary>
    public static void Unpack64(ReadOnlySpan<byte> source, Span<ulong> destination, int bitWidth, int groups)
    {
        Debug.Assert((uint)bitWidth <= 64);
        Debug.Assert((long)groups * bitWidth <= source.Length);
        int values = groups * 8;
        if (bitWidth == 0)
        {
            destination[..values].Clear();
            return;
        }

        if (bitWidth == 64)
        {
            var src64 = MemoryMarshal.Cast<byte, ulong>(source[..(values * 8)]);
            src64.CopyTo(destination);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(destination[..values], destination[..values]);
            }

            return;
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref ulong dst = ref MemoryMarshal.GetReference(destination);
        int fastGroups = FastGroupCount(source.Length - 1, bitWidth, groups);
        ulong mask = (1UL << bitWidth) - 1;
        if (bitWidth <= 56)
        {
            // Every value plus its bit shift fits one 64-bit load.
            for (int g = 0; g < fastGroups; g++)
            {
                ref byte s = ref Unsafe.Add(ref src, g * bitWidth);
                ref ulong d = ref Unsafe.Add(ref dst, g * 8);
                d = Load64(ref s) & mask;
                Unsafe.Add(ref d, 1) = Extract(ref s, bitWidth, mask);
                Unsafe.Add(ref d, 2) = Extract(ref s, 2 * bitWidth, mask);
                Unsafe.Add(ref d, 3) = Extract(ref s, 3 * bitWidth, mask);
                Unsafe.Add(ref d, 4) = Extract(ref s, 4 * bitWidth, mask);
                Unsafe.Add(ref d, 5) = Extract(ref s, 5 * bitWidth, mask);
                Unsafe.Add(ref d, 6) = Extract(ref s, 6 * bitWidth, mask);
                Unsafe.Add(ref d, 7) = Extract(ref s, 7 * bitWidth, mask);
            }
        }
        else
        {
            for (int g = 0; g < fastGroups; g++)
            {
                ref byte s = ref Unsafe.Add(ref src, g * bitWidth);
                ref ulong d = ref Unsafe.Add(ref dst, g * 8);
                for (int k = 0; k < 8; k++)
                {
                    int bit = k * bitWidth;
                    int shift = bit & 7;
                    ref byte at = ref Unsafe.Add(ref s, bit >> 3);
                    ulong v = Load64(ref at) >> shift;
                    if (shift + bitWidth > 64)
                    {
                        v |= (ulong)Unsafe.Add(ref at, 8) << (64 - shift);
                    }

                    Unsafe.Add(ref d, k) = v & mask;
                }
            }
        }

        if (fastGroups < groups)
        {
            Span<byte> padded = stackalloc byte[80];
            for (int g = fastGroups; g < groups; g++)
            {
                padded.Clear();
                source.Slice(g * bitWidth, bitWidth).CopyTo(padded);
                Unpack64(padded, destination.Slice(g * 8, 8), bitWidth, 1);
            }
        }
    }

    /// <summary>Packs 8 values (low <paramref name="bitWidth"/> bits of each, 0..64) into exactly <paramref name="bitWidth"/> bytes.</summary>
    public static void Pack8(ReadOnlySpan<ulong> values, Span<byte> destination, int bitWidth)
    {
        Debug.Assert(values.Length >= 8 && destination.Length >= bitWidth);
        if (bitWidth == 0)
        {
            return;
        }

        ulong mask = bitWidth == 64 ? ulong.MaxValue : (1UL << bitWidth) - 1;
        ulong acc = 0;
        int bits = 0;
        int o = 0;
        for (int k = 0; k < 8; k++)
        {
            ulong v = values[k] & mask;
            acc |= v << bits;
            int total = bits + bitWidth;
            if (total >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(o, 8), acc);
                o += 8;
                acc = bits == 0 ? 0 : v >> (64 - bits);
                bits = total - 64;
            }
            else
            {
                bits = total;
            }
        }

        for (; bits > 0; bits -= 8)
        {
            destination[o++] = (byte)acc;
            acc >>= 8;
        }
    }

    /// <summary>Packs 8 non-negative values (low <paramref name="bitWidth"/> bits, 0..32) into <paramref name="bitWidth"/> bytes.</summary>
    public static void Pack8(ReadOnlySpan<int> values, Span<byte> destination, int bitWidth)
    {
        Span<ulong> wide = stackalloc ulong[8];
        for (int k = 0; k < 8; k++)
        {
            wide[k] = (uint)values[k];
        }

        Pack8(wide, destination, bitWidth);
    }

    /// <summary>The number of bits needed to represent <paramref name="maxValue"/> (0 for 0).</summary>
    public static int BitWidthOf(ulong maxValue) => 64 - System.Numerics.BitOperations.LeadingZeroCount(maxValue);

    private static int FastGroupCount(int sourceLength, int bitWidth, int groups)
    {
        // Group g may use the fast path when g*bitWidth + FastPathBytes(bitWidth) <= sourceLength.
        long room = sourceLength - (long)FastPathBytes(bitWidth);
        if (room < 0)
        {
            return 0;
        }

        return (int)Math.Min(groups, (room / bitWidth) + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Extract(ref byte group, int bit, ulong mask)
        => (Load64(ref Unsafe.Add(ref group, bit >> 3)) >> (bit & 7)) & mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Load64(ref byte at)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(ref at);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    private static void WidenBytes(ReadOnlySpan<byte> source, Span<int> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static void WidenUInt16(ReadOnlySpan<byte> source, Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]);
        }
    }

    private static void CopyInt32(ReadOnlySpan<byte> source, Span<int> destination)
    {
        MemoryMarshal.Cast<byte, int>(source).CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(destination, destination);
        }
    }
}
