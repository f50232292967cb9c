using System.Buffers;
using System.Text.Json;
using Larder.Columnar;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.Parquet.Tests.Peers;
using Larder.Parquet.Write;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Write;

public sealed class DuckDbWriteTests
{
    /// <summary>Writes a single-row-group file from ColumnChunkWriter output (PAR1, chunks, footer, length, PAR1).</summary>
    internal static void WriteFile(string path, RecordBatch batch, ColumnWriteOptions options)
    {
        var ws = ParquetSchemaMapper.ToParquet(batch.Schema);
        using var file = File.Create(path);
        file.Write("PAR1"u8);
        var chunks = new List<ColumnChunk>();
        long total = 0;
        foreach (var column in ws.Columns)
        {
            var field = batch.Schema.Fields[column.FieldIndex];
            var result = ColumnChunkWriterTests.WriteColumn(column, field, batch.Column(column.FieldIndex).Data, options, file.Position);
            result.WriteTo(file);
            total += result.MetaData.TotalUncompressedSize;
            chunks.Add(new ColumnChunk { MetaData = result.MetaData, FileOffset = 0 });
        }

        var meta = new FileMetaData
        {
            Version = 1,
            Schema = ws.Elements,
            NumRows = batch.Length,
            RowGroups = [new RowGroup { Columns = chunks, TotalByteSize = total, NumRows = batch.Length }],
            KeyValueMetadata = ws.KeyValueMetadata,
            CreatedBy = "larder test",
        };
        var footer = new ArrayBufferWriter<byte>();
        int n = ParquetMetadataCodec.WriteFileMetaData(meta, footer);
        file.Write(footer.WrittenSpan);
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(len, n);
        file.Write(len);
        file.Write("PAR1"u8);
    }

    [Theory]
    [InlineData("zstd", true)]
    [InlineData("snappy", false)]
    public async Task ReadParquet_WriterOutput_DuckDbSeesRowsAndNulls(string codec, bool dictionary)
    {
        var schema = new Columnar.Schema(
        [
            new Field("i64", ArrowType.Int64),
            new Field("f64", ArrowType.Double),
            new Field("s", ArrowType.String),
            new Field("b", ArrowType.Boolean),
            new Field("ts", new TimestampType(Columnar.TimeUnit.Microsecond, "UTC")),
            new Field("d", new DecimalType(18, 3)),
            new Field("l", new ListType(ArrowType.Int32)),
            new Field("st", new StructType([new Field("a", ArrowType.Int32), new Field("b", ArrowType.String)])),
        ]);
        var batch = RandomData.Batch(schema, 200, 21, nullFraction: 0.2);
        string path = Path.Combine(Path.GetTempPath(), $"larder-write-{Guid.NewGuid():N}.parquet");
        try
        {
            WriteFile(path, batch, new ColumnWriteOptions { Compression = codec, EnableDictionary = dictionary, DataPageSize = 512 });
            var result = await DuckDbPeer.ReadParquetAsync(path);
            Assert.Equal(batch.Length, result.Rows.Count);
            for (int c = 0; c < schema.Fields.Count; c++)
            {
                var data = batch.Column(c).Data;
                int col = result.ColumnIndex(schema.Fields[c].Name);
                for (int r = 0; r < batch.Length; r++)
                {
                    Assert.Equal(data.IsNull(r), result.Value(r, col).ValueKind == JsonValueKind.Null);
                }
            }

            // int64 values exactly.
            var i64 = batch.Column(0).Data;
            var v = i64.Buffers[1].As<long>().ToArray();
            int ic = result.ColumnIndex("i64");
            for (int r = 0; r < batch.Length; r++)
            {
                if (!i64.IsNull(r))
                {
                    var e = result.Value(r, ic);
                    long actual = e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetInt64();
                    Assert.Equal(v[i64.Offset + r], actual);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
