using System.Diagnostics;
using Larder.Columnar;
using Larder.Text;
using static Larder.Core.Tests.Text.TextTestSupport;

namespace Larder.Core.Tests.Text;

/// <summary>Hostile input: mutated and truncated text either reads or fails with <see cref="LarderFormatException"/>, quickly.</summary>
public class TextFuzzTests
{
    private const int Cases = 1000;
    private static readonly TimeSpan PerCaseTimeout = TimeSpan.FromSeconds(20);

    private static byte[] Mutate(byte[] valid, Random rng)
    {
        var data = valid.ToList();
        int kind = rng.Next(4);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && data.Count > 0; e++)
        {
            int at = rng.Next(data.Count);
            switch (kind)
            {
                case 0:
                    // Truncation.
                    data.RemoveRange(at, data.Count - at);
                    e = edits;
                    break;
                case 1:
                    // Bit flip.
                    data[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 2:
                    // Byte insertion, biased to the bytes that matter to the syntax.
                    byte[] interesting = [(byte)'"', (byte)',', (byte)'\n', (byte)'\r', (byte)'\t', (byte)'{', (byte)'}', (byte)'[', (byte)':', (byte)'\\', 0xC3, 0xFF, 0];
                    data.Insert(at, rng.Next(3) == 0 ? (byte)rng.Next(256) : interesting[rng.Next(interesting.Length)]);
                    break;
                default:
                    // Deletion.
                    data.RemoveAt(at);
                    break;
            }
        }

        return [.. data];
    }

    private static void ReadAllOrFormatError(Func<int> read, string what, int seed)
    {
        var task = Task.Run(() =>
        {
            try
            {
                return read();
            }
            catch (LarderFormatException)
            {
                return -1;
            }
        });
        try
        {
            if (!task.Wait(PerCaseTimeout))
            {
                Assert.Fail($"{what} case {seed} did not finish within {PerCaseTimeout.TotalSeconds} s");
            }
        }
        catch (AggregateException e)
        {
            Assert.Fail($"{what} case {seed} threw {e.InnerException!.GetType().Name} instead of LarderFormatException: {e.InnerException}");
        }
    }

    private static int Count(IEnumerable<RecordBatch> batches)
    {
        int rows = 0;
        foreach (var b in batches)
        {
            rows += b.Length;
            for (int c = 0; c < b.ColumnCount; c++)
            {
                // Touch every value: a corrupt array would throw here.
                var column = b.Column(c);
                for (int i = 0; i < column.Length; i++)
                {
                    _ = column.GetValue(i);
                }
            }
        }

        return rows;
    }

    [Fact]
    public void ReadBatches_MutatedCsv_ReadsOrThrowsFormatException()
    {
        var batch = AllFlatTypes(40, seed: 1);
        var valid = WriteCsv(batch.Schema, [batch]);
        var rng = new Random(20240102);
        for (int i = 0; i < Cases; i++)
        {
            var input = Mutate(valid, rng);
            var options = (i % 3) switch
            {
                0 => new CsvReadOptions { BatchSize = 7, InferenceRows = 10 },
                1 => new CsvReadOptions { Schema = batch.Schema, BatchSize = 16 },
                _ => new CsvReadOptions { AllowRaggedRows = true, HasHeader = i % 2 == 0, MaxFieldBytes = 300, MaxDegreeOfParallelism = 1 },
            };
            ReadAllOrFormatError(
                () =>
                {
                    using var reader = new CsvReader(new MemoryStream(input), options);
                    return Count(reader.ReadBatches());
                },
                "csv",
                i);
        }
    }

    [Fact]
    public void ReadBatches_MutatedJsonLines_ReadsOrThrowsFormatException()
    {
        var batch = AllFlatTypes(30, seed: 2);
        var nestedType = new StructType([new Field("l", new ListType(ArrowType.Int64)), new Field("m", new MapType(ArrowType.String, ArrowType.Double))]);
        var nested = ArrayBuilderFactory.Create(nestedType);
        for (int r = 0; r < 30; r++)
        {
            nested.AppendValue(new Dictionary<string, object?> { ["l"] = new object?[] { (long)r, null }, ["m"] = new[] { new KeyValuePair<object?, object?>("k" + r, r * 0.5) } });
        }

        var withNested = new RecordBatch(
            new Schema([.. batch.Schema.Fields, new Field("nested", nestedType)]),
            [.. batch.Columns, nested.Build()],
            30);
        var valid = WriteJsonLines(withNested.Schema, [withNested]);
        var rng = new Random(777);
        for (int i = 0; i < Cases; i++)
        {
            var input = Mutate(valid, rng);
            var options = (i % 2) switch
            {
                0 => new JsonLinesReadOptions { BatchSize = 5, InferenceRows = 12 },
                _ => new JsonLinesReadOptions { Schema = withNested.Schema, BatchSize = 8, MaxLineBytes = 4000 },
            };
            ReadAllOrFormatError(
                () =>
                {
                    using var reader = new JsonLinesReader(new MemoryStream(input), options);
                    return Count(reader.ReadBatches());
                },
                "jsonl",
                i);
        }
    }

    [Fact]
    public void ReadBatches_MutatedCsvCellsWithNestedJson_ReadsOrThrowsFormatException()
    {
        var type = new ListType(new StructType([new Field("a", ArrowType.Int64), new Field("b", ArrowType.String)]));
        var builder = ArrayBuilderFactory.Create(type);
        for (int r = 0; r < 20; r++)
        {
            builder.AppendValue(new object?[] { new Dictionary<string, object?> { ["a"] = (long)r, ["b"] = "x\"," + r } });
        }

        var batch = RecordBatch.FromColumns(("n", builder.Build()));
        var valid = WriteCsv(batch.Schema, [batch]);
        var rng = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            var input = Mutate(valid, rng);
            ReadAllOrFormatError(
                () =>
                {
                    using var reader = new CsvReader(new MemoryStream(input), new CsvReadOptions { Schema = batch.Schema });
                    return Count(reader.ReadBatches());
                },
                "csv-json",
                i);
        }
    }
}

/// <summary>Runs alone (no other test allocates meanwhile), so that process-wide allocation counts measure the reader.</summary>
[CollectionDefinition(nameof(MemoryBoundTests), DisableParallelization = true)]
public sealed class MemoryBoundCollection
{
}

/// <summary>Hostile input that would make a careless reader buffer without bound.</summary>
[Collection(nameof(MemoryBoundTests))]
public class MemoryBoundTests
{
    /// <summary>An endless-looking input generated on the fly: a header, an opening quote, then <c>x</c> bytes.</summary>
    private sealed class UnterminatedQuoteStream(long length) : Stream
    {
        private static readonly byte[] Prefix = "a,b\n1,\""u8.ToArray();
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public long BytesRead => _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, length - _position);
            for (int i = 0; i < n; i++)
            {
                long p = _position + i;
                buffer[i] = p < Prefix.Length ? Prefix[p] : (byte)'x';
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void ReadBatches_UnterminatedQuoteIn100MB_FailsQuicklyWithBoundedMemory()
    {
        const long size = 100L * 1024 * 1024;

        // Default options: the field limit (64 MiB) stops the read long before the end of the input.
        var stream = new UnterminatedQuoteStream(size);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        using (var reader = new CsvReader(stream))
        {
            var e = Assert.Throws<LarderFormatException>(() => reader.ReadBatches().ToList());
            Assert.Contains("MaxFieldBytes", e.Message, StringComparison.Ordinal);
            Assert.Contains("row 1 (line 2)", e.Message, StringComparison.Ordinal);
        }

        sw.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
        Assert.True(stream.BytesRead < size, $"read all {stream.BytesRead} bytes");
        Assert.True(allocated < 400L * 1024 * 1024, $"allocated {allocated} bytes");

        // A small field limit bounds memory to a small multiple of it, whatever the input size.
        var small = new UnterminatedQuoteStream(size);
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using (var reader = new CsvReader(small, new CsvReadOptions { MaxFieldBytes = 1024 * 1024 }))
        {
            Assert.Throws<LarderFormatException>(() => reader.ReadBatches().ToList());
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(small.BytesRead < 8L * 1024 * 1024, $"read {small.BytesRead} bytes");
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ReadBatches_UnterminatedQuoteAtEnd_FailsWithFormatException()
    {
        var stream = new UnterminatedQuoteStream(10_000);
        using var reader = new CsvReader(stream);
        var e = Assert.Throws<LarderFormatException>(() => reader.ReadBatches().ToList());
        Assert.Contains("not closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_HugeLineWithoutNewline_FailsWithBoundedMemory()
    {
        var endless = new UnterminatedQuoteStream(50L * 1024 * 1024);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using var reader = new JsonLinesReader(endless, new JsonLinesReadOptions { MaxLineBytes = 1024 * 1024 });
        Assert.Throws<LarderFormatException>(() => reader.ReadBatches().ToList());
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 32L * 1024 * 1024);
    }
}
