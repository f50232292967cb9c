using System.Buffers;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Dremel;
using Larder.Parquet.Encodings;
using Larder.Parquet.SchemaMapping;
using Larder.Parquet.Write;

namespace Larder.Parquet.Tests.Write;

/// <summary>The encoder pieces the column writer added: level encoding from shorts, dictionary truncation, the page buffer.</summary>
public sealed class WriterPrimitiveTests
{
    public static TheoryData<int, string> LevelCases()
    {
        var data = new TheoryData<int, string>();
        foreach (int width in new[] { 1, 2, 3, 5, 8, 9, 12, 15 })
        {
            foreach (string pattern in new[] { "random", "runs", "constant", "mixed" })
            {
                data.Add(width, pattern);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LevelCases))]
    public void EncodeWithLengthPrefix_ShortLevels_SameBytesAsIntsAndDecodes(int bitWidth, string pattern)
    {
        var rng = new Random((bitWidth * 100) + pattern.Length);
        int max = (1 << bitWidth) - 1;
        foreach (int count in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 4099 })
        {
            var levels = new short[count];
            int run = 0;
            short current = 0;
            for (int i = 0; i < count; i++)
            {
                if (pattern == "random" || (pattern == "mixed" && i % 50 < 20))
                {
                    levels[i] = (short)rng.Next(max + 1);
                    continue;
                }

                if (pattern == "constant")
                {
                    levels[i] = (short)max;
                    continue;
                }

                if (run-- <= 0)
                {
                    run = rng.Next(1, 40);
                    current = (short)rng.Next(max + 1);
                }

                levels[i] = current;
            }

            var fromShorts = new ArrayBufferWriter<byte>();
            RleBitPackedHybridEncoder.EncodeWithLengthPrefix(levels, bitWidth, fromShorts);
            var fromInts = new ArrayBufferWriter<byte>();
            RleBitPackedHybridEncoder.EncodeWithLengthPrefix(levels.Select(l => (int)l).ToArray(), bitWidth, fromInts);
            Assert.Equal(fromInts.WrittenSpan.ToArray(), fromShorts.WrittenSpan.ToArray());

            var decoded = new int[count];
            var decoder = RleBitPackedHybridDecoder.CreateWithLengthPrefix(fromShorts.WrittenSpan, bitWidth, out int used);
            decoder.ReadExactly(decoded);
            Assert.Equal(fromShorts.WrittenCount, used);
            Assert.Equal(levels.Select(l => (int)l), decoded);
        }
    }

    [Fact]
    public void Encode_ConstantLevels_OneRleRun()
    {
        var levels = Enumerable.Repeat((short)1, 131_072).ToArray();
        var output = new ArrayBufferWriter<byte>();
        RleBitPackedHybridEncoder.EncodeWithLengthPrefix(levels, 1, output);
        // 4-byte length 4, varint(131072 << 1) = 0x80 0x80 0x10, value byte 1.
        Assert.Equal(new byte[] { 4, 0, 0, 0, 0x80, 0x80, 0x10, 1 }, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(1000, 3)]
    [InlineData(200_000, 9)]
    public void EncodeRunWithLengthPrefix_Count_SameBytesAsEncodingTheLevels(int count, int bitWidth)
    {
        short value = (short)((1 << bitWidth) - 1);
        var run = new ArrayBufferWriter<byte>();
        RleBitPackedHybridEncoder.EncodeRunWithLengthPrefix(value, count, bitWidth, run);
        var levels = new ArrayBufferWriter<byte>();
        RleBitPackedHybridEncoder.EncodeWithLengthPrefix(Enumerable.Repeat(value, count).ToArray(), bitWidth, levels);
        Assert.Equal(levels.WrittenSpan.ToArray(), run.WrittenSpan.ToArray());
    }

    [Fact]
    public void Shred_NullableColumnWithoutNulls_AllDefinedAndLevelsReadAsMaximum()
    {
        var field = new Field("x", ArrowType.Int32, nullable: true);
        var shredder = new LevelShredder(field);
        var array = new ArrayData(ArrowType.Int32, 5, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.CopyOf<int>([1, 2, 3, 4, 5])]);
        shredder.Shred(array);
        var leaf = shredder.Results[0];
        Assert.True(leaf.AllDefined);
        Assert.Equal(5, leaf.LevelCount);
        Assert.Equal(new short[] { 1, 1, 1, 1, 1 }, leaf.DefinitionLevels.ToArray());

        var validity = ArrowBuffer.CopyOf<byte>([0b10101]);
        shredder.Shred(new ArrayData(ArrowType.Int32, 5, 2, 0, [validity, ArrowBuffer.CopyOf<int>([1, 2, 3, 4, 5])]));
        Assert.False(shredder.Results[0].AllDefined);
        Assert.Equal(new short[] { 1, 0, 1, 0, 1 }, shredder.Results[0].DefinitionLevels.ToArray());
    }

    [Fact]
    public void Write_BatchesWithAndWithoutNullsInOnePage_LevelsAndValuesDecodeEqual()
    {
        var field = new Field("x", ArrowType.Int64, nullable: true);
        var column = ParquetSchemaMapper.ToParquet(new Columnar.Schema([field])).Columns[0];
        var shredder = new LevelShredder(field);
        using var writer = new ColumnChunkWriter(column, new ColumnWriteOptions { DataPageSize = 1000 });
        var expectedDef = new List<short>();
        var expectedValues = new List<long>();
        var rng = new Random(3);
        for (int batch = 0; batch < 12; batch++)
        {
            int rows = rng.Next(1, 90);
            var values = Enumerable.Range(0, rows).Select(_ => rng.NextInt64()).ToArray();
            var validity = new byte[(rows + 7) / 8];
            int nulls = 0;
            for (int i = 0; i < rows; i++)
            {
                bool valid = batch % 3 != 1 || rng.Next(4) != 0;
                if (valid)
                {
                    validity[i >> 3] |= (byte)(1 << (i & 7));
                    expectedValues.Add(values[i]);
                }
                else
                {
                    nulls++;
                }

                expectedDef.Add((short)(valid ? 1 : 0));
            }

            shredder.Shred(new ArrayData(ArrowType.Int64, rows, nulls, 0, [nulls == 0 ? ArrowBuffer.Empty : ArrowBuffer.CopyOf<byte>(validity), ArrowBuffer.CopyOf<long>(values)]));
            writer.Write(shredder.Results[0]);
        }

        var chunk = writer.Finish(4);
        var decoded = ChunkDecoder.Decode(column, chunk, 4);
        Assert.True(decoded.DataPages > 1);
        Assert.Equal(expectedDef, decoded.Def);
        Assert.Equal(expectedValues.Select(BitConverter.GetBytes), decoded.Values);
    }

    [Fact]
    public void Encode_LevelTooWide_Throws()
        => Assert.Throws<ArgumentException>(() => RleBitPackedHybridEncoder.EncodeWithLengthPrefix(new short[] { 0, 2 }, 1, new ArrayBufferWriter<byte>()));

    [Fact]
    public void FixedWidthBuilder_Truncate_ForgetsLaterEntriesAndReaddsThemAtNewIndices()
    {
        var builder = new FixedWidthDictionaryBuilder<long>();
        for (long v = 0; v < 100; v++)
        {
            Assert.Equal((int)v, builder.Add(v * 31));
        }

        builder.Truncate(40);
        Assert.Equal(40, builder.Count);
        Assert.Equal(39, builder.Add(39 * 31));
        Assert.Equal(40, builder.Add(99 * 31));
        Assert.Equal(41, builder.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(v => v * 31L).Append(99 * 31), builder.Values.ToArray());
    }

    [Fact]
    public void FixedWidthBuilder_AddRangeWithLimit_StopsAtTheValueThatDoesNotFit()
    {
        var builder = new FixedWidthDictionaryBuilder<int>();
        var indices = new int[10];
        int added = builder.AddRange([5, 6, 5, 7, 8, 6], indices, maxCount: 3);
        Assert.Equal(4, added);
        Assert.Equal(3, builder.Count);
        Assert.Equal([0, 1, 0, 2], indices[..4]);
    }

    [Fact]
    public void ByteArrayBuilder_Truncate_ForgetsLaterEntries()
    {
        var builder = new ByteArrayDictionaryBuilder();
        string[] words = ["a", "", "ab", "a\0", "longer than eight bytes", "longer than eight bytez", "b"];
        for (int i = 0; i < words.Length; i++)
        {
            Assert.Equal(i, builder.Add(System.Text.Encoding.UTF8.GetBytes(words[i])));
        }

        builder.Truncate(4);
        Assert.Equal(4, builder.Count);
        Assert.Equal(3, builder.Add("a\0"u8));
        Assert.Equal(4, builder.Add("longer than eight bytez"u8));
        Assert.Equal(1, builder.Add(""u8));
        Assert.Equal((4 * 5) + 1 + 0 + 2 + 2 + 23, builder.PlainSize);
        Assert.Equal("longer than eight bytez", System.Text.Encoding.UTF8.GetString(builder[4]));
    }

    [Fact]
    public void ByteArrayBuilder_ValuesNearTheEndOfTheBuffer_MatchValuesElsewhere()
    {
        // The same bytes at the end of a buffer (no 8-byte read past them) and in the middle must be one entry.
        byte[] data = "xyzabcxyzabc"u8.ToArray();
        var builder = new ByteArrayDictionaryBuilder();
        Assert.Equal(0, builder.Add(data, 0, 3));
        Assert.Equal(1, builder.Add(data, 3, 3));
        Assert.Equal(0, builder.Add(data, 6, 3));
        Assert.Equal(1, builder.Add(data, 9, 3));
        Assert.Equal(0, builder.Add("xyz"u8));
        Assert.Equal(2, builder.Count);
    }

    [Fact]
    public void PageBuffer_GrowsAndKeepsWrittenBytes()
    {
        var buffer = new PageBuffer(16);
        var expected = new List<byte>();
        for (int i = 0; i < 1000; i++)
        {
            byte[] chunk = [(byte)i, (byte)(i >> 8), 7];
            buffer.Write(chunk);
            expected.AddRange(chunk);
        }

        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        buffer.Truncate(10);
        Assert.Equal(expected.Take(10), buffer.WrittenSpan.ToArray());
        Assert.Throws<InvalidOperationException>(() => buffer.Advance(buffer.GetSpan().Length + 1));
    }
}
