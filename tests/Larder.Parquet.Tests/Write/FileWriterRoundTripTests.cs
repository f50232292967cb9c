using Larder.Columnar;
using Larder.Parquet.Files;
using Larder.Parquet.Metadata;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Write;

/// <summary>Whole files through the writer's fast paths (unique numbers, low-cardinality strings, several row groups), read back.</summary>
public sealed class FileWriterRoundTripTests
{
    [Theory]
    [InlineData("snappy", 0.0)]
    [InlineData("zstd", 0.0)]
    [InlineData("zstd", 0.05)]
    [InlineData("none", 0.3)]
    public void WriteRead_BenchmarkShapedTable_RoundTripsEqualWithExpectedEncodings(string codec, double nullFraction)
    {
        var schema = new Schema([
            new Field("id", ArrowType.Int64),
            new Field("value", ArrowType.Double),
            new Field("city", ArrowType.String),
            new Field("ts", new TimestampType(Columnar.TimeUnit.Nanosecond)),
        ]);
        var batches = new[] { Batch(schema, 0, 25_000, nullFraction, seed: 1), Batch(schema, 25_000, 17_000, nullFraction, seed: 2) };
        string path = Path.Combine(Path.GetTempPath(), $"larder-pqw-fast-{Guid.NewGuid():N}.parquet");
        try
        {
            var options = new ParquetWriteOptions { Compression = codec, RowGroupRows = 15_000, DataPageSize = 64 * 1024 };
            ParquetTestFiles.Write(path, schema, batches, options);

            using var reader = ParquetFileReader.Open(path);
            Assert.Equal(3, reader.RowGroupCount);
            ArrowAssert.Equal(new Table(schema, batches), new Table(reader.Schema, reader.ReadAll().ToList()), ignoreBatchBoundaries: true);
            foreach (var group in reader.Metadata.RowGroups)
            {
                var encodings = group.Columns.Select(c => c.MetaData!.EncodingStats!.Where(s => s.PageType == PageType.DataPage).Select(s => s.Encoding).Distinct().Single()).ToList();
                Assert.Equal([Encoding.Plain, Encoding.Plain, Encoding.RleDictionary, Encoding.Plain], encodings);
                Assert.Null(group.Columns[0].MetaData!.DictionaryPageOffset);
                Assert.NotNull(group.Columns[2].MetaData!.DictionaryPageOffset);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Rows first..first+rows of a table shaped like the benchmark's: unique ids and timestamps, random doubles, 6 cities.</summary>
    private static RecordBatch Batch(Schema schema, long first, int rows, double nullFraction, int seed)
    {
        var rng = new Random(seed);
        var id = new PrimitiveArrayBuilder<long>(ArrowType.Int64, rows);
        var value = new PrimitiveArrayBuilder<double>(ArrowType.Double, rows);
        var city = new BinaryArrayBuilder(ArrowType.String, rows);
        var ts = new PrimitiveArrayBuilder<long>(schema[3].Type, rows);
        string[] cities = ["Berlin", "London", "Paris", "Tokyo", "New York", "Sydney"];
        for (int i = 0; i < rows; i++)
        {
            long row = first + i;
            bool Null() => rng.NextDouble() < nullFraction;
            if (Null())
            {
                id.AppendNull();
            }
            else
            {
                id.Append(row);
            }

            if (Null())
            {
                value.AppendNull();
            }
            else
            {
                value.Append(rng.NextDouble() * 1000);
            }

            if (Null())
            {
                city.AppendNull();
            }
            else
            {
                city.Append(System.Text.Encoding.UTF8.GetBytes(cities[rng.Next(cities.Length)]));
            }

            if (Null())
            {
                ts.AppendNull();
            }
            else
            {
                ts.Append(1_704_067_200_000_000_000L + (row * 1_000_000_000L) + rng.Next(1_000_000_000));
            }
        }

        return new RecordBatch(schema, [id.Build(), value.Build(), city.Build(), ts.Build()], rows);
    }
}
