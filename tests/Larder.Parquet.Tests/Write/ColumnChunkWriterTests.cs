using System.Buffers.Binary;
using Larder.Checksums;
using Larder.Columnar;
using Larder.Compression;
using Larder.Memory;
using Larder.Parquet.Dremel;
using Larder.Parquet.Encodings;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.Parquet.Write;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Write;

public sealed class ColumnChunkWriterTests
{
    public static TheoryData<string, bool> CodecCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in new[] { "none", "snappy", "gzip", "zstd", "lz4_raw", "brotli" })
        {
            data.Add(c, true);
            data.Add(c, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodecCases))]
    public void Finish_AllTypesEveryCodec_DecodesToShreddedInput(string codec, bool dictionary)
    {
        var options = new ColumnWriteOptions { Compression = codec, EnableDictionary = dictionary };
        CheckAllTypes(options, rows: 300, seed: 11);
    }

    [Fact]
    public void Finish_TinyPagesAndDictionaryLimit_SplitsOnRowsAndFallsBack()
    {
        var options = new ColumnWriteOptions { DataPageSize = 64, DictionaryPageSizeLimit = 100 };
        CheckAllTypes(options, rows: 500, seed: 5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Finish_AllTypesPagesOfThousandsOfValues_DecodesToShreddedInput(bool dictionary)
    {
        // Enough values per page for the dictionary probe and payoff checks and the vectorised statistics to run.
        var options = new ColumnWriteOptions { EnableDictionary = dictionary, DataPageSize = 64 * 1024 };
        CheckAllTypes(options, rows: 9000, seed: 21);
    }

    [Fact]
    public void Finish_SmallDictionaryLimit_LaterPagesArePlain()
    {
        var field = new Field("s", ArrowType.String);
        var schema = new Columnar.Schema([field]);
        var batch = RandomData.Batch(schema, 2000, 3);
        var ws = ParquetSchemaMapper.ToParquet(schema);
        var chunk = WriteColumn(ws.Columns[0], field, batch.Column(0).Data, new ColumnWriteOptions { DataPageSize = 256, DictionaryPageSizeLimit = 512 });
        var encodings = chunk.MetaData.EncodingStats!.Where(s => s.PageType == PageType.DataPage).Select(s => s.Encoding).ToList();
        Assert.Contains(Encoding.RleDictionary, encodings);
        Assert.Contains(Encoding.Plain, encodings);
        Assert.NotNull(chunk.MetaData.DictionaryPageOffset);
    }

    [Fact]
    public void Finish_Int32WithNulls_StatisticsMatchStraightComputation()
    {
        var field = new Field("i", ArrowType.Int32);
        var schema = new Columnar.Schema([field]);
        var batch = RandomData.Batch(schema, 1000, 9, nullFraction: 0.2);
        var ws = ParquetSchemaMapper.ToParquet(schema);
        var array = batch.Column(0).Data;
        var chunk = WriteColumn(ws.Columns[0], field, array, new ColumnWriteOptions { DataPageSize = 512 });
        var values = array.Buffers[1].As<int>().ToArray();
        var present = Enumerable.Range(0, array.Length).Where(i => !array.IsNull(i)).Select(i => values[array.Offset + i]).ToList();
        var stats = chunk.MetaData.Statistics!;
        Assert.Equal(array.NullCount, stats.NullCount);
        Assert.Equal(present.Min(), BinaryPrimitives.ReadInt32LittleEndian(stats.MinValue));
        Assert.Equal(present.Max(), BinaryPrimitives.ReadInt32LittleEndian(stats.MaxValue));
        Assert.True(stats.IsMinValueExact);
    }

    [Fact]
    public void Finish_UInt64_StatisticsCompareUnsigned()
    {
        var field = new Field("u", ArrowType.UInt64);
        var schema = new Columnar.Schema([field]);
        var data = new ulong[] { 1, ulong.MaxValue, 5 };
        var array = new ArrayData(ArrowType.UInt64, 3, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.CopyOf<ulong>(data)]);
        var ws = ParquetSchemaMapper.ToParquet(schema);
        var chunk = WriteColumn(ws.Columns[0], field, array, ColumnWriteOptions.Default);
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(chunk.MetaData.Statistics!.MinValue));
        Assert.Equal(ulong.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(chunk.MetaData.Statistics!.MaxValue));
        Assert.Null(chunk.MetaData.Statistics!.Min);
    }

    internal static ColumnChunkResult WriteColumn(ParquetColumnSchema column, Field field, ArrayData array, ColumnWriteOptions options, long offset = 4)
    {
        var shredder = new LevelShredder(field);
        shredder.Shred(array);
        var leaf = shredder.Results[shredder.Leaves.ToList().FindIndex(l => l.ColumnPath.SequenceEqual(column.ColumnPath))];
        using var writer = new ColumnChunkWriter(column, options);
        writer.Write(leaf);
        return writer.Finish(offset);
    }

    private static void CheckAllTypes(ColumnWriteOptions options, int rows, int seed)
    {
        var schema = RandomData.AllTypesSchema();
        var batch = RandomData.Batch(schema, rows, seed);
        var ws = ParquetSchemaMapper.ToParquet(schema);
        foreach (var column in ws.Columns)
        {
            var field = schema.Fields[column.FieldIndex];
            var shredder = new LevelShredder(field);
            int half = rows / 2;
            var array = batch.Column(column.FieldIndex).Data;
            int leafIndex = shredder.Leaves.ToList().FindIndex(l => l.ColumnPath.SequenceEqual(column.ColumnPath));
            var expectedDef = new List<short>();
            var expectedRep = new List<short>();
            var expectedValues = new PhysicalValues(PhysicalValues.WidthOf(column));
            using var writer = new ColumnChunkWriter(column, options);
            foreach (var part in new[] { array.Slice(0, half), array.Slice(half, rows - half) })
            {
                shredder.Shred(part);
                var leaf = shredder.Results[leafIndex];
                expectedDef.AddRange(leaf.DefinitionLevels.ToArray());
                expectedRep.AddRange(leaf.RepetitionLevels.ToArray());
                expectedValues.AppendArrow(column, leaf.Values);
                writer.Write(leaf);
            }

            var chunk = writer.Finish(4);
            var decoded = ChunkDecoder.Decode(column, chunk, 4);
            string name = string.Join('.', column.ColumnPath);
            if (column.MaxDefinitionLevel > 0)
            {
                Assert.True(expectedDef.SequenceEqual(decoded.Def), name);
            }

            if (column.MaxRepetitionLevel > 0)
            {
                Assert.True(expectedRep.SequenceEqual(decoded.Rep), name);
                Assert.All(decoded.PageFirstRep, r => Assert.Equal(0, r));
            }

            Assert.Equal(expectedValues.Count, decoded.Values.Count);
            for (int i = 0; i < expectedValues.Count; i++)
            {
                Assert.True(expectedValues[i].SequenceEqual(decoded.Values[i]), $"{name} value {i}");
            }

            Assert.Equal(expectedDef.Count == 0 ? rows : expectedDef.Count, chunk.MetaData.NumValues);
            Assert.Equal(expectedDef.Count(d => d != column.MaxDefinitionLevel), chunk.MetaData.Statistics!.NullCount ?? -1);
        }
    }
}

/// <summary>Decodes a chunk written by <see cref="ColumnChunkWriter"/> with the committed primitives (no reader).</summary>
internal static class ChunkDecoder
{
    public sealed record Decoded(List<short> Def, List<short> Rep, List<byte[]> Values, List<short> PageFirstRep, int DataPages);

    public static Decoded Decode(ParquetColumnSchema column, ColumnChunkResult chunk, long fileOffset)
    {
        var bytes = chunk.Segments.SelectMany(s => s.ToArray()).ToArray();
        Assert.Equal(chunk.Length, bytes.Length);
        Assert.Equal(bytes.Length, chunk.MetaData.TotalCompressedSize);
        var (codecName, _) = ColumnChunkWriter.CodecOf(ParquetCodecName(chunk.MetaData.Codec));
        using var codec = CompressionCodecs.Create(codecName);
        var def = new List<short>();
        var rep = new List<short>();
        var values = new List<byte[]>();
        var firstRep = new List<short>();
        List<byte[]>? dictionary = null;
        int pos = 0;
        int dataPages = 0;
        int width = PhysicalValues.WidthOf(column);
        while (pos < bytes.Length)
        {
            var header = ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan(pos), null, pos, out int hl);
            if (header.Type == PageType.DictionaryPage)
            {
                Assert.Equal(fileOffset + pos, chunk.MetaData.DictionaryPageOffset);
            }
            else if (dataPages++ == 0)
            {
                Assert.Equal(fileOffset + pos, chunk.MetaData.DataPageOffset);
            }

            pos += hl;
            var stored = bytes.AsSpan(pos, header.CompressedPageSize);
            pos += header.CompressedPageSize;
            Assert.Equal(unchecked((int)Crc32.Compute(stored)), header.Crc);
            var body = new byte[header.UncompressedPageSize];
            if (chunk.MetaData.Codec == CompressionCodec.Uncompressed)
            {
                stored.CopyTo(body);
            }
            else
            {
                Assert.Equal(body.Length, codec.Decompress(stored, body));
            }

            if (header.Type == PageType.DictionaryPage)
            {
                dictionary = DecodePlain(column, body, header.DictionaryPageHeader!.NumValues, width, out _);
                continue;
            }

            var dp = header.DataPageHeader!;
            int n = dp.NumValues;
            int p = 0;
            var pageRep = new int[n];
            var pageDef = new int[n];
            if (column.MaxRepetitionLevel > 0)
            {
                var d = RleBitPackedHybridDecoder.CreateWithLengthPrefix(body, BitPacking.BitWidthOf((ulong)column.MaxRepetitionLevel), out int used);
                d.ReadExactly(pageRep);
                p += used;
                firstRep.Add((short)pageRep[0]);
            }

            if (column.MaxDefinitionLevel > 0)
            {
                var d = RleBitPackedHybridDecoder.CreateWithLengthPrefix(body.AsSpan(p), BitPacking.BitWidthOf((ulong)column.MaxDefinitionLevel), out int used);
                d.ReadExactly(pageDef);
                p += used;
            }
            else
            {
                Array.Fill(pageDef, 0);
            }

            def.AddRange(pageDef.Select(x => (short)x));
            rep.AddRange(pageRep.Select(x => (short)x));
            int present = pageDef.Count(x => x == column.MaxDefinitionLevel);
            if (dp.Encoding == Encoding.RleDictionary)
            {
                Assert.NotNull(dictionary);
                var idx = new int[present];
                if (present > 0)
                {
                    var d = RleBitPackedHybridDecoder.CreateForDictionaryIndices(body.AsSpan(p));
                    d.ReadExactly(idx);
                }

                values.AddRange(idx.Select(i => dictionary![i]));
            }
            else
            {
                Assert.Equal(Encoding.Plain, dp.Encoding);
                values.AddRange(DecodePlain(column, body.AsSpan(p).ToArray(), present, width, out int consumed));
                Assert.Equal(body.Length - p, consumed);
            }

            Assert.Equal(n - present, dp.Statistics!.NullCount);
        }

        return new Decoded(def, rep, values, firstRep, dataPages);
    }

    private static string ParquetCodecName(CompressionCodec c) => c switch
    {
        CompressionCodec.Uncompressed => "none",
        CompressionCodec.Snappy => "snappy",
        CompressionCodec.Gzip => "gzip",
        CompressionCodec.Zstd => "zstd",
        CompressionCodec.Lz4Raw => "lz4_raw",
        _ => "brotli",
    };

    private static List<byte[]> DecodePlain(ParquetColumnSchema column, byte[] body, int count, int width, out int consumed)
    {
        var r = new List<byte[]>();
        switch (column.PhysicalType)
        {
            case PhysicalType.Boolean:
            {
                var b = new bool[count];
                PlainDecoder.DecodeBoolean(body, 0, b);
                r.AddRange(b.Select(x => new[] { x ? (byte)1 : (byte)0 }));
                consumed = (count + 7) / 8;
                return r;
            }

            case PhysicalType.ByteArray:
            {
                int p = 0;
                for (int i = 0; i < count; i++)
                {
                    int len = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(p));
                    r.Add(body.AsSpan(p + 4, len).ToArray());
                    p += 4 + len;
                }

                consumed = p;
                return r;
            }

            default:
                for (int i = 0; i < count; i++)
                {
                    r.Add(body.AsSpan(i * width, width).ToArray());
                }

                consumed = count * width;
                return r;
        }
    }
}
