namespace Larder.Parquet.Encodings;

/// <summary>ULEB128 and zigzag varints as the Parquet encodings use them. Stateless; every read is bounds- and overflow-checked.</summary>
internal static class Varint
{
    /// <summary>
    /// Reads a ULEB128 value of at most 64 bits at <paramref name="position"/>, advancing it.
    /// </summary>
    /// <exception cref="LarderFormatException">The input ends inside the varint or it exceeds 64 bits.</exception>
    public static ulong ReadUInt64(ReadOnlySpan<byte> data, ref int position, string encoding, long baseOffset)
    {
        ulong result = 0;
        int shift = 0;
        int p = position;
        while (true)
        {
            if ((uint)p >= (uint)data.Length)
            {
                throw EncodingErrors.Truncated(encoding, "a varint", baseOffset + position);
            }

            byte b = data[p++];
            if (shift == 63 && b > 1)
            {
                throw EncodingErrors.Invalid(encoding, "varint exceeds 64 bits", baseOffset + position);
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                position = p;
                return result;
            }

            shift += 7;
            if (shift > 63)
            {
                throw EncodingErrors.Invalid(encoding, "varint exceeds 64 bits", baseOffset + position);
            }
        }
    }

    /// <summary>Reads a ULEB128 value that must fit in 32 bits.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> data, ref int position, string encoding, long baseOffset)
    {
        int start = position;
        ulong v = ReadUInt64(data, ref position, encoding, baseOffset);
        if (v > uint.MaxValue)
        {
            throw EncodingErrors.Invalid(encoding, $"varint {v} exceeds 32 bits", baseOffset + start);
        }

        return (uint)v;
    }

    /// <summary>Reads a zigzag ULEB128 signed 64-bit value.</summary>
    public static long ReadZigZag64(ReadOnlySpan<byte> data, ref int position, string encoding, long baseOffset)
    {
        ulong v = ReadUInt64(data, ref position, encoding, baseOffset);
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    /// <summary>Writes <paramref name="value"/> as ULEB128 into <paramref name="destination"/> (room for 10 bytes); returns bytes written.</summary>
    public static int WriteUInt64(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes a signed value zigzag-encoded as ULEB128; returns bytes written.</summary>
    public static int WriteZigZag64(Span<byte> destination, long value)
        => WriteUInt64(destination, (ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Bytes ULEB128 needs for <paramref name="value"/>.</summary>
    public static int SizeOf(ulong value) => Math.Max(1, (70 - System.Numerics.BitOperations.LeadingZeroCount(value)) / 7);
}
