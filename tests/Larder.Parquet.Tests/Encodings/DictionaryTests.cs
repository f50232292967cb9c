using Larder.Memory;
using Larder.Parquet.Encodings;
using static Larder.Parquet.Tests.Encodings.EncodingTestData;

namespace Larder.Parquet.Tests.Encodings;

public class DictionaryTests
{
    [Fact]
    public void Gather_FixedWidth_PicksEntries()
    {
        long[] dictionary = [10, 20, 30];
        var result = new long[4];
        DictionaryGather.Gather<long>([2, 0, 1, 2], dictionary, result);
        Assert.Equal([30L, 10, 20, 30], result);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Gather_IndexOutOfRange_ThrowsFormat(int index)
    {
        Assert.Throws<LarderFormatException>(() => DictionaryGather.Gather<int>([0, index], [1, 2, 3], new int[2]));
        Assert.Throws<LarderFormatException>(() => DictionaryGather.GatherFixedLen([index], new byte[6], 2, new byte[2]));
        Assert.Throws<LarderFormatException>(() => DictionaryGather.GatherByteArray([index], [0, 1, 2, 3], "abc"u8, new int[2], new BufferBuilder()));
    }

    [Fact]
    public void Gather_EmptyDictionary_AnyIndexThrowsFormat()
        => Assert.Throws<LarderFormatException>(() => DictionaryGather.Gather<double>([0], [], new double[1]));

    [Fact]
    public void ByteArrayBuilder_EncodeThenDecode_RoundTripsThroughPagesAndGather()
    {
        foreach (int size in Sizes[..^1])
        {
            var (offsets, data) = Strings(size, "runs", size, maxLength: 3);
            var builder = new ByteArrayDictionaryBuilder();
            var indices = new int[size];
            builder.AddRange(offsets, data, indices);

            var dictionaryPage = Encode(builder.EncodeDictionaryPage);
            Assert.Equal(builder.PlainSize, dictionaryPage.Length);
            int width = RleBitPackedHybridEncoder.DictionaryIndexBitWidth(builder.Count);
            var dataPage = Encode(w => RleBitPackedHybridEncoder.EncodeDictionaryIndices(indices, width, w));

            var dictionaryOffsets = new int[builder.Count + 1];
            var dictionaryData = new BufferBuilder();
            PlainDecoder.DecodeByteArray(dictionaryPage, dictionaryOffsets, dictionaryData);
            var decodedIndices = new int[size];
            RleBitPackedHybridDecoder.CreateForDictionaryIndices(dataPage).ReadExactly(decodedIndices);
            var outOffsets = new int[size + 1];
            var outData = new BufferBuilder();
            DictionaryGather.GatherByteArray(decodedIndices, dictionaryOffsets, dictionaryData.Written, outOffsets, outData);
            Assert.Equal(offsets, outOffsets);
            Assert.Equal(data, outData.Written.ToArray());
        }
    }

    [Fact]
    public void FixedWidthBuilder_Doubles_KeepsSignedZeroAndNaNPayloadsDistinct()
    {
        var builder = new FixedWidthDictionaryBuilder<double>();
        double otherNaN = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001);
        double[] values = [0.0, -0.0, double.NaN, otherNaN, 0.0, double.NaN, 1.5];
        var indices = new int[values.Length];
        builder.AddRange(values, indices);
        Assert.Equal([0, 1, 2, 3, 0, 2, 4], indices);
        Assert.Equal(5, builder.Count);
    }

    [Fact]
    public void FixedWidthBuilder_ManyValues_RoundTripsThroughPagesAndGather()
    {
        var values = Longs(100_000, "runs", 1);
        var builder = new FixedWidthDictionaryBuilder<long>();
        var indices = new int[values.Length];
        builder.AddRange(values, indices);
        var dictionaryPage = Encode(builder.EncodeDictionaryPage);
        var dictionary = new long[builder.Count];
        PlainDecoder.DecodeInt64(dictionaryPage, dictionary);
        int width = RleBitPackedHybridEncoder.DictionaryIndexBitWidth(builder.Count);
        var page = Encode(w => RleBitPackedHybridEncoder.EncodeDictionaryIndices(indices, width, w));
        var decodedIndices = new int[values.Length];
        RleBitPackedHybridDecoder.CreateForDictionaryIndices(page).ReadExactly(decodedIndices);
        var result = new long[values.Length];
        DictionaryGather.Gather<long>(decodedIndices, dictionary, result);
        Assert.Equal(values, result);
    }

    [Fact]
    public void FixedWidthBuilder_Int96_DistinctEntries()
    {
        var builder = new FixedWidthDictionaryBuilder<Int96>();
        Assert.Equal(0, builder.Add(new Int96(1, 2)));
        Assert.Equal(1, builder.Add(new Int96(1, 3)));
        Assert.Equal(0, builder.Add(new Int96(1, 2)));
        Assert.Equal(24, Encode(builder.EncodeDictionaryPage).Length);
    }

    [Fact]
    public void DictionaryIndexBitWidth_Sizes_MinimalWidths()
    {
        Assert.Equal(0, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(1));
        Assert.Equal(1, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(2));
        Assert.Equal(2, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(3));
        Assert.Equal(8, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(256));
        Assert.Equal(9, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(257));
    }
}
