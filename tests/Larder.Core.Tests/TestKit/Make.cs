using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Core.Tests.TestKit;

/// <summary>
/// Builds arrays from boxed values straight into <see cref="ArrayData"/>, independently of the model's builders, so that
/// the kit's tests compare data made by two unrelated routes. Accepts the forms <see cref="IArrowArray.GetValue"/>
/// returns (lists as enumerables, structs as <c>IReadOnlyDictionary&lt;string, object?&gt;</c>, maps as key/value
/// pairs, decimals as <see cref="decimal"/>, text or <see cref="BigInteger"/>, dictionary arrays as decoded values).
/// </summary>
internal static class Make
{
    public static IArrowArray Array(ArrowType type, params object?[] values) => ArrowArrayFactory.Create(Data(type, values));

    public static ArrayData Data(ArrowType type, IReadOnlyList<object?> values)
    {
        int n = values.Count;
        if (type.Id == ArrowTypeId.Null)
        {
            return new ArrayData(type, n, n, 0, []);
        }

        var bits = new byte[BitUtil.BytesForBits(n)];
        int nulls = 0;
        for (int i = 0; i < n; i++)
        {
            if (values[i] is null)
            {
                nulls++;
            }
            else
            {
                BitUtil.SetBit(bits, i);
            }
        }

        var validity = nulls == 0 ? ArrowBuffer.Empty : ArrowBuffer.CopyOf<byte>(bits);
        switch (type.Id)
        {
            case ArrowTypeId.Boolean:
                {
                    var valueBits = new byte[BitUtil.BytesForBits(n)];
                    for (int i = 0; i < n; i++)
                    {
                        if (values[i] is true)
                        {
                            BitUtil.SetBit(valueBits, i);
                        }
                    }

                    return new ArrayData(type, n, nulls, 0, [validity, ArrowBuffer.CopyOf<byte>(valueBits)]);
                }

            case ArrowTypeId.Int8:
                return Fixed(type, values, validity, nulls, v => Convert.ToSByte(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.Int16:
                return Fixed(type, values, validity, nulls, v => Convert.ToInt16(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.Int32 or ArrowTypeId.Date32 or ArrowTypeId.Time32:
                return Fixed(type, values, validity, nulls, v => Convert.ToInt32(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.Int64 or ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration:
                return Fixed(type, values, validity, nulls, v => Convert.ToInt64(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.UInt8:
                return Fixed(type, values, validity, nulls, v => Convert.ToByte(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.UInt16:
                return Fixed(type, values, validity, nulls, v => Convert.ToUInt16(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.UInt32:
                return Fixed(type, values, validity, nulls, v => Convert.ToUInt32(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.UInt64:
                return Fixed(type, values, validity, nulls, v => Convert.ToUInt64(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.HalfFloat:
                return Fixed(type, values, validity, nulls, v => v is Half h ? h : (Half)Convert.ToDouble(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.Float:
                return Fixed(type, values, validity, nulls, v => v is float f ? f : (float)Convert.ToDouble(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.Double:
                return Fixed(type, values, validity, nulls, v => Convert.ToDouble(v, CultureInfo.InvariantCulture));
            case ArrowTypeId.Interval:
                return ((IntervalType)type).Unit switch
                {
                    IntervalUnit.YearMonth => Fixed(type, values, validity, nulls, v => Convert.ToInt32(v, CultureInfo.InvariantCulture)),
                    IntervalUnit.DayTime => Fixed(type, values, validity, nulls, v => (IntervalDayTime)v),
                    _ => Fixed(type, values, validity, nulls, v => (IntervalMonthDayNano)v),
                };
            case ArrowTypeId.Decimal128:
                return Fixed(type, values, validity, nulls, v => (Int128)Unscaled(v, ((DecimalType)type).Scale));
            case ArrowTypeId.Decimal256:
                {
                    var bytes = new byte[n * 32];
                    for (int i = 0; i < n; i++)
                    {
                        if (values[i] is { } v)
                        {
                            var u = Unscaled(v, ((DecimalType)type).Scale);
                            bytes.AsSpan(i * 32, 32).Fill(u.Sign < 0 ? (byte)0xFF : (byte)0);
                            u.TryWriteBytes(bytes.AsSpan(i * 32, 32), out _, isUnsigned: false, isBigEndian: false);
                        }
                    }

                    return new ArrayData(type, n, nulls, 0, [validity, ArrowBuffer.CopyOf<byte>(bytes)]);
                }

            case ArrowTypeId.FixedSizeBinary:
                {
                    int width = ((FixedSizeBinaryType)type).ByteWidth;
                    var bytes = new byte[n * width];
                    for (int i = 0; i < n; i++)
                    {
                        if (values[i] is byte[] b)
                        {
                            b.CopyTo(bytes, i * width);
                        }
                    }

                    return new ArrayData(type, n, nulls, 0, [validity, ArrowBuffer.CopyOf<byte>(bytes)]);
                }

            case ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary:
                {
                    var data = new List<byte>();
                    var offsets = new long[n + 1];
                    for (int i = 0; i < n; i++)
                    {
                        switch (values[i])
                        {
                            case string s:
                                data.AddRange(Encoding.UTF8.GetBytes(s));
                                break;
                            case byte[] b:
                                data.AddRange(b);
                                break;
                        }

                        offsets[i + 1] = data.Count;
                    }

                    return new ArrayData(type, n, nulls, 0, [validity, Offsets(offsets, type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary), ArrowBuffer.CopyOf<byte>(data.ToArray())]);
                }

            case ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.Map:
                {
                    var items = new List<object?>();
                    var offsets = new long[n + 1];
                    for (int i = 0; i < n; i++)
                    {
                        if (values[i] is IEnumerable row)
                        {
                            foreach (var item in row)
                            {
                                items.Add(type is MapType m ? Entry(m, item) : item);
                            }
                        }

                        offsets[i + 1] = items.Count;
                    }

                    var childType = type is MapType map ? map.EntriesField.Type : ((ListType)type).ValueType;
                    return new ArrayData(type, n, nulls, 0, [validity, Offsets(offsets, type.Id == ArrowTypeId.LargeList)], [Data(childType, items)]);
                }

            case ArrowTypeId.FixedSizeList:
                {
                    var t = (FixedSizeListType)type;
                    var items = new List<object?>();
                    foreach (var row in values)
                    {
                        int before = items.Count;
                        if (row is IEnumerable e)
                        {
                            items.AddRange(e.Cast<object?>());
                        }
                        else
                        {
                            items.AddRange(Enumerable.Repeat<object?>(null, t.ListSize));
                        }

                        if (items.Count - before != t.ListSize)
                        {
                            throw new ArgumentException($"a {t} row needs {t.ListSize} items", nameof(values));
                        }
                    }

                    return new ArrayData(type, n, nulls, 0, [validity], [Data(t.ValueType, items)]);
                }

            case ArrowTypeId.Struct:
                {
                    var fields = ((StructType)type).Fields;
                    var children = new ArrayData[fields.Count];
                    for (int f = 0; f < fields.Count; f++)
                    {
                        var column = values.Select(v => v is IReadOnlyDictionary<string, object?> d && d.TryGetValue(fields[f].Name, out var x) ? x : null).ToList();
                        children[f] = Data(fields[f].Type, column);
                    }

                    return new ArrayData(type, n, nulls, 0, [validity], children);
                }

            case ArrowTypeId.Dictionary:
                {
                    var t = (DictionaryType)type;
                    var distinct = new List<object?>();
                    var indices = new object?[n];
                    for (int i = 0; i < n; i++)
                    {
                        if (values[i] is null)
                        {
                            continue;
                        }

                        int index = distinct.FindIndex(d => SameValue(d, values[i]));
                        if (index < 0)
                        {
                            index = distinct.Count;
                            distinct.Add(values[i]);
                        }

                        indices[i] = index;
                    }

                    var indexData = Data(t.IndexType, indices);
                    return new ArrayData(type, n, nulls, 0, [indexData.Buffers[0], indexData.Buffers[1]], null, Data(t.ValueType, distinct));
                }

            default:
                throw new NotSupportedException($"Make cannot build {type}");
        }
    }

    private static ArrayData Fixed<T>(ArrowType type, IReadOnlyList<object?> values, ArrowBuffer validity, int nulls, Func<object, T> convert)
        where T : unmanaged
    {
        var result = new T[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (values[i] is { } v)
            {
                result[i] = convert(v);
            }
        }

        return new ArrayData(type, values.Count, nulls, 0, [validity, ArrowBuffer.CopyOf<T>(result)]);
    }

    private static ArrowBuffer Offsets(long[] offsets, bool large)
        => large ? ArrowBuffer.CopyOf<long>(offsets) : ArrowBuffer.CopyOf<int>(offsets.Select(o => (int)o).ToArray());

    private static Dictionary<string, object?> Entry(MapType map, object? item)
    {
        (object? key, object? value) = item switch
        {
            KeyValuePair<object?, object?> kv => (kv.Key, kv.Value),
            KeyValuePair<string, object?> kv => (kv.Key, kv.Value),
            DictionaryEntry de => (de.Key, de.Value),
            _ => throw new ArgumentException($"{item} is not a map entry", nameof(item)),
        };
        return new() { [map.KeyField.Name] = key, [map.ValueField.Name] = value };
    }

    private static BigInteger Unscaled(object value, int scale) => value switch
    {
        Int128 i => i,
        BigInteger b => b,
        decimal m => DecimalMath.FromDecimal(m, scale),
        string s when DecimalMath.TryParse(s, scale, out var parsed) => parsed,
        _ => throw new ArgumentException($"{value} is not a decimal", nameof(value)),
    };

    private static bool SameValue(object? a, object? b)
        => a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b);
}
