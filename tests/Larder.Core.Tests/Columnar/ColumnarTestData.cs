using System.Collections;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Core.Tests.Columnar;

/// <summary>Random arrays of every layout (fixed seeds) and deep comparison of boxed values.</summary>
internal static class ColumnarTestData
{
    public static readonly StructType PointType = new([new Field("x", ArrowType.Int32), new Field("label", ArrowType.String)]);

    /// <summary>One type per physical layout (and a few nested combinations), by name for test cases.</summary>
    public static readonly IReadOnlyDictionary<string, ArrowType> Types = new Dictionary<string, ArrowType>
    {
        ["null"] = ArrowType.Null,
        ["bool"] = ArrowType.Boolean,
        ["int8"] = ArrowType.Int8,
        ["int16"] = ArrowType.Int16,
        ["int32"] = ArrowType.Int32,
        ["int64"] = ArrowType.Int64,
        ["uint8"] = ArrowType.UInt8,
        ["uint64"] = ArrowType.UInt64,
        ["float16"] = ArrowType.HalfFloat,
        ["float32"] = ArrowType.Float,
        ["float64"] = ArrowType.Double,
        ["date32"] = ArrowType.Date32,
        ["timestamp"] = new TimestampType(TimeUnit.Nanosecond, "UTC"),
        ["decimal128"] = new DecimalType(20, 4),
        ["fixed_size_binary"] = new FixedSizeBinaryType(5),
        ["utf8"] = ArrowType.String,
        ["large_utf8"] = ArrowType.LargeString,
        ["binary"] = ArrowType.Binary,
        ["large_binary"] = ArrowType.LargeBinary,
        ["list"] = new ListType(ArrowType.Int32),
        ["large_list"] = new ListType(ArrowType.String, large: true),
        ["list_of_list"] = new ListType(new ListType(ArrowType.Int16)),
        ["fixed_size_list"] = new FixedSizeListType(ArrowType.Int16, 3),
        ["struct"] = PointType,
        ["list_of_struct"] = new ListType(PointType),
        ["struct_of_list"] = new StructType([new Field("xs", new ListType(ArrowType.Int64)), new Field("p", PointType)]),
        ["map"] = new MapType(ArrowType.String, ArrowType.Int64),
        ["dictionary"] = new DictionaryType(ArrowType.Int16, ArrowType.String),
    };

    public static IEnumerable<object[]> TypeNames() => Types.Keys.Select(k => new object[] { k });

    /// <summary>An array of <paramref name="length"/> random values (about <paramref name="nullRate"/> of them null).</summary>
    public static IArrowArray RandomArray(ArrowType type, int length, Random random, double nullRate = 0.2)
    {
        var values = new object?[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextDouble() < nullRate ? null : RandomValue(type, random);
        }

        return Make(type, values);
    }

    /// <summary>
    /// An array of <paramref name="type"/> from boxed values (as <see cref="RandomValue"/> makes them), built buffer by
    /// buffer here so that these tests do not depend on the variable-length builders.
    /// </summary>
    public static IArrowArray Make(ArrowType type, params object?[] values) => ArrowArrayFactory.Create(MakeData(type, values));

    /// <summary>A dictionary array over <paramref name="dictionary"/> with the given indices (null = a null row).</summary>
    public static DictionaryArray MakeDictionary(DictionaryType type, IArrowArray dictionary, params long?[] indices)
    {
        var builder = ArrayBuilderFactory.Create(type.IndexType);
        foreach (var index in indices)
        {
            builder.AppendValue(index);
        }

        var data = builder.Build().Data;
        return new DictionaryArray(new ArrayData(type, data.Length, data.NullCount, 0, [.. data.Buffers], null, dictionary.Data));
    }

    private static ArrayData MakeData(ArrowType type, IReadOnlyList<object?> values)
    {
        int n = values.Count;
        int nulls = values.Count(v => v is null);
        ArrowBuffer Validity()
        {
            if (nulls == 0)
            {
                return ArrowBuffer.Empty;
            }

            var bits = new byte[(n + 7) / 8];
            for (int i = 0; i < n; i++)
            {
                if (values[i] is not null)
                {
                    BitUtil.SetBit(bits, i);
                }
            }

            return new ArrowBuffer(bits);
        }

        switch (type)
        {
            case { Id: ArrowTypeId.Null }:
                return new ArrayData(type, n, n, 0, []);
            case { IsVariableBinary: true }:
                {
                    bool large = type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary;
                    var data = new List<byte>();
                    var offsets = new List<long> { 0 };
                    foreach (var v in values)
                    {
                        data.AddRange(v switch { null => [], string s => System.Text.Encoding.UTF8.GetBytes(s), _ => (byte[])v });
                        offsets.Add(data.Count);
                    }

                    var offsetBuffer = large ? ArrowBuffer.CopyOf<long>(offsets.ToArray()) : ArrowBuffer.CopyOf<int>(offsets.Select(o => (int)o).ToArray());
                    return new ArrayData(type, n, nulls, 0, [Validity(), offsetBuffer, ArrowBuffer.CopyOf<byte>(data.ToArray())]);
                }

            case ListType list:
                {
                    var items = new List<object?>();
                    var offsets = new List<long> { 0 };
                    foreach (var v in values)
                    {
                        if (v is not null)
                        {
                            items.AddRange(((System.Collections.IEnumerable)v).Cast<object?>());
                        }

                        offsets.Add(items.Count);
                    }

                    var offsetBuffer = list.IsLarge ? ArrowBuffer.CopyOf<long>(offsets.ToArray()) : ArrowBuffer.CopyOf<int>(offsets.Select(o => (int)o).ToArray());
                    return new ArrayData(type, n, nulls, 0, [Validity(), offsetBuffer], [MakeData(list.ValueType, items)]);
                }

            case MapType map:
                {
                    var entries = new List<object?>();
                    var offsets = new List<int> { 0 };
                    foreach (var v in values)
                    {
                        if (v is not null)
                        {
                            foreach (var pair in (IEnumerable<KeyValuePair<object?, object?>>)v)
                            {
                                entries.Add(new Dictionary<string, object?> { [map.KeyField.Name] = pair.Key, [map.ValueField.Name] = pair.Value });
                            }
                        }

                        offsets.Add(entries.Count);
                    }

                    return new ArrayData(type, n, nulls, 0, [Validity(), ArrowBuffer.CopyOf<int>(offsets.ToArray())], [MakeData(map.EntriesField.Type, entries)]);
                }

            case FixedSizeListType fixedList:
                {
                    var items = new List<object?>();
                    foreach (var v in values)
                    {
                        items.AddRange(v is null ? Enumerable.Repeat<object?>(null, fixedList.ListSize) : ((System.Collections.IEnumerable)v).Cast<object?>());
                    }

                    return new ArrayData(type, n, nulls, 0, [Validity()], [MakeData(fixedList.ValueType, items)]);
                }

            case StructType structType:
                {
                    var children = structType.Fields
                        .Select(f => MakeData(f.Type, values.Select(v => v is IReadOnlyDictionary<string, object?> row ? row.GetValueOrDefault(f.Name) : null).ToList()))
                        .ToArray();
                    return new ArrayData(type, n, nulls, 0, [Validity()], children);
                }

            case DictionaryType dictionaryType:
                {
                    var distinct = values.Where(v => v is not null).Distinct().ToList();
                    var dictionary = Make(dictionaryType.ValueType, [.. distinct]);
                    return MakeDictionary(dictionaryType, dictionary, values.Select(v => v is null ? (long?)null : distinct.IndexOf(v)).ToArray()).Data;
                }

            default:
                {
                    var builder = ArrayBuilderFactory.Create(type);
                    foreach (var v in values)
                    {
                        builder.AppendValue(v);
                    }

                    return builder.Build().Data;
                }
        }
    }

    /// <summary>A random non-null value that the builders accept for <paramref name="type"/>.</summary>
    public static object? RandomValue(ArrowType type, Random random) => type.Id switch
    {
        ArrowTypeId.Null => null,
        ArrowTypeId.Boolean => random.Next(2) == 1,
        ArrowTypeId.Int8 => (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue),
        ArrowTypeId.Int16 => (short)random.Next(short.MinValue, short.MaxValue),
        ArrowTypeId.Int32 => random.Next(),
        ArrowTypeId.Int64 => random.NextInt64(),
        ArrowTypeId.UInt8 => (byte)random.Next(256),
        ArrowTypeId.UInt64 => (ulong)random.NextInt64(),
        ArrowTypeId.HalfFloat => (Half)random.NextSingle(),
        ArrowTypeId.Float => random.NextSingle(),
        ArrowTypeId.Double => random.NextDouble(),
        ArrowTypeId.Date32 => random.Next(-10000, 30000),
        ArrowTypeId.Timestamp => random.NextInt64(),
        ArrowTypeId.Decimal128 => (Int128)random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
        ArrowTypeId.FixedSizeBinary => RandomBytes(random, 5, 5),
        ArrowTypeId.String or ArrowTypeId.LargeString => RandomString(random),
        ArrowTypeId.Binary or ArrowTypeId.LargeBinary => RandomBytes(random, 0, 12),
        ArrowTypeId.List or ArrowTypeId.LargeList => Enumerable.Range(0, random.Next(0, 5))
            .Select(_ => random.NextDouble() < 0.2 ? null : RandomValue(((ListType)type).ValueType, random)).ToList(),
        ArrowTypeId.FixedSizeList => Enumerable.Range(0, ((FixedSizeListType)type).ListSize)
            .Select(_ => random.NextDouble() < 0.2 ? null : RandomValue(((FixedSizeListType)type).ValueType, random)).ToList(),
        ArrowTypeId.Struct => ((StructType)type).Fields.ToDictionary(
            f => f.Name, f => random.NextDouble() < 0.2 ? null : RandomValue(f.Type, random)),
        ArrowTypeId.Map => Enumerable.Range(0, random.Next(0, 4))
            .Select(i => new KeyValuePair<object?, object?>($"k{i}", random.NextDouble() < 0.2 ? null : random.NextInt64()))
            .ToList(),
        ArrowTypeId.Dictionary => $"cat{random.Next(6)}",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no generator"),
    };

    /// <summary>Row values through <see cref="IArrowArray.GetValue"/>.</summary>
    public static List<object?> Values(IArrowArray array)
    {
        var values = new List<object?>(array.Length);
        for (int i = 0; i < array.Length; i++)
        {
            values.Add(array.GetValue(i));
        }

        return values;
    }

    /// <summary>Asserts two boxed values (nested lists, dictionaries, pairs, byte arrays) are equal, naming the first difference.</summary>
    public static void AssertDeepEqual(object? expected, object? actual, string where = "value")
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{where}: expected null, got {actual}");
                return;
            case string s:
                Assert.Equal(s, actual);
                return;
            case IReadOnlyDictionary<string, object?> map:
                {
                    var other = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(actual);
                    Assert.Equal(map.Keys.Order(), other.Keys.Order());
                    foreach (var key in map.Keys)
                    {
                        AssertDeepEqual(map[key], other[key], $"{where}.{key}");
                    }

                    return;
                }

            case KeyValuePair<object?, object?> pair:
                {
                    var other = Assert.IsType<KeyValuePair<object?, object?>>(actual);
                    AssertDeepEqual(pair.Key, other.Key, where + ".key");
                    AssertDeepEqual(pair.Value, other.Value, where + ".value");
                    return;
                }

            case IEnumerable items:
                {
                    var a = items.Cast<object?>().ToList();
                    var b = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                    Assert.True(a.Count == b.Count, $"{where}: expected {a.Count} items, got {b.Count}");
                    for (int i = 0; i < a.Count; i++)
                    {
                        AssertDeepEqual(a[i], b[i], $"{where}[{i}]");
                    }

                    return;
                }

            default:
                Assert.True(Equals(expected, actual), $"{where}: expected {expected}, got {actual}");
                return;
        }
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomString(Random random)
    {
        string[] pieces = ["a", "b", "c", "xyz", "ä", "ö", "€", "😀", " ", "Q"];
        int length = random.Next(0, 8);
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.Append(pieces[random.Next(pieces.Length)]);
        }

        return sb.ToString();
    }
}
