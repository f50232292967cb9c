using System.Buffers;
using System.Text;
using Larder.Memory;
using Larder.Parquet.Encodings;
using static Larder.Parquet.Tests.Encodings.EncodingTestData;

namespace Larder.Parquet.Tests.Encodings;

public class DeltaBinaryPackedTests
{
    public static TheoryData<string> PatternData() => new(Patterns);

    private static long[] DecodeLongs(byte[] bytes, out int consumed)
    {
        var decoder = new DeltaBinaryPackedDecoder(bytes);
        var values = new long[decoder.TotalCount];
        decoder.ReadExactly(values);
        consumed = decoder.BytesConsumed;
        return values;
    }

    [Fact]
    public void Decode_SpecExample1WithBlockSize128_DecodesOneToFive()
    {
        // Encodings.md example 1 (1..5), with a valid block size of 128 in 1 miniblock instead of the illustrative 8:
        // header 128, 1, 5, zigzag(1) = 2; block: zigzag(min delta 1) = 2, bit width 0, no miniblock data.
        byte[] encoded = [0x80, 0x01, 0x01, 0x05, 0x02, 0x02, 0x00];
        Assert.Equal([1L, 2, 3, 4, 5], DecodeLongs(encoded, out int consumed));
        Assert.Equal(encoded.Length, consumed);
    }

    [Fact]
    public void Decode_SpecExample2WithBlockSize128_DecodesValues()
    {
        // Example 2 (7, 5, 3, 1, 2, 3, 4, 5): min delta -2 (zigzag 3), relative deltas 0,0,0,3,3,3,3 in 2 bits, the
        // miniblock padded to 128 values (32 bytes).
        var encoded = new List<byte> { 0x80, 0x01, 0x01, 0x08, 0x0E, 0x03, 0x02, 0b11_00_00_00, 0b00_11_11_11 };
        encoded.AddRange(new byte[30]);
        var bytes = encoded.ToArray();
        Assert.Equal([7L, 5, 3, 1, 2, 3, 4, 5], DecodeLongs(bytes, out int consumed));
        Assert.Equal(bytes.Length, consumed);
        var ints = new int[8];
        new DeltaBinaryPackedDecoder(bytes).ReadExactly(ints);
        Assert.Equal([7, 5, 3, 1, 2, 3, 4, 5], ints);
    }

    [Fact]
    public void Decode_SpecIllustrativeBlockSize8_ThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => new DeltaBinaryPackedDecoder([0x08, 0x01, 0x05, 0x02, 0x02, 0x00]));

    [Fact]
    public void Encode_SpecExample1_ProducesExpectedBytes()
    {
        var bytes = Encode(w => DeltaBinaryPackedEncoder.Encode([1L, 2, 3, 4, 5], w));
        Assert.Equal([0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00], bytes);
    }

    [Theory]
    [MemberData(nameof(PatternData))]
    public void EncodeDecode_Int64AllSizes_RoundTrip(string pattern)
    {
        foreach (int size in Sizes)
        {
            var values = Longs(size, pattern, size);
            var bytes = Encode(w => DeltaBinaryPackedEncoder.Encode(values, w));
            var decoded = DecodeLongs(bytes, out int consumed);
            Assert.True(values.AsSpan().SequenceEqual(decoded), $"size {size}");
            Assert.Equal(bytes.Length, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(PatternData))]
    public void EncodeDecode_Int32AllSizes_RoundTripWithin32BitWidths(string pattern)
    {
        foreach (int size in Sizes)
        {
            var values = Longs(size, pattern, size).Select(v => (int)v).ToArray();
            var bytes = Encode(w => DeltaBinaryPackedEncoder.Encode(values, w));
            var decoder = new DeltaBinaryPackedDecoder(bytes);
            var decoded = new int[size];
            decoder.ReadExactly(decoded);
            Assert.True(values.AsSpan().SequenceEqual(decoded), $"size {size}");
            Assert.Equal(bytes.Length, decoder.BytesConsumed);
        }
    }

    [Fact]
    public void EncodeDecode_Int32Extremes_NoMiniblockWiderThan32()
    {
        int[] values = [int.MinValue, int.MaxValue, int.MinValue, int.MaxValue, 0, -1, int.MinValue];
        var bytes = Encode(w => DeltaBinaryPackedEncoder.Encode(values, w));
        // header: 0x80 0x01, 0x04, count, zigzag(first) (5 bytes); block: min delta varint, then 4 widths.
        int p = 4 + 5;
        while (bytes[p] >= 0x80)
        {
            p++;
        }

        Assert.True(bytes[p + 1] <= 32);
        var decoded = new int[values.Length];
        new DeltaBinaryPackedDecoder(bytes).ReadExactly(decoded);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Read_ChunkedVersusWhole_Agree()
    {
        var values = Longs(5000, "random", 3);
        var bytes = Encode(w => DeltaBinaryPackedEncoder.Encode(values, w));
        var random = new Random(4);
        var decoder = new DeltaBinaryPackedDecoder(bytes);
        var chunked = new long[values.Length];
        for (int at = 0; at < chunked.Length;)
        {
            int n = Math.Min(random.Next(1, 20), chunked.Length - at);
            Assert.Equal(n, decoder.Read(chunked.AsSpan(at, n)));
            at += n;
        }

        Assert.Equal(values, chunked);
        Assert.Equal(0, decoder.Read(new long[1]));
    }

    [Fact]
    public void Decode_UnusedMiniblockWidthsAndPaddingArbitrary_Ignored()
    {
        // Spec: widths of miniblocks the last block does not need may hold any value (and have no body), and padding bits
        // of the last miniblock may be arbitrary. Layout: header 80 01 04 05 14, min delta 02, widths at 6..9, body 8 bytes.
        var bytes = Encode(w => DeltaBinaryPackedEncoder.Encode([10L, 11, 13, 16, 20], w));
        Assert.Equal(18, bytes.Length);
        Assert.Equal([2, 0, 0, 0], bytes[6..10]);
        bytes[7] = 0xFF;
        bytes[8] = 77;
        bytes[9] = 200;
        bytes[^1] = 0xFF;
        bytes[^2] = 0xA5;
        Assert.Equal([10L, 11, 13, 16, 20], DecodeLongs(bytes, out int consumed));
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void Decode_Width64Miniblock_Wraps()
    {
        // Hand-built: block 128 / 4 miniblocks, 3 values: first 0, min delta long.MinValue, width 64.
        var bytes = new List<byte> { 0x80, 0x01, 0x04, 0x03, 0x00 };
        Span<byte> v = stackalloc byte[10];
        int n = Varint.WriteZigZag64(v, long.MinValue);
        bytes.AddRange(v[..n].ToArray());
        bytes.AddRange(new byte[] { 64, 0, 0, 0 });
        var body = new byte[32 * 8];
        BitConverter.TryWriteBytes(body.AsSpan(0), ulong.MaxValue); // 0 + MinValue + (2^64 - 1) wraps to MaxValue
        BitConverter.TryWriteBytes(body.AsSpan(8), 1UL);             // MaxValue + MinValue + 1 wraps to 0
        bytes.AddRange(body);
        var decoded = DecodeLongs(bytes.ToArray(), out _);
        Assert.Equal([0L, long.MaxValue, 0L], decoded);
    }

    [Fact]
    public void Decode_BitWidthOver64_ThrowsFormat()
    {
        byte[] bytes = [0x80, 0x01, 0x04, 0x03, 0x00, 0x00, 65, 0, 0, 0, .. new byte[600]];
        Assert.Throws<LarderFormatException>(() => DecodeLongs(bytes, out _));
    }

    [Fact]
    public void Decode_CountBeyondInput_FailsFastBeforeDecoding()
    {
        // 2^31-1 values announced in a 6-byte input.
        byte[] bytes = [0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00];
        Assert.Throws<LarderFormatException>(() => new DeltaBinaryPackedDecoder(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x80, 0x01, 0x00, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x80, 0x01, 0x03, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x80, 0x01, 0x08, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(new byte[] { 0x80, 0x01, 0x04 })]
    public void Constructor_BadHeader_ThrowsFormat(byte[] header)
        => Assert.Throws<LarderFormatException>(() => new DeltaBinaryPackedDecoder(header));

    [Fact]
    public void Decode_MutatedInput_DecodesOrThrowsFormat()
    {
        var valid = Encode(w => DeltaBinaryPackedEncoder.Encode(Longs(700, "runs", 9), w));
        Mutate(valid, 9, input =>
        {
            var decoder = new DeltaBinaryPackedDecoder(input);
            var values = new long[Math.Min(decoder.TotalCount, 100_000)];
            decoder.Read(values);
            decoder.SkipToEnd();
        });
    }

    [Fact]
    public void Decode_MutatedInt32Input_DecodesOrThrowsFormat()
    {
        var valid = Encode(w => DeltaBinaryPackedEncoder.Encode(Longs(300, "random", 10).Select(v => (int)v).ToArray(), w));
        Mutate(valid, 10, input =>
        {
            var decoder = new DeltaBinaryPackedDecoder(input);
            decoder.Read(new int[Math.Min(decoder.TotalCount, 100_000)]);
        });
    }
}

public class DeltaByteArrayTests
{
    private static (int[] Offsets, byte[] Data) FromStrings(params string[] values)
    {
        var offsets = new int[values.Length + 1];
        var data = new List<byte>();
        for (int i = 0; i < values.Length; i++)
        {
            data.AddRange(Encoding.UTF8.GetBytes(values[i]));
            offsets[i + 1] = data.Count;
        }

        return (offsets, data.ToArray());
    }

    private static long[] DecodeDbp(ReadOnlySpan<byte> bytes, out int consumed)
    {
        var d = new DeltaBinaryPackedDecoder(bytes);
        var v = new long[d.TotalCount];
        d.ReadExactly(v);
        consumed = d.BytesConsumed;
        return v;
    }

    [Fact]
    public void DeltaLength_SpecExample_LengthsThenConcatenatedBytes()
    {
        var (offsets, data) = FromStrings("Hello", "World", "Foobar", "ABCDEF");
        var bytes = Encode(w => DeltaLengthByteArrayEncoder.Encode(offsets, data, w));
        Assert.Equal([5L, 5, 6, 6], DecodeDbp(bytes, out int consumed));
        Assert.Equal("HelloWorldFoobarABCDEF", Encoding.ASCII.GetString(bytes, consumed, bytes.Length - consumed));

        var decodedOffsets = new int[5];
        var builder = new BufferBuilder();
        Assert.Equal(bytes.Length, DeltaLengthByteArrayDecoder.Decode(bytes, decodedOffsets, builder));
        Assert.Equal(offsets, decodedOffsets);
        Assert.Equal(data, builder.Written.ToArray());
    }

    [Fact]
    public void DeltaByteArray_SpecExample_PrefixesSuffixLengthsAndSuffixes()
    {
        var (offsets, data) = FromStrings("axis", "axle", "babble", "babyhood");
        var bytes = Encode(w => DeltaByteArrayEncoder.Encode(offsets, data, w));
        Assert.Equal([0L, 2, 0, 3], DecodeDbp(bytes, out int c1));
        Assert.Equal([4L, 2, 6, 5], DecodeDbp(bytes.AsSpan(c1), out int c2));
        Assert.Equal("axislebabbleyhood", Encoding.ASCII.GetString(bytes, c1 + c2, bytes.Length - c1 - c2));

        var decodedOffsets = new int[5];
        var builder = new BufferBuilder();
        Assert.Equal(bytes.Length, DeltaByteArrayDecoder.Decode(bytes, decodedOffsets, builder));
        Assert.Equal(offsets, decodedOffsets);
        Assert.Equal(data, builder.Written.ToArray());
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sorted")]
    [InlineData("constant")]
    [InlineData("runs")]
    public void EncodeDecode_AllSizes_RoundTrip(string pattern)
    {
        foreach (int size in Sizes)
        {
            var (offsets, data) = Strings(size, pattern, size, maxLength: size > 100_000 ? 8 : 24);

            var bytes = Encode(w => DeltaLengthByteArrayEncoder.Encode(offsets, data, w));
            var decodedOffsets = new int[size + 1];
            var builder = new BufferBuilder();
            builder.AppendRange<byte>([1, 2]);
            Assert.Equal(bytes.Length, DeltaLengthByteArrayDecoder.Decode(bytes, decodedOffsets, builder));
            Assert.Equal(offsets.Select(o => o + 2), decodedOffsets);
            Assert.True(data.AsSpan().SequenceEqual(builder.Written[2..]));

            bytes = Encode(w => DeltaByteArrayEncoder.Encode(offsets, data, w));
            builder = new BufferBuilder();
            Assert.Equal(bytes.Length, DeltaByteArrayDecoder.Decode(bytes, decodedOffsets, builder));
            Assert.Equal(offsets, decodedOffsets);
            Assert.True(data.AsSpan().SequenceEqual(builder.Written));
        }
    }

    [Fact]
    public void DeltaLength_CountMismatch_ThrowsFormat()
    {
        var (offsets, data) = FromStrings("a", "b");
        var bytes = Encode(w => DeltaLengthByteArrayEncoder.Encode(offsets, data, w));
        Assert.Throws<LarderFormatException>(() => DeltaLengthByteArrayDecoder.Decode(bytes, new int[4], new BufferBuilder()));
    }

    [Fact]
    public void DeltaByteArray_PrefixLongerThanPrevious_ThrowsFormat()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        DeltaBinaryPackedEncoder.Encode([0, 5], writer);
        DeltaBinaryPackedEncoder.Encode([2, 1], writer);
        writer.Write("abc"u8);
        Assert.Throws<LarderFormatException>(() => DeltaByteArrayDecoder.Decode(writer.WrittenSpan, new int[3], new BufferBuilder()));
    }

    [Fact]
    public void DeltaByteArray_ExpansionOverCap_ThrowsFormatBeforeAppending()
    {
        // 1000 values each repeating the previous 1000 bytes: 1 MB out of a few hundred bytes in.
        var prefixes = new int[1000];
        var suffixes = new int[1000];
        Array.Fill(prefixes, 1000);
        prefixes[0] = 0;
        suffixes[0] = 1000;
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        DeltaBinaryPackedEncoder.Encode(prefixes, writer);
        DeltaBinaryPackedEncoder.Encode(suffixes, writer);
        writer.Write(new byte[1000]);
        var builder = new BufferBuilder();
        Assert.Throws<LarderFormatException>(() => DeltaByteArrayDecoder.Decode(writer.WrittenSpan, new int[1001], builder, maxDataBytes: 100_000));
        Assert.Equal(0, builder.Length);
        DeltaByteArrayDecoder.Decode(writer.WrittenSpan, new int[1001], builder);
        Assert.Equal(1_000_000, builder.Length);
    }

    [Fact]
    public void DeltaLength_MutatedInput_DecodesOrThrowsFormat()
    {
        var (offsets, data) = Strings(200, "random", 12);
        var valid = Encode(w => DeltaLengthByteArrayEncoder.Encode(offsets, data, w));
        Mutate(valid, 12, input => DeltaLengthByteArrayDecoder.Decode(input, new int[201], new BufferBuilder()));
    }

    [Fact]
    public void DeltaByteArray_MutatedInput_DecodesOrThrowsFormat()
    {
        var (offsets, data) = Strings(200, "sorted", 13);
        var valid = Encode(w => DeltaByteArrayEncoder.Encode(offsets, data, w));
        Mutate(valid, 13, input => DeltaByteArrayDecoder.Decode(input, new int[201], new BufferBuilder()));
    }
}
