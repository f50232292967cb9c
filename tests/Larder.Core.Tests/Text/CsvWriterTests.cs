using Larder.Columnar;
using Larder.Text;
using static Larder.Core.Tests.Text.TextTestSupport;

namespace Larder.Core.Tests.Text;

public class CsvWriterTests
{
    private static RecordBatch Strings(params string?[] values)
    {
        var b = new BinaryArrayBuilder(ArrowType.String);
        foreach (var v in values)
        {
            b.Append(v);
        }

        return RecordBatch.FromColumns(("s", b.Build()), ("n", BuildInt64(values.Length)));
    }

    private static IArrowArray BuildInt64(int count)
    {
        var b = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        for (int i = 0; i < count; i++)
        {
            b.Append(i);
        }

        return b.Build();
    }

    [Fact]
    public void Write_Strings_QuotedOnlyWhenNeeded()
    {
        var batch = Strings("plain", string.Empty, null, "NA", "nan", " lead", "trail ", "a,b", "q\"q", "l\nf", "c\rr", "☃", "\tt");
        string text = AsText(WriteCsv(batch.Schema, [batch]));
        Assert.Equal(
            "s,n\nplain,0\n\"\",1\n,2\n\"NA\",3\n\"nan\",4\n\" lead\",5\n\"trail \",6\n\"a,b\",7\n\"q\"\"q\",8\n\"l\nf\",9\n\"c\rr\",10\n☃,11\n\"\tt\",12\n",
            text);
    }

    [Fact]
    public void Write_StringsThenRead_EmptyNaAndNullsRoundTrip()
    {
        var batch = Strings([.. TrickyStrings, null]);
        var bytes = WriteCsv(batch.Schema, [batch]);
        var (schema, batches) = ReadCsv(bytes);
        Assert.Equal(ArrowType.String, schema[0].Type);
        Assert.Equal([.. TrickyStrings, null], Values(batches, "s"));
    }

    [Fact]
    public void Write_Floats_ShortestRoundTripWithSpecials()
    {
        var b = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        foreach (var d in new[] { 1.5, 3.0, 0.1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e20, 1e17, 1.2345e-7 })
        {
            b.Append(d);
        }

        b.AppendNull();
        var batch = RecordBatch.FromColumns(("f", b.Build()));
        Assert.Equal("f\n1.5\n3.0\n0.1\nNaN\ninf\n-inf\n-0.0\n1E+20\n1E+17\n1.2345E-07\n\n", AsText(WriteCsv(batch.Schema, [batch])));
    }

    [Fact]
    public void Write_Timestamps_SpaceSeparatorTrimmedFractionAndZForZoned()
    {
        long t = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        var naive = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Microsecond));
        var zoned = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Nanosecond, "UTC"));
        foreach (long add in new long[] { 0, 123_000, 123_456, -1 })
        {
            naive.Append(t + add);
            zoned.Append(((t + add) * 1000) + (add == -1 ? 7 : 0));
        }

        var batch = RecordBatch.FromColumns(("naive", naive.Build()), ("zoned", zoned.Build()));
        Assert.Equal(
            "naive,zoned\n2024-01-02 03:04:05,2024-01-02 03:04:05Z\n2024-01-02 03:04:05.123,2024-01-02 03:04:05.123Z\n"
            + "2024-01-02 03:04:05.123456,2024-01-02 03:04:05.123456Z\n2024-01-02 03:04:04.999999,2024-01-02 03:04:04.999999007Z\n",
            AsText(WriteCsv(batch.Schema, [batch])));
        Assert.StartsWith("naive,zoned\n2024-01-02T03:04:05,", AsText(WriteCsv(batch.Schema, [batch], new CsvWriteOptions { TimestampSeparator = 'T' })), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BoolsAndNullsWithOptions_UseConfiguredTexts()
    {
        var b = new BooleanArrayBuilder();
        b.Append(true);
        b.Append(false);
        b.AppendNull();
        var batch = RecordBatch.FromColumns(("b", b.Build()), ("n", BuildInt64(3)));
        Assert.Equal("b,n\ntrue,0\nfalse,1\n,2\n", AsText(WriteCsv(batch.Schema, [batch])));
        var options = new CsvWriteOptions { TrueText = "True", FalseText = "False", NullText = "NA", LineEnding = "\r\n", Delimiter = ';', Header = false };
        Assert.Equal("True;0\r\nFalse;1\r\nNA;2\r\n", AsText(WriteCsv(batch.Schema, [batch], options)));
    }

    [Fact]
    public void Write_TsvPreset_SeparatesWithTabsAndQuotesTabs()
    {
        var batch = Strings("a,b", "t\tt");
        Assert.Equal("s\tn\na,b\t0\n\"t\tt\"\t1\n", AsText(WriteCsv(batch.Schema, [batch], CsvWriteOptions.Tsv)));
    }

    [Fact]
    public void Write_NoBatches_WritesHeaderOnDispose()
    {
        var schema = new Schema([new Field("a", ArrowType.Int64), new Field("b,c", ArrowType.String), new Field(string.Empty, ArrowType.String)]);
        Assert.Equal("a,\"b,c\",\n", AsText(WriteCsv(schema, [])));
    }

    [Fact]
    public void Write_BatchOfOtherTypes_ThrowsUsageException()
    {
        var schema = new Schema([new Field("a", ArrowType.Int64)]);
        using var writer = new CsvWriter(new MemoryStream(), schema);
        var batch = Strings("x");
        Assert.Throws<LarderUsageException>(() => writer.Write(batch));
    }

    [Fact]
    public void Write_NestedColumns_AsJsonTextThatReadsBack()
    {
        var listType = new ListType(ArrowType.Int64);
        var structType = new StructType([new Field("x", ArrowType.Int64), new Field("y", ArrowType.String)]);
        var mapType = new MapType(ArrowType.String, ArrowType.Double);
        var list = ArrayBuilderFactory.Create(listType);
        var strct = ArrayBuilderFactory.Create(structType);
        var map = ArrayBuilderFactory.Create(mapType);
        list.AppendValue(new object?[] { 1L, null, 3L });
        list.AppendNull();
        list.AppendValue(Array.Empty<object?>());
        strct.AppendValue(new Dictionary<string, object?> { ["x"] = 1L, ["y"] = "a,\"b\"" });
        strct.AppendValue(new Dictionary<string, object?> { ["x"] = null, ["y"] = null });
        strct.AppendNull();
        map.AppendValue(new[] { new KeyValuePair<object?, object?>("k", 1.5) });
        map.AppendNull();
        map.AppendValue(Array.Empty<KeyValuePair<object?, object?>>());
        var batch = RecordBatch.FromColumns(("l", list.Build()), ("s", strct.Build()), ("m", map.Build()));
        var bytes = WriteCsv(batch.Schema, [batch]);
        Assert.Equal("l,s,m\n\"[1,null,3]\",\"{\"\"x\"\":1,\"\"y\"\":\"\"a,\\\"\"b\\\"\"\"\"}\",\"{\"\"k\"\":1.5}\"\n,\"{\"\"x\"\":null,\"\"y\"\":null}\",\n[],,{}\n", AsText(bytes));
        var (schema, batches) = ReadCsv(bytes, new CsvReadOptions { Schema = batch.Schema });
        Assert.Equal(batch.Schema, schema);
        AssertSameValues(schema, [batch], batches);
    }

    [Fact]
    public void Write_BinaryAndDecimal_AsBase64AndExactDigits()
    {
        var bin = new BinaryArrayBuilder(ArrowType.Binary);
        bin.Append(new byte[] { 0xFF, 0x00, 0x10 });
        bin.Append(ReadOnlySpan<byte>.Empty);
        var dec = new PrimitiveArrayBuilder<Int128>(new DecimalType(10, 3));
        dec.AppendValue(-12.34m);
        dec.AppendValue(0.001m);
        var batch = RecordBatch.FromColumns(("b", bin.Build()), ("d", dec.Build()));
        Assert.Equal("b,d\n/wAQ,-12.340\n\"\",0.001\n", AsText(WriteCsv(batch.Schema, [batch])));
    }

    [Fact]
    public void Write_DictionaryColumn_WritesValues()
    {
        var b = new DictionaryArrayBuilder(new DictionaryType(ArrowType.Int8, ArrowType.String));
        foreach (var v in new[] { "red", "blue", "red", null })
        {
            b.AppendValue(v);
        }

        var batch = RecordBatch.FromColumns(("c", b.Build()));
        Assert.Equal("c\nred\nblue\nred\n\n", AsText(WriteCsv(batch.Schema, [batch])));
    }

    [Theory]
    [InlineData(',', 1)]
    [InlineData('\t', 7)]
    [InlineData(';', 1000)]
    public void RoundTrip_EveryFlatTypeWithExplicitSchema_SameValues(char delimiter, int batchSize)
    {
        var batch = AllFlatTypes(500, seed: 42 + batchSize);
        var slices = new[] { batch.Slice(0, 123), batch.Slice(123, 377) };
        var bytes = WriteCsv(batch.Schema, slices, new CsvWriteOptions { Delimiter = delimiter });
        var (schema, batches) = ReadCsv(bytes, new CsvReadOptions { Delimiter = delimiter, Schema = batch.Schema, BatchSize = batchSize });
        Assert.Equal(batch.Schema, schema);
        Assert.All(batches.SkipLast(1), b => Assert.Equal(batchSize, b.Length));
        AssertSameValues(schema, [batch], batches);

        // Written again, the text is identical.
        Assert.Equal(bytes, WriteCsv(schema, batches, new CsvWriteOptions { Delimiter = delimiter }));
    }

    [Fact]
    public async Task RoundTrip_InferredTypes_ComeBackAsTheSameTypes()
    {
        var rng = new Random(3);
        var fields = new[]
        {
            new Field("i", ArrowType.Int64), new Field("f", ArrowType.Double), new Field("b", ArrowType.Boolean), new Field("s", ArrowType.String),
            new Field("t", new TimestampType(TimeUnit.Microsecond)), new Field("tz", new TimestampType(TimeUnit.Nanosecond, "UTC")),
        };
        var builders = fields.Select(f => ArrayBuilderFactory.Create(f.Type)).ToArray();
        for (int r = 0; r < 1000; r++)
        {
            bool isNull = r % 10 == 9;
            foreach (var b in builders)
            {
                if (isNull)
                {
                    b.AppendNull();
                }
            }

            if (isNull)
            {
                continue;
            }

            builders[0].AppendValue(rng.NextInt64(long.MinValue, long.MaxValue));
            builders[1].AppendValue(r == 5 ? double.NaN : Math.Round(rng.NextDouble() * 100));
            builders[2].AppendValue(rng.Next(2) == 0);
            builders[3].AppendValue(TrickyStrings[rng.Next(TrickyStrings.Length)]);
            builders[4].AppendValue(rng.NextInt64(0, 4_000_000_000_000_000L));
            builders[5].AppendValue(rng.NextInt64(0, 4_000_000_000_000_000_000L) + 1);
        }

        var batch = new RecordBatch(new Schema(fields), builders.Select(b => b.Build()), 1000);
        var ms = new MemoryStream();
        await using (var writer = new CsvWriter(ms, batch.Schema, leaveOpen: true))
        {
            await writer.WriteAsync(batch);
            await writer.FlushAsync();
        }

        var (schema, batches) = ReadCsv(ms.ToArray());
        Assert.Equal(batch.Schema, schema);
        AssertSameValues(schema, [batch], batches);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void RoundTrip_OtherLineEndings_ReadBack(string lineEnding)
    {
        var batch = Strings("a", "b\r\nc", string.Empty);
        var bytes = WriteCsv(batch.Schema, [batch], new CsvWriteOptions { LineEnding = lineEnding });
        var (_, batches) = ReadCsv(bytes);
        Assert.Equal(["a", "b\r\nc", string.Empty], Values(batches, "s"));
    }

    [Theory]
    [InlineData("\n\r")]
    [InlineData("")]
    public void Constructor_BadLineEnding_ThrowsUsageException(string lineEnding)
        => Assert.Throws<LarderUsageException>(() => new CsvWriter(new MemoryStream(), new Schema([]), new CsvWriteOptions { LineEnding = lineEnding }));

    [Fact]
    public void Dispose_LeaveOpenFalse_DisposesStreamAndFlushes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"larder-w-{Guid.NewGuid():N}.csv");
        try
        {
            var batch = Strings("x");
            using (var writer = new CsvWriter(File.Create(path), batch.Schema))
            {
                writer.Write(batch);
            }

            Assert.Equal("s,n\nx,0\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_ManyRows_StreamsInChunksAndMatchesSingleBatch()
    {
        var batch = AllFlatTypes(3000, seed: 9);
        var whole = WriteCsv(batch.Schema, [batch]);
        var parts = WriteCsv(batch.Schema, Enumerable.Range(0, 30).Select(i => batch.Slice(i * 100, 100)));
        Assert.Equal(whole, parts);
    }
}
