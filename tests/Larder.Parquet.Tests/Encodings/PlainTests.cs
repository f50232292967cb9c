using System.Runtime.InteropServices;
using Larder.Memory;
using Larder.Parquet.Encodings;
using static Larder.Parquet.Tests.Encodings.EncodingTestData;

namespace Larder.Parquet.Tests.Encodings;

public class PlainTests
{
    [Fact]
    public void EncodeDecode_FixedWidthTypesAllSizes_RoundTrip()
    {
        foreach (int size in Sizes)
        {
            var longs = Longs(size, "extreme", size);
            var ints = longs.Select(v => (int)v).ToArray();
            var doubles = longs.Select(v => BitConverter.Int64BitsToDouble(v)).ToArray();
            var floats = ints.Select(v => BitConverter.Int32BitsToSingle(v)).ToArray();

            var b = Encode(w => PlainEncoder.EncodeInt64(longs, w));
            var l2 = new long[size];
            Assert.Equal(b.Length, PlainDecoder.DecodeInt64(b, l2));
            Assert.Equal(longs, l2);

            b = Encode(w => PlainEncoder.EncodeInt32(ints, w));
            var i2 = new int[size];
            Assert.Equal(b.Length, PlainDecoder.DecodeInt32(b, i2));
            Assert.Equal(ints, i2);

            b = Encode(w => PlainEncoder.EncodeDouble(doubles, w));
            var d2 = new double[size];
            PlainDecoder.DecodeDouble(b, d2);
            Assert.True(MemoryMarshal.AsBytes(doubles.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(d2.AsSpan())));

            b = Encode(w => PlainEncoder.EncodeFloat(floats, w));
            var f2 = new float[size];
            PlainDecoder.DecodeFloat(b, f2);
            Assert.True(MemoryMarshal.AsBytes(floats.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(f2.AsSpan())));
        }
    }

    [Fact]
    public void DecodeInt32_KnownBytes_LittleEndian()
    {
        var values = new int[2];
        PlainDecoder.DecodeInt32([0x01, 0x00, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF], values);
        Assert.Equal([1, -2], values);
    }

    [Fact]
    public void EncodeDecode_BooleanAllSizes_RoundTrip()
    {
        foreach (int size in Sizes)
        {
            var random = new Random(size);
            var values = Enumerable.Range(0, size).Select(_ => random.Next(2) == 1).ToArray();
            var bytes = Encode(w => PlainEncoder.EncodeBoolean(values, w));
            Assert.Equal((size + 7) / 8, bytes.Length);
            var decoded = new bool[size];
            Assert.Equal(size, PlainDecoder.DecodeBoolean(bytes, 0, decoded));
            Assert.Equal(values, decoded);

            // Batched from an unaligned bit offset, and into an Arrow bitmap.
            if (size > 10)
            {
                var tail = new bool[size - 3];
                PlainDecoder.DecodeBoolean(bytes, 3, tail);
                Assert.Equal(values[3..], tail);
                var bitmap = new byte[(size / 8) + 2];
                PlainDecoder.DecodeBooleanToBitmap(bytes, 3, size - 3, bitmap, 5);
                for (int i = 0; i < size - 3; i++)
                {
                    Assert.Equal(values[i + 3], BitUtil.GetBit(bitmap, i + 5));
                }
            }
        }
    }

    [Fact]
    public void DecodeBoolean_KnownByte_LsbFirst()
    {
        var values = new bool[8];
        PlainDecoder.DecodeBoolean([0b0000_0101], 0, values);
        Assert.Equal([true, false, true, false, false, false, false, false], values);
    }

    [Fact]
    public void EncodeDecode_ByteArrayAllSizes_RoundTripIntoArrowLayout()
    {
        foreach (int size in Sizes[..^1])
        {
            var (offsets, data) = Strings(size, "random", size);
            var bytes = Encode(w => PlainEncoder.EncodeByteArray(offsets, data, w));
            var builder = new BufferBuilder();
            builder.AppendRange<byte>([9, 9, 9]); // a previous batch
            var decodedOffsets = new int[size + 1];
            Assert.Equal(bytes.Length, PlainDecoder.DecodeByteArray(bytes, decodedOffsets, builder));
            Assert.Equal(offsets.Select(o => o + 3).ToArray(), decodedOffsets);
            Assert.Equal(data, builder.Written[3..].ToArray());
            Assert.Equal(bytes.Length, PlainDecoder.SkipByteArray(bytes, size));
        }
    }

    [Fact]
    public void DecodeByteArray_KnownBytes_SplitsValues()
    {
        byte[] encoded = [2, 0, 0, 0, (byte)'h', (byte)'i', 0, 0, 0, 0, 1, 0, 0, 0, (byte)'x'];
        var offsets = new int[4];
        var builder = new BufferBuilder();
        Assert.Equal(15, PlainDecoder.DecodeByteArray(encoded, offsets, builder));
        Assert.Equal([0, 2, 2, 3], offsets);
        Assert.Equal("hix"u8.ToArray(), builder.Written.ToArray());
    }

    [Fact]
    public void DecodeByteArray_LengthPastEnd_ThrowsFormat()
    {
        byte[] encoded = [0xFF, 0xFF, 0xFF, 0x7F, 1, 2];
        Assert.Throws<LarderFormatException>(() => PlainDecoder.DecodeByteArray(encoded, new int[2], new BufferBuilder()));
    }

    [Fact]
    public void DecodeInt64_ShortInput_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => PlainDecoder.DecodeInt64(new byte[15], new long[2]));

    [Fact]
    public void EncodeDecode_FixedLenByteArray_RoundTrip()
    {
        var values = new byte[16 * 129];
        new Random(3).NextBytes(values);
        var bytes = Encode(w => PlainEncoder.EncodeFixedLenByteArray(values, w));
        var decoded = new byte[values.Length];
        Assert.Equal(values.Length, PlainDecoder.DecodeFixedLenByteArray(bytes, 16, decoded));
        Assert.Equal(values, decoded);
        Assert.Throws<LarderFormatException>(() => PlainDecoder.DecodeFixedLenByteArray(bytes.AsSpan(1).ToArray(), 16, decoded));
    }

    [Fact]
    public void Int96_KnownTimestamp_ConvertsToUnixNanoseconds()
    {
        // 2020-01-01T12:00:00.000000001Z: Julian day 2458850, 12 h + 1 ns into the day.
        var bytes = new byte[12];
        var value = new Int96(43_200_000_000_001UL, 2_458_850);
        value.Write(bytes);
        var decoded = new long[1];
        PlainDecoder.DecodeInt96AsUnixNanoseconds(bytes, decoded);
        long expected = (new DateTime(2020, 1, 1, 12, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100 + 1;
        Assert.Equal(expected, decoded[0]);
        Assert.Equal(value, Int96.FromUnixNanoseconds(expected));
    }

    [Fact]
    public void Int96_EpochAndNegative_RoundTrip()
    {
        foreach (long ns in new[] { 0L, -1L, 1L, long.MinValue + 86_400_000_000_000, long.MaxValue, -86_400_000_000_000 * 365 })
        {
            var v = Int96.FromUnixNanoseconds(ns);
            Assert.True(v.NanosOfDay < (ulong)Int96.NanosPerDay);
            Assert.Equal(ns, v.ToUnixNanoseconds());
        }

        Assert.Equal(Int96.UnixEpochJulianDay, Int96.FromUnixNanoseconds(0).JulianDay);
    }

    [Fact]
    public void Int96_OutOfRange_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => new Int96(0, 0).ToUnixNanoseconds());

    [Fact]
    public void EncodeDecode_Int96_RoundTrip()
    {
        var random = new Random(96);
        var values = Enumerable.Range(0, 129).Select(_ => new Int96((ulong)random.NextInt64(), (uint)random.Next())).ToArray();
        var bytes = Encode(w => PlainEncoder.EncodeInt96(values, w));
        Assert.Equal(129 * 12, bytes.Length);
        var decoded = new Int96[129];
        PlainDecoder.DecodeInt96(bytes, decoded);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void DecodeByteArray_MutatedInput_DecodesOrThrowsFormat()
    {
        var (offsets, data) = Strings(100, "random", 4);
        var valid = Encode(w => PlainEncoder.EncodeByteArray(offsets, data, w));
        Mutate(valid, 4, input => PlainDecoder.DecodeByteArray(input, new int[101], new BufferBuilder()));
    }

    [Fact]
    public void DecodeFixedWidth_MutatedInput_DecodesOrThrowsFormat()
    {
        var valid = Encode(w => PlainEncoder.EncodeInt64(Longs(100, "random", 1), w));
        Mutate(valid, 5, input =>
        {
            PlainDecoder.DecodeInt64(input, new long[100]);
            PlainDecoder.DecodeInt96AsUnixNanoseconds(input, new long[50]);
            PlainDecoder.DecodeBoolean(input, 3, new bool[700]);
        });
    }
}
