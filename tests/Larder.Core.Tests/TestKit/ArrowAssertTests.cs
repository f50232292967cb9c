using System.Diagnostics;
using Larder.Columnar;
using Larder.Memory;
using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Core.Tests.TestKit;

public sealed class ArrowAssertTests(ITestOutputHelper output)
{
    private static readonly StructType PointType = new([new Field("x", ArrowType.Int32), new Field("y", ArrowType.String)]);

    // ---- differences are found, with a precise path ----

    [Fact]
    public void Equal_BatchListWithStructChildDifference_NamesBatchColumnRowAndChild()
    {
        var schema = new Schema([new Field("id", ArrowType.Int64), new Field("a", new StructType([new Field("x", ArrowType.Int32)]))]);
        var expected = Enumerable.Range(0, 3).Select(b => StructBatch(schema, b, changeRow: -1)).ToArray();
        var actual = Enumerable.Range(0, 3).Select(b => StructBatch(schema, b, changeRow: b == 2 ? 17 : -1)).ToArray();

        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(expected, actual));

        Assert.Equal("batch 2 / column \"a\" / row 17 / child \"x\": expected 5, got 6", e.Message);
        Assert.Equal("batch 2 / column \"a\" / row 17 / child \"x\"", e.Path);
        Assert.Equal("expected 5, got 6", e.Detail);
    }

    [Fact]
    public void Equal_PrimitiveValueDifference_ReportsRowAndValues()
    {
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Int32s(1, 2, 3, 4), Int32s(1, 2, 3, 5)));
        Assert.Equal("row 3: expected 4, got 5", e.Message);
    }

    [Fact]
    public void Equal_NullVersusValue_ReportsNull()
    {
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Int32s(1, null, 3), Int32s(1, 7, 3)));
        Assert.Equal("row 1: expected null, got 7", e.Message);

        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Strings("a", "b"), Strings("a", null)));
        Assert.Equal("row 1: expected \"b\", got null", e.Message);
    }

    [Fact]
    public void Equal_DifferentLength_ReportsLength()
    {
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Int32s(1, 2), Int32s(1, 2, 3)));
        Assert.Equal("length expected 2, got 3", e.Message);
    }

    [Fact]
    public void Equal_DifferentType_ReportsTypes()
    {
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Int32s(1), Build(ArrowType.Int64, 1L)));
        Assert.Equal("type expected int32, got int64", e.Message);

        var a = RecordBatch.FromColumns(("a", Int32s(1)));
        var b = RecordBatch.FromColumns(("a", Build(ArrowType.Int64, 1L)));
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("field \"a\": type expected int32, got int64", e.Message);
    }

    [Fact]
    public void Equal_NestedTypeDifference_NamesChild()
    {
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(new ListType(PointType), new ListType(new StructType([new Field("x", ArrowType.Int32), new Field("y", ArrowType.LargeString)]))));
        Assert.Equal("child \"item\" / child \"y\": type expected utf8, got large_utf8", e.Message);

        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(new ListType(new Field("item", ArrowType.Int32, nullable: true)), new ListType(new Field("item", ArrowType.Int32, nullable: false))));
        Assert.Equal("child \"item\": nullable expected true, got false", e.Message);

        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(new FixedSizeListType(ArrowType.Double, 3), new FixedSizeListType(ArrowType.Double, 4)));
        Assert.Contains("list size 3 vs 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_SchemaDifferences_ReportFieldNameNullabilityAndCount()
    {
        var s = new Schema([new Field("a", ArrowType.Int32), new Field("b", ArrowType.String)]);

        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, new Schema([new Field("a", ArrowType.Int32), new Field("c", ArrowType.String)])));
        Assert.Equal("field \"b\": name expected \"b\", got \"c\"", e.Message);

        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, new Schema([new Field("a", ArrowType.Int32, nullable: false), new Field("b", ArrowType.String)])));
        Assert.Equal("field \"a\": nullable expected true, got false", e.Message);

        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, new Schema([new Field("a", ArrowType.Int32)])));
        Assert.StartsWith("field count expected 2, got 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_DuplicateFieldNames_LabelsByIndex()
    {
        var s1 = new Schema([new Field("ints", ArrowType.Int8), new Field("ints", ArrowType.Int32)]);
        var s2 = new Schema([new Field("ints", ArrowType.Int8), new Field("ints", ArrowType.Int64)]);
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s1, s2));
        Assert.Equal("field 1 \"ints\": type expected int32, got int64", e.Message);
    }

    [Fact]
    public void Equal_MetadataDifferences_AreFoundAtEveryLevel()
    {
        var inner = new Field("item", ArrowType.Int32, metadata: KeyValueMetadata.Of("k", "v"));
        var s = new Schema([new Field("l", new ListType(inner), metadata: KeyValueMetadata.Of("f", "1"))], KeyValueMetadata.Of("s", "x"));

        var schemaMeta = new Schema(s.Fields, KeyValueMetadata.Of("s", "y"));
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, schemaMeta));
        Assert.Equal("schema metadata: key \"s\" expected \"x\", got \"y\"", e.Message);

        var fieldMeta = new Schema([s[0].WithMetadata(KeyValueMetadata.Of("f", "1", "extra", "2"))], s.Metadata);
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, fieldMeta));
        Assert.Equal("field \"l\" / metadata: key \"extra\" not expected, got \"2\"", e.Message);

        var nestedMeta = new Schema([s[0].WithType(new ListType(inner.WithMetadata(KeyValueMetadata.Of("k", "w"))))], s.Metadata);
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, nestedMeta));
        Assert.Equal("field \"l\" / child \"item\" / metadata: key \"k\" expected \"v\", got \"w\"", e.Message);

        var missing = new Schema([s[0].WithMetadata(null)], s.Metadata);
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(s, missing));
        Assert.Equal("field \"l\" / metadata: key \"f\" expected \"1\", got no such key", e.Message);

        // Ignored on request; order never matters.
        ArrowAssert.Equal(s, nestedMeta, checkMetadata: false);
        ArrowAssert.Equal(s, schemaMeta, checkMetadata: false);
        ArrowAssert.Equal(
            new Schema([], KeyValueMetadata.Of("a", "1", "b", "2")),
            new Schema([], KeyValueMetadata.Of("b", "2", "a", "1")));
    }

    [Fact]
    public void Equal_ListItemDifference_ReportsRowAndItem()
    {
        var type = new ListType(ArrowType.Int32);
        var a = Build(type, new object?[] { 1 }, null, new object?[] { 2, 3, 4 }, new object?[] { });
        var b = Build(type, new object?[] { 1 }, null, new object?[] { 2, 9, 4 }, new object?[] { });
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("row 2 / item 1: expected 3, got 9", e.Message);

        var c = Build(type, new object?[] { 1 }, null, new object?[] { 2, 3 }, new object?[] { });
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, c));
        Assert.Equal("row 2: list length expected 3, got 2 (expected [2, 3, 4], got [2, 3])", e.Message);

        var d = Build(type, new object?[] { 1 }, new object?[] { }, new object?[] { 2, 3, 4 }, new object?[] { });
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, d));
        Assert.Equal("row 1: expected null, got []", e.Message);
    }

    [Fact]
    public void Equal_ListOfStructDifference_ReportsRowItemAndChild()
    {
        var type = new ListType(PointType);
        var a = Build(type, new object?[] { Point(1, "a"), Point(2, "b") }, new object?[] { Point(3, "c"), Point(4, "d") });
        var b = Build(type, new object?[] { Point(1, "a"), Point(2, "b") }, new object?[] { Point(3, "c"), Point(4, "D") });
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("row 1 / item 1 / child \"y\": expected \"d\", got \"D\"", e.Message);
    }

    [Fact]
    public void Equal_MapDifferences_ReportEntryKeyAndValue()
    {
        var type = new MapType(ArrowType.String, ArrowType.Int32);
        var a = Build(type, Map(("a", 1), ("b", 2)), Map(("c", 3)), null);
        var key = Build(type, Map(("a", 1), ("b", 2)), Map(("C", 3)), null);
        var value = Build(type, Map(("a", 1), ("b", 20)), Map(("c", 3)), null);

        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, key));
        Assert.Equal("row 1 / entry 0 / child \"key\": expected \"c\", got \"C\"", e.Message);
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, value));
        Assert.Equal("row 0 / entry 1 / child \"value\": expected 2, got 20", e.Message);
    }

    [Fact]
    public void Equal_FixedSizeListItemDifference_ReportsRowAndItem()
    {
        var type = new FixedSizeListType(ArrowType.Double, 3);
        var a = Build(type, new object?[] { 1.0, 2.0, 3.0 }, null, new object?[] { 4.0, 5.0, 6.0 });
        var b = Build(type, new object?[] { 1.0, 2.0, 3.0 }, null, new object?[] { 4.0, 5.5, 6.0 });
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("row 2 / item 1: expected 5, got 5.5", e.Message);
    }

    [Fact]
    public void Equal_DictionaryDecodedDifference_ReportsDecodedValues()
    {
        var type = new DictionaryType(ArrowType.Int16, ArrowType.String);
        var a = Build(type, "a", "b", null, "b");
        var b = Build(type, "a", "b", null, "c");
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("row 3: expected \"b\", got \"c\"", e.Message);

        var nulls = Build(type, "a", "b", "x", "b");
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, nulls));
        Assert.Equal("row 2: expected null, got \"x\"", e.Message);
    }

    [Fact]
    public void Equal_DictionaryIndexTypeDifference_Fails()
    {
        var a = Build(new DictionaryType(ArrowType.Int16, ArrowType.String), "a");
        var b = Build(new DictionaryType(ArrowType.Int32, ArrowType.String), "a");
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("dictionary index type expected int16, got int32", e.Message);

        // Dictionary-encoded versus plain values of the same type are different types too.
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, Strings("a")));
        Assert.StartsWith("type expected dictionary<values=utf8, indices=int16>, got utf8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_DifferentDictionariesSameDecodedValues_Passes()
    {
        var type = new DictionaryType(ArrowType.Int8, ArrowType.String);

        // a: dictionary [x, y], indices [0, 1, 1, null]; b: dictionary [q, y, null, x, y], indices [3, 4, 1, 2 (a null value)].
        var a = Dictionary(type, Strings("x", "y"), [0, 1, 1, 0], validRows: [true, true, true, false]);
        var b = Dictionary(type, Strings("q", "y", null, "x", "y"), [3, 4, 1, 2], validRows: null);
        ArrowAssert.Equal(a, b);
        ArrowAssert.Equal(b, a);
    }

    [Fact]
    public void Equal_DictionaryIndexOutOfRange_Fails()
    {
        var type = new DictionaryType(ArrowType.Int8, ArrowType.String);
        var a = Dictionary(type, Strings("x", "y"), [0, 1], validRows: null);
        var b = Dictionary(type, Strings("x", "y"), [0, 5], validRows: null);
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("row 1: dictionary index 5 is outside the dictionary of 2 values", e.Message);
    }

    [Fact]
    public void Equal_Floats_BitwiseOrBothNaN()
    {
        double otherNaN = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001);
        ArrowAssert.Equal(Build(ArrowType.Double, double.NaN, 1.5), Build(ArrowType.Double, otherNaN, 1.5));
        ArrowAssert.Equal(Build(ArrowType.Float, float.NaN), Build(ArrowType.Float, -float.NaN));
        ArrowAssert.Equal(Build(ArrowType.HalfFloat, Half.NaN, (Half)2), Build(ArrowType.HalfFloat, Half.NaN, (Half)2));

        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(ArrowType.Double, 0.0), Build(ArrowType.Double, -0.0)));
        Assert.Equal("row 0: expected 0, got -0", e.Message);
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(ArrowType.Double, 1.0), Build(ArrowType.Double, double.NaN)));
        Assert.Equal("row 0: expected 1, got NaN", e.Message);
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(ArrowType.Float, 0.1f), Build(ArrowType.Float, 0.10000001f)));
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(ArrowType.HalfFloat, (Half)1), Build(ArrowType.HalfFloat, (Half)2)));
    }

    [Fact]
    public void Equal_OtherScalarTypes_DetectDifferences()
    {
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(ArrowType.Boolean, true, false), Build(ArrowType.Boolean, true, true)));
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(ArrowType.Binary, new byte[] { 1, 2 }), Build(ArrowType.Binary, new byte[] { 1, 3 })));
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(new FixedSizeBinaryType(2), new byte[] { 1, 2 }), Build(new FixedSizeBinaryType(2), new byte[] { 1, 3 })));
        var interval = new IntervalType(IntervalUnit.MonthDayNano);
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(interval, new IntervalMonthDayNano(1, 2, 3)), Build(interval, new IntervalMonthDayNano(1, 2, 4))));
        var dec = new DecimalType(10, 2);
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(dec, 1.25m), Build(dec, 1.26m)));
        Assert.Equal("row 0: expected 1.25, got 1.26", e.Message);
        var dec256 = new DecimalType(40, 2, 256);
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(Build(dec256, "-1.25"), Build(dec256, "-1.35")));
        Assert.Equal("row 0: expected -1.25, got -1.35", e.Message);
        ArrowAssert.Equal(new NullArray(3), new NullArray(3));
    }

    // ---- equal data built differently ----

    [Fact]
    public void Equal_DifferentPaddingAndGarbageUnderNulls_Passes()
    {
        // int32 [1, null, 3]: a longer values buffer, garbage under the null, extra validity bytes.
        var manual = new PrimitiveArray<int>(new ArrayData(ArrowType.Int32, 3, 1, 0, [Buffer<byte>(0b0000_0101, 0xFF, 0xFF), Buffer(1, 999, 3, 77, 88, 99, 0, 0)]));
        ArrowAssert.Equal(Int32s(1, null, 3), manual);

        // utf8 ["a", null, "b"]: the null row owns three bytes.
        var text = new StringArray(new ArrayData(ArrowType.String, 3, 1, 0, [Buffer<byte>(0b101), Buffer(0, 1, 4, 5), Buffer("aXYZb"u8.ToArray())]));
        ArrowAssert.Equal(Strings("a", null, "b"), text);

        // list<int32> [[1], null, [2]]: the null row has a non-empty range.
        var items = Int32s(1, 42, 43, 2);
        var list = new ListArray(new ArrayData(new ListType(ArrowType.Int32), 3, 1, 0, [Buffer<byte>(0b101), Buffer(0, 1, 3, 4)], [items.Data]));
        ArrowAssert.Equal(Build(new ListType(ArrowType.Int32), new object?[] { 1 }, null, new object?[] { 2 }), list);

        // struct<x: int32, y: utf8> [{1, "a"}, null, {3, "c"}]: children hold values under the null row.
        var structs = new StructArray(new ArrayData(PointType, 3, 1, 0, [Buffer<byte>(0b101)], [Int32s(1, 7, 3).Data, Strings("a", "zzz", "c").Data]));
        ArrowAssert.Equal(Build(PointType, Point(1, "a"), null, Point(3, "c")), structs);

        // bool with a null whose value bit differs.
        var bools = new BooleanArray(new ArrayData(ArrowType.Boolean, 2, 1, 0, [Buffer<byte>(0b01), Buffer<byte>(0b11)]));
        ArrowAssert.Equal(Build(ArrowType.Boolean, true, null), bools);

        // large_utf8 whose offsets do not start at zero.
        var large = new StringArray(new ArrayData(ArrowType.LargeString, 2, 0, 0, [ArrowBuffer.Empty, Buffer(5L, 6L, 8L), Buffer("-----abc"u8.ToArray())]));
        ArrowAssert.Equal(Build(ArrowType.LargeString, "a", "bc"), large);
    }

    [Fact]
    public void Equal_SlicedVersusUnsliced_Passes()
    {
        ArrowAssert.Equal(Int32s(9, 9, 9, 1, null, 3).Slice(3, 3), Int32s(1, null, 3));
        ArrowAssert.Equal(Strings("q", "a", null, "b", "r").Slice(1, 3), Strings("a", null, "b"));
        ArrowAssert.Equal(Build(ArrowType.Boolean, false, false, false, false, false, false, false, false, false, true, null, false).Slice(9, 3), Build(ArrowType.Boolean, true, null, false));

        var listType = new ListType(ArrowType.Int32);
        ArrowAssert.Equal(
            Build(listType, new object?[] { 8 }, new object?[] { 1, 2 }, null, new object?[] { 3 }).Slice(1, 3),
            Build(listType, new object?[] { 1, 2 }, null, new object?[] { 3 }));

        ArrowAssert.Equal(
            Build(PointType, Point(0, "z"), Point(1, "a"), null, Point(3, "c")).Slice(1, 3),
            Build(PointType, Point(1, "a"), null, Point(3, "c")));

        var fsl = new FixedSizeListType(ArrowType.Int32, 2);
        ArrowAssert.Equal(
            Build(fsl, new object?[] { 0, 0 }, new object?[] { 1, 2 }, null, new object?[] { 3, null }).Slice(1, 3),
            Build(fsl, new object?[] { 1, 2 }, null, new object?[] { 3, null }));

        var map = new MapType(ArrowType.String, ArrowType.Int32);
        ArrowAssert.Equal(Build(map, Map(("z", 0)), Map(("a", 1), ("b", 2)), null).Slice(1, 2), Build(map, Map(("a", 1), ("b", 2)), null));

        var dict = new DictionaryType(ArrowType.Int32, ArrowType.String);
        ArrowAssert.Equal(Build(dict, "z", "a", null, "a").Slice(1, 3), Build(dict, "a", null, "a"));

        // A slice of a slice of a list of structs.
        var los = new ListType(PointType);
        var big = Build(los, new object?[] { Point(0, "0") }, new object?[] { Point(1, "a"), null }, null, new object?[] { Point(3, "c") }, new object?[] { });
        ArrowAssert.Equal(big.Slice(1, 4).Slice(1, 2), Build(los, null, new object?[] { Point(3, "c") }));
    }

    [Fact]
    public void Equal_RandomColumnsSlicedVersusRebuilt_Passes()
    {
        var batch = RandomData.Batch(RandomData.AllTypesSchema(), 200, seed: 11);
        foreach (var (column, i) in batch.Columns.Select((c, i) => (c, i)))
        {
            var slice = column.Slice(37, 101);
            var rebuilt = Rebuild(slice);
            ArrowAssert.Equal(rebuilt, slice);
            ArrowAssert.Equal(slice, rebuilt);
            Assert.Equal(0, rebuilt.Data.Offset);
            output.WriteLine($"{batch.Schema[i].Name}: ok");
        }
    }

    [Fact]
    public void Equal_SameRandomBatchTwice_Passes()
    {
        var schema = RandomData.AllTypesSchema();
        ArrowAssert.Equal(RandomData.Batch(schema, 300, seed: 5), RandomData.Batch(schema, 300, seed: 5));
        ArrowAssert.Equal(RandomData.Batch(schema, 300, seed: 5).Slice(10, 50), RandomData.Batch(schema, 300, seed: 5).Slice(10, 50));
    }

    // ---- tables and batch sequences ----

    [Fact]
    public void Equal_TablesSplitDifferently_PassOnlyWhenIgnoringBoundaries()
    {
        var batch = RandomData.Batch(RandomData.AllTypesSchema(), 30, seed: 3);
        var a = new Table(batch.Schema, [batch.Slice(0, 10), batch.Slice(10, 20)]);
        var b = new Table(batch.Schema, [batch.Slice(0, 15), batch.Slice(15, 0), batch.Slice(15, 15)]);

        ArrowAssert.Equal(a, b, ignoreBatchBoundaries: true);
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));
        Assert.Equal("batch count expected 2, got 3 (rows per batch expected [10, 20], got [15, 0, 15])", e.Message);
    }

    [Fact]
    public void Equal_StreamDifference_ReportsGlobalRow()
    {
        var schema = new Schema([new Field("v", ArrowType.Int32)]);
        var a = new[] { new RecordBatch(schema, [Int32s(0, 1, 2)], 3), new RecordBatch(schema, [Int32s(3, 4)], 2) };
        var b = new[] { new RecordBatch(schema, [Int32s(0, 1)], 2), new RecordBatch(schema, [Int32s(2, 3, 5)], 3) };
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b, ignoreBatchBoundaries: true));
        Assert.Equal("column \"v\" / row 4: expected 4, got 5", e.Message);

        var shorter = new[] { new RecordBatch(schema, [Int32s(0, 1, 2)], 3) };
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, shorter, ignoreBatchBoundaries: true));
        Assert.Equal("row count expected 5, got 3", e.Message);
    }

    [Fact]
    public void Equal_BatchRowCountOrTableSchemaDifference_Fails()
    {
        var schema = new Schema([new Field("v", ArrowType.Int32)]);
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(new RecordBatch(schema, [Int32s(1, 2)], 2), new RecordBatch(schema, [Int32s(1)], 1)));
        Assert.Equal("row count expected 2, got 1", e.Message);

        var other = new Schema([new Field("v", ArrowType.Int32)], KeyValueMetadata.Of("k", "v"));
        e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(new Table(schema, []), new Table(other, [])));
        Assert.Equal("schema / schema metadata: key \"k\" not expected, got \"v\"", e.Message);
    }

    // ---- scale ----

    [Fact]
    public void Equal_MillionRowColumns_IsFastAndFindsLastRowDifference()
    {
        const int N = 1_000_000;
        var schema = new Schema(
        [
            new Field("i64", ArrowType.Int64),
            new Field("f64", ArrowType.Double),
            new Field("s", ArrowType.String),
            new Field("l", new ListType(ArrowType.Int32)),
            new Field("st", PointType),
            new Field("d", new DictionaryType(ArrowType.Int16, ArrowType.String)),
        ]);
        var a = RandomData.Batch(schema, N, seed: 1);
        var b = RandomData.Batch(schema, N, seed: 1);

        var watch = Stopwatch.StartNew();
        ArrowAssert.Equal(a, b);
        watch.Stop();
        output.WriteLine($"1,000,000 rows x {schema.Count} columns compared in {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"comparison took {watch.Elapsed}");

        var values = new long[N];
        ((PrimitiveArray<long>)a.Column(0)).Values.CopyTo(values);
        values[N - 1] ^= 1;
        var changed = new PrimitiveArray<long>(new ArrayData(ArrowType.Int64, N, -1, 0, [a.Column(0).Data.Buffers[0], ArrowBuffer.CopyOf<long>(values)]));
        var e = Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a.Column(0), changed));
        Assert.StartsWith($"row {N - 1}: expected ", e.Message, StringComparison.Ordinal);
    }

    // ---- helpers ----

    private static RecordBatch StructBatch(Schema schema, int batch, int changeRow)
    {
        var ids = Enumerable.Range(0, 20).Select(r => (object?)(long)((batch * 100) + r)).ToArray();
        var structs = Enumerable.Range(0, 20)
            .Select(r => (object?)new Dictionary<string, object?> { ["x"] = r == 17 ? (r == changeRow ? 6 : 5) : r })
            .ToArray();
        return new RecordBatch(schema, [Make.Array(ArrowType.Int64, ids), Make.Array(schema[1].Type, structs)], 20);
    }

    private static IArrowArray Int32s(params int?[] values) => Make.Array(ArrowType.Int32, values.Select(v => (object?)v).ToArray());

    private static IArrowArray Strings(params string?[] values) => Make.Array(ArrowType.String, values);

    private static IArrowArray Build(ArrowType type, params object?[] values) => Make.Array(type, values);

    private static Dictionary<string, object?> Point(int x, string y) => new() { ["x"] = x, ["y"] = y };

    private static KeyValuePair<object?, object?>[] Map(params (string Key, int Value)[] entries)
        => entries.Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value)).ToArray();

    private static ArrowBuffer Buffer<T>(params T[] values)
        where T : unmanaged
        => ArrowBuffer.CopyOf<T>(values);

    private static IArrowArray Dictionary(DictionaryType type, IArrowArray dictionary, sbyte[] indices, bool[]? validRows)
    {
        var validity = ArrowBuffer.Empty;
        if (validRows is not null)
        {
            var bits = new byte[BitUtil.BytesForBits(validRows.Length)];
            for (int i = 0; i < validRows.Length; i++)
            {
                BitUtil.SetBit(bits, i, validRows[i]);
            }

            validity = ArrowBuffer.CopyOf<byte>(bits);
        }

        return ArrowArrayFactory.Create(new ArrayData(type, indices.Length, -1, 0, [validity, ArrowBuffer.CopyOf<sbyte>(indices)], null, dictionary.Data));
    }

    /// <summary>An independent, offset-free copy of an array made from its boxed values (dictionaries are re-encoded).</summary>
    private static IArrowArray Rebuild(IArrowArray source)
        => ArrowArrayFactory.Create(Make.Data(source.Type, Enumerable.Range(0, source.Length).Select(source.GetValue).ToArray()));
}
