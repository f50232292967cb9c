using System.Runtime.InteropServices;
using Larder.Parquet.Encodings;
using static Larder.Parquet.Tests.Encodings.EncodingTestData;

namespace Larder.Parquet.Tests.Encodings;

public class ByteStreamSplitTests
{
    [Fact]
    public void Encode_SpecExample_InterleavesStreams()
    {
        byte[] values = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6];
        byte[] expected = [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6];
        Assert.Equal(expected, Encode(w => ByteStreamSplitEncoder.Encode(values, 4, w)));
        var floats = new float[3];
        ByteStreamSplitDecoder.DecodeFloat(expected, 0, floats);
        Assert.Equal(values, MemoryMarshal.AsBytes(floats.AsSpan()).ToArray());
    }

    [Fact]
    public void EncodeDecode_AllTypesAllSizes_RoundTrip()
    {
        foreach (int size in Sizes)
        {
            var longs = Longs(size, "extreme", size);
            var doubles = longs.Select(BitConverter.Int64BitsToDouble).ToArray();
            var ints = longs.Select(v => (int)v).ToArray();
            var floats = ints.Select(BitConverter.Int32BitsToSingle).ToArray();
            var halves = ints.Select(v => BitConverter.Int16BitsToHalf((short)v)).ToArray();

            var d2 = new double[size];
            ByteStreamSplitDecoder.DecodeDouble(Encode(w => ByteStreamSplitEncoder.EncodeDouble(doubles, w)), 0, d2);
            Assert.True(MemoryMarshal.AsBytes(d2.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(doubles.AsSpan())));

            var l2 = new long[size];
            ByteStreamSplitDecoder.DecodeInt64(Encode(w => ByteStreamSplitEncoder.EncodeInt64(longs, w)), 0, l2);
            Assert.Equal(longs, l2);

            var f2 = new float[size];
            ByteStreamSplitDecoder.DecodeFloat(Encode(w => ByteStreamSplitEncoder.EncodeFloat(floats, w)), 0, f2);
            Assert.True(MemoryMarshal.AsBytes(f2.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(floats.AsSpan())));

            var i2 = new int[size];
            ByteStreamSplitDecoder.DecodeInt32(Encode(w => ByteStreamSplitEncoder.EncodeInt32(ints, w)), 0, i2);
            Assert.Equal(ints, i2);

            var h2 = new Half[size];
            ByteStreamSplitDecoder.DecodeHalf(Encode(w => ByteStreamSplitEncoder.EncodeHalf(halves, w)), 0, h2);
            Assert.True(MemoryMarshal.AsBytes(h2.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(halves.AsSpan())));

            if (size <= 10_000)
            {
                var flba = new byte[size * 5];
                new Random(size).NextBytes(flba);
                var decoded = new byte[flba.Length];
                ByteStreamSplitDecoder.Decode(Encode(w => ByteStreamSplitEncoder.Encode(flba, 5, w)), 5, 0, decoded);
                Assert.Equal(flba, decoded);
            }
        }
    }

    [Fact]
    public void Decode_InBatches_MatchesWholePage()
    {
        var longs = Longs(1000, "random", 2);
        var page = Encode(w => ByteStreamSplitEncoder.EncodeInt64(longs, w));
        var decoded = new long[1000];
        for (int at = 0; at < 1000; at += 300)
        {
            int n = Math.Min(300, 1000 - at);
            ByteStreamSplitDecoder.DecodeInt64(page, at, decoded.AsSpan(at, n));
        }

        Assert.Equal(longs, decoded);
    }

    [Fact]
    public void Decode_LengthNotMultipleOfWidth_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => ByteStreamSplitDecoder.DecodeDouble(new byte[17], 0, new double[2]));

    [Fact]
    public void Decode_MoreValuesThanPage_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => ByteStreamSplitDecoder.DecodeInt32(new byte[16], 2, new int[3]));

    [Fact]
    public void Decode_MutatedInput_DecodesOrThrowsFormat()
    {
        var valid = Encode(w => ByteStreamSplitEncoder.EncodeDouble(Longs(64, "random", 3).Select(BitConverter.Int64BitsToDouble).ToArray(), w));
        Mutate(valid, 3, input =>
        {
            ByteStreamSplitDecoder.DecodeDouble(input, 0, new double[64]);
            ByteStreamSplitDecoder.Decode(input, 3, 1, new byte[30]);
        });
    }
}
