using System.Text;
using Larder.Columnar;
using Larder.Text;
using static Larder.Core.Tests.Text.TextTestSupport;

namespace Larder.Core.Tests.Text;

public class CsvReaderTests
{
    [Fact]
    public void GetSchema_MixedColumns_InfersBoolInt64Float64TimestampUtf8()
    {
        var (schema, batches) = ReadCsv("b,i,f,t,s\ntrue,1,1.5,2024-01-02,x\nFalse,-2,1e3,2024-01-02T03:04:05,y\nTRUE,+3,.5,2024-01-02 03:04:05.5,z\n");
        Assert.Equal(["b", "i", "f", "t", "s"], schema.Fields.Select(f => f.Name));
        Assert.Equal(ArrowType.Boolean, schema[0].Type);
        Assert.Equal(ArrowType.Int64, schema[1].Type);
        Assert.Equal(ArrowType.Double, schema[2].Type);
        Assert.Equal(new TimestampType(TimeUnit.Microsecond), schema[3].Type);
        Assert.Equal(ArrowType.String, schema[4].Type);
        Assert.All(schema.Fields, f => Assert.True(f.Nullable));
        Assert.Equal([true, false, true], Values(batches, "b"));
        Assert.Equal([1L, -2L, 3L], Values(batches, "i"));
        Assert.Equal([1.5, 1000.0, 0.5], Values(batches, "f"));
        long day = (long)(new DateTime(2024, 1, 2) - DateTime.UnixEpoch).TotalSeconds * 1_000_000;
        Assert.Equal([day, day + 11_045_000_000L, day + 11_045_500_000L], Values(batches, "t"));
    }

    [Theory]
    [InlineData("1\n2.5\n", "float64")]
    [InlineData("1\n99999999999999999999\n", "float64")]
    [InlineData("99999999999999999999\nabc\n", "utf8")]
    [InlineData("0\n1\n", "int64")]
    [InlineData("true\n0\n", "utf8")]
    [InlineData("NA\n\nnull\n", "utf8")]
    [InlineData("1\nNA\n", "int64")]
    [InlineData("\"1\"\n\"2\"\n", "int64")]
    [InlineData("\"\"\n1\n", "utf8")]
    [InlineData(" 1\n2\n", "utf8")]
    [InlineData("1\ninf\n", "float64")]
    [InlineData("2024-01-02\n2024-01-02T00:00:00.123456789\n", "timestamp[ns]")]
    [InlineData("2024-01-02T00:00:00Z\n2024-01-02T00:00:00+01:00\n", "timestamp[us, tz=UTC]")]
    [InlineData("2024-01-02T00:00:00Z\n2024-01-02T00:00:00\n", "utf8")]
    [InlineData("2024-02-30\n", "utf8")]
    [InlineData("1677-01-01T00:00:00.000000001\n", "utf8")]
    public void GetSchema_SingleColumn_InfersDocumentedType(string body, string expected)
    {
        var (schema, _) = ReadCsv("c\n" + body);
        Assert.Equal(expected, schema[0].Type.ToString());
    }

    [Fact]
    public void ReadBatches_FloatColumn_SpecialTokensAreValuesOtherNullTokensAreNulls()
    {
        var (schema, batches) = ReadCsv("x\n1.5\nNaN\nnan\ninf\n-inf\nInfinity\n\nNA\n\"NaN\"\n");
        Assert.Equal(ArrowType.Double, schema[0].Type);
        Assert.Equal([1.5, double.NaN, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, null, double.NaN], Values(batches, "x"));
    }

    [Fact]
    public void ReadBatches_IntColumnWithNaNToken_ReadsNull()
    {
        var (schema, batches) = ReadCsv("a,b\n1,x\nNaN,y\n3,z\n");
        Assert.Equal(ArrowType.Int64, schema[0].Type);
        Assert.Equal([1L, null, 3L], Values(batches, "a"));
    }

    [Fact]
    public void ReadBatches_StringColumn_QuotedFieldsAreNeverNull()
    {
        var (_, batches) = ReadCsv("s,n\n\"NA\",1\nNA,2\n\"\",3\n,4\n\"null\",5\nnull,6\n");
        Assert.Equal(["NA", null, string.Empty, null, "null", null], Values(batches, "s"));
    }

    [Fact]
    public void ReadBatches_QuotedFields_HandleDelimitersQuotesAndLineBreaks()
    {
        string csv = "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",\"lf\nonly\"\n\"\",\"\"\"\"\rplain,\"cr\rinside\"";
        var (schema, batches) = ReadCsv(csv);
        Assert.Equal(ArrowType.String, schema[0].Type);
        Assert.Equal(["x,y", "multi\r\nline", string.Empty, "plain"], Values(batches, "a"));
        Assert.Equal(["say \"hi\"", "lf\nonly", "\"", "cr\rinside"], Values(batches, "b"));
    }

    [Fact]
    public void ReadBatches_QuoteInsideUnquotedField_IsLiteral()
    {
        var (_, batches) = ReadCsv("a,b\n5\" screen,x\"y\n");
        Assert.Equal(["5\" screen"], Values(batches, "a"));
        Assert.Equal(["x\"y"], Values(batches, "b"));
    }

    [Fact]
    public void ReadBatches_TextAfterClosingQuote_ThrowsFormatExceptionNamingRowAndColumn()
    {
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv("a,b\n1,2\n3,\"x\"y\n"));
        Assert.Contains("test.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("column 'b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_UnterminatedQuote_ThrowsFormatExceptionNamingRow()
    {
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv("a,b\n1,2\n3,\"open\n4,5\n"));
        Assert.Contains("row 2 (line 3)", e.Message, StringComparison.Ordinal);
        Assert.Contains("not closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_BlankLinesAndMissingFinalNewline_AreHandled()
    {
        var (_, batches) = ReadCsv("a,b\n\n1,2\r\n\r\n\n3,4");
        Assert.Equal([1L, 3L], Values(batches, "a"));
        Assert.Equal([2L, 4L], Values(batches, "b"));
    }

    [Fact]
    public void ReadBatches_ByteOrderMarkAndUnicode_AreStrippedAndKept()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Utf8("naïve,ключ\n☃,😀\n")];
        var (schema, batches) = ReadCsv(bytes);
        Assert.Equal("naïve", schema[0].Name);
        Assert.Equal(["☃"], Values(batches, "naïve"));
        Assert.Equal(["😀"], Values(batches, "ключ"));
    }

    [Fact]
    public void ReadBatches_Utf16ByteOrderMark_ThrowsNotSupported()
    {
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("a,b\n1,2\n")];
        Assert.Throws<LarderNotSupportedException>(() => ReadCsv(bytes));
    }

    [Fact]
    public void ReadBatches_InvalidUtf8_ThrowsFormatException()
    {
        byte[] bytes = [.. Utf8("a,b\nx,"), 0xC3, 0x28, .. Utf8("\n")];
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv(bytes));
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_NoHeader_NamesColumnsF0F1()
    {
        var (schema, batches) = ReadCsv("1,x\n2,y\n", new CsvReadOptions { HasHeader = false });
        Assert.Equal(["f0", "f1"], schema.Fields.Select(f => f.Name));
        Assert.Equal([1L, 2L], Values(batches, "f0"));
    }

    [Fact]
    public void ReadBatches_HeaderOnly_HasUtf8ColumnsAndNoRows()
    {
        var (schema, batches) = ReadCsv("a,b\n");
        Assert.Equal(["a", "b"], schema.Fields.Select(f => f.Name));
        Assert.All(schema.Fields, f => Assert.Equal(ArrowType.String, f.Type));
        Assert.Empty(batches);
    }

    [Fact]
    public void ReadBatches_EmptyInput_HasNoColumnsAndNoRows()
    {
        var (schema, batches) = ReadCsv(string.Empty);
        Assert.Equal(0, schema.Count);
        Assert.Empty(batches);
    }

    [Fact]
    public void ReadBatches_TsvPreset_SplitsOnTabsOnly()
    {
        var (schema, batches) = ReadCsv("a\tb\n1,5\tx y\n", CsvReadOptions.Tsv);
        Assert.Equal(ArrowType.String, schema[0].Type);
        Assert.Equal(["1,5"], Values(batches, "a"));
        Assert.Equal(["x y"], Values(batches, "b"));
    }

    [Fact]
    public void ReadBatches_Projection_MaterialisesOnlyListedColumnsInListedOrder()
    {
        var (schema, batches) = ReadCsv("a,b,c\n1,x,2.5\n2,y,oops\n", new CsvReadOptions { Columns = ["c", "a"] });
        Assert.Equal(["c", "a"], schema.Fields.Select(f => f.Name));
        Assert.Equal(ArrowType.String, schema[0].Type);
        Assert.Equal([1L, 2L], Values(batches, "a"));
    }

    [Fact]
    public void GetSchema_ProjectionOfUnknownColumn_ThrowsUsageException()
    {
        var e = Assert.Throws<LarderUsageException>(() => ReadCsv("a,b\n1,2\n", new CsvReadOptions { Columns = ["z"] }));
        Assert.Contains("'z'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_ExplicitSchemaByName_ReordersAndSkipsOtherColumns()
    {
        var schema = new Schema([new Field("c", ArrowType.Int32, nullable: false), new Field("a", ArrowType.String)]);
        var (actual, batches) = ReadCsv("a,b,c\nx,skip,1\ny,skip,2\n", new CsvReadOptions { Schema = schema });
        Assert.Equal(schema, actual);
        Assert.Equal([1, 2], Values(batches, "c"));
        Assert.Equal(["x", "y"], Values(batches, "a"));
    }

    [Fact]
    public void ReadBatches_ExplicitSchemaByPosition_UsesSchemaNames()
    {
        var schema = new Schema([new Field("x", ArrowType.Int64), new Field("y", ArrowType.Double)]);
        var (actual, batches) = ReadCsv("p,q\n1,2\n", new CsvReadOptions { Schema = schema });
        Assert.Equal(["x", "y"], actual.Fields.Select(f => f.Name));
        Assert.Equal([2.0], Values(batches, "y"));
        var (noHeader, rows) = ReadCsv("1,2\n3,4\n", new CsvReadOptions { Schema = schema, HasHeader = false });
        Assert.Equal(schema, noHeader);
        Assert.Equal([1L, 3L], Values(rows, "x"));
    }

    [Fact]
    public void GetSchema_ExplicitSchemaMatchingNeitherWay_ThrowsFormatException()
    {
        var schema = new Schema([new Field("x", ArrowType.Int64)]);
        Assert.Throws<LarderFormatException>(() => ReadCsv("p,q\n1,2\n", new CsvReadOptions { Schema = schema }));
    }

    [Fact]
    public void ReadBatches_NullInNonNullableField_ThrowsFormatException()
    {
        var schema = new Schema([new Field("a", ArrowType.Int64, nullable: false)]);
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv("a\n1\nNA\n", new CsvReadOptions { Schema = schema }));
        Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("not nullable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_ExplicitSchemaValueMismatch_NamesValueAndType()
    {
        var schema = new Schema([new Field("a", ArrowType.Int16)]);
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv("a\n1\n70000\n", new CsvReadOptions { Schema = schema }));
        Assert.Contains("'70000'", e.Message, StringComparison.Ordinal);
        Assert.Contains("int16", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_LateTypeMismatch_ThrowsNamingRowColumnValueTypeAndRemedy()
    {
        var csv = new StringBuilder("id,v\n");
        for (int i = 0; i < 30; i++)
        {
            csv.Append(i).Append(',').Append(i).Append('\n');
        }

        csv.Append("30,abc\n");
        var options = new CsvReadOptions { InferenceRows = 10, BatchSize = 8 };
        using var reader = new CsvReader(new MemoryStream(Utf8(csv.ToString())), options, source: "late.csv");
        Assert.Equal(ArrowType.Int64, reader.GetSchema()[1].Type);
        var e = Assert.Throws<LarderFormatException>(() => reader.ReadBatches().ToList());
        Assert.Contains("late.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 31 (line 32)", e.Message, StringComparison.Ordinal);
        Assert.Contains("column 'v'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'abc'", e.Message, StringComparison.Ordinal);
        Assert.Contains("int64", e.Message, StringComparison.Ordinal);
        Assert.Contains("InferenceRows", e.Message, StringComparison.Ordinal);
        Assert.Contains("Schema", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_LateFinerTimestamp_ThrowsInsteadOfTruncating()
    {
        string csv = "t\n2024-01-02 03:04:05.123456\n2024-01-02 03:04:05.123456789\n";
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv(csv, new CsvReadOptions { InferenceRows = 1 }));
        Assert.Contains("timestamp[us]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_BatchesBeforeLateError_AreReturnedFirst()
    {
        var csv = new StringBuilder("v\n");
        for (int i = 0; i < 25; i++)
        {
            csv.Append(i).Append('\n');
        }

        csv.Append("x\n");
        using var reader = new CsvReader(new MemoryStream(Utf8(csv.ToString())), new CsvReadOptions { InferenceRows = 5, BatchSize = 10 });
        var seen = new List<int>();
        Assert.Throws<LarderFormatException>(() =>
        {
            foreach (var b in reader.ReadBatches())
            {
                seen.Add(b.Length);
            }
        });
        Assert.Equal([10, 10], seen);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "has 1 fields but the table has 2")]
    [InlineData("a,b\n1,2\n3,4,5\n", "more than 2 fields")]
    public void ReadBatches_RaggedRow_ThrowsNamingRow(string csv, string expected)
    {
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv(csv));
        Assert.Contains("row 2 (line 3)", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("AllowRaggedRows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_AllowRaggedRows_FillsNullsAndIgnoresExtraFields()
    {
        var (_, batches) = ReadCsv("a,b,c\n1,2,3\n4\n5,6,7,8\n", new CsvReadOptions { AllowRaggedRows = true });
        Assert.Equal([1L, 4L, 5L], Values(batches, "a"));
        Assert.Equal([2L, null, 6L], Values(batches, "b"));
        Assert.Equal([3L, null, 7L], Values(batches, "c"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(1000)]
    public void ReadBatches_BatchSize_EveryBatchButTheLastIsFull(int batchSize)
    {
        var csv = new StringBuilder("i,s\n");
        for (int i = 0; i < 123; i++)
        {
            csv.Append(i).Append(",\"r").Append(i).Append("\nx\"\n");
        }

        foreach (int parallelism in new[] { 1, 3 })
        {
            var (_, batches) = ReadCsv(csv.ToString(), new CsvReadOptions { BatchSize = batchSize, InferenceRows = 30, MaxDegreeOfParallelism = parallelism });
            Assert.All(batches.SkipLast(1), b => Assert.Equal(batchSize, b.Length));
            Assert.Equal(Enumerable.Range(0, 123).Select(i => (object?)(long)i), Values(batches, "i"));
            Assert.Equal(Enumerable.Range(0, 123).Select(i => (object?)("r" + i + "\nx")), Values(batches, "s"));
        }
    }

    [Fact]
    public async Task ReadBatchesAsync_SameAsSynchronousTwin()
    {
        var batch = AllFlatTypes(300, seed: 11);
        var bytes = WriteCsv(batch.Schema, [batch]);
        var options = new CsvReadOptions { Schema = batch.Schema, BatchSize = 64 };
        await using var reader = new CsvReader(new MemoryStream(bytes), options);
        Assert.Equal(batch.Schema, await reader.GetSchemaAsync());
        var list = new List<RecordBatch>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            list.Add(b);
        }

        var (_, sync) = ReadCsv(bytes, options);
        AssertSameValues(batch.Schema, sync, list);
        AssertSameValues(batch.Schema, [batch], list);
    }

    [Fact]
    public void ReadBatches_EnumeratedTwice_ThrowsInvalidOperation()
    {
        using var reader = new CsvReader(new MemoryStream(Utf8("a\n1\n")));
        _ = reader.ReadBatches().ToList();
        Assert.Throws<InvalidOperationException>(() => reader.ReadBatches());
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsOrClosesStream()
    {
        var open = new MemoryStream(Utf8("a\n1\n"));
        using (var reader = new CsvReader(open, leaveOpen: true))
        {
            _ = reader.ReadBatches().ToList();
        }

        Assert.True(open.CanRead);
        var closed = new MemoryStream(Utf8("a\n1\n"));
        new CsvReader(closed).Dispose();
        Assert.False(closed.CanRead);
    }

    [Fact]
    public void ReadBatches_FileStream_ErrorNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"larder-csv-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a,b\n1,2\n3\n");
        try
        {
            using var reader = new CsvReader(File.OpenRead(path));
            var e = Assert.Throws<LarderFormatException>(() => reader.ReadBatches().ToList());
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Equal(path, e.Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadBatches_FieldLongerThanMaxFieldBytes_ThrowsFormatException()
    {
        string csv = "a,b\n1,\"" + new string('x', 5000) + "\"\n";
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv(csv, new CsvReadOptions { MaxFieldBytes = 1000 }));
        Assert.Contains("MaxFieldBytes", e.Message, StringComparison.Ordinal);
        var unquoted = "a\n" + new string('y', 5000) + "\n";
        Assert.Throws<LarderFormatException>(() => ReadCsv(unquoted, new CsvReadOptions { MaxFieldBytes = 1000 }));
    }

    [Theory]
    [InlineData('\n', '"')]
    [InlineData(',', ',')]
    [InlineData('é', '"')]
    public void Constructor_InvalidDelimiterOrQuote_ThrowsUsageException(char delimiter, char quote)
        => Assert.Throws<LarderUsageException>(() => new CsvReader(new MemoryStream(), new CsvReadOptions { Delimiter = delimiter, Quote = quote }));

    [Fact]
    public void ReadBatches_CustomTokens_AreUsed()
    {
        var options = new CsvReadOptions { NullValues = ["-"], TrueValues = ["yes"], FalseValues = ["no"], Delimiter = ';', Quote = '\'' };
        var (schema, batches) = ReadCsv("a;b;c\nyes;-;'x;y'\nno;2;''\n", options);
        Assert.Equal(ArrowType.Boolean, schema[0].Type);
        Assert.Equal([true, false], Values(batches, "a"));
        Assert.Equal([null, 2L], Values(batches, "b"));
        Assert.Equal(["x;y", string.Empty], Values(batches, "c"));
    }

    [Fact]
    public void ReadBatches_NumericNullToken_IsNullNotNumber()
    {
        var (_, batches) = ReadCsv("a,f\n1,1.5\n-999,-999\n3,2\n", new CsvReadOptions { NullValues = ["-999", ""] });
        Assert.Equal([1L, null, 3L], Values(batches, "a"));
        Assert.Equal([1.5, null, 2.0], Values(batches, "f"));
    }

    [Fact]
    public void ReadBatches_InferTypesOff_AllColumnsUtf8()
    {
        var (schema, batches) = ReadCsv("a,b\n1,true\n", new CsvReadOptions { InferTypes = false });
        Assert.All(schema.Fields, f => Assert.Equal(ArrowType.String, f.Type));
        Assert.Equal(["1"], Values(batches, "a"));
    }

    [Fact]
    public void ReadBatches_ZonedTimestamps_AreConvertedToUtc()
    {
        var (schema, batches) = ReadCsv("t\n2024-01-02T03:04:05+02:00\n2024-01-02 01:04:05Z\n2024-01-01T22:04:05-0300\n");
        Assert.Equal(new TimestampType(TimeUnit.Microsecond, "UTC"), schema[0].Type);
        var values = Values(batches, "t").Cast<long>().ToList();
        Assert.All(values, v => Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, TimeSpan.Zero), Temporal.ToDateTimeOffset(v, TimeUnit.Microsecond)));
    }

    [Fact]
    public void ReadBatches_LargeInputInParallel_MatchesSequential()
    {
        var csv = new StringBuilder("id,v,s\n");
        var rng = new Random(5);
        for (int i = 0; i < 20_000; i++)
        {
            csv.Append(i).Append(',').Append(rng.NextDouble()).Append(",\"s").Append(rng.Next(100)).Append("\"\n");
        }

        var bytes = Utf8(csv.ToString());
        var (schema, sequential) = ReadCsv(bytes, new CsvReadOptions { MaxDegreeOfParallelism = 1, BatchSize = 1000 });
        var (_, parallel) = ReadCsv(bytes, new CsvReadOptions { MaxDegreeOfParallelism = 4, BatchSize = 1000 });
        Assert.Equal(20, parallel.Count);
        AssertSameValues(schema, sequential, parallel);
    }

    [Fact]
    public void ReadBatches_DictionaryIndexOverflow_ThrowsFormatException()
    {
        var schema = new Schema([new Field("c", new DictionaryType(ArrowType.Int8, ArrowType.String))]);
        var csv = "c\n" + string.Join("\n", Enumerable.Range(0, 300).Select(i => "v" + i)) + "\n";
        var e = Assert.Throws<LarderFormatException>(() => ReadCsv(csv, new CsvReadOptions { Schema = schema }));
        Assert.Contains("row 129", e.Message, StringComparison.Ordinal);
        var (_, batches) = ReadCsv(csv, new CsvReadOptions { Schema = new Schema([new Field("c", new DictionaryType(ArrowType.Int16, ArrowType.String))]) });
        Assert.Equal(300, Values(batches, "c").Distinct().Count());
    }
}
