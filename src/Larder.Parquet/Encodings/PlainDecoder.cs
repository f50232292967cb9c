using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Larder.Memory;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Decoders of the PLAIN encoding for every Parquet physical type. Each call decodes values from the start of its source
/// span and returns the bytes consumed, so a caller reading a page in batches slices the page by the running total.
/// Fixed-width values are bulk-copied; nothing is allocated per value. Stateless.
/// </summary>
internal static class PlainDecoder
{
    private const string Name = "PLAIN";

    /// <summary>Decodes <c>destination.Length</c> INT32 values; returns bytes consumed (4 per value).</summary>
    /// <exception cref="LarderFormatException">The source holds fewer values.</exception>
    public static int DecodeInt32(ReadOnlySpan<byte> source, Span<int> destination, long baseOffset = 0)
        => DecodeFixed(source, destination, "INT32", baseOffset);

    /// <summary>Decodes <c>destination.Length</c> INT64 values; returns bytes consumed (8 per value).</summary>
    public static int DecodeInt64(ReadOnlySpan<byte> source, Span<long> destination, long baseOffset = 0)
        => DecodeFixed(source, destination, "INT64", baseOffset);

    /// <summary>Decodes <c>destination.Length</c> FLOAT values; returns bytes consumed (4 per value).</summary>
    public static int DecodeFloat(ReadOnlySpan<byte> source, Span<float> destination, long baseOffset = 0)
        => DecodeFixed(source, destination, "FLOAT", baseOffset);

    /// <summary>Decodes <c>destination.Length</c> DOUBLE values; returns bytes consumed (8 per value).</summary>
    public static int DecodeDouble(ReadOnlySpan<byte> source, Span<double> destination, long baseOffset = 0)
        => DecodeFixed(source, destination, "DOUBLE", baseOffset);

    /// <summary>Decodes <c>destination.Length</c> INT96 values; returns bytes consumed (12 per value).</summary>
    public static int DecodeInt96(ReadOnlySpan<byte> source, Span<Int96> destination, long baseOffset = 0)
    {
        int bytes = CheckLength(source.Length, destination.Length, 12, "INT96", baseOffset);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Int96.Read(source.Slice(i * 12, 12));
        }

        return bytes;
    }

    /// <summary>
    /// Decodes <c>destination.Length</c> INT96 timestamps as nanoseconds since the Unix epoch; returns bytes consumed.
    /// </summary>
    /// <exception cref="LarderFormatException">The source is short, or an instant does not fit in 64-bit nanoseconds.</exception>
    public static int DecodeInt96AsUnixNanoseconds(ReadOnlySpan<byte> source, Span<long> destination, long baseOffset = 0)
    {
        int bytes = CheckLength(source.Length, destination.Length, 12, "INT96", baseOffset);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Int96.Read(source.Slice(i * 12, 12)).ToUnixNanoseconds();
        }

        return bytes;
    }

    /// <summary>
    /// Decodes <c>count</c> FIXED_LEN_BYTE_ARRAY values of <paramref name="typeLength"/> bytes into
    /// <paramref name="destination"/> (exactly count × typeLength bytes, values back to back); returns bytes consumed.
    /// </summary>
    public static int DecodeFixedLenByteArray(ReadOnlySpan<byte> source, int typeLength, Span<byte> destination, long baseOffset = 0)
    {
        if (typeLength <= 0 || destination.Length % typeLength != 0)
        {
            throw EncodingErrors.Argument(nameof(destination), $"destination length {destination.Length} is not a multiple of the type length {typeLength}");
        }

        int bytes = CheckLength(source.Length, destination.Length / typeLength, typeLength, "FIXED_LEN_BYTE_ARRAY", baseOffset);
        source[..bytes].CopyTo(destination);
        return bytes;
    }

    /// <summary>
    /// Decodes BOOLEAN values (bit-packed, LSB first) into <paramref name="destination"/>, starting at bit
    /// <paramref name="sourceBitOffset"/> of <paramref name="source"/>; returns the bit offset after the last value.
    /// </summary>
    public static long DecodeBoolean(ReadOnlySpan<byte> source, long sourceBitOffset, Span<bool> destination, long baseOffset = 0)
    {
        CheckBits(source.Length, sourceBitOffset, destination.Length, baseOffset);
        long bit = sourceBitOffset;
        int i = 0;
        // Align to a byte, then expand whole bytes.
        for (; i < destination.Length && (bit & 7) != 0; i++, bit++)
        {
            destination[i] = ((source[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) != 0;
        }

        int wholeBytes = (destination.Length - i) >> 3;
        var src = source.Slice((int)(bit >> 3), wholeBytes);
        ref byte dst = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(destination[i..]));
        for (int b = 0; b < src.Length; b++)
        {
            // Spread 8 bits into 8 bytes of 0/1.
            ulong x = src[b];
            ulong spread = System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
                ? System.Runtime.Intrinsics.X86.Bmi2.X64.ParallelBitDeposit(x, 0x0101010101010101UL)
                : (x & 0x01) | ((x & 0x02) << 7) | ((x & 0x04) << 14) | ((x & 0x08) << 21)
                    | ((x & 0x10) << 28) | ((x & 0x20) << 35) | ((x & 0x40) << 42) | ((x & 0x80) << 49);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, b * 8), BitConverter.IsLittleEndian ? spread : BinaryPrimitives.ReverseEndianness(spread));
        }

        i += wholeBytes * 8;
        bit += wholeBytes * 8L;
        for (; i < destination.Length; i++, bit++)
        {
            destination[i] = ((source[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) != 0;
        }

        return bit;
    }

    /// <summary>
    /// Copies <paramref name="count"/> BOOLEAN values starting at bit <paramref name="sourceBitOffset"/> into an Arrow
    /// bitmap at bit <paramref name="destinationBitOffset"/>; returns the source bit offset after the last value.
    /// </summary>
    public static long DecodeBooleanToBitmap(ReadOnlySpan<byte> source, long sourceBitOffset, int count, Span<byte> destination, int destinationBitOffset, long baseOffset = 0)
    {
        CheckBits(source.Length, sourceBitOffset, count, baseOffset);
        if ((long)destinationBitOffset + count > (long)destination.Length * 8)
        {
            throw EncodingErrors.Argument(nameof(destination), "destination bitmap is too short");
        }

        int startByte = (int)(sourceBitOffset >> 3);
        BitUtil.CopyBits(source[startByte..], (int)(sourceBitOffset & 7), destination, destinationBitOffset, count);
        return sourceBitOffset + count;
    }

    /// <summary>
    /// Decodes <c>offsets.Length - 1</c> BYTE_ARRAY values (4-byte little-endian length, then the bytes) in Arrow layout:
    /// the bytes are appended to <paramref name="data"/> and <c>offsets[i]</c> / <c>offsets[i + 1]</c> bound value i in it
    /// (<c>offsets[0]</c> is set to the data length on entry, so consecutive batches share one data buffer). Returns bytes
    /// consumed. All lengths are validated before anything is appended; the data grows once.
    /// </summary>
    /// <exception cref="LarderFormatException">A length prefix or value runs past the source, or the data would exceed 2 GiB.</exception>
    public static int DecodeByteArray(ReadOnlySpan<byte> source, Span<int> offsets, BufferBuilder data, long baseOffset = 0)
    {
        if (offsets.IsEmpty)
        {
            throw EncodingErrors.Argument(nameof(offsets), "offsets needs at least one entry");
        }

        int count = offsets.Length - 1;
        int start = data.Length;

        // Pass 1: validate, record lengths as running offsets relative to the source payload total.
        int pos = 0;
        long total = start;
        offsets[0] = start;
        for (int i = 0; i < count; i++)
        {
            if (source.Length - pos < 4)
            {
                throw EncodingErrors.Truncated($"{Name} BYTE_ARRAY", $"the length of value {i}", baseOffset + pos);
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(source[pos..]);
            if (length > (uint)(source.Length - pos - 4))
            {
                throw EncodingErrors.Invalid($"{Name} BYTE_ARRAY", $"value {i} of {length} bytes runs past the end of the {source.Length}-byte data", baseOffset + pos);
            }

            pos += 4 + (int)length;
            total += length;
            if (total > BufferAllocator.MaxLength)
            {
                throw EncodingErrors.OutputTooLarge($"{Name} BYTE_ARRAY", total, BufferAllocator.MaxLength, baseOffset + pos);
            }

            offsets[i + 1] = (int)total;
        }

        // Pass 2: copy the payloads.
        var dst = data.Extend((int)(total - start));
        int p = 0;
        int d = 0;
        for (int i = 0; i < count; i++)
        {
            int length = offsets[i + 1] - offsets[i];
            source.Slice(p + 4, length).CopyTo(dst[d..]);
            p += 4 + length;
            d += length;
        }

        return pos;
    }

    /// <summary>
    /// Walks <paramref name="count"/> BYTE_ARRAY values without copying them; returns the bytes they occupy (to skip values).
    /// </summary>
    public static int SkipByteArray(ReadOnlySpan<byte> source, int count, long baseOffset = 0)
    {
        int pos = 0;
        for (int i = 0; i < count; i++)
        {
            if (source.Length - pos < 4)
            {
                throw EncodingErrors.Truncated($"{Name} BYTE_ARRAY", $"the length of value {i}", baseOffset + pos);
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(source[pos..]);
            if (length > (uint)(source.Length - pos - 4))
            {
                throw EncodingErrors.Invalid($"{Name} BYTE_ARRAY", $"value {i} of {length} bytes runs past the end of the {source.Length}-byte data", baseOffset + pos);
            }

            pos += 4 + (int)length;
        }

        return pos;
    }

    private static int DecodeFixed<T>(ReadOnlySpan<byte> source, Span<T> destination, string type, long baseOffset)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int bytes = CheckLength(source.Length, destination.Length, size, type, baseOffset);
        source[..bytes].CopyTo(MemoryMarshal.AsBytes(destination));
        if (!BitConverter.IsLittleEndian)
        {
            ReverseInPlace(MemoryMarshal.AsBytes(destination), size);
        }

        return bytes;
    }

    internal static void ReverseInPlace(Span<byte> bytes, int size)
    {
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }

    private static int CheckLength(int sourceLength, int count, int size, string type, long baseOffset)
    {
        long needed = (long)count * size;
        if (needed > sourceLength)
        {
            throw EncodingErrors.Truncated($"{Name} {type}", $"{count} values of {size} bytes (only {sourceLength} bytes remain)", baseOffset + sourceLength);
        }

        return (int)needed;
    }

    private static void CheckBits(int sourceLength, long sourceBitOffset, int count, long baseOffset)
    {
        if (sourceBitOffset < 0)
        {
            throw EncodingErrors.Argument(nameof(sourceBitOffset), "bit offset is negative");
        }

        if (sourceBitOffset + count > (long)sourceLength * 8)
        {
            throw EncodingErrors.Truncated($"{Name} BOOLEAN", $"{count} values from bit {sourceBitOffset} (only {sourceLength} bytes)", baseOffset + sourceLength);
        }
    }
}
