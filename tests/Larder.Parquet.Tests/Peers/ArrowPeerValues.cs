using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Columnar;
using Larder.Parquet.Metadata;
using TimeUnit = Larder.Columnar.TimeUnit;

namespace Larder.Parquet.Tests.Peers;

/// <summary>Whose reading of a Parquet file <see cref="ArrowPeerValues"/> models where the peers differ.</summary>
public enum PeerReader
{
    /// <summary>DuckDB's <c>read_parquet</c> (<c>tests/peers/duckdb/read.mjs</c>).</summary>
    DuckDb,

    /// <summary>hyparquet (<c>tests/peers/hyparquet/read.mjs</c>).</summary>
    Hyparquet,
}

/// <summary>
/// Renders Arrow values in the peers' normalised JSON form (tests/peers/README.md), so that an Arrow batch — the source
/// Larder wrote, or what Larder read — compares value by value with what DuckDB or hyparquet read from the same
/// Parquet file (<see cref="PeerValues.AssertSameRows"/>).
/// </summary>
/// <remarks>
/// <para>
/// A value's JSON depends on the Parquet type it is stored as, which the Arrow type alone does not always tell. The
/// file's schema (<see cref="FileMetaData.Schema"/>) is therefore walked alongside the Arrow schema, leaf by leaf in
/// depth-first order (Larder maps every Arrow leaf to one Parquet leaf and back), and decides:
/// time32/time64 are <c>timetz</c> (offset 0) when the Parquet TIME is adjusted to UTC — as Larder writes them — and
/// <c>time</c> otherwise; a fixed_size_binary[16] annotated UUID is the UUID text; a fixed_size_binary[12] with the
/// INTERVAL converted type (Larder reads DuckDB's INTERVAL so) is <c>{"months","days","micros"}</c>. Without a schema
/// these are <c>time</c> and base64.
/// </para>
/// <para>
/// Other rules, by Arrow type: 8/16/32-bit integers and floats (float16 and float32 widened exactly to double) are JSON
/// numbers, NaN and ±infinity the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>; int64, uint64 and
/// duration are decimal strings; decimals the exact decimal text with <c>scale</c> fractional digits; utf8 strings;
/// binary and fixed-size binary base64; date32 and date64 (floored to days, as Larder writes it) a <c>date</c> in days;
/// timestamps <c>timestamp</c> without a time zone and <c>timestamptz</c> with one (any zone: Parquet keeps only
/// "adjusted to UTC"), in the Arrow unit; interval[year_month] and interval[day_time] the Parquet INTERVAL object;
/// interval[month_day_nano] (stored as raw FIXED_LEN_BYTE_ARRAY(16)) base64 of its 16 bytes; lists arrays; structs
/// objects in field order; maps arrays of <c>[key, value]</c> in entry order; dictionaries their decoded value.
/// </para>
/// <para>
/// Where the peers differ, <see cref="PeerReader"/> decides, and the difference is modelled rather than ignored:
/// <list type="bullet">
/// <item>DuckDB has no nanosecond TIMESTAMPTZ or TIMETZ: it reads TIMESTAMP(NANOS, UTC) and TIME(NANOS, UTC) in
/// microseconds, truncated toward zero. Its DECIMAL holds at most 38 digits (it reads wider ones as DOUBLE), which this
/// converter refuses. Its ±infinity (int64 max / -(int64 max) timestamps, int32 max / -(int32 max) dates) gets the iso
/// text <c>"infinity"</c> / <c>"-infinity"</c>.</item>
/// <item>hyparquet assembles a map as a JS object: its keys become property names, so integer-like keys
/// (canonical array indices) come first in ascending order, the other keys follow in entry order, and a repeated key
/// keeps its first position with its last value. Only string and integer keys survive that; others are refused.</item>
/// </list>
/// The column types of the returned result set are Arrow's type names, not the peers'.
/// </para>
/// </remarks>
public static class ArrowPeerValues
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// All rows of <paramref name="batches"/> (any batch boundaries) as one result set: column names from the first
    /// batch's schema, one row per record.
    /// </summary>
    /// <param name="parquetSchema">The Parquet schema of the file the batches were written to or read from; null for none.</param>
    /// <exception cref="NotSupportedException">A value has no faithful form for <paramref name="reader"/> (see the remarks).</exception>
    public static PeerResultSet ToResultSet(IEnumerable<RecordBatch> batches, IReadOnlyList<SchemaElement>? parquetSchema, PeerReader reader)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var list = batches.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("at least one batch is needed for the schema", nameof(batches));
        }

        var schema = list[0].Schema;
        var plans = Plan(schema, parquetSchema);
        var columns = new JsonArray([.. schema.Fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type.ToString() })]);
        var rows = new List<JsonElement>();
        foreach (var batch in list)
        {
            for (int r = 0; r < batch.Length; r++)
            {
                var row = new JsonArray();
                for (int c = 0; c < batch.ColumnCount; c++)
                {
                    row.Add(Convert(plans[c], batch.Column(c), r, reader));
                }

                rows.Add(Parse(row.ToJsonString(Readable)));
            }
        }

        var header = Parse(new JsonObject { ["columns"] = columns, ["rowCount"] = rows.Count }.ToJsonString());
        return new PeerResultSet(header, [.. schema.Fields.Select(f => new PeerColumn(f.Name, f.Type.ToString()))], rows);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>One node of a column's type tree, with the Parquet leaf element of each Arrow leaf.</summary>
    private sealed record Node(ArrowType Type, SchemaElement? Leaf, Node[] Children);

    private static Node[] Plan(Schema schema, IReadOnlyList<SchemaElement>? parquetSchema)
    {
        List<List<SchemaElement>>? leaves = null;
        if (parquetSchema is not null)
        {
            leaves = TopLevelLeaves(parquetSchema);
            if (leaves.Count != schema.Count)
            {
                throw new ArgumentException($"the Parquet schema has {leaves.Count} top-level fields, the Arrow schema {schema.Count}", nameof(parquetSchema));
            }
        }

        var plans = new Node[schema.Count];
        for (int c = 0; c < schema.Count; c++)
        {
            var queue = leaves is null ? null : new Queue<SchemaElement>(leaves[c]);
            plans[c] = Build(schema[c].Type, queue, schema[c].Name);
            if (queue is { Count: > 0 })
            {
                throw new ArgumentException($"column '{schema[c].Name}' ({schema[c].Type}) has fewer leaves than its {leaves![c].Count} Parquet leaves", nameof(parquetSchema));
            }
        }

        return plans;
    }

    /// <summary>The leaf elements under each child of the root, in depth-first order.</summary>
    private static List<List<SchemaElement>> TopLevelLeaves(IReadOnlyList<SchemaElement> elements)
    {
        int index = 1;
        var result = new List<List<SchemaElement>>();
        int count = elements[0].NumChildren ?? 0;
        for (int i = 0; i < count; i++)
        {
            var leaves = new List<SchemaElement>();
            Collect(elements, ref index, leaves);
            result.Add(leaves);
        }

        return result;

        static void Collect(IReadOnlyList<SchemaElement> elements, ref int index, List<SchemaElement> leaves)
        {
            var e = elements[index++];
            if (e.Type is not null)
            {
                leaves.Add(e);
                return;
            }

            for (int i = 0; i < (e.NumChildren ?? 0); i++)
            {
                Collect(elements, ref index, leaves);
            }
        }
    }

    private static Node Build(ArrowType type, Queue<SchemaElement>? leaves, string path)
    {
        switch (type)
        {
            case DictionaryType d:
                return Build(d.ValueType, leaves, path) with { Type = type };
            case ListType l:
                return new Node(type, null, [Build(l.ValueType, leaves, path + ".item")]);
            case FixedSizeListType f:
                return new Node(type, null, [Build(f.ValueType, leaves, path + ".item")]);
            case StructType s:
                return new Node(type, null, [.. s.Fields.Select(f => Build(f.Type, leaves, path + "." + f.Name))]);
            case MapType m:
                return new Node(type, null, [Build(m.KeyField.Type, leaves, path + ".key"), Build(m.ValueField.Type, leaves, path + ".value")]);
            default:
                if (leaves is null)
                {
                    return new Node(type, null, []);
                }

                return leaves.TryDequeue(out var leaf)
                    ? new Node(type, leaf, [])
                    : throw new ArgumentException($"'{path}' ({type}) has more Arrow leaves than the Parquet schema", nameof(leaves));
        }
    }

    private static JsonNode? Convert(Node node, IArrowArray array, int index, PeerReader reader)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        switch (array)
        {
            case DictionaryArray d:
                return Convert(node with { Type = ((DictionaryType)node.Type).ValueType }, d.Dictionary, checked((int)d.GetIndex(index)), reader);
            case MapArray m:
                return Map(node, m, index, reader);
            case ListArray l:
                {
                    var items = new JsonArray();
                    for (long i = l.GetValueOffset(index); i < l.GetValueOffset(index + 1); i++)
                    {
                        items.Add(Convert(node.Children[0], l.Values, checked((int)i), reader));
                    }

                    return items;
                }

            case FixedSizeListArray f:
                {
                    var items = new JsonArray();
                    int start = (f.Data.Offset + index) * f.ListSize;
                    for (int i = start; i < start + f.ListSize; i++)
                    {
                        items.Add(Convert(node.Children[0], f.Values, i, reader));
                    }

                    return items;
                }

            case StructArray s:
                {
                    var fields = ((StructType)s.Type).Fields;
                    var result = new JsonObject();
                    for (int i = 0; i < fields.Count; i++)
                    {
                        result[fields[i].Name] = Convert(node.Children[i], s.Fields[i], index, reader);
                    }

                    return result;
                }

            default:
                return Leaf(node, array, index, reader);
        }
    }

    private static JsonNode Map(Node node, MapArray map, int index, PeerReader reader)
    {
        int start = checked((int)map.GetValueOffset(index));
        int end = checked((int)map.GetValueOffset(index + 1));
        var entries = new List<(string Property, JsonNode? Key, JsonNode? Value)>();
        for (int i = start; i < end; i++)
        {
            var key = Convert(node.Children[0], map.Keys, i, reader);
            var value = Convert(node.Children[1], map.Items, i, reader);
            entries.Add((reader == PeerReader.Hyparquet ? JsPropertyName(map.Keys, i) : string.Empty, key, value));
        }

        if (reader == PeerReader.Hyparquet)
        {
            entries = JsObjectOrder(entries);
        }

        return new JsonArray([.. entries.Select(e => (JsonNode)new JsonArray(e.Key, e.Value))]);
    }

    /// <summary>The property name a map key becomes in hyparquet's JS object.</summary>
    private static string JsPropertyName(IArrowArray keys, int i)
    {
        object? key = keys is DictionaryArray d ? d.Dictionary.GetValue(checked((int)d.GetIndex(i))) : keys.GetValue(i);
        string name = key switch
        {
            string s => s,
            sbyte or short or int or long or byte or ushort or uint or ulong => System.Convert.ToString(key, CultureInfo.InvariantCulture)!,
            _ => throw new NotSupportedException($"hyparquet turns map keys into JS property names; a {keys.Type} key does not survive that"),
        };
        return name == "__proto__" ? throw new NotSupportedException("hyparquet cannot hold the map key \"__proto__\" (it sets the object's prototype)") : name;
    }

    /// <summary>The entries in the order of a JS object's own properties, duplicates merged as assignment does.</summary>
    private static List<(string Property, JsonNode? Key, JsonNode? Value)> JsObjectOrder(List<(string Property, JsonNode? Key, JsonNode? Value)> entries)
    {
        var merged = new List<(string Property, JsonNode? Key, JsonNode? Value)>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (positions.TryGetValue(entry.Property, out int at))
            {
                merged[at] = (merged[at].Property, merged[at].Key, entry.Value);
            }
            else
            {
                positions[entry.Property] = merged.Count;
                merged.Add(entry);
            }
        }

        var indices = merged.Where(e => IsArrayIndex(e.Property)).OrderBy(e => uint.Parse(e.Property, CultureInfo.InvariantCulture));
        return [.. indices, .. merged.Where(e => !IsArrayIndex(e.Property))];
    }

    /// <summary>An ECMAScript array index: the canonical decimal text of an integer in [0, 2^32 - 2].</summary>
    private static bool IsArrayIndex(string name)
        => uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) && n != uint.MaxValue && n.ToString(CultureInfo.InvariantCulture) == name;

    private static JsonNode Leaf(Node node, IArrowArray array, int index, PeerReader reader)
    {
        var type = array.Type;
        var leaf = node.Leaf;
        switch (type.Id)
        {
            case ArrowTypeId.Boolean: return JsonValue.Create(((BooleanArray)array).GetBit(index));
            case ArrowTypeId.Int8: return JsonValue.Create(((PrimitiveArray<sbyte>)array).Values[index]);
            case ArrowTypeId.Int16: return JsonValue.Create(((PrimitiveArray<short>)array).Values[index]);
            case ArrowTypeId.Int32: return JsonValue.Create(((PrimitiveArray<int>)array).Values[index]);
            case ArrowTypeId.UInt8: return JsonValue.Create(((PrimitiveArray<byte>)array).Values[index]);
            case ArrowTypeId.UInt16: return JsonValue.Create(((PrimitiveArray<ushort>)array).Values[index]);
            case ArrowTypeId.UInt32: return JsonValue.Create(((PrimitiveArray<uint>)array).Values[index]);
            case ArrowTypeId.Int64: return Text(((PrimitiveArray<long>)array).Values[index]);
            case ArrowTypeId.UInt64: return Text(((PrimitiveArray<ulong>)array).Values[index]);
            case ArrowTypeId.Duration: return Text(((PrimitiveArray<long>)array).Values[index]);
            case ArrowTypeId.HalfFloat: return Number((double)((PrimitiveArray<Half>)array).Values[index]);
            case ArrowTypeId.Float: return Number(((PrimitiveArray<float>)array).Values[index]);
            case ArrowTypeId.Double: return Number(((PrimitiveArray<double>)array).Values[index]);
            case ArrowTypeId.String or ArrowTypeId.LargeString: return JsonValue.Create(((StringArray)array).GetString(index)!);
            case ArrowTypeId.Binary or ArrowTypeId.LargeBinary: return System.Convert.ToBase64String(((BinaryArray)array).GetBytes(index));
            case ArrowTypeId.FixedSizeBinary:
                {
                    var bytes = ((FixedSizeBinaryArray)array).GetBytes(index);
                    if (leaf?.LogicalType?.Kind == LogicalTypeKind.Uuid && bytes.Length == 16)
                    {
                        return Uuid(bytes);
                    }

                    return leaf?.ConvertedType == ConvertedType.Interval && bytes.Length == 12
                        ? Interval(BinaryPrimitives.ReadUInt32LittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) * 1000L)
                        : System.Convert.ToBase64String(bytes);
                }

            case ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256:
                {
                    var decimalType = (DecimalType)type;
                    if (reader == PeerReader.DuckDb && decimalType.Precision > 38)
                    {
                        throw new NotSupportedException($"DuckDB reads a DECIMAL of {decimalType.Precision} digits as DOUBLE; {type} values cannot be compared exactly");
                    }

                    var unscaled = array is Decimal128Array d128
                        ? (BigInteger)d128.Values[index]
                        : new BigInteger(((FixedSizeBinaryArray)array).GetBytes(index), isUnsigned: false, isBigEndian: false);
                    return DecimalText(unscaled, decimalType.Scale);
                }

            case ArrowTypeId.Date32:
                return Date(((PrimitiveArray<int>)array).Values[index], reader);
            case ArrowTypeId.Date64:
                return Date(checked((int)FloorDiv(((PrimitiveArray<long>)array).Values[index], 86_400_000)), reader);
            case ArrowTypeId.Time32 or ArrowTypeId.Time64:
                {
                    var unit = ((TimeType)type).Unit;
                    long value = type.Id == ArrowTypeId.Time32 ? ((PrimitiveArray<int>)array).Values[index] : ((PrimitiveArray<long>)array).Values[index];
                    bool utc = leaf?.LogicalType is { Kind: LogicalTypeKind.Time, IsAdjustedToUtc: true }
                        || (leaf?.LogicalType is null && leaf?.ConvertedType is ConvertedType.TimeMillis or ConvertedType.TimeMicros);
                    if (utc && unit == TimeUnit.Nanosecond && reader == PeerReader.DuckDb)
                    {
                        (value, unit) = (value / 1000, TimeUnit.Microsecond);
                    }

                    return Time(value, unit, utc);
                }

            case ArrowTypeId.Timestamp:
                {
                    var ts = (TimestampType)type;
                    long value = ((TimestampArray)array).Values[index];
                    var unit = ts.Unit;
                    bool utc = ts.TimeZone is not null;
                    if (utc && unit == TimeUnit.Nanosecond && reader == PeerReader.DuckDb)
                    {
                        (value, unit) = (value / 1000, TimeUnit.Microsecond);
                    }

                    return Timestamp(value, unit, utc, reader);
                }

            case ArrowTypeId.Interval:
                return ((IntervalType)type).Unit switch
                {
                    IntervalUnit.YearMonth => Interval(((PrimitiveArray<int>)array).Values[index], 0, 0),
                    IntervalUnit.DayTime => Interval(0, ((PrimitiveArray<IntervalDayTime>)array).Values[index].Days, ((PrimitiveArray<IntervalDayTime>)array).Values[index].Milliseconds * 1000L),
                    _ => System.Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(((PrimitiveArray<IntervalMonthDayNano>)array).Values.Slice(index, 1))),
                };
            default:
                throw new NotSupportedException($"no peer form for {type}");
        }
    }

    private static JsonValue Text<T>(T value)
        where T : IFormattable
        => JsonValue.Create(value.ToString(null, CultureInfo.InvariantCulture))!;

    private static JsonValue Number(double value)
        => double.IsNaN(value) ? JsonValue.Create("NaN")
            : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
            : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
            : JsonValue.Create(value);

    private static JsonValue Uuid(ReadOnlySpan<byte> bytes)
    {
        string hex = System.Convert.ToHexStringLower(bytes);
        return JsonValue.Create($"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}");
    }

    private static JsonObject Interval(long months, long days, long micros)
        => new() { ["months"] = months, ["days"] = days, ["micros"] = micros.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The exact text of <paramref name="unscaled"/> × 10^-<paramref name="scale"/> with <paramref name="scale"/> fractional digits.</summary>
    public static string DecimalText(BigInteger unscaled, int scale)
    {
        string digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = digits[..^scale] + "." + digits[^scale..];
        }

        return unscaled.Sign < 0 ? "-" + digits : digits;
    }

    private static JsonObject Date(int days, PeerReader reader)
    {
        string iso = reader == PeerReader.DuckDb && Math.Abs((long)days) == int.MaxValue ? (days > 0 ? "infinity" : "-infinity") : IsoDate(days);
        return Temporal("date", "day", days, iso);
    }

    private static JsonObject Time(long value, TimeUnit unit, bool utc)
    {
        var result = Temporal(utc ? "timetz" : "time", UnitName(unit), value, IsoTimeOfDay(value, unit) + (utc ? "+00:00" : string.Empty));
        if (utc)
        {
            result["offset"] = 0;
        }

        return result;
    }

    private static JsonObject Timestamp(long value, TimeUnit unit, bool utc, PeerReader reader)
    {
        string iso;
        if (reader == PeerReader.DuckDb && (value == long.MaxValue || value == -long.MaxValue))
        {
            iso = value > 0 ? "infinity" : "-infinity";
        }
        else
        {
            long perDay = Larder.Columnar.Temporal.PerSecond(unit) * 86_400;
            long timeOfDay = ((value % perDay) + perDay) % perDay;
            iso = IsoDate(FloorDiv(value, perDay)) + "T" + IsoTimeOfDay(timeOfDay, unit) + (utc ? "Z" : string.Empty);
        }

        return Temporal(utc ? "timestamptz" : "timestamp", UnitName(unit), value, iso);
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b) < 0 ? 1 : 0);

    private static JsonObject Temporal(string kind, string unit, long raw, string iso)
        => new() { ["kind"] = kind, ["unit"] = unit, ["raw"] = raw.ToString(CultureInfo.InvariantCulture), ["iso"] = iso };

    private static string UnitName(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };

    /// <summary>The proleptic Gregorian date of a day count since 1970-01-01 (any year; four digits at least).</summary>
    public static string IsoDate(long days)
    {
        long z = days + 719_468;
        long era = FloorDiv(z, 146_097);
        long doe = z - (era * 146_097);
        long yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        long doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        long mp = ((5 * doy) + 2) / 153;
        long d = doy - (((153 * mp) + 2) / 5) + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + (era * 400) + (m <= 2 ? 1 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{(y < 0 ? "-" : string.Empty)}{Math.Abs(y):D4}-{m:D2}-{d:D2}");
    }

    /// <summary><c>HH:MM:SS</c> plus 0/3/6/9 fraction digits (by unit) of a time of day.</summary>
    public static string IsoTimeOfDay(long value, TimeUnit unit)
    {
        long per = Larder.Columnar.Temporal.PerSecond(unit);
        long seconds = value / per;
        long fraction = value % per;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{seconds / 3600:D2}:{seconds / 60 % 60:D2}:{seconds % 60:D2}");
        int digits = unit switch { TimeUnit.Second => 0, TimeUnit.Millisecond => 3, TimeUnit.Microsecond => 6, _ => 9 };
        if (digits > 0)
        {
            text.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
        }

        return text.ToString();
    }
}
