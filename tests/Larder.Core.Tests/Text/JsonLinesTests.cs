using System.Text;
using Larder.Columnar;
using Larder.Text;
using static Larder.Core.Tests.Text.TextTestSupport;

namespace Larder.Core.Tests.Text;

public class JsonLinesTests
{
    [Fact]
    public void GetSchema_FlatAndNestedValues_InfersDocumentedTypes()
    {
        string jsonl = """
            {"i":1,"f":1.5,"b":true,"s":"x","t":"2024-01-02T03:04:05Z","l":[1,2],"o":{"x":1,"y":"a"},"n":null}
            {"i":2,"f":2,"b":false,"s":"y","t":"2024-01-02 03:04:05.5Z","l":[],"o":{"z":[true]},"extra":"e"}

            {"f":"NaN","l":null,"o":null}
            """;
        var (schema, batches) = ReadJsonLines(jsonl);
        Assert.Equal(["i", "f", "b", "s", "t", "l", "o", "n", "extra"], schema.Fields.Select(f => f.Name));
        Assert.Equal("int64", schema[0].Type.ToString());
        Assert.Equal("float64", schema[1].Type.ToString());
        Assert.Equal("bool", schema[2].Type.ToString());
        Assert.Equal("utf8", schema[3].Type.ToString());
        Assert.Equal("timestamp[us, tz=UTC]", schema[4].Type.ToString());
        Assert.Equal("list<item: int64>", schema[5].Type.ToString());
        Assert.Equal("struct<x: int64, y: utf8, z: list<item: bool>>", schema[6].Type.ToString());
        Assert.Equal("utf8", schema[7].Type.ToString());
        Assert.Equal(3, batches.Sum(b => b.Length));
        Assert.Equal([1L, 2L, null], Values(batches, "i"));
        Assert.Equal([1.5, 2.0, double.NaN], Values(batches, "f"));
        Assert.Equal([null, "e", null], Values(batches, "extra"));
        var o = Values(batches, "o");
        Assert.True(DeepEquals(new Dictionary<string, object?> { ["x"] = 1L, ["y"] = "a", ["z"] = null }, o[0]));
        Assert.True(DeepEquals(new Dictionary<string, object?> { ["x"] = null, ["y"] = null, ["z"] = new object?[] { true } }, o[1]));
        Assert.Null(o[2]);
        Assert.True(DeepEquals(new object?[] { new object?[] { 1L, 2L }, Array.Empty<object?>(), null }, Values(batches, "l")));
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":\"x\"}", "utf8")]
    [InlineData("{\"a\":1}\n{\"a\":1e3}", "float64")]
    [InlineData("{\"a\":1}\n{\"a\":99999999999999999999}", "float64")]
    [InlineData("{\"a\":\"Infinity\"}\n{\"a\":\"-Infinity\"}", "utf8")]
    [InlineData("{\"a\":1}\n{\"a\":\"-Infinity\"}", "float64")]
    [InlineData("{\"a\":\"2024-01-02\"}\n{\"a\":\"nope\"}", "utf8")]
    [InlineData("{\"a\":\"2024-01-02T00:00:00.000000001\"}", "timestamp[ns]")]
    [InlineData("{\"a\":null}", "utf8")]
    [InlineData("{\"a\":[]}", "list<item: utf8>")]
    [InlineData("{\"a\":{}}", "utf8")]
    [InlineData("{\"a\":[1]}\n{\"a\":{\"b\":1}}", "utf8")]
    [InlineData("{\"a\":[[1,2.5],[null]]}", "list<item: list<item: float64>>")]
    [InlineData("{\"a\":true}\n{\"a\":1}", "utf8")]
    public void GetSchema_SingleKey_InfersDocumentedType(string jsonl, string expected)
    {
        var (schema, _) = ReadJsonLines(jsonl);
        Assert.Equal(expected, schema[0].Type.ToString());
    }

    [Fact]
    public void ReadBatches_MixedKinds_UtfColumnHoldsJsonText()
    {
        var (_, batches) = ReadJsonLines("{\"a\":1}\n{\"a\":\"x\"}\n{\"a\":[1, {\"b\":true}]}\n{\"a\":null}\n{\"a\":\"\\u00e9\\n\"}\n");
        Assert.Equal(["1", "x", "[1, {\"b\":true}]", null, "é\n"], Values(batches, "a"));
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":2\n", 2, "invalid JSON")]
    [InlineData("{\"a\":1}\n[1,2]\n", 2, "array, not an object")]
    [InlineData("{\"a\":1}\n\n{\"a\":1} {\"a\":2}\n", 3, "invalid JSON")]
    [InlineData("{\"a\":1}\n{\"a\":1,\"a\":2}\n", 2, "appears twice")]
    [InlineData("{\"a\":1}\r\n{\"a\":tru}\r\n", 2, "invalid JSON")]
    [InlineData("{\"a\":1}\n\"x\"\n", 2, "string, not an object")]
    public void ReadBatches_MalformedLine_ThrowsFormatExceptionWithLineNumber(string jsonl, int line, string expected)
    {
        var e = Assert.Throws<LarderFormatException>(() => ReadJsonLines(jsonl));
        Assert.Contains("test.jsonl: line " + line, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_KeyAfterInferenceWindow_ThrowsUnlessSchemaGiven()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 20; i++)
        {
            text.Append("{\"a\":").Append(i).Append("}\n");
        }

        text.Append("{\"a\":20,\"late\":1}\n");
        var e = Assert.Throws<LarderFormatException>(() => ReadJsonLines(text.ToString(), new JsonLinesReadOptions { InferenceRows = 5, BatchSize = 4 }));
        Assert.Contains("line 21", e.Message, StringComparison.Ordinal);
        Assert.Contains("key 'late'", e.Message, StringComparison.Ordinal);
        Assert.Contains("InferenceRows", e.Message, StringComparison.Ordinal);
        var schema = new Schema([new Field("a", ArrowType.Int32)]);
        var (_, batches) = ReadJsonLines(text.ToString(), new JsonLinesReadOptions { Schema = schema });
        Assert.Equal(21, batches.Sum(b => b.Length));
    }

    [Fact]
    public void ReadBatches_LateValueMismatch_ThrowsNamingLineKeyValueAndType()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 10; i++)
        {
            text.Append("{\"a\":").Append(i).Append("}\n");
        }

        text.Append("{\"a\":\"ten\"}\n");
        var e = Assert.Throws<LarderFormatException>(() => ReadJsonLines(text.ToString(), new JsonLinesReadOptions { InferenceRows = 3 }));
        Assert.Contains("line 11, key 'a'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'\"ten\"'", e.Message, StringComparison.Ordinal);
        Assert.Contains("int64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_MissingKeysAndBlankLines_NullsAndSkipped()
    {
        var (_, batches) = ReadJsonLines("\n{\"a\":1,\"b\":2}\n   \n{\"b\":3}\r\n{}\n");
        Assert.Equal([1L, null, null], Values(batches, "a"));
        Assert.Equal([2L, 3L, null], Values(batches, "b"));
    }

    [Fact]
    public void ReadBatches_NonNullableFieldMissing_ThrowsFormatException()
    {
        var schema = new Schema([new Field("a", ArrowType.Int64, nullable: false)]);
        Assert.Throws<LarderFormatException>(() => ReadJsonLines("{\"a\":1}\n{\"b\":1}\n", new JsonLinesReadOptions { Schema = schema }));
        Assert.Throws<LarderFormatException>(() => ReadJsonLines("{\"a\":null}\n", new JsonLinesReadOptions { Schema = schema }));
    }

    [Fact]
    public void Write_Row_FormatsEveryKindOfValue()
    {
        var ts = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Millisecond, "UTC"));
        ts.Append(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 123, TimeSpan.Zero).ToUnixTimeMilliseconds());
        var naive = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Second));
        naive.Append(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds());
        var f = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        f.Append(double.NaN);
        var g = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        g.Append(2.0);
        var dec = new PrimitiveArrayBuilder<Int128>(new DecimalType(38, 20));
        dec.AppendValue(decimal.Parse("1.10000000000000000001", System.Globalization.CultureInfo.InvariantCulture));
        var bin = new BinaryArrayBuilder(ArrowType.Binary);
        bin.Append(new byte[] { 1, 2, 3 });
        var date = new PrimitiveArrayBuilder<int>(ArrowType.Date32);
        date.AppendValue(new DateOnly(2024, 2, 29));
        var big = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        big.Append(long.MaxValue);
        var s = new BinaryArrayBuilder(ArrowType.String);
        s.Append("é\"<>\n");
        var map = ArrayBuilderFactory.Create(new MapType(ArrowType.Int32, ArrowType.String));
        map.AppendValue(new[] { new KeyValuePair<object?, object?>(1, "x") });
        var strMap = ArrayBuilderFactory.Create(new MapType(ArrowType.String, ArrowType.Int64));
        strMap.AppendValue(new[] { new KeyValuePair<object?, object?>("k", 1L) });
        var dict = new DictionaryArrayBuilder(new DictionaryType(ArrowType.Int16, ArrowType.String));
        dict.AppendValue("v");
        var nul = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        nul.AppendNull();
        var batch = RecordBatch.FromColumns(
            ("ts", ts.Build()), ("naive", naive.Build()), ("nan", f.Build()), ("two", g.Build()), ("dec", dec.Build()), ("bin", bin.Build()),
            ("date", date.Build()), ("big", big.Build()), ("s", s.Build()), ("map", map.Build()), ("smap", strMap.Build()), ("dict", dict.Build()), ("nul", nul.Build()));
        string text = AsText(WriteJsonLines(batch.Schema, [batch]));
        Assert.Equal(
            "{\"ts\":\"2024-01-02T03:04:05.123Z\",\"naive\":\"2024-01-02T03:04:05\",\"nan\":\"NaN\",\"two\":2.0,\"dec\":1.10000000000000000001,\"bin\":\"AQID\","
            + "\"date\":\"2024-02-29\",\"big\":9223372036854775807,\"s\":\"é\\\"<>\\n\",\"map\":[[1,\"x\"]],\"smap\":{\"k\":1},\"dict\":\"v\",\"nul\":null}\n",
            text);
        Assert.Equal("{\"ts\":\"2024-01-02T03:04:05.123Z\"", AsText(WriteJsonLines(batch.Schema, [batch], new JsonLinesWriteOptions { OmitNulls = true }))[..32]);
        Assert.DoesNotContain("nul", AsText(WriteJsonLines(batch.Schema, [batch], new JsonLinesWriteOptions { OmitNulls = true })), StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_EveryFlatTypeWithExplicitSchema_SameValues()
    {
        var batch = AllFlatTypes(400, seed: 77);
        var bytes = WriteJsonLines(batch.Schema, [batch.Slice(0, 150), batch.Slice(150, 250)]);
        var (schema, batches) = ReadJsonLines(bytes, new JsonLinesReadOptions { Schema = batch.Schema, BatchSize = 64 });
        Assert.Equal(batch.Schema, schema);
        Assert.All(batches.SkipLast(1), b => Assert.Equal(64, b.Length));
        AssertSameValues(schema, [batch], batches);
        Assert.Equal(bytes, WriteJsonLines(schema, batches));
    }

    [Fact]
    public void RoundTrip_NestedTypesWithExplicitSchemaAndByInference_SameValues()
    {
        var itemStruct = new StructType([new Field("k", ArrowType.String), new Field("v", new ListType(ArrowType.Double))]);
        var fields = new[]
        {
            new Field("id", ArrowType.Int64),
            new Field("tags", new ListType(ArrowType.String)),
            new Field("items", new ListType(itemStruct)),
            new Field("point", new StructType([new Field("x", ArrowType.Double), new Field("y", ArrowType.Double)])),
            new Field("at", new TimestampType(TimeUnit.Microsecond, "UTC")),
        };
        var builders = fields.Select(f => ArrayBuilderFactory.Create(f.Type)).ToArray();
        var rng = new Random(21);
        for (int r = 0; r < 200; r++)
        {
            builders[0].AppendValue((long)r);
            builders[1].AppendValue(r % 7 == 0 ? null : Enumerable.Range(0, r % 4).Select(i => (object?)("t" + i)).ToArray());
            builders[2].AppendValue(Enumerable.Range(0, r % 3).Select(i => (object?)new Dictionary<string, object?> { ["k"] = "k" + i, ["v"] = new object?[] { rng.NextDouble(), 2.5 } }).ToArray());
            builders[3].AppendValue(r % 5 == 0 ? null : new Dictionary<string, object?> { ["x"] = rng.NextDouble() - 0.5, ["y"] = 1.5 });
            builders[4].AppendValue(1_700_000_000_000_000L + rng.NextInt64(1_000_000_000_000L));
        }

        var batch = new RecordBatch(new Schema(fields), builders.Select(b => b.Build()), 200);
        var bytes = WriteJsonLines(batch.Schema, [batch]);
        var (explicitSchema, explicitBatches) = ReadJsonLines(bytes, new JsonLinesReadOptions { Schema = batch.Schema });
        AssertSameValues(explicitSchema, [batch], explicitBatches);
        var (inferred, inferredBatches) = ReadJsonLines(bytes);
        Assert.Equal(batch.Schema, inferred);
        AssertSameValues(inferred, [batch], inferredBatches);
    }

    [Fact]
    public async Task ReadBatchesAsync_Projection_MatchesSynchronousTwin()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            text.Append("{\"a\":").Append(i).Append(",\"b\":\"s").Append(i).Append("\",\"c\":[").Append(i).Append("]}\n");
        }

        var options = new JsonLinesReadOptions { Columns = ["c", "a"], BatchSize = 100 };
        await using var reader = new JsonLinesReader(new MemoryStream(Utf8(text.ToString())), options);
        var schema = await reader.GetSchemaAsync();
        Assert.Equal(["c", "a"], schema.Fields.Select(f => f.Name));
        var list = new List<RecordBatch>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            list.Add(b);
        }

        Assert.Equal(5, list.Count);
        var (_, sync) = ReadJsonLines(text.ToString(), options);
        AssertSameValues(schema, sync, list);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (object?)(long)i), Values(list, "a"));
    }

    [Fact]
    public void ReadBatches_ByteOrderMarkAndInvalidUtf8_AreHandled()
    {
        var (_, batches) = ReadJsonLines([0xEF, 0xBB, 0xBF, .. Utf8("{\"a\":\"☃\"}\n")]);
        Assert.Equal(["☃"], Values(batches, "a"));
        Assert.Throws<LarderFormatException>(() => ReadJsonLines([.. Utf8("{\"a\":\""), 0xFF, .. Utf8("\"}\n")]));
    }

    [Fact]
    public void ReadBatches_LineLongerThanMaxLineBytes_ThrowsFormatException()
    {
        string jsonl = "{\"a\":\"" + new string('x', 10_000) + "\"}\n";
        var e = Assert.Throws<LarderFormatException>(() => ReadJsonLines(jsonl, new JsonLinesReadOptions { MaxLineBytes = 1000 }));
        Assert.Contains("MaxLineBytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatches_EmptyInput_NoColumnsNoBatches()
    {
        var (schema, batches) = ReadJsonLines("\n\n");
        Assert.Equal(0, schema.Count);
        Assert.Empty(batches);
    }
}
