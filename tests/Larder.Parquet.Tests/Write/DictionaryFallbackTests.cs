using System.Buffers.Binary;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.Parquet.Write;

namespace Larder.Parquet.Tests.Write;

/// <summary>When the column writer keeps or drops its dictionary (see ValueWriter's remarks), and that the output decodes equal either way.</summary>
public sealed class DictionaryFallbackTests
{
    public static TheoryData<string> Kinds() => ["int64", "double", "utf8"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Finish_UniqueValues_ProbeDropsDictionaryAndDecodesEqual(string kind)
    {
        // 20,000 distinct values: the first page's first 4096 are all distinct.
        var array = Column(kind, 20_000, i => i);
        var (chunk, decoded, expected, pages) = WriteAndDecode(kind, array, ColumnWriteOptions.Default);
        Assert.Null(chunk.MetaData.DictionaryPageOffset);
        Assert.All(pages, p => Assert.Equal(Encoding.Plain, p.Encoding));
        Assert.Equal(expected, decoded.Values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Finish_FewDistinctValues_EveryPageUsesDictionary(string kind)
    {
        var array = Column(kind, 20_000, i => (i * 7) % 50);
        var options = new ColumnWriteOptions { DataPageSize = 8192 };
        var (chunk, decoded, expected, pages) = WriteAndDecode(kind, array, options);
        Assert.NotNull(chunk.MetaData.DictionaryPageOffset);
        Assert.True(pages.Count > 1);
        Assert.All(pages, p => Assert.Equal(Encoding.RleDictionary, p.Encoding));
        Assert.Equal(50, DictionaryEntries(chunk));
        Assert.Equal(expected, decoded.Values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Finish_CycleLongerThanProbeThatPays_KeepsDictionary(string kind)
    {
        // 3000 distinct values repeating: the probe sees repeats, and dictionary plus indices beat PLAIN.
        var array = Column(kind, 30_000, i => i % 3000);
        var (chunk, decoded, expected, pages) = WriteAndDecode(kind, array, ColumnWriteOptions.Default);
        Assert.All(pages, p => Assert.Equal(Encoding.RleDictionary, p.Encoding));
        Assert.Equal(3000, DictionaryEntries(chunk));
        Assert.Equal(expected, decoded.Values);
    }

    [Theory]
    [InlineData("int64")]
    [InlineData("utf8")]
    public void Finish_CycleWhoseFirst4096AreDistinct_ProbeDropsDictionaryEvenThoughItWouldPay(string kind)
    {
        // The probe's known trade-off: 5000 distinct values in order, repeated. A dictionary would pay, but the first
        // 4096 values of the first page are all distinct, so the chunk is written PLAIN.
        var array = Column(kind, 30_000, i => i % 5000);
        var (chunk, decoded, expected, pages) = WriteAndDecode(kind, array, ColumnWriteOptions.Default);
        Assert.Null(chunk.MetaData.DictionaryPageOffset);
        Assert.All(pages, p => Assert.Equal(Encoding.Plain, p.Encoding));
        Assert.Equal(expected, decoded.Values);
    }

    [Fact]
    public void Finish_FirstPageDictionaryDoesNotPay_WrittenPlain()
    {
        // Pages of 2000 distinct int32 (below the probe size): dictionary 8000 bytes + indices > PLAIN 8000 bytes.
        var array = Column("int32", 6000, i => i);
        var (chunk, decoded, expected, pages) = WriteAndDecode("int32", array, new ColumnWriteOptions { DataPageSize = 8000 });
        Assert.Equal(3, pages.Count);
        Assert.Null(chunk.MetaData.DictionaryPageOffset);
        Assert.All(pages, p => Assert.Equal(Encoding.Plain, p.Encoding));
        Assert.Equal(expected, decoded.Values);
    }

    [Fact]
    public void Finish_SmallFirstPageOfUniqueValues_KeepsDictionaryUntilTheLimit()
    {
        // Pages of 100 values (too few to judge by): the dictionary stays until the 1000-byte limit (125 entries) is passed.
        var array = Column("int64", 1000, i => i);
        var (chunk, decoded, expected, pages) = WriteAndDecode("int64", array, new ColumnWriteOptions { DataPageSize = 800, DictionaryPageSizeLimit = 1000 });
        Assert.Equal(Encoding.RleDictionary, pages[0].Encoding);
        Assert.All(pages.Skip(1), p => Assert.Equal(Encoding.Plain, p.Encoding));
        Assert.Equal(100, DictionaryEntries(chunk));
        Assert.Equal(expected, decoded.Values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Finish_LimitPassedMidPage_PageIsPlainAndDictionaryKeepsEarlierEntries(string kind)
    {
        // Page 1: 40 distinct values over 100 rows; page 2 brings 100 new ones, which pass the limit part way.
        var array = Column(kind, 400, i => i < 100 ? i % 40 : 1000 + i);
        int entryBytes = kind == "utf8" ? 4 + 4 : 8;
        var options = new ColumnWriteOptions { DataPageSize = 100 * entryBytes, DictionaryPageSizeLimit = 60 * entryBytes };
        var (chunk, decoded, expected, pages) = WriteAndDecode(kind, array, options);
        Assert.True(pages.Count >= 3);
        Assert.Equal(Encoding.RleDictionary, pages[0].Encoding);
        Assert.All(pages.Skip(1), p => Assert.Equal(Encoding.Plain, p.Encoding));
        Assert.Equal(40, DictionaryEntries(chunk));
        Assert.Equal(expected, decoded.Values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reset_SecondChunk_StartsWithAnEmptyDictionary(string kind)
    {
        var column = SchemaOf(kind).Columns[0];
        var field = Field(kind);
        var shredder = new LevelShredder(field);
        using var writer = new ColumnChunkWriter(column, ColumnWriteOptions.Default);
        shredder.Shred(Column(kind, 5000, i => i % 30));
        writer.Write(shredder.Results[0]);
        var first = writer.Finish(4);
        Assert.Equal(30, DictionaryEntries(first));

        writer.Reset();
        var second = Column(kind, 5000, i => 100 + (i % 7));
        shredder.Shred(second);
        writer.Write(shredder.Results[0]);
        var chunk = writer.Finish(4);
        Assert.Equal(7, DictionaryEntries(chunk));
        Assert.Equal(5000, chunk.MetaData.NumValues);
        Assert.Equal(Expected(kind, second), ChunkDecoder.Decode(column, chunk, 4).Values);
    }

    [Fact]
    public void Finish_UniqueValuesWithNulls_LevelsValuesAndNullCountsDecodeEqual()
    {
        var values = new long[12_000];
        var validity = new byte[(values.Length + 7) / 8];
        int nulls = 0;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i * 3L;
            if (i % 5 == 2)
            {
                nulls++;
            }
            else
            {
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        var array = new ArrayData(ArrowType.Int64, values.Length, nulls, 0, [ArrowBuffer.CopyOf<byte>(validity), ArrowBuffer.CopyOf<long>(values)]);
        var field = new Field("c", ArrowType.Int64, nullable: true);
        var column = ParquetSchemaMapper.ToParquet(new Columnar.Schema([field])).Columns[0];
        var chunk = ColumnChunkWriterTests.WriteColumn(column, field, array, new ColumnWriteOptions { DataPageSize = 4096 });
        var decoded = ChunkDecoder.Decode(column, chunk, 4);
        Assert.Equal(Enumerable.Range(0, values.Length).Select(i => (short)(i % 5 == 2 ? 0 : 1)), decoded.Def);
        Assert.Equal(Enumerable.Range(0, values.Length).Where(i => i % 5 != 2).Select(i => LongBytes(i * 3L)), decoded.Values);
        Assert.Equal(nulls, chunk.MetaData.Statistics!.NullCount);
        Assert.Equal(0L, BinaryPrimitives.ReadInt64LittleEndian(chunk.MetaData.Statistics.MinValue));
        Assert.Equal((values.Length - 1) * 3L, BinaryPrimitives.ReadInt64LittleEndian(chunk.MetaData.Statistics.MaxValue));
    }

    internal static List<(PageType Type, Encoding Encoding, int Values)> Pages(ColumnChunkResult chunk)
    {
        var bytes = chunk.Segments.SelectMany(s => s.ToArray()).ToArray();
        var pages = new List<(PageType, Encoding, int)>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            var header = ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan(pos), null, pos, out int length);
            pages.Add(header.Type == PageType.DictionaryPage
                ? (header.Type, header.DictionaryPageHeader!.Encoding, header.DictionaryPageHeader.NumValues)
                : (header.Type, header.DataPageHeader!.Encoding, header.DataPageHeader.NumValues));
            pos += length + header.CompressedPageSize;
        }

        return pages;
    }

    private static int DictionaryEntries(ColumnChunkResult chunk)
        => Pages(chunk).Where(p => p.Type == PageType.DictionaryPage).Select(p => p.Values).DefaultIfEmpty(-1).Single();

    private static (ColumnChunkResult Chunk, ChunkDecoder.Decoded Decoded, List<byte[]> Expected, List<(PageType Type, Encoding Encoding, int Values)> DataPages)
        WriteAndDecode(string kind, ArrayData array, ColumnWriteOptions options)
    {
        var column = SchemaOf(kind).Columns[0];
        var chunk = ColumnChunkWriterTests.WriteColumn(column, Field(kind), array, options);
        var decoded = ChunkDecoder.Decode(column, chunk, 4);
        return (chunk, decoded, Expected(kind, array), [.. Pages(chunk).Where(p => p.Type == PageType.DataPage)]);
    }

    private static Field Field(string kind) => new("c", kind switch
    {
        "int32" => ArrowType.Int32,
        "int64" => ArrowType.Int64,
        "double" => ArrowType.Double,
        _ => ArrowType.String,
    }, nullable: false);

    private static ParquetWriteSchema SchemaOf(string kind) => ParquetSchemaMapper.ToParquet(new Columnar.Schema([Field(kind)]));

    /// <summary>A non-null column whose value i is derived from <paramref name="key"/>(i).</summary>
    private static ArrayData Column(string kind, int rows, Func<int, int> key)
    {
        switch (kind)
        {
            case "int32":
                return new ArrayData(ArrowType.Int32, rows, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.CopyOf<int>(Enumerable.Range(0, rows).Select(i => key(i) * 17).ToArray())]);
            case "int64":
                return new ArrayData(ArrowType.Int64, rows, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.CopyOf<long>(Enumerable.Range(0, rows).Select(i => (key(i) * 1_000_003L) - 5).ToArray())]);
            case "double":
                return new ArrayData(ArrowType.Double, rows, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.CopyOf<double>(Enumerable.Range(0, rows).Select(i => (key(i) * 0.37) - 11).ToArray())]);
            default:
            {
                var builder = new BinaryArrayBuilder(ArrowType.String, rows);
                for (int i = 0; i < rows; i++)
                {
                    builder.Append(Text4(key(i)));
                }

                return builder.Build().Data;
            }
        }
    }

    /// <summary>4 hex digits of the key (distinct for keys below 65536): a dictionary entry is 8 PLAIN bytes.</summary>
    private static byte[] Text4(int key) => System.Text.Encoding.ASCII.GetBytes($"{key:x4}"[^4..]);

    private static List<byte[]> Expected(string kind, ArrayData array)
    {
        var r = new List<byte[]>();
        for (int i = 0; i < array.Length; i++)
        {
            if (array.IsNull(i))
            {
                continue;
            }

            switch (kind)
            {
                case "int32":
                    r.Add(BitConverter.GetBytes(array.Buffers[1].As<int>()[array.Offset + i]));
                    break;
                case "int64":
                    r.Add(LongBytes(array.Buffers[1].As<long>()[array.Offset + i]));
                    break;
                case "double":
                    r.Add(BitConverter.GetBytes(array.Buffers[1].As<double>()[array.Offset + i]));
                    break;
                default:
                {
                    var offsets = array.Buffers[1].As<int>();
                    r.Add(array.Buffers[2].Span[offsets[array.Offset + i]..offsets[array.Offset + i + 1]].ToArray());
                    break;
                }
            }
        }

        return r;
    }

    private static byte[] LongBytes(long v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        return b;
    }
}
