using System.Text;
using Larder.Columnar;
using Larder.TestKit;
using Larder.Vault.Tables;
using static Larder.Vault.Tests.Tables.TableOptimizerTests;

namespace Larder.Vault.Tests.Tables;

/// <summary>Row ranges and the grep-like row filter over streams of record batches.</summary>
public sealed class RowFiltersTests
{
    [Theory]
    [InlineData("10:20", 10L, 20L)]
    [InlineData(":5", 0L, 5L)]
    [InlineData("3:", 3L, null)]
    [InlineData(":", 0L, null)]
    [InlineData("0:0", 0L, 0L)]
    [InlineData("7:2", 7L, 2L)]
    [InlineData("9223372036854775807:", long.MaxValue, null)]
    public void Parse_SliceSyntax_Bounds(string text, long start, long? end)
    {
        var range = RowRange.Parse(text);

        Assert.Equal(new RowRange(start, end), range);
        Assert.Equal(range, RowRange.Parse(range.ToString()));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("")]
    [InlineData("a:b")]
    [InlineData("-1:3")]
    [InlineData("1:-3")]
    [InlineData("1:2:3")]
    [InlineData("1::")]
    [InlineData(" 1:2")]
    [InlineData("+1:2")]
    [InlineData("1.5:2")]
    [InlineData("99999999999999999999:")]
    public void Parse_BadText_UsageErrorShowingTheForm(string text)
    {
        var error = Assert.Throws<LarderUsageException>(() => RowRange.Parse(text));

        Assert.Contains("--rows 10:20", error.Message, StringComparison.Ordinal);
        Assert.Contains("0-based", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void Constructor_NegativeBound_UsageError()
    {
        Assert.Throws<LarderUsageException>(() => new RowRange(-1, null));
        Assert.Throws<LarderUsageException>(() => new RowRange(0, -5));
    }

    [Theory]
    [InlineData(7L, 4L, true)]
    [InlineData(4L, 4L, true)]
    [InlineData(4L, 5L, false)]
    [InlineData(4L, null, false)]
    public void IsEmpty_EndNotAfterStart_True(long start, long? end, bool empty)
    {
        Assert.Equal(empty, new RowRange(start, end).IsEmpty);
    }

    [Theory]
    [InlineData(2L, 4L, new long[] { 2, 3 })]
    [InlineData(3L, 12L, new long[] { 3, 4, 5, 6, 7, 8, 9, 10, 11 })]
    [InlineData(0L, 5L, new long[] { 0, 1, 2, 3, 4 })]
    [InlineData(15L, 100L, new long[] { 15, 16, 17, 18, 19 })]
    [InlineData(18L, null, new long[] { 18, 19 })]
    [InlineData(4L, 6L, new long[] { 4, 5 })]
    public async Task Slice_Ranges_RowsKeptAcrossBatches(long start, long? end, long[] expected)
    {
        var range = new RowRange(start, end);

        var sync = RowFilters.Slice(Source(), range).ToList();
        var async = await ToListAsync(RowFilters.Slice(AsAsync(Source()), range));

        Assert.Equal(expected, Values(sync));
        Assert.Equal(expected, Values(async));
        Assert.All(sync, b => Assert.True(b.Length > 0));
    }

    [Fact]
    public void Slice_InsideOneBatch_ZeroCopyView()
    {
        var source = Source();

        var kept = Assert.Single(RowFilters.Slice(source, new RowRange(6, 9)));

        Assert.Equal(source[1].Column(0).Data.Buffers[1], kept.Column(0).Data.Buffers[1]);
        Assert.Equal(1, kept.Column(0).Data.Offset);
    }

    [Fact]
    public void Slice_WholeBatchInRange_SameBatch()
    {
        var source = Source();

        var kept = RowFilters.Slice(source, new RowRange(5, 15)).ToList();

        Assert.Same(source[1], kept[0]);
        Assert.Same(source[2], kept[1]);
    }

    [Theory]
    [InlineData(0L, 5L, 1)]
    [InlineData(3L, 10L, 2)]
    [InlineData(3L, 11L, 3)]
    [InlineData(0L, 0L, 0)]
    [InlineData(9L, 2L, 0)]
    [InlineData(0L, null, 4)]
    [InlineData(0L, 1000L, 4)]
    public async Task Slice_EndReached_SourceNotPulledFurther(long start, long? end, int pulled)
    {
        var counting = new CountingSource(Source());
        var range = new RowRange(start, end);

        _ = RowFilters.Slice(counting, range).ToList();
        int syncPulled = counting.Pulled;
        counting.Pulled = 0;
        _ = await ToListAsync(RowFilters.Slice(counting.AsAsync(), range));

        Assert.Equal(pulled, syncPulled);
        Assert.Equal(pulled, counting.Pulled);
    }

    [Fact]
    public void Slice_StartPastEnd_OneEmptyBatchWithSchema()
    {
        var source = Source();

        var result = Assert.Single(RowFilters.Slice(source, new RowRange(25, 30)));

        Assert.Equal(0, result.Length);
        Assert.Equal(source[0].Schema, result.Schema);
        Assert.Empty(RowFilters.Slice([], new RowRange(0, 3)));
    }

    [Fact]
    public async Task Slice_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(RowFilters.Slice(AsAsync(Source()), RowRange.All, cancel.Token)));
    }

    [Fact]
    public async Task Grep_Strings_RowsContainingTextOrdinal()
    {
        var batch = RecordBatch.FromColumns(("id", Strings(ArrowType.String, ["rs1", "rsSNP2", null, "snp", "xSNPx", "SN P"])), ("n", Integers(ArrowType.Int64, [1, 2, 3, 4, 5, 6])));

        var sync = RowFilters.Grep([batch], "SNP").ToList();
        var async = await ToListAsync(RowFilters.Grep(AsAsync([batch]), "SNP"));

        Assert.Equal([2L, 5L], Values(sync, column: 1));
        Assert.Equal([2L, 5L], Values(async, column: 1));
        Assert.Equal(batch.Schema, sync[0].Schema);
    }

    [Theory]
    [InlineData("12", new long[] { 0, 2 })]
    [InlineData("-", new long[] { 2, 4 })]
    [InlineData("1.5", new long[] { 1, 4 })]
    [InlineData("e+16", new long[] { 3 })]
    [InlineData(".0", new long[] { 0, 2 })]
    [InlineData("inf", new long[] { 5 })]
    [InlineData("Tru", new long[] { 0, 5 })]
    [InlineData("False", new long[] { 1 })]
    [InlineData("None", new long[0])]
    public void Grep_Numbers_MatchAsWriterText(string text, long[] expectedRows)
    {
        // Rows: i = 12, 7, -120, 3, -4, 9; f = 1.0, 1.5, 12.0, 1e16, 21.5, inf; b = True, False, null, null, null, True.
        var ints = Integers(ArrowType.Int32, [12, 7, -120, 3, -4, 9]);
        var doubles = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        doubles.AppendRange([1.0, 1.5, 12.0, 1e16, 21.5, double.PositiveInfinity]);
        var bools = new BooleanArrayBuilder();
        foreach (bool? b in new bool?[] { true, false, null, null, null, true })
        {
            bools.Append(b);
        }

        var batch = RecordBatch.FromColumns(("i", ints), ("f", doubles.Build()), ("b", bools.Build()), ("row", Integers(ArrowType.Int64, [0, 1, 2, 3, 4, 5])));

        var kept = RowFilters.Grep([batch.Slice(0, 6)], text).ToList();

        // The "row" column holds 0..5 and takes part in the match too, which is why the texts above avoid lone digits 0-5.
        Assert.Equal(expectedRows, Values(kept, column: 3));
    }

    [Fact]
    public void Grep_Timestamps_WriterLayoutPerColumn()
    {
        var ns = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Nanosecond));
        ns.AppendRange([1_577_923_200_000_000_000L, 1_577_968_200_500_000_000L]);
        ns.AppendNull();
        var days = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Second));
        days.AppendRange([0L, 86_400L, 2 * 86_400L]);
        var utc = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Microsecond, "UTC"));
        utc.AppendRange([0L, 1L, 2L]);
        var batch = RecordBatch.FromColumns(("t", ns.Build()), ("d", days.Build()), ("u", utc.Build()));

        // t: "2020-01-02 00:00:00.000", "2020-01-02 12:30:00.500", null; d: "1970-01-01", "1970-01-02", "1970-01-03" (dates only);
        // u: "1970-01-01 00:00:00+00:00", "1970-01-01 00:00:00.000001+00:00", "1970-01-01 00:00:00.000002+00:00".
        Assert.Equal(2, Rows(batch, "2020-01-02"));
        Assert.Equal(1, Rows(batch, "12:30:00.5"));
        Assert.Equal(3, Rows(batch, "00:00:00.000"));
        Assert.Equal(1, Rows(batch, "1970-01-03"));
        Assert.Equal(1, Rows(batch, "00+00:00"));
        Assert.Equal(0, Rows(batch, "1970-01-02 00:00:00"));
    }

    [Fact]
    public void Grep_ResultEnumeratedTwice_LayoutsStartAfresh()
    {
        // Batch 1 holds midnights (written as dates); batch 2 widens the column to date and time, as the writer does.
        var midnights = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Second));
        midnights.AppendRange([86_400L, 2 * 86_400L]);
        var noon = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Second));
        noon.AppendRange([(3 * 86_400L) + 43_200]);
        var batches = new[] { RecordBatch.FromColumns(("t", midnights.Build())), RecordBatch.FromColumns(("t", noon.Build())) };

        var result = RowFilters.Grep(batches, "02 00");

        Assert.Equal(0, result.Sum(b => b.Length));
        Assert.Equal(0, result.Sum(b => b.Length));
        Assert.Equal(1, RowFilters.Grep(batches, "04 12").Sum(b => b.Length));
    }

    [Fact]
    public void Grep_DictionaryColumn_MatchesValuesKeepsDictionary()
    {
        var values = new[] { "SNP", "indel", null, "SNP", "CNV", "MNP" };
        var plain = RecordBatch.FromColumns(("kind", Strings(ArrowType.String, [.. values, .. values, .. values, .. values, .. values])));
        var optimizer = new TableOptimizer(plain.Schema);
        optimizer.Observe(plain);
        var batch = optimizer.CreatePlan().Apply(plain);

        var kept = Assert.Single(RowFilters.Grep([batch], "NP"));

        Assert.Equal(batch.Schema, kept.Schema);
        Assert.Same(batch.Column(0).Data.Dictionary, kept.Column(0).Data.Dictionary);
        Assert.Equal(Enumerable.Repeat(new[] { "SNP", "SNP", "MNP" }, 5).SelectMany(x => x), Enumerable.Range(0, kept.Length).Select(i => (string?)kept.Column(0).GetValue(i)));
    }

    [Fact]
    public void Grep_QuotedOrEmptyCells_MatchUnquotedValueNeverNull()
    {
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, ["say \"hi\"", string.Empty, null, "a\tb"])), ("x", Integers(ArrowType.Int64, [70, 80, 90, 60])));

        Assert.Equal([70L], Values(RowFilters.Grep([batch], "\"hi\"").ToList(), column: 1));
        Assert.Equal([60L], Values(RowFilters.Grep([batch], "a\tb").ToList(), column: 1));
        Assert.Equal(0, RowFilters.Grep([batch], "\"\"").Sum(b => b.Length));
    }

    [Fact]
    public void Grep_RowNumber_NotPartOfTheRow()
    {
        var batch = RecordBatch.FromColumns(("x", Integers(ArrowType.Int64, [7, 8, 9])));

        Assert.Equal(0, RowFilters.Grep([batch, batch], "1").Sum(b => b.Length));
    }

    [Fact]
    public async Task Grep_NoMatch_OneEmptyBatchWithSchemaOrNoneForEmptySource()
    {
        var source = Source();

        var result = Assert.Single(RowFilters.Grep(source, "no such text"));
        var asyncResult = Assert.Single(await ToListAsync(RowFilters.Grep(AsAsync(source), "no such text")));

        Assert.Equal(0, result.Length);
        Assert.Equal(source[0].Schema, result.Schema);
        Assert.Equal(source[0].Schema, asyncResult.Schema);
        Assert.Empty(RowFilters.Grep([], "x"));
    }

    [Fact]
    public void Grep_AllRowsMatch_BatchPassedOnAsItIs()
    {
        var source = Source();

        var kept = RowFilters.Grep(source, "row").ToList();

        Assert.Equal(source, kept);
    }

    [Fact]
    public void Grep_EmptyText_UsageErrorAtTheCall()
    {
        var counting = new CountingSource(Source());

        Assert.Throws<LarderUsageException>(() => RowFilters.Grep(counting, string.Empty));
        Assert.Throws<LarderUsageException>(() => RowFilters.Grep(counting.AsAsync(), string.Empty));
        Assert.Equal(0, counting.Pulled);
    }

    [Theory]
    [InlineData("1", 11)]
    [InlineData("0.5", 12)]
    [InlineData("k3", 13)]
    [InlineData(":3", 14)]
    [InlineData("e-0", 15)]
    [InlineData("Fal", 16)]
    [InlineData("-", 17)]
    public void Grep_RandomTable_SameRowsAsSearchingTheWrittenTsv(string text, int seed)
    {
        var batches = RandomBatches(seed);
        var schema = batches[0].Schema;

        var kept = RowFilters.Grep(batches, text).ToList();

        // The TSV lines the writer writes for the kept rows are exactly the lines where a field after the row number holds the text.
        string[] lines = VaultTsvTestSupport.AsText(VaultTsvTestSupport.WriteTsv(schema, [.. batches])).Split('\n')[1..^1];
        var expected = lines.Where(l => l.Split('\t').Skip(1).Any(f => f.Contains(text, StringComparison.Ordinal)))
            .Select(l => string.Join('\t', l.Split('\t').Skip(1)))
            .ToList();
        var actual = Rendered(schema, batches, kept);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    /// <summary>The writer's fields (after the row number) of <paramref name="kept"/>, laid out as in the whole table.</summary>
    private static List<string> Rendered(Schema schema, List<RecordBatch> all, List<RecordBatch> kept)
    {
        // Write the kept rows after the whole table so that each timestamp column has the same layout as in the full write.
        string text = VaultTsvTestSupport.AsText(VaultTsvTestSupport.WriteTsv(schema, [.. all, .. kept]));
        int total = all.Sum(b => b.Length);
        return text.Split('\n')[(1 + total)..^1].Select(l => string.Join('\t', l.Split('\t').Skip(1))).ToList();
    }

    private static List<RecordBatch> RandomBatches(int seed)
    {
        var random = new Random(seed);
        var result = new List<RecordBatch>();
        foreach (int size in new[] { 40, 1, 77, 25 })
        {
            var ints = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
            var floats = new PrimitiveArrayBuilder<double>(ArrowType.Double);
            var strings = new BinaryArrayBuilder(ArrowType.String);
            var times = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Second));
            var bools = new BooleanArrayBuilder();
            for (int i = 0; i < size; i++)
            {
                bool isNull = random.Next(8) == 0;
                if (isNull)
                {
                    ints.AppendNull();
                    strings.Append((string?)null);
                    bools.AppendNull();
                }
                else
                {
                    ints.Append(random.Next(-500, 500));
                    strings.Append("k" + random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    bools.Append(random.Next(2) == 0);
                }

                floats.Append(random.Next(4) == 0 ? random.Next(100) / 8.0 : random.NextDouble() * Math.Pow(10, random.Next(-6, 3)));
                times.Append(1_600_000_000L + random.Next(1_000_000));
            }

            result.Add(RecordBatch.FromColumns(("i", ints.Build()), ("f", floats.Build()), ("s", strings.Build()), ("t", times.Build()), ("b", bools.Build())));
        }

        return result;
    }

    private static int Rows(RecordBatch batch, string text) => RowFilters.Grep([batch], text).Sum(b => b.Length);

    /// <summary>Four batches of five rows: column "n" holds 0..19, column "s" holds "row N".</summary>
    private static List<RecordBatch> Source()
    {
        var result = new List<RecordBatch>();
        for (int b = 0; b < 4; b++)
        {
            var numbers = Enumerable.Range(b * 5, 5).Select(i => (long?)i).ToArray();
            result.Add(RecordBatch.FromColumns(("n", Integers(ArrowType.Int64, numbers)), ("s", Strings(ArrowType.String, numbers.Select(n => "row " + n).ToArray()))));
        }

        return result;
    }

    private static long[] Values(IEnumerable<RecordBatch> batches, int column = 0)
        => batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => (long)b.Column(column).GetValue(i)!)).ToArray();

    private static async IAsyncEnumerable<RecordBatch> AsAsync(IEnumerable<RecordBatch> batches)
    {
        foreach (var batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    private static async Task<List<RecordBatch>> ToListAsync(IAsyncEnumerable<RecordBatch> batches)
    {
        var list = new List<RecordBatch>();
        await foreach (var batch in batches)
        {
            list.Add(batch);
        }

        return list;
    }

    /// <summary>A source that counts the batches taken from it.</summary>
    private sealed class CountingSource(IReadOnlyList<RecordBatch> batches) : IEnumerable<RecordBatch>
    {
        public int Pulled { get; set; }

        public IEnumerator<RecordBatch> GetEnumerator()
        {
            foreach (var batch in batches)
            {
                Pulled++;
                yield return batch;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public async IAsyncEnumerable<RecordBatch> AsAsync()
        {
            foreach (var batch in this)
            {
                await Task.Yield();
                yield return batch;
            }
        }
    }
}
