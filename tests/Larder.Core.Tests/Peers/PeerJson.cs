using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Columnar;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// Larder's values in the JSON shape of the apache-arrow peer's <c>normalize.mjs</c> (tests/peers/README.md): 8/16/32-bit
/// integers and floats as numbers (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"); 64-bit integers as
/// decimal strings; decimals as their unscaled integer as a decimal string; bool as bool; strings as strings; binary
/// and fixed-size binary as base64; dates, timestamps, times and durations as their integer storage value as a decimal
/// string; lists and fixed-size lists as arrays; structs as objects; maps as arrays of [key, value]; dictionary values
/// decoded; null as null; intervals in the shape apache-arrow's getters give them. Plus a comparison of two such documents that names the first difference.
/// </summary>
public static class PeerJson
{
    /// <summary>The normalized values of <paramref name="column"/> of every batch, back to back.</summary>
    public static JsonArray Column(IEnumerable<RecordBatch> batches, int column)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var values = new JsonArray();
        foreach (var batch in batches)
        {
            var array = batch.Column(column);
            for (int row = 0; row < array.Length; row++)
            {
                values.Add(Value(array, row));
            }
        }

        return values;
    }

    /// <summary>The normalized value of row <paramref name="row"/> of <paramref name="array"/>.</summary>
    /// <exception cref="NotSupportedException">The README defines no normalization for the type.</exception>
    public static JsonNode? Value(IArrowArray array, int row)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Type.Id == ArrowTypeId.Null || array.IsNull(row))
        {
            return null;
        }

        switch (array.Type.Id)
        {
            case ArrowTypeId.Boolean:
                return ((BooleanArray)array).GetBit(row);
            case ArrowTypeId.Int8:
                return ((PrimitiveArray<sbyte>)array).Values[row];
            case ArrowTypeId.Int16:
                return ((PrimitiveArray<short>)array).Values[row];
            case ArrowTypeId.Int32:
                return ((PrimitiveArray<int>)array).Values[row];
            case ArrowTypeId.UInt8:
                return ((PrimitiveArray<byte>)array).Values[row];
            case ArrowTypeId.UInt16:
                return ((PrimitiveArray<ushort>)array).Values[row];
            case ArrowTypeId.UInt32:
                return ((PrimitiveArray<uint>)array).Values[row];
            case ArrowTypeId.Int64:
                return Text(((PrimitiveArray<long>)array).Values[row]);
            case ArrowTypeId.UInt64:
                return Text(((PrimitiveArray<ulong>)array).Values[row]);
            case ArrowTypeId.HalfFloat:
                return Number((double)((PrimitiveArray<Half>)array).Values[row]);
            case ArrowTypeId.Float:
                return Number(((PrimitiveArray<float>)array).Values[row]);
            case ArrowTypeId.Double:
                return Number(((PrimitiveArray<double>)array).Values[row]);
            case ArrowTypeId.String or ArrowTypeId.LargeString:
                return ((StringArray)array).GetString(row);
            case ArrowTypeId.Binary or ArrowTypeId.LargeBinary:
                return Convert.ToBase64String(((BinaryArray)array).GetBytes(row));
            case ArrowTypeId.FixedSizeBinary:
                return Convert.ToBase64String(((FixedSizeBinaryArray)array).GetBytes(row));
            case ArrowTypeId.Decimal128:
                return ((Decimal128Array)array).Values[row].ToString(CultureInfo.InvariantCulture);
            case ArrowTypeId.Decimal256:
                return new BigInteger(((FixedSizeBinaryArray)array).GetBytes(row), isUnsigned: false, isBigEndian: false).ToString(CultureInfo.InvariantCulture);
            case ArrowTypeId.Date32 or ArrowTypeId.Time32:
                return Text(((PrimitiveArray<int>)array).Values[row]);
            case ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Duration or ArrowTypeId.Timestamp:
                return Text(((PrimitiveArray<long>)array).Values[row]);
            case ArrowTypeId.List or ArrowTypeId.LargeList:
                return Items(((ListArray)array).GetList(row));
            case ArrowTypeId.FixedSizeList:
                return Items(((FixedSizeListArray)array).GetList(row));
            case ArrowTypeId.Struct:
                {
                    var fields = ((StructType)array.Type).Fields;
                    var children = ((StructArray)array).Fields;
                    var obj = new JsonObject();
                    for (int k = 0; k < fields.Count; k++)
                    {
                        obj[fields[k].Name] = Value(children[k], row);
                    }

                    return obj;
                }

            case ArrowTypeId.Map:
                {
                    var map = (MapArray)array;
                    var entries = new JsonArray();
                    for (long j = map.GetValueOffset(row); j < map.GetValueOffset(row + 1); j++)
                    {
                        entries.Add(new JsonArray(Value(map.Keys, (int)j), Value(map.Items, (int)j)));
                    }

                    return entries;
                }

            case ArrowTypeId.Dictionary:
                {
                    var dictionary = (DictionaryArray)array;
                    return Value(dictionary.Dictionary, checked((int)dictionary.GetIndex(row)));
                }

            // Not in the README: normalize.mjs falls back to apache-arrow's own getter for intervals, which gives
            // year_month as [years, months] (truncating division by 12), day_time as [days, milliseconds] and
            // month_day_nano as its four raw int32 words [months, days, nanoseconds low, nanoseconds high].
            case ArrowTypeId.Interval when ((IntervalType)array.Type).Unit == IntervalUnit.YearMonth:
                {
                    int months = ((PrimitiveArray<int>)array).Values[row];
                    return new JsonArray(months / 12, months % 12);
                }

            case ArrowTypeId.Interval when ((IntervalType)array.Type).Unit == IntervalUnit.DayTime:
                {
                    var v = ((PrimitiveArray<IntervalDayTime>)array).Values[row];
                    return new JsonArray(v.Days, v.Milliseconds);
                }

            case ArrowTypeId.Interval:
                {
                    var v = ((PrimitiveArray<IntervalMonthDayNano>)array).Values[row];
                    return new JsonArray(v.Months, v.Days, unchecked((int)v.Nanoseconds), (int)(v.Nanoseconds >> 32));
                }

            default:
                throw new NotSupportedException($"tests/peers/README.md defines no JSON normalization for {array.Type}");
        }
    }

    /// <summary>
    /// Null when <paramref name="expected"/> and <paramref name="actual"/> are equal (numbers by value, objects by
    /// their set of properties), else the first difference as "path: expected …, got …".
    /// </summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "")
    {
        // Both sides through text, so that numbers built in C# and numbers parsed from node compare alike.
        using var e = JsonDocument.Parse(expected?.ToJsonString() ?? "null");
        using var a = JsonDocument.Parse(actual?.ToJsonString() ?? "null");
        return FirstDifference(e.RootElement, a.RootElement, path);
    }

    private static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Number:
                return expected.GetDouble() == actual.GetDouble() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            case JsonValueKind.Array:
                {
                    int n = expected.GetArrayLength();
                    if (n != actual.GetArrayLength())
                    {
                        return $"{path}: expected {n} items, got {actual.GetArrayLength()} ({Show(expected)} vs {Show(actual)})";
                    }

                    for (int i = 0; i < n; i++)
                    {
                        var d = FirstDifference(expected[i], actual[i], $"{path}[{i}]");
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    return null;
                }

            case JsonValueKind.Object:
                {
                    var expectedNames = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                    var actualNames = actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                    if (!expectedNames.SequenceEqual(actualNames))
                    {
                        return $"{path}: expected keys [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]";
                    }

                    foreach (var name in expectedNames)
                    {
                        var d = FirstDifference(expected.GetProperty(name), actual.GetProperty(name), $"{path}.{name}");
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    return null;
                }

            default:
                return null; // true, false, null: equal kinds are equal values
        }
    }

    private static string Show(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length <= 200 ? text : text[..200] + "…";
    }

    private static JsonArray Items(IArrowArray items)
    {
        var list = new JsonArray();
        for (int i = 0; i < items.Length; i++)
        {
            list.Add(Value(items, i));
        }

        return list;
    }

    private static JsonNode Text(long value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonNode Text(ulong value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonNode Number(double value) => double.IsNaN(value)
        ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);
}
