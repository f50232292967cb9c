using Larder.Columnar;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// Larder reads what apache-arrow (JS) builds and writes itself: <c>generate.mjs</c>'s 1,000-row table (3 batches,
/// 30 columns of many types, schema and field metadata) as an IPC file and an IPC stream, every value equal to the
/// peer's <c>js.expected.json</c> (tests/peers/README.md, "Columns of generate.mjs").
/// </summary>
public sealed class JsArrowGeneratedTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("js.arrow")]
    [InlineData("js.arrows")]
    public async Task Read_ApacheArrowGeneratedTable_EqualsExpectedJson(string name)
        => output.WriteLine(await JsArrowChecks.GeneratedAsync(name));
}

/// <summary>The schema <c>generate.mjs</c> writes, in Larder's model (tests/peers/README.md).</summary>
public static class JsGenerated
{
    public static Schema ExpectedSchema() => new(
    [
        new Field("int8", ArrowType.Int8),
        new Field("int16", ArrowType.Int16),
        new Field("int32", ArrowType.Int32, nullable: false, KeyValueMetadata.Of("larder.formula", "i*3-1000")),
        new Field("int64", ArrowType.Int64),
        new Field("uint8", ArrowType.UInt8),
        new Field("uint16", ArrowType.UInt16),
        new Field("uint32", ArrowType.UInt32),
        new Field("uint64", ArrowType.UInt64),
        new Field("float32", ArrowType.Float),
        new Field("float64", ArrowType.Double),
        new Field("bool", ArrowType.Boolean),
        new Field("utf8", ArrowType.String),
        new Field("large_utf8", ArrowType.LargeString),
        new Field("binary", ArrowType.Binary),
        new Field("fixed_size_binary", new FixedSizeBinaryType(4)),
        new Field("date32", ArrowType.Date32),
        new Field("date64", ArrowType.Date64),
        new Field("timestamp_s", new TimestampType(TimeUnit.Second)),
        new Field("timestamp_ms_utc", new TimestampType(TimeUnit.Millisecond, "UTC")),
        new Field("timestamp_us", new TimestampType(TimeUnit.Microsecond)),
        new Field("timestamp_ns_utc", new TimestampType(TimeUnit.Nanosecond, "UTC")),
        new Field("time32_ms", new TimeType(TimeUnit.Millisecond)),
        new Field("time64_us", new TimeType(TimeUnit.Microsecond)),
        new Field("duration_ms", new DurationType(TimeUnit.Millisecond)),
        new Field("decimal128", new DecimalType(20, 4)),
        new Field("list_int32", new ListType(new Field("item", ArrowType.Int32))),
        new Field("fixed_size_list_float64", new FixedSizeListType(new Field("item", ArrowType.Double), 3)),
        new Field("struct", new StructType([new Field("a", ArrowType.Int32, nullable: false), new Field("b", ArrowType.String, nullable: false)])),
        new Field("map", new MapType(new Field("entries", new StructType([new Field("key", ArrowType.String, nullable: false), new Field("value", ArrowType.Int32)]), nullable: false), keysSorted: false)),
        new Field("dictionary", new DictionaryType(ArrowType.Int32, ArrowType.String, ordered: false)),
    ], KeyValueMetadata.Of("origin", "apache-arrow-js"));
}
