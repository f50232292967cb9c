using System.Buffers;
using Larder.Parquet.Encodings;
using static Larder.Parquet.Tests.Encodings.EncodingTestData;

namespace Larder.Parquet.Tests.Encodings;

public class RleBitPackedHybridTests
{
    public static TheoryData<int> BitWidths()
    {
        var data = new TheoryData<int>();
        for (int w = 0; w <= 32; w++)
        {
            data.Add(w);
        }

        return data;
    }

    [Fact]
    public void Read_SpecBitPackedExample_DecodesZeroToSeven()
    {
        // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010; header (1 group << 1) | 1 = 3.
        byte[] encoded = [0x03, 0b10001000, 0b11000110, 0b11111010];
        var decoder = new RleBitPackedHybridDecoder(encoded, 3);
        var values = new int[8];
        decoder.ReadExactly(values);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], values);
        Assert.Equal(4, decoder.BytesConsumed);
    }

    [Fact]
    public void Encode_SpecBitPackedExample_ProducesSpecBytes()
    {
        var bytes = Encode(w => RleBitPackedHybridEncoder.Encode([0, 1, 2, 3, 4, 5, 6, 7], 3, w));
        Assert.Equal([0x03, 0b10001000, 0b11000110, 0b11111010], bytes);
    }

    [Fact]
    public void Read_RleRun_FillsValue()
    {
        // Run of 100 (header 200 = 0xC8 0x01) of value 0x1234 at width 13 (2 value bytes).
        byte[] encoded = [0xC8, 0x01, 0x34, 0x12];
        var decoder = new RleBitPackedHybridDecoder(encoded, 13);
        var values = new int[100];
        decoder.ReadExactly(values);
        Assert.All(values, v => Assert.Equal(0x1234, v));
        Assert.Equal(0, decoder.Read(new int[1]));
    }

    [Fact]
    public void Encode_LongRun_UsesRleRun()
    {
        var values = new int[1000];
        Array.Fill(values, 5);
        var bytes = Encode(w => RleBitPackedHybridEncoder.Encode(values, 3, w));
        Assert.Equal([0xD0, 0x0F, 0x05], bytes); // 1000 << 1 = 2000 = 0xD0 0x0F
    }

    [Theory]
    [MemberData(nameof(BitWidths))]
    public void EncodeDecode_AllSizesAndPatterns_RoundTrips(int bitWidth)
    {
        foreach (int size in Sizes)
        {
            foreach (string pattern in Patterns)
            {
                if (size == 1_000_000 && pattern is "sorted" or "alternating")
                {
                    continue; // covered at smaller sizes; keeps the run short
                }

                var values = Levels(size, bitWidth, pattern, seed: (bitWidth * 31) + size);
                var bytes = Encode(w => RleBitPackedHybridEncoder.Encode(values, bitWidth, w));
                var decoded = new int[size];
                var decoder = new RleBitPackedHybridDecoder(bytes, bitWidth);
                decoder.ReadExactly(decoded);
                Assert.True(values.AsSpan().SequenceEqual(decoded), $"width {bitWidth}, size {size}, {pattern}");
                Assert.Equal(bytes.Length, decoder.BytesConsumed);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    public void Read_ChunkedReadsVersusOneRead_Agree(int bitWidth)
    {
        // Chunks of 1..13 values exercise the buffered (slow) path; one read uses the direct group unpack (fast) path.
        var values = Levels(20_000, bitWidth, "runs", seed: 7);
        for (int i = 0; i < values.Length; i += 1000)
        {
            values[i] = 0;
        }

        var mixed = values.Concat(Levels(5000, bitWidth, "random", seed: 8)).ToArray();
        var bytes = Encode(w => RleBitPackedHybridEncoder.Encode(mixed, bitWidth, w));
        var whole = new int[mixed.Length];
        new RleBitPackedHybridDecoder(bytes, bitWidth).ReadExactly(whole);

        var random = new Random(bitWidth);
        var chunked = new int[mixed.Length];
        var decoder = new RleBitPackedHybridDecoder(bytes, bitWidth);
        for (int at = 0; at < chunked.Length;)
        {
            int n = Math.Min(random.Next(1, 14), chunked.Length - at);
            Assert.Equal(n, decoder.Read(chunked.AsSpan(at, n)));
            at += n;
        }

        Assert.Equal(mixed, whole);
        Assert.Equal(mixed, chunked);
    }

    [Theory]
    [MemberData(nameof(BitWidths))]
    public void Unpack32_FastPathVersusBitByBit_Agree(int bitWidth)
    {
        var random = new Random(bitWidth);
        var packed = new byte[(bitWidth * 64) + 3];
        random.NextBytes(packed);
        int groups = 64;
        var fast = new int[groups * 8];
        BitPacking.Unpack32(packed.AsSpan(0, groups * bitWidth), fast, bitWidth, groups);
        for (int i = 0; i < fast.Length; i++)
        {
            uint expected = 0;
            for (int b = 0; b < bitWidth; b++)
            {
                long bit = ((long)i * bitWidth) + b;
                expected |= (uint)((packed[bit >> 3] >> (int)(bit & 7)) & 1) << b;
            }

            Assert.Equal((int)expected, fast[i]);
        }
    }

    [Fact]
    public void Unpack64_AllWidths_MatchBitByBitAndPack8()
    {
        var random = new Random(64);
        for (int w = 0; w <= 64; w++)
        {
            var values = new ulong[8 * 5];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = w == 0 ? 0 : (ulong)random.NextInt64() & (w == 64 ? ulong.MaxValue : (1UL << w) - 1);
            }

            var packed = new byte[w * 5];
            for (int g = 0; g < 5; g++)
            {
                BitPacking.Pack8(values.AsSpan(g * 8, 8), packed.AsSpan(g * w), w);
            }

            var unpacked = new ulong[values.Length];
            BitPacking.Unpack64(packed, unpacked, w, 5);
            Assert.Equal(values, unpacked);
        }
    }

    [Fact]
    public void CreateWithLengthPrefix_TwoSections_ReportsConsumedAndDecodes()
    {
        var levels = Levels(300, 2, "runs", seed: 3);
        var writer = new ArrayBufferWriter<byte>();
        RleBitPackedHybridEncoder.EncodeWithLengthPrefix(levels, 2, writer);
        int first = writer.WrittenCount;
        writer.Write(new byte[] { 0xAB, 0xCD });
        var decoder = RleBitPackedHybridDecoder.CreateWithLengthPrefix(writer.WrittenSpan, 2, out int consumed);
        Assert.Equal(first, consumed);
        var decoded = new int[300];
        decoder.ReadExactly(decoded);
        Assert.Equal(levels, decoded);
    }

    [Fact]
    public void CreateForDictionaryIndices_EncodedIndices_RoundTrip()
    {
        var indices = Levels(5000, 10, "runs", seed: 11).Select(v => v % 1000).ToArray();
        int width = RleBitPackedHybridEncoder.DictionaryIndexBitWidth(1000);
        Assert.Equal(10, width);
        var bytes = Encode(w => RleBitPackedHybridEncoder.EncodeDictionaryIndices(indices, width, w));
        Assert.Equal(10, bytes[0]);
        var decoded = new int[indices.Length];
        RleBitPackedHybridDecoder.CreateForDictionaryIndices(bytes).ReadExactly(decoded);
        Assert.Equal(indices, decoded);
    }

    [Fact]
    public void Skip_MixedRuns_MatchesReadingPastThem()
    {
        var values = Levels(10_000, 5, "runs", seed: 21);
        var bytes = Encode(w => RleBitPackedHybridEncoder.Encode(values, 5, w));
        var random = new Random(5);
        var decoder = new RleBitPackedHybridDecoder(bytes, 5);
        int at = 0;
        while (at < values.Length)
        {
            int skip = Math.Min(random.Next(0, 50), values.Length - at);
            Assert.Equal(skip, decoder.Skip(skip));
            at += skip;
            int n = Math.Min(random.Next(1, 20), values.Length - at);
            var chunk = new int[n];
            Assert.Equal(n, decoder.Read(chunk));
            Assert.Equal(values.AsSpan(at, n).ToArray(), chunk);
            at += n;
        }
    }

    [Fact]
    public void Read_TruncatedFinalBitPackedGroup_ReturnsWhatTheBytesHold()
    {
        // One group of width 3 announced but only its first byte present: 8 bits hold 2 whole values (0 and 1).
        var decoder = new RleBitPackedHybridDecoder([0x03, 0b10001000], 3);
        var values = new int[3];
        Assert.Equal(2, decoder.Read(values));
        Assert.Equal([0, 1, 0], values);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(-1)]
    public void Constructor_BitWidthOutOfRange_ThrowsFormat(int bitWidth)
        => Assert.Throws<LarderFormatException>(() => new RleBitPackedHybridDecoder([0x02, 0x00], bitWidth));

    [Fact]
    public void ReadExactly_TooFewValues_ThrowsFormat()
    {
        byte[] encoded = [0x08, 0x01]; // run of 4
        Assert.Throws<LarderFormatException>(() => new RleBitPackedHybridDecoder(encoded, 1).ReadExactly(new int[5]));
    }

    [Fact]
    public void Read_ZeroLengthRun_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => new RleBitPackedHybridDecoder([0x00, 0x01], 1).Read(new int[1]));

    [Fact]
    public void Read_RleValueWiderThanBitWidth_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => new RleBitPackedHybridDecoder([0x02, 0x05], 2).Read(new int[1]));

    [Fact]
    public void Read_HugeRunWithWidthZero_ProducesOnlyRequested()
    {
        // A header claiming 2^31-1 values must not make the decoder do that much work.
        byte[] encoded = [0xFE, 0xFF, 0xFF, 0xFF, 0x0F];
        var decoder = new RleBitPackedHybridDecoder(encoded, 0);
        var values = new int[10];
        Assert.Equal(10, decoder.Read(values));
    }

    [Fact]
    public void CreateWithLengthPrefix_LengthPastEnd_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => RleBitPackedHybridDecoder.CreateWithLengthPrefix([0x10, 0, 0, 0, 1], 1, out _));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(32)]
    public void Read_MutatedInput_DecodesOrThrowsFormat(int bitWidth)
    {
        var values = Levels(600, bitWidth, "runs", seed: 99).Concat(Levels(200, bitWidth, "random", seed: 98)).ToArray();
        var valid = Encode(w => RleBitPackedHybridEncoder.Encode(values, bitWidth, w));
        Mutate(valid, bitWidth, input =>
        {
            var decoder = new RleBitPackedHybridDecoder(input, bitWidth);
            decoder.ReadExactly(new int[values.Length]);
        });
    }

    [Fact]
    public void CreateForDictionaryIndices_MutatedInput_DecodesOrThrowsFormat()
    {
        var indices = Levels(700, 7, "runs", seed: 5);
        var valid = Encode(w => RleBitPackedHybridEncoder.EncodeDictionaryIndices(indices, 7, w));
        var dictionary = Enumerable.Range(0, 128).Select(i => (long)i).ToArray();
        Mutate(valid, 17, input =>
        {
            var decoded = new int[indices.Length];
            RleBitPackedHybridDecoder.CreateForDictionaryIndices(input).ReadExactly(decoded);
            DictionaryGather.Gather<long>(decoded, dictionary, new long[decoded.Length]);
        });
    }

    [Fact]
    public void CreateWithLengthPrefix_MutatedInput_DecodesOrThrowsFormat()
    {
        var levels = Levels(500, 1, "runs", seed: 6);
        var valid = Encode(w => RleBitPackedHybridEncoder.EncodeWithLengthPrefix(levels, 1, w));
        Mutate(valid, 18, input =>
        {
            var decoder = RleBitPackedHybridDecoder.CreateWithLengthPrefix(input, 1, out _);
            decoder.ReadExactly(new int[levels.Length]);
        });
    }
}

public class BitPackedLevelTests
{
    [Fact]
    public void Decode_SpecExample_DecodesZeroToSeven()
    {
        // Encodings.md: 0..7 with bit width 3, MSB first: 00000101 00111001 01110111.
        byte[] encoded = [0b00000101, 0b00111001, 0b01110111];
        var values = new int[8];
        Assert.Equal(3, BitPackedLevelDecoder.Decode(encoded, 3, values));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], values);
    }

    [Fact]
    public void Decode_ThirtyLevelsOfTwoBits_ConsumesEightBytes()
    {
        // 30 values of 2 bits = 60 bits = 8 bytes.
        var bytes = new byte[8];
        bytes[0] = 0b11_10_01_00;
        var values = new int[30];
        Assert.Equal(8, BitPackedLevelDecoder.Decode(bytes, 2, values));
        Assert.Equal([3, 2, 1, 0], values[..4]);
    }

    [Fact]
    public void Decode_ShortInput_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => BitPackedLevelDecoder.Decode([0x01], 3, new int[8]));

    [Fact]
    public void Decode_MutatedInput_DecodesOrThrowsFormat()
    {
        var valid = new byte[40];
        new Random(1).NextBytes(valid);
        Mutate(valid, 2, input => BitPackedLevelDecoder.Decode(input, 5, new int[64]));
    }
}
