using System.Runtime.InteropServices;

namespace Larder.Parquet.Encodings;

/// <summary>
/// A Parquet INT96 value as stored: 12 little-endian bytes. As a legacy timestamp (Impala, Hive, Spark) the first 8 bytes
/// are nanoseconds within the day and the last 4 the Julian day number.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4, Size = 12)]
internal readonly record struct Int96(ulong NanosOfDay, uint JulianDay)
{
    /// <summary>Julian day number of 1970-01-01.</summary>
    public const uint UnixEpochJulianDay = 2_440_588;

    /// <summary>Nanoseconds in a day.</summary>
    public const long NanosPerDay = 86_400_000_000_000;

    /// <summary>Reads the first 12 bytes of <paramref name="source"/> (little endian).</summary>
    public static Int96 Read(ReadOnlySpan<byte> source)
        => new(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(source[8..]));

    /// <summary>Writes the 12 bytes to <paramref name="destination"/> (little endian).</summary>
    public void Write(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, NanosOfDay);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], JulianDay);
    }

    /// <summary>The instant as nanoseconds since 1970-01-01T00:00Z, or false when it does not fit in 64 bits.</summary>
    public bool TryToUnixNanoseconds(out long nanoseconds)
    {
        Int128 result = ((Int128)((long)JulianDay - UnixEpochJulianDay) * NanosPerDay) + (Int128)NanosOfDay;
        if (result < long.MinValue || result > long.MaxValue)
        {
            nanoseconds = 0;
            return false;
        }

        nanoseconds = (long)result;
        return true;
    }

    /// <summary>The instant as nanoseconds since 1970-01-01T00:00Z.</summary>
    /// <exception cref="LarderFormatException">The instant does not fit in 64-bit nanoseconds.</exception>
    public long ToUnixNanoseconds()
        => TryToUnixNanoseconds(out long ns) ? ns : throw EncodingErrors.Int96OutOfRange(JulianDay, NanosOfDay);

    /// <summary>The INT96 timestamp for nanoseconds since 1970-01-01T00:00Z (nanos of day always in 0..NanosPerDay-1).</summary>
    public static Int96 FromUnixNanoseconds(long nanoseconds)
    {
        long days = Math.DivRem(nanoseconds, NanosPerDay, out long rem);
        if (rem < 0)
        {
            rem += NanosPerDay;
            days--;
        }

        return new Int96((ulong)rem, (uint)(days + UnixEpochJulianDay));
    }
}
