using Larder.Columnar;
using Larder.IO;
using Larder.Parquet.Files;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Files;

/// <summary>
/// The reader's streaming contract: the footer is read first, chunks are read in bounded blocks through any
/// <see cref="IRangeSource"/>, batches split row groups at record boundaries, and every way of reading gives the same rows.
/// </summary>
public sealed class ParquetFileReaderStreamingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("larder-pq-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every readable conformance file (the same set the conformance test reads).</summary>
    public static TheoryData<string> DataFiles()
    {
        var skip = new HashSet<string>(StringComparer.Ordinal)
        {
            "datapage_v1-corrupt-checksum.parquet",
            "rle-dict-uncompressed-corrupt-checksum.parquet",
            "large_string_map.brotli.parquet",
        };
        return [.. ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory).Select(f => Path.GetFileName(f)).Where(n => !skip.Contains(n))];
    }

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void Read_SmallBatches_EqualWholeRowGroups(string name)
    {
        string path = Path.Combine(ParquetTestFiles.DataDirectory, name);
        using var whole = ParquetFileReader.Open(path, new ParquetReadOptions { BatchRows = int.MaxValue });
        var expected = whole.ReadAll().ToList();
        Assert.Equal(whole.RowGroupCount, expected.Count);

        // Tiny batches cost a batch per row or three; larger files get batches of a few dozen rows, still many per page.
        bool small = whole.Metadata.NumRows <= 5000;
        foreach (var options in new[]
        {
            new ParquetReadOptions { BatchRows = small ? 1 : 37 },
            new ParquetReadOptions { BatchRows = small ? 3 : 101, ReadBlockSize = 1 },
            new ParquetReadOptions { BatchRows = 1000, BatchBytes = 64 },
        })
        {
            using var reader = ParquetFileReader.Open(path, options);
            var batches = reader.ReadAll().ToList();
            Assert.All(batches, b => Assert.InRange(b.Length, 0, options.BatchRows));
            ArrowAssert.Equal(new Table(whole.Schema, expected), new Table(reader.Schema, batches), ignoreBatchBoundaries: true);
        }
    }

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void Read_ReuseBuffers_EachBatchEqualWhileCurrent(string name)
    {
        string path = Path.Combine(ParquetTestFiles.DataDirectory, name);
        var options = new ParquetReadOptions { BatchRows = 100 };
        using var plain = ParquetFileReader.Open(path, options);
        using var reusing = ParquetFileReader.Open(path, options with { ReuseBuffers = true });
        using var expected = plain.ReadAll().GetEnumerator();
        using var actual = reusing.ReadAll().GetEnumerator();
        int batches = 0;
        while (expected.MoveNext())
        {
            Assert.True(actual.MoveNext());
            ArrowAssert.Equal([expected.Current], [actual.Current]);
            batches++;
        }

        Assert.False(actual.MoveNext());
        Assert.Equal(plain.Metadata.RowGroups.Sum(g => Math.Max(1, (g.NumRows + 99) / 100)), batches);
    }

    [Fact]
    public void Read_ReuseBuffersManyBatches_ValuesOfEachBatchRightWhileCurrentAndMemoryReused()
    {
        // 400,000 rows in batches of 1,000 over 1 MiB pages: the value buffers of earlier batches are written again.
        string path = WriteTable(rows: 400_000, rowGroupRows: 100_000);
        using var reader = ParquetFileReader.Open(path, new ParquetReadOptions { BatchRows = 1000, ReuseBuffers = true });
        long next = 0;
        var seen = new HashSet<(object, int)>();
        int reused = 0;
        foreach (var batch in reader.ReadAll())
        {
            var column = (PrimitiveArray<long>)batch.Column("id");
            var ids = column.Values;
            for (int i = 0; i < ids.Length; i++)
            {
                Assert.Equal(next++, ids[i]);
            }

            // The same place of the same array again: memory of an earlier batch written anew.
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(column.Data.Buffers[1].Memory, out var segment));
            reused += seen.Add((segment.Array!, segment.Offset)) ? 0 : 1;
        }

        Assert.Equal(400_000, next);
        Assert.True(reused > 0, "no batch reused the memory of an earlier one");
    }

    [Theory]
    [InlineData("nested_lists.snappy.parquet")]
    [InlineData("alltypes_tiny_pages_plain.parquet")]
    [InlineData("datapage_v2.snappy.parquet")]
    public async Task OpenAsync_StreamMemoryAndPath_ReadTheSameBatches(string name)
    {
        string path = Path.Combine(ParquetTestFiles.DataDirectory, name);
        var bytes = await File.ReadAllBytesAsync(path);
        using var fromPath = ParquetFileReader.Open(path);
        var expected = new Table(fromPath.Schema, fromPath.ReadAll().ToList());

        await using (var stream = File.OpenRead(path))
        {
            using var fromStream = ParquetFileReader.Open(stream, leaveOpen: true);
            ArrowAssert.Equal(expected, new Table(fromStream.Schema, fromStream.ReadAll().ToList()));
            Assert.True(stream.CanRead, "leaveOpen keeps the stream open");
        }

        await using var fromMemory = await ParquetFileReader.OpenAsync(RangeSource.FromMemory(bytes, name));
        var batches = new List<RecordBatch>();
        await foreach (var batch in fromMemory.ReadAllAsync())
        {
            batches.Add(batch);
        }

        ArrowAssert.Equal(expected, new Table(fromMemory.Schema, batches));
    }

    [Fact]
    public void Open_StreamWithoutLeaveOpen_DisposesItWithTheReader()
    {
        string path = Path.Combine(ParquetTestFiles.DataDirectory, "alltypes_plain.parquet");
        var stream = File.OpenRead(path);
        using (var reader = ParquetFileReader.Open(stream))
        {
            Assert.Equal(8, reader.ReadAll().Sum(b => b.Length));
        }

        Assert.False(stream.CanRead);
    }

    [Fact]
    public void Read_LargeFile_FooterFirstAndBoundedReads()
    {
        string path = WriteTable(rows: 400_000, rowGroupRows: 100_000);
        long length = new FileInfo(path).Length;
        using var counting = new CountingSource(RangeSource.FromFile(path));
        using var reader = ParquetFileReader.Open(counting, leaveOpen: true, new ParquetReadOptions { ReadBlockSize = 64 * 1024 });

        Assert.Equal(length - Math.Min(length, 64 * 1024), counting.Reads[0].Offset);
        Assert.True(counting.Reads.Count <= 3, $"opening read {counting.Reads.Count} ranges");
        counting.Reads.Clear();

        long rows = 0;
        foreach (var batch in reader.ReadAll())
        {
            rows += batch.Length;
        }

        Assert.Equal(400_000, rows);
        long largestPage = reader.Metadata.RowGroups.SelectMany(g => g.Columns).Max(c => c.MetaData.TotalCompressedSize);
        Assert.All(counting.Reads, r => Assert.True(r.Length <= Math.Max(64 * 1024, 1_200_000), $"a read of {r.Length} bytes"));
        Assert.True(counting.Reads.Count > reader.Metadata.RowGroups.Sum(g => g.Columns.Count), "chunks are read in several blocks");
        Assert.True(largestPage > 64 * 1024, "the test needs chunks larger than one block");
        Assert.True(counting.Reads.Sum(r => (long)r.Length) <= length, "nothing is read twice");
    }

    [Fact]
    public void Read_Projection_ReadsOnlyTheSelectedChunks()
    {
        string path = WriteTable(rows: 50_000, rowGroupRows: 10_000);
        using var counting = new CountingSource(RangeSource.FromFile(path));
        using var reader = ParquetFileReader.Open(counting, leaveOpen: true);
        counting.Reads.Clear();
        var batches = reader.Read(["value"]).ToList();
        Assert.Equal(50_000, batches.Sum(b => b.Length));
        var valueChunks = reader.Metadata.RowGroups.Select(g => g.Columns[1].MetaData).ToList();
        Assert.Equal(valueChunks.Sum(c => c.TotalCompressedSize), counting.Reads.Sum(r => (long)r.Length));
        Assert.All(counting.Reads, r => Assert.Contains(valueChunks, c => r.Offset >= c.FirstPageOffset && r.Offset + r.Length <= c.FirstPageOffset + c.TotalCompressedSize));
    }

    [Fact]
    public void Read_RowGroupSelection_ReadsThoseGroupsInTheGivenOrder()
    {
        string path = WriteTable(rows: 30_000, rowGroupRows: 10_000);
        using var reader = ParquetFileReader.Open(path);
        Assert.Equal(3, reader.RowGroupCount);
        var selected = reader.Read(null, [2, 0]).ToList();
        var expected = new[] { reader.ReadRowGroup(2), reader.ReadRowGroup(0) };
        ArrowAssert.Equal(new Table(reader.Schema, expected), new Table(reader.Schema, selected), ignoreBatchBoundaries: true);
        Assert.Equal(20_000L, ((PrimitiveArray<long>)selected[0].Column("id")).Values[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(null, [3]));
    }

    [Fact]
    public void ReadRowGroup_MoreRowsThanOneBatch_ReadsItWhole()
    {
        string path = WriteTable(rows: 200_000, rowGroupRows: 200_000);
        using var reader = ParquetFileReader.Open(path, new ParquetReadOptions { BatchRows = 1000 });
        Assert.Equal(200_000, reader.ReadRowGroup(0).Length);
        Assert.Equal(200, reader.ReadAll().Count());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(65_536)]
    public void Read_NullsOnlyInLaterPages_ValuesAndValidityExact(int batchRows)
    {
        // Pages without nulls keep no definition levels; the first page with a null must bring them back for the rows
        // still buffered from earlier pages.
        var schema = new Schema([new Field("x", ArrowType.Int32), new Field("s", ArrowType.String)]);
        var xs = new PrimitiveArrayBuilder<int>(ArrowType.Int32);
        var ss = new BinaryArrayBuilder(ArrowType.String);
        for (int i = 0; i < 100_000; i++)
        {
            bool isNull = i >= 60_000 && i % 3 == 0;
            xs.Append(isNull ? null : i);
            ss.AppendValue(isNull || i == 99_999 ? null : $"v{i % 17}");
        }

        var batch = new RecordBatch(schema, [xs.Build(), ss.Build()], 100_000);
        string path = Path.Combine(_dir, "late-nulls.parquet");
        ParquetTestFiles.Write(path, schema, [batch], new ParquetWriteOptions { DataPageSize = 4096 });

        using var reader = ParquetFileReader.Open(path, new ParquetReadOptions { BatchRows = batchRows });
        ArrowAssert.Equal(new Table(schema, [batch]), new Table(reader.Schema, reader.ReadAll().ToList()), ignoreBatchBoundaries: true);
    }

    [Theory]
    [InlineData("snappy", 777)]
    [InlineData("zstd", 65_536)]
    [InlineData("gzip", 100_000)]
    public void Read_CompressedPlainPagesWithChangingNullRuns_ValuesExact(string codec, int batchRows)
    {
        // PLAIN pages decompressed straight into the values buffer: their level bytes change length from page to page
        // (no nulls, a few, many), so the reader's guess of where the values start is sometimes right, sometimes not.
        var schema = new Schema([new Field("x", ArrowType.Int64), new Field("y", ArrowType.Double, nullable: false)]);
        var xs = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var ys = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        var random = new Random(5);
        for (int i = 0; i < 200_000; i++)
        {
            int block = i / 3000;
            bool isNull = (block % 3) switch { 0 => false, 1 => i % 97 == 0, _ => random.Next(3) == 0 };
            xs.Append(isNull ? null : random.NextInt64());
            ys.Append(random.NextDouble());
        }

        var batch = new RecordBatch(schema, [xs.Build(), ys.Build()], 200_000);
        string path = Path.Combine(_dir, $"plain-{codec}.parquet");
        ParquetTestFiles.Write(path, schema, [batch], new ParquetWriteOptions { Compression = codec, EnableDictionary = false, DataPageSize = 8192 });
        foreach (bool reuse in new[] { false, true })
        {
            using var reader = ParquetFileReader.Open(path, new ParquetReadOptions { BatchRows = batchRows, ReuseBuffers = reuse });
            int row = 0;
            foreach (var read in reader.ReadAll())
            {
                ArrowAssert.Equal([batch.Slice(row, read.Length)], [read]);
                row += read.Length;
            }

            Assert.Equal(200_000, row);
        }
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ThrowsOperationCanceled()
    {
        string path = WriteTable(rows: 10_000, rowGroupRows: 1000);
        await using var reader = await ParquetFileReader.OpenAsync(path);
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in reader.ReadAsync(cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });
    }

    [Theory]
    [InlineData(999, "column id of row group 0 holds more than the row group's 999 rows")]
    [InlineData(1001, "column id of row group 0 ends after 1000 rows; the row group has 1001")]
    public void Read_ChunkRowsDisagreeWithTheRowGroup_FailsNamingTheColumn(int claimedRows, string expected)
    {
        // The footer's row count of the only row group (1000 rows) rewritten: the chunks then hold more or fewer rows.
        string path = WriteTable(rows: 1000, rowGroupRows: 1000);
        Parquet.Metadata.FileMetaData meta;
        using (var original = ParquetFileReader.Open(path))
        {
            meta = original.Metadata with { RowGroups = [original.Metadata.RowGroups[0] with { NumRows = claimedRows }], NumRows = claimedRows };
        }

        RewriteFooter(path, meta);

        using var reader = ParquetFileReader.Open(path);
        var e = Assert.ThrowsAny<LarderFormatException>(() => reader.ReadAll().ToList());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private string WriteTable(int rows, int rowGroupRows)
    {
        var schema = new Schema(
        [
            new Field("id", ArrowType.Int64, nullable: false),
            new Field("value", ArrowType.Double),
            new Field("tags", new ListType(new Field("item", ArrowType.String))),
        ]);
        string path = Path.Combine(_dir, $"t{rows}-{rowGroupRows}.parquet");
        var random = new Random(rows);
        using var writer = ParquetFileWriter.Create(path, schema, new ParquetWriteOptions { RowGroupRows = rowGroupRows, Compression = "uncompressed", EnableDictionary = false });
        for (int start = 0; start < rows; start += 10_000)
        {
            int n = Math.Min(10_000, rows - start);
            var ids = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
            var values = new PrimitiveArrayBuilder<double>(ArrowType.Double);
            var tags = new ListArrayBuilder(new ListType(new Field("item", ArrowType.String)));
            for (int i = 0; i < n; i++)
            {
                ids.Append(start + i);
                if (i % 7 == 0)
                {
                    values.AppendNull();
                }
                else
                {
                    values.Append(random.NextDouble());
                }

                tags.AppendValue(i % 5 == 0 ? null : Enumerable.Range(0, i % 4).Select(k => $"t{random.Next(1000)}-{k}").ToList());
            }

            writer.Write(new RecordBatch(schema, [ids.Build(), values.Build(), tags.Build()], n));
        }

        writer.Finish();
        return path;
    }

    private static void RewriteFooter(string path, Parquet.Metadata.FileMetaData meta)
    {
        var bytes = File.ReadAllBytes(path);
        int footerLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
        var footer = new System.Buffers.ArrayBufferWriter<byte>();
        int n = Parquet.Metadata.ParquetMetadataCodec.WriteFileMetaData(meta, footer);
        using var file = File.Create(path);
        file.Write(bytes.AsSpan(0, bytes.Length - 8 - footerLength));
        file.Write(footer.WrittenSpan);
        Span<byte> tail = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(tail, n);
        "PAR1"u8.CopyTo(tail[4..]);
        file.Write(tail);
    }

    /// <summary>Records every range read (offset and bytes returned).</summary>
    private sealed class CountingSource(IRangeSource inner) : IRangeSource
    {
        public List<(long Offset, int Length)> Reads { get; } = [];

        public long Length => inner.Length;

        public string? Name => inner.Name;

        public int Read(long offset, Span<byte> destination)
        {
            int n = inner.Read(offset, destination);
            Reads.Add((offset, n));
            return n;
        }

        public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(offset, destination, cancellationToken);
            Reads.Add((offset, n));
            return n;
        }

        public void Dispose() => inner.Dispose();
    }
}
