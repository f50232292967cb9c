using Larder.Columnar;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// The Arrow table the peer tests have Larder write: one column per type the peers read (integers of every width,
/// signed and unsigned; float16/32/64; bool; utf8 and large_utf8; binary and fixed-size binary; date32 and date64;
/// time in every unit; timestamps in every unit without and with time zones; duration; decimals of ≤ 9, ≤ 18 and ≤ 38
/// digits; list&lt;int32&gt;; list&lt;utf8&gt;; struct{int32, utf8}; list&lt;struct{int64, utf8}&gt;; map&lt;utf8,
/// int32&gt;; dictionary&lt;int32, utf8&gt;; large_binary; decimal256(38, 5); fixed_size_list&lt;float64&gt;[3];
/// large_list&lt;large_utf8&gt;; list&lt;list&lt;int16&gt;&gt;; map&lt;utf8, list&lt;int64&gt;&gt;; map&lt;int32, float64&gt;
/// (keys sorted); struct{dictionary&lt;int8, utf8&gt;, float64}; an all-null column). Rows 0..<see cref="EdgeRows"/>-1 are chosen edge
/// values (each type's extremes, NaN and ±infinity, -0.0, subnormals, empty and non-ASCII strings, the first and last
/// representable dates and times, values just before the epoch, empty lists and maps, lists of only nulls, non-null
/// structs of null fields, map keys that look like integers, a repeated map key, a row of nulls); the rest are
/// <see cref="RandomData"/> rows (seeded, 15 % nulls at every level). Column <c>id</c> is the row number.
/// </summary>
public static class LarderTable
{
    /// <summary>The number of hand-picked rows at the start of <see cref="Create"/>'s table.</summary>
    public const int EdgeRows = 8;

    private const long Min1900 = -2_208_988_800L;
    private const long Max2199 = 7_258_118_399L;

    private static readonly (Field Field, object?[] Edge)[] Columns =
    [
        (new("i8", ArrowType.Int8), [sbyte.MinValue, sbyte.MaxValue, (sbyte)0, null, (sbyte)1, (sbyte)-1, (sbyte)42, (sbyte)-42]),
        (new("i16", ArrowType.Int16), [short.MinValue, short.MaxValue, (short)0, null, (short)1, (short)-1, (short)4242, (short)-4242]),
        (new("i32", ArrowType.Int32), [int.MinValue, int.MaxValue, 0, null, 1, -1, 424242, -424242]),
        (new("i64", ArrowType.Int64), [long.MinValue, long.MaxValue, 0L, null, 1L, -1L, 9_007_199_254_740_993L, -9_007_199_254_740_993L]),
        (new("u8", ArrowType.UInt8), [(byte)0, byte.MaxValue, (byte)128, null, (byte)1, (byte)254, (byte)127, (byte)200]),
        (new("u16", ArrowType.UInt16), [(ushort)0, ushort.MaxValue, (ushort)32768, null, (ushort)1, (ushort)65534, (ushort)32767, (ushort)50000]),
        (new("u32", ArrowType.UInt32), [0u, uint.MaxValue, 2_147_483_648u, null, 1u, uint.MaxValue - 1, 2_147_483_647u, 3_000_000_000u]),
        (new("u64", ArrowType.UInt64), [0ul, ulong.MaxValue, 9_223_372_036_854_775_808ul, null, 1ul, ulong.MaxValue - 1, 9_223_372_036_854_775_807ul, 12_345_678_901_234_567_890ul]),
        (new("f16", ArrowType.HalfFloat), [Half.MinValue, Half.MaxValue, Half.NaN, null, Half.Epsilon, Half.NegativeZero, Half.PositiveInfinity, Half.NegativeInfinity]),
        (new("f32", ArrowType.Float), [float.NegativeInfinity, float.PositiveInfinity, float.NaN, null, float.Epsilon, -0.0f, float.MaxValue, float.MinValue]),
        (new("f64", ArrowType.Double), [double.NegativeInfinity, double.PositiveInfinity, double.NaN, null, double.Epsilon, -0.0, double.MaxValue, double.MinValue]),
        (new("flag", ArrowType.Boolean), [false, true, true, null, false, true, false, true]),
        (new("s", ArrowType.String), ["", "héllo wörld — 矢😀", "tab\tand\nnewline", null, "a", "\"quoted\" \\ backslash", "ΑΒΓ αβγ", new string('x', 300)]),
        (new("ls", ArrowType.LargeString), ["", "ü", "😀😀", null, "large", "€", "x y", "z"]),
        (new("bin", ArrowType.Binary), [Array.Empty<byte>(), new byte[] { 0, 255, 128, 1 }, new byte[] { 0 }, null, new byte[] { 0xC3, 0x28 }, new byte[] { 255 }, new byte[64], new byte[] { 1, 2, 3 }]),
        (new("fsb", new FixedSizeBinaryType(5)), [new byte[5], new byte[] { 255, 255, 255, 255, 255 }, new byte[] { 0, 1, 2, 3, 4 }, null, new byte[] { 128, 0, 0, 0, 0 }, new byte[] { 0, 0, 0, 0, 1 }, new byte[] { 9, 9, 9, 9, 9 }, new byte[] { 1, 0, 1, 0, 1 }]),
        (new("d32", ArrowType.Date32), [-719_162, 2_932_896, 0, null, -1, 1, 19_723, -25_567]),
        (new("d64", ArrowType.Date64), [-719_162 * 86_400_000L, 2_932_896 * 86_400_000L, 0L, null, -86_400_000L, 86_400_000L, 19_723 * 86_400_000L, -25_567 * 86_400_000L]),
        (new("t32s", new TimeType(TimeUnit.Second)), [0, 86_399, 43_200, null, 1, 86_398, 3_600, 45_296]),
        (new("t32ms", new TimeType(TimeUnit.Millisecond)), [0, 86_399_999, 43_200_000, null, 1, 86_399_998, 3_600_001, 45_296_789]),
        (new("t64us", new TimeType(TimeUnit.Microsecond)), [0L, 86_399_999_999L, 43_200_000_000L, null, 1L, 86_399_999_998L, 1_999L, 45_296_789_012L]),
        (new("t64ns", new TimeType(TimeUnit.Nanosecond)), [0L, 86_399_999_999_999L, 43_200_000_000_000L, null, 1L, 1_500L, 1_999L, 45_296_789_012_345L]),
        (new("ts_s", new TimestampType(TimeUnit.Second)), Instants(1)),
        (new("ts_ms", new TimestampType(TimeUnit.Millisecond)), Instants(1_000)),
        (new("ts_us", new TimestampType(TimeUnit.Microsecond)), Instants(1_000_000)),
        (new("ts_ns", new TimestampType(TimeUnit.Nanosecond)), Instants(1_000_000_000)),
        (new("tstz_s", new TimestampType(TimeUnit.Second, "UTC")), Instants(1)),
        (new("tstz_ms", new TimestampType(TimeUnit.Millisecond, "Europe/Paris")), Instants(1_000)),
        (new("tstz_us", new TimestampType(TimeUnit.Microsecond, "UTC")), Instants(1_000_000)),
        (new("tstz_ns", new TimestampType(TimeUnit.Nanosecond, "America/New_York")), Instants(1_000_000_000)),
        (new("dur", new DurationType(TimeUnit.Microsecond)), [long.MinValue, long.MaxValue, 0L, null, 1L, -1L, 86_400_000_000L, -86_400_000_000L]),
        (new("dec9", new DecimalType(9, 2)), ["-9999999.99", "9999999.99", "0.00", null, "0.01", "-0.01", "123.45", "-1"]),
        (new("dec18", new DecimalType(18, 6)), ["-999999999999.999999", "999999999999.999999", "0", null, "0.000001", "-0.000001", "9007199254.740993", "-42"]),
        (new("dec38", new DecimalType(38, 10)), ["-9999999999999999999999999999.9999999999", "9999999999999999999999999999.9999999999", "0", null, "0.0000000001", "-0.0000000001", "12345678901234567890.1234567890", "-1"]),
        (new("li", new ListType(ArrowType.Int32)), [Array.Empty<object?>(), new object?[] { int.MinValue, int.MaxValue }, new object?[] { null, null }, null, new object?[] { 0 }, new object?[] { 1, null, 3 }, new object?[] { -1 }, Enumerable.Range(0, 40).Cast<object?>().ToArray()]),
        (new("lstr", new ListType(ArrowType.String)), [Array.Empty<object?>(), new object?[] { "", "αβγ", null }, new object?[] { null }, null, new object?[] { "" }, new object?[] { "a", "b" }, new object?[] { "😀" }, new object?[] { null, "x", null }]),
        (new("st", StructType), [Struct(null, null), Struct(int.MaxValue, "😀"), null, null, Struct(0, ""), Struct(int.MinValue, null), Struct(null, "only b"), Struct(7, "seven")]),
        (new("lst", new ListType(ListStructType)), [Array.Empty<object?>(), new object?[] { Pair(long.MinValue, ""), Pair(null, null), null }, new object?[] { null }, null, new object?[] { Pair(0L, "a") }, new object?[] { Pair(long.MaxValue, "ü"), Pair(-1L, null) }, Array.Empty<object?>(), new object?[] { Pair(1L, "x"), Pair(2L, "y"), Pair(3L, "z") }]),
        (new("m", new MapType(ArrowType.String, ArrowType.Int32)), [Array.Empty<object?[]>(), Entries(("a", 1), ("b", null), ("", 0)), Entries(("x", int.MinValue)), null, Entries(("10", 1), ("2", 2), ("x", 3), ("01", 4), ("-1", 5)), Entries(("k", 1), ("k", 2), ("j", 3)), Entries(("αβ", int.MaxValue)), Entries(("4294967294", 1), ("4294967295", 2), ("0", 3))]),
        (new("dict", new DictionaryType(ArrowType.Int32, ArrowType.String)), ["", "αβ", "x", null, "x", "", "y", "αβ"]),
        (new("lb", ArrowType.LargeBinary), [Array.Empty<byte>(), new byte[] { 255, 0 }, new byte[] { 7 }, null, new byte[300], new byte[] { 0x80 }, new byte[] { 1, 1 }, new byte[] { 42 }]),
        (new("dec256", new DecimalType(38, 5, 256)), ["-999999999999999999999999999999999.99999", "999999999999999999999999999999999.99999", "0", null, "0.00001", "-0.00001", "1", "-123456789012345678901234.56789"]),
        (new("fsl", new FixedSizeListType(ArrowType.Double, 3)), [new object?[] { 0.0, -0.0, double.NaN }, new object?[] { double.MaxValue, double.Epsilon, double.NegativeInfinity }, new object?[] { null, null, null }, null, new object?[] { 1.5, null, 2.5 }, new object?[] { -1.0, 0.1, 1e300 }, new object?[] { 3.0, 2.0, 1.0 }, new object?[] { double.PositiveInfinity, null, 0.0 }]),
        (new("ll", new ListType(ArrowType.LargeString, large: true)), [Array.Empty<object?>(), new object?[] { "large", null, "" }, new object?[] { null }, null, new object?[] { "😀" }, Array.Empty<object?>(), new object?[] { "a", "b", "c", "d" }, new object?[] { "" }]),
        (new("lli", new ListType(new ListType(ArrowType.Int16))), [Array.Empty<object?>(), new object?[] { Array.Empty<object?>(), null, new object?[] { short.MinValue, null, short.MaxValue } }, new object?[] { null }, null, new object?[] { Array.Empty<object?>() }, new object?[] { new object?[] { (short)1 }, new object?[] { (short)2, (short)3 } }, new object?[] { null, null }, new object?[] { new object?[] { null } }]),
        (new("mli", new MapType(ArrowType.String, new ListType(ArrowType.Int64))), [Array.Empty<object?[]>(), new object?[][] { ["a", new object?[] { long.MinValue, null }], ["b", null], ["c", Array.Empty<object?>()] }, new object?[][] { ["x", new object?[] { null }] }, null, new object?[][] { ["k", new object?[] { 1L, 2L, 3L }] }, Array.Empty<object?[]>(), new object?[][] { ["", new object?[] { long.MaxValue }] }, new object?[][] { ["z", null] }]),
        (new("mif", new MapType(ArrowType.Int32, ArrowType.Double, valueNullable: true, keysSorted: true)), [Array.Empty<object?[]>(), new object?[][] { [int.MinValue, double.NaN], [-1, null], [0, 0.5], [int.MaxValue, double.PositiveInfinity] }, new object?[][] { [7, -0.0] }, null, new object?[][] { [1, 1.0], [2, 2.0] }, Array.Empty<object?[]>(), new object?[][] { [10, null], [20, double.NegativeInfinity] }, new object?[][] { [3, double.Epsilon] }]),
        (new("sd", new StructType([new Field("code", new DictionaryType(ArrowType.Int8, ArrowType.String)), new Field("value", ArrowType.Double)])), [Code("", 0.0), Code("αβ", double.NaN), null, null, Code(null, null), Code("x", -1.5), Code("αβ", 1e-300), Code("x", null)]),
        (new("nothing", ArrowType.Null), [null, null, null, null, null, null, null, null]),
    ];

    private static StructType StructType => new([new Field("a", ArrowType.Int32), new Field("b", ArrowType.String)]);

    private static StructType ListStructType => new([new Field("x", ArrowType.Int64), new Field("y", ArrowType.String)]);

    /// <summary>The table's schema: <c>id</c> (int32, not null) and then the typed columns, all nullable.</summary>
    public static Schema Schema { get; } = new([new Field("id", ArrowType.Int32, nullable: false), .. Columns.Select(c => c.Field)]);

    /// <summary>The edge rows followed by <paramref name="randomRows"/> random rows drawn with <paramref name="seed"/>.</summary>
    public static RecordBatch Create(int randomRows, int seed)
    {
        var typed = new Schema(Columns.Select(c => c.Field));
        var edge = new RecordBatch(typed, Columns.Select(c => Build(c.Field.Type, c.Edge)), EdgeRows);
        var random = RandomData.Batch(typed, randomRows, seed, nullFraction: 0.15);
        var both = ArrayConcatenator.ConcatenateBatches([edge, random]);
        var id = new PrimitiveArrayBuilder<int>(ArrowType.Int32);
        for (int i = 0; i < both.Length; i++)
        {
            id.Append(i);
        }

        return new RecordBatch(Schema, [id.Build(), .. both.Columns], both.Length);
    }

    private static IArrowArray Build(ArrowType type, object?[] values)
    {
        var builder = ArrayBuilderFactory.Create(type);
        foreach (var value in values)
        {
            builder.AppendValue(value);
        }

        return builder.Build();
    }

    /// <summary>
    /// The edge instants in units of 1/<paramref name="perSecond"/> s: 1900-01-01, the last unit of 2199, the epoch,
    /// null, one unit after and before it, 1500 units before it and 2024-01-01 plus 1999 units (in nanoseconds, the
    /// last two show how a microsecond reader rounds).
    /// </summary>
    private static object?[] Instants(long perSecond)
        => [Min1900 * perSecond, (Max2199 * perSecond) + perSecond - 1, 0L, null, 1L, -1L, -1_500L, (1_704_067_200L * perSecond) + 1_999L];

    private static Dictionary<string, object?> Struct(int? a, string? b) => new() { ["a"] = a, ["b"] = b };

    private static Dictionary<string, object?> Pair(long? x, string? y) => new() { ["x"] = x, ["y"] = y };

    private static Dictionary<string, object?> Code(string? code, double? value) => new() { ["code"] = code, ["value"] = value };

    private static object?[][] Entries(params (string Key, int? Value)[] entries) => [.. entries.Select(e => new object?[] { e.Key, e.Value })];
}
