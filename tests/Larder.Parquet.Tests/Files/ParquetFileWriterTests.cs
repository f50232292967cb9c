using Larder.Columnar;
using System.Globalization;
using Larder.Parquet.Files;
using Larder.Parquet.Tests.Peers;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Files;

public class ParquetFileWriterTests
{
    public static TheoryData<string, bool> Codecs() => new()
    {
        { "zstd", true },
        { "snappy", true },
        { "none", false },
        { "gzip", true },
        { "lz4_raw", false },
        { "brotli", true },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void WriteRead_AllTypes_RoundTripsEqual(string codec, bool dictionary)
    {
        var schema = RandomData.AllTypesSchema();
        var batches = new[] { RandomData.Batch(schema, 300, seed: 1), RandomData.Batch(schema, 0, seed: 2), RandomData.Batch(schema, 177, seed: 3).Slice(5, 150) };
        string path = Path.Combine(Path.GetTempPath(), $"larder-pqw-{Guid.NewGuid():N}.parquet");
        try
        {
            var options = new ParquetWriteOptions { Compression = codec, EnableDictionary = dictionary, RowGroupRows = 200, DataPageSize = 4096 };
            ParquetTestFiles.Write(path, schema, batches, options);

            using var reader = ParquetFileReader.Open(path);
            Assert.Equal(3, reader.RowGroupCount);
            ArrowAssert.Equal(schema, reader.Schema);
            ArrowAssert.Equal(new Table(schema, batches), new Table(reader.Schema, reader.ReadAll().ToList()), ignoreBatchBoundaries: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("snappy")]
    public async Task Write_ManyRowGroups_DuckDbReadsEqualAggregates(string codec)
    {
        var schema = new Schema([
            new Field("id", ArrowType.Int64, nullable: false),
            new Field("value", ArrowType.Double),
            new Field("city", ArrowType.String),
            new Field("ts", new TimestampType(TimeUnit.Microsecond, "UTC")),
        ]);
        var id = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var value = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        var city = new BinaryArrayBuilder(ArrowType.String);
        var ts = new PrimitiveArrayBuilder<long>(schema[3].Type);
        string[] cities = ["Berlin", "Paris", "Lagos", "Lima", "Osaka", "Perth"];
        const int rows = 50_000;
        for (int i = 0; i < rows; i++)
        {
            id.Append(i);
            if (i % 10 == 3)
            {
                value.AppendNull();
            }
            else
            {
                value.Append(i * 0.5);
            }

            city.Append(cities[i % 6]);
            ts.Append(1_700_000_000_000_000L + (i * 1_000_000L));
        }

        var batch = new RecordBatch(schema, [id.Build(), value.Build(), city.Build(), ts.Build()], rows);
        string path = Path.Combine(Path.GetTempPath(), $"larder-pqw-{Guid.NewGuid():N}.parquet");
        try
        {
            using (var writer = ParquetFileWriter.Create(path, schema, new ParquetWriteOptions { Compression = codec, RowGroupRows = 12_000 }))
            {
                writer.Write(batch);
                writer.Finish();
            }

            var result = await DuckDbPeer.QueryAsync(
                $"SELECT count(*), sum(id), sum(value), count(value), count(DISTINCT city), min(ts), max(ts), sum(CASE WHEN city = 'Lima' THEN 1 ELSE 0 END) FROM read_parquet('{path}')");
            var row = result.Rows[0];
            Assert.Equal(rows.ToString(CultureInfo.InvariantCulture), Text(row[0]));
            Assert.Equal(((long)rows * (rows - 1) / 2).ToString(CultureInfo.InvariantCulture), Text(row[1]));
            double expectedSum = Enumerable.Range(0, rows).Where(i => i % 10 != 3).Sum(i => i * 0.5);
            Assert.Equal(expectedSum, double.Parse(Text(row[2]), CultureInfo.InvariantCulture));
            Assert.Equal((rows - (rows / 10)).ToString(CultureInfo.InvariantCulture), Text(row[3]));
            Assert.Equal("6", Text(row[4]));
            Assert.Contains("2023-11-14T22:13:20", row[5].ToString(), StringComparison.Ordinal);
            Assert.Equal((rows / 6 + (rows % 6 > 3 ? 1 : 0)).ToString(CultureInfo.InvariantCulture), Text(row[7]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Text(System.Text.Json.JsonElement e)
        => e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString()! : e.GetRawText();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_RowGroupBytes_HoldsWhateverTheBatching(bool slices)
    {
        // One batch of 100,000 int64 rows (800,000 bytes), written whole or as 1,000-row slices of it, with a limit of
        // 80,000 bytes: about ten rows groups of about 10,000 rows, never far past the limit.
        var schema = new Schema([new Field("x", ArrowType.Int64, nullable: false)]);
        var builder = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        for (int i = 0; i < 100_000; i++)
        {
            builder.Append(i * 7919L);
        }

        var batch = new RecordBatch(schema, [builder.Build()], 100_000);
        string path = Path.Combine(Path.GetTempPath(), $"larder-rg-{Guid.NewGuid():N}.parquet");
        try
        {
            var options = new ParquetWriteOptions { RowGroupBytes = 80_000, EnableDictionary = false, Compression = "none" };
            var input = slices ? Enumerable.Range(0, 100).Select(k => batch.Slice(k * 1000, 1000)) : [batch];
            ParquetTestFiles.Write(path, schema, input, options);

            using var reader = ParquetFileReader.Open(path);
            var groups = reader.Metadata.RowGroups;
            Assert.InRange(groups.Count, 9, 12);
            Assert.All(groups.SkipLast(1), g => Assert.InRange(g.TotalByteSize, 80_000, 80_000 + 8_200));
            Assert.Equal(100_000, groups.Sum(g => g.NumRows));
            ArrowAssert.Equal(new Table(schema, [batch]), new Table(reader.Schema, reader.ReadAll().ToList()), ignoreBatchBoundaries: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_UnfinishedWriter_LeavesNoFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"larder-pqw-{Guid.NewGuid():N}.parquet");
        var schema = new Schema([new Field("a", ArrowType.Int64)]);
        using (var writer = ParquetFileWriter.Create(path, schema))
        {
            writer.Write(RandomData.Batch(schema, 10, seed: 4));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void WriteRead_NoBatches_EmptyFileWithSchema()
    {
        var schema = new Schema([new Field("a", ArrowType.Int64, nullable: false), new Field("b", ArrowType.String)]);
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, schema, leaveOpen: true))
        {
            writer.Finish();
        }

        string path = Path.Combine(Path.GetTempPath(), $"larder-pqw-{Guid.NewGuid():N}.parquet");
        try
        {
            File.WriteAllBytes(path, stream.ToArray());
            using var reader = ParquetFileReader.Open(path);
            ArrowAssert.Equal(schema, reader.Schema);
            Assert.Equal(0, reader.RowGroupCount);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
