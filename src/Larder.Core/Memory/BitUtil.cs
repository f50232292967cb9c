using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Memory;

/// <summary>Bit-level helpers for Arrow's LSB-first bitmaps (validity and boolean buffers). Pure functions.</summary>
public static class BitUtil
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GetBit(ReadOnlySpan<byte> bits, int index) => (bits[index >> 3] & (1 << (index & 7))) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetBit(Span<byte> bits, int index) => bits[index >> 3] |= (byte)(1 << (index & 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClearBit(Span<byte> bits, int index) => bits[index >> 3] &= (byte)~(1 << (index & 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetBit(Span<byte> bits, int index, bool value)
    {
        if (value)
        {
            SetBit(bits, index);
        }
        else
        {
            ClearBit(bits, index);
        }
    }

    /// <summary>Bytes needed for <paramref name="bitCount"/> bits.</summary>
    public static int BytesForBits(long bitCount) => checked((int)((bitCount + 7) >> 3));

    /// <summary>Rounds up to a multiple of 8.</summary>
    public static long RoundUpTo8(long n) => (n + 7) & ~7L;

    /// <summary>Rounds up to a multiple of 64.</summary>
    public static long RoundUpTo64(long n) => (n + 63) & ~63L;

    /// <summary>Number of set bits among bits [offset, offset+length).</summary>
    public static int CountSetBits(ReadOnlySpan<byte> bits, int offset, int length)
    {
        if (length == 0)
        {
            return 0;
        }

        int count = 0;
        int i = offset;
        int end = offset + length;

        // Leading bits up to a byte boundary.
        while (i < end && (i & 7) != 0)
        {
            if (GetBit(bits, i))
            {
                count++;
            }

            i++;
        }

        // Whole 64-bit words, then whole bytes.
        int byteIndex = i >> 3;
        int wholeBytes = (end - i) >> 3;
        var words = MemoryMarshal.Cast<byte, ulong>(bits.Slice(byteIndex, wholeBytes));
        foreach (ulong w in words)
        {
            count += BitOperations.PopCount(w);
        }

        for (int b = byteIndex + (words.Length * 8); b < byteIndex + wholeBytes; b++)
        {
            count += BitOperations.PopCount(bits[b]);
        }

        i += wholeBytes * 8;
        while (i < end)
        {
            if (GetBit(bits, i))
            {
                count++;
            }

            i++;
        }

        return count;
    }

    /// <summary>Copies <paramref name="length"/> bits from <paramref name="source"/> at bit <paramref name="sourceOffset"/> into <paramref name="destination"/> at bit <paramref name="destOffset"/>.</summary>
    public static void CopyBits(ReadOnlySpan<byte> source, int sourceOffset, Span<byte> destination, int destOffset, int length)
    {
        if (((sourceOffset | destOffset) & 7) == 0)
        {
            int whole = length >> 3;
            source.Slice(sourceOffset >> 3, whole).CopyTo(destination.Slice(destOffset >> 3));
            for (int k = whole * 8; k < length; k++)
            {
                SetBit(destination, destOffset + k, GetBit(source, sourceOffset + k));
            }

            return;
        }

        for (int k = 0; k < length; k++)
        {
            SetBit(destination, destOffset + k, GetBit(source, sourceOffset + k));
        }
    }
}
