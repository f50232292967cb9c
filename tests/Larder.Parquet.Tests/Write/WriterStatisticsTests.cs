using System.Buffers.Binary;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.Parquet.Write;

namespace Larder.Parquet.Tests.Write;

/// <summary>Page and chunk statistics of the typed writers against a straight computation over the values.</summary>
public sealed class WriterStatisticsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Finish_DoublesWithNaNAndZeros_MinMaxIgnoreNaNAndNormaliseZero(bool dictionary)
    {
        var rng = new Random(41);
        var values = new double[5000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i % 97) switch
            {
                0 => double.NaN,
                1 => -0.0,
                _ => rng.NextDouble() * 10,
            };
        }

        var (chunk, pages) = Write(ArrowType.Double, ArrowBuffer.CopyOf<double>(values), values.Length, dictionary, pageSize: 2048);
        var stats = chunk.MetaData.Statistics!;
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BinaryPrimitives.ReadInt64LittleEndian(stats.MinValue));
        Assert.Equal(present.Max(), BinaryPrimitives.ReadDoubleLittleEndian(stats.MaxValue));
        Assert.Equal(0, stats.NullCount);
        CheckPages(pages, values.Length, 2048 / 8, i => values[i], (a, b) => a.CompareTo(b), double.IsNaN, BinaryPrimitives.ReadDoubleLittleEndian);
    }

    [Fact]
    public void Finish_AllNaN_NoMinMax()
    {
        var values = Enumerable.Repeat(double.NaN, 100).ToArray();
        var (chunk, _) = Write(ArrowType.Double, ArrowBuffer.CopyOf<double>(values), values.Length, dictionary: false, pageSize: 1 << 20);
        Assert.Null(chunk.MetaData.Statistics!.MinValue);
        Assert.Null(chunk.MetaData.Statistics!.MaxValue);
    }

    [Fact]
    public void Finish_UInt32AcrossPages_PageAndChunkBoundsCompareUnsigned()
    {
        var rng = new Random(5);
        var values = Enumerable.Range(0, 3000).Select(_ => (uint)rng.NextInt64(0, 1L << 32)).ToArray();
        var (chunk, pages) = Write(ArrowType.UInt32, ArrowBuffer.CopyOf<uint>(values), values.Length, dictionary: false, pageSize: 1000);
        Assert.Equal(values.Min(), BinaryPrimitives.ReadUInt32LittleEndian(chunk.MetaData.Statistics!.MinValue));
        Assert.Equal(values.Max(), BinaryPrimitives.ReadUInt32LittleEndian(chunk.MetaData.Statistics!.MaxValue));
        Assert.Null(chunk.MetaData.Statistics!.Min);
        CheckPages(pages, values.Length, 250, i => values[i], (a, b) => a.CompareTo(b), _ => false, BinaryPrimitives.ReadUInt32LittleEndian);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Finish_Int64AcrossPages_PageBoundsMatchEachPagesValues(bool dictionary)
    {
        var rng = new Random(8);
        var values = Enumerable.Range(0, 10_000).Select(i => rng.NextInt64(long.MinValue, long.MaxValue) >> (i % 40)).ToArray();
        var (chunk, pages) = Write(ArrowType.Int64, ArrowBuffer.CopyOf<long>(values), values.Length, dictionary, pageSize: 4096);
        Assert.Equal(values.Min(), BinaryPrimitives.ReadInt64LittleEndian(chunk.MetaData.Statistics!.MinValue));
        Assert.Equal(values.Max(), BinaryPrimitives.ReadInt64LittleEndian(chunk.MetaData.Statistics!.MaxValue));
        CheckPages(pages, values.Length, 512, i => values[i], (a, b) => a.CompareTo(b), _ => false, BinaryPrimitives.ReadInt64LittleEndian);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(true, 4000)]
    [InlineData(false, 3)]
    public void Finish_StringsAcrossPages_PageBoundsAreLexicographic(bool dictionary, int distinct)
    {
        var rng = new Random(12);
        var strings = Enumerable.Range(0, distinct).Select(i => $"v{rng.Next(100_000):d5}-{i}").ToArray();
        var picks = Enumerable.Range(0, 6000).Select(_ => strings[rng.Next(distinct)]).ToArray();
        var builder = new BinaryArrayBuilder(ArrowType.String, picks.Length);
        foreach (string s in picks)
        {
            builder.Append(System.Text.Encoding.UTF8.GetBytes(s));
        }

        var array = builder.Build().Data;
        var field = new Field("s", ArrowType.String, nullable: false);
        var column = ParquetSchemaMapper.ToParquet(new Columnar.Schema([field])).Columns[0];
        var chunk = ColumnChunkWriterTests.WriteColumn(column, field, array, new ColumnWriteOptions { EnableDictionary = dictionary, DataPageSize = 16 * 1024 });
        var stats = chunk.MetaData.Statistics!;
        var sorted = picks.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(sorted[0], System.Text.Encoding.UTF8.GetString(stats.MinValue!));
        Assert.Equal(sorted[^1], System.Text.Encoding.UTF8.GetString(stats.MaxValue!));

        int start = 0;
        foreach (var page in DataPageHeaders(chunk))
        {
            var values = picks[start..(start + page.NumValues)].Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(values[0], System.Text.Encoding.UTF8.GetString(page.Statistics!.MinValue!));
            Assert.Equal(values[^1], System.Text.Encoding.UTF8.GetString(page.Statistics!.MaxValue!));
            start += page.NumValues;
        }

        Assert.Equal(picks.Length, start);
    }

    private static (ColumnChunkResult Chunk, List<DataPageHeader> Pages) Write(ArrowType type, ArrowBuffer values, int length, bool dictionary, int pageSize)
    {
        var field = new Field("x", type, nullable: false);
        var column = ParquetSchemaMapper.ToParquet(new Columnar.Schema([field])).Columns[0];
        var array = new ArrayData(type, length, 0, 0, [ArrowBuffer.Empty, values]);
        var chunk = ColumnChunkWriterTests.WriteColumn(column, field, array, new ColumnWriteOptions { EnableDictionary = dictionary, DataPageSize = pageSize });
        var decoded = ChunkDecoder.Decode(column, chunk, 4);
        Assert.Equal(length, decoded.Values.Count);
        return (chunk, DataPageHeaders(chunk));
    }

    private static List<DataPageHeader> DataPageHeaders(ColumnChunkResult chunk)
    {
        var bytes = chunk.Segments.SelectMany(s => s.ToArray()).ToArray();
        var pages = new List<DataPageHeader>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            var header = ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan(pos), null, pos, out int length);
            if (header.DataPageHeader is { } data)
            {
                pages.Add(data);
            }

            pos += length + header.CompressedPageSize;
        }

        return pages;
    }

    /// <summary>Every page holds <paramref name="perPage"/> values (the last fewer) and its bounds are those of its values.</summary>
    private static void CheckPages<T>(List<DataPageHeader> pages, int count, int perPage, Func<int, T> value, Comparison<T> compare, Func<T, bool> skip, Func<ReadOnlySpan<byte>, T> read)
    {
        Assert.Equal((count + perPage - 1) / perPage, pages.Count);
        for (int p = 0; p < pages.Count; p++)
        {
            var values = Enumerable.Range(p * perPage, Math.Min(perPage, count - (p * perPage))).Select(value).Where(v => !skip(v)).ToList();
            values.Sort(compare);
            Assert.Equal(0, compare(values[0], read(pages[p].Statistics!.MinValue)));
            Assert.Equal(0, compare(values[^1], read(pages[p].Statistics!.MaxValue)));
        }
    }
}
