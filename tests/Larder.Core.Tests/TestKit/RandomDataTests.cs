using System.Numerics;
using Larder.Columnar;
using Larder.TestKit;

namespace Larder.Core.Tests.TestKit;

public sealed class RandomDataTests
{
    [Fact]
    public void AllTypesSchema_CoversEveryTypeOfTheModel()
    {
        var schema = RandomData.AllTypesSchema();
        var ids = new HashSet<ArrowTypeId>();
        var types = new List<ArrowType>();
        foreach (var f in schema.Fields)
        {
            Walk(f.Type, t =>
            {
                ids.Add(t.Id);
                types.Add(t);
            });
        }

        Assert.Equal(Enum.GetValues<ArrowTypeId>().Order(), ids.Order());
        Assert.Equal(schema.Count, schema.Fields.Select(f => f.Name).Distinct().Count());

        // Every unit and layout of the parameterised types.
        Assert.Equal(Enum.GetValues<TimeUnit>().Order(), types.OfType<TimeType>().Select(t => t.Unit).Distinct().Order());
        Assert.Equal(Enum.GetValues<TimeUnit>().Order(), types.OfType<TimestampType>().Select(t => t.Unit).Distinct().Order());
        Assert.Equal(Enum.GetValues<TimeUnit>().Order(), types.OfType<DurationType>().Select(t => t.Unit).Distinct().Order());
        Assert.Equal(Enum.GetValues<IntervalUnit>().Order(), types.OfType<IntervalType>().Select(t => t.Unit).Distinct().Order());
        Assert.Contains(types.OfType<TimestampType>(), t => t.TimeZone is not null);
        Assert.Contains(types.OfType<TimestampType>(), t => t.TimeZone is null);

        // The nested combinations round-trip tests rely on.
        Assert.Contains(schema.Fields, f => f.Type is ListType { ValueType: StructType });
        Assert.Contains(schema.Fields, f => f.Type is MapType m && m.KeyField.Type == ArrowType.String && m.ValueField.Type == new ListType(ArrowType.Int64));
        Assert.Contains(schema.Fields, f => f.Type == new DictionaryType(ArrowType.Int16, ArrowType.String));
        Assert.Contains(schema.Fields, f => f.Type is StructType s && s.Fields.Any(c => c.Type is DictionaryType));
        Assert.Contains(schema.Fields, f => f.Type == new FixedSizeListType(ArrowType.Double, 3));
        Assert.Contains(schema.Fields, f => f.Type == new ListType(ArrowType.LargeString, large: true));
        Assert.Contains(schema.Fields, f => !f.Nullable);
    }

    [Fact]
    public void Batch_SameSeed_IsEqual()
    {
        var schema = RandomData.AllTypesSchema();
        ArrowAssert.Equal(RandomData.Batch(schema, 500, seed: 42), RandomData.Batch(schema, 500, seed: 42));
    }

    [Fact]
    public void Batch_DifferentSeed_Differs()
    {
        var schema = RandomData.AllTypesSchema();
        var a = RandomData.Batch(schema, 100, seed: 1);
        var b = RandomData.Batch(schema, 100, seed: 2);
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a, b));

        // Every non-null column differs on its own.
        for (int c = 0; c < schema.Count; c++)
        {
            if (schema[c].Type.Id != ArrowTypeId.Null)
            {
                Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(a.Column(c), b.Column(c)));
            }
        }
    }

    [Fact]
    public void Batch_ColumnsAreIndependentOfOtherColumns()
    {
        var all = RandomData.AllTypesSchema();
        var one = new Schema([all[0], all[4]]);
        var full = RandomData.Batch(all, 50, seed: 9);
        var part = RandomData.Batch(one, 50, seed: 9);
        ArrowAssert.Equal(full.Column(0), part.Column(0));
        Assert.Throws<ArrowAssertException>(() => ArrowAssert.Equal(full.Column(1), part.Column(1)));
    }

    [Fact]
    public void Batch_NonNullableFields_HaveNoNullsAtAnyDepth()
    {
        var batch = RandomData.Batch(RandomData.AllTypesSchema(), 400, seed: 7, nullFraction: 0.5);
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            CheckNulls(batch.Schema[c], batch.Column(c).Data);
        }
    }

    [Fact]
    public void Batch_NullFraction_ControlsNulls()
    {
        var schema = RandomData.AllTypesSchema();
        var none = RandomData.Batch(schema, 300, seed: 3, nullFraction: 0);
        Assert.All(none.Columns.Where(c => c.Type.Id != ArrowTypeId.Null), c => Assert.Equal(0, c.NullCount));

        var some = RandomData.Batch(schema, 1000, seed: 3, nullFraction: 0.3);
        var int32 = some.Column("int32");
        Assert.InRange(int32.NullCount, 200, 400);
        Assert.Equal(1000, some.Column("null").NullCount);
    }

    [Fact]
    public void Batch_ValuesAreInRangeAndWellFormed()
    {
        var batch = RandomData.Batch(RandomData.AllTypesSchema(), 1000, seed: 13);
        var date32 = (PrimitiveArray<int>)batch.Column("date32");
        Assert.All(Valid(date32), d => Assert.InRange(d, -719162, 2932896));
        var date64 = (PrimitiveArray<long>)batch.Column("date64");
        Assert.All(Valid(date64), d => Assert.Equal(0, d % 86_400_000));
        var time = (PrimitiveArray<long>)batch.Column("time64_ns");
        Assert.All(Valid(time), t => Assert.InRange(t, 0, 86_400_000_000_000L - 1));

        var ts = (TimestampArray)batch.Column("timestamp_ns_paris");
        for (int i = 0; i < ts.Length; i++)
        {
            if (ts.IsValid(i))
            {
                Assert.InRange(ts.GetDateTimeOffset(i)!.Value.Year, 1900, 2200);
            }
        }

        var dec = (Decimal128Array)batch.Column("decimal128_10_2");
        Assert.All(Valid(dec), v => Assert.True(Int128.Abs(v) < 10_000_000_000, $"{v} exceeds precision 10"));
        var dec256 = (FixedSizeBinaryArray)batch.Column("decimal256_76_20");
        for (int i = 0; i < dec256.Length; i++)
        {
            var v = new BigInteger(dec256.GetBytes(i), isUnsigned: false, isBigEndian: false);
            Assert.True(BigInteger.Abs(v) < BigInteger.Pow(10, 76));
        }

        var strings = (StringArray)batch.Column("utf8");
        for (int i = 0; i < strings.Length; i++)
        {
            _ = strings.GetString(i);
        }

        Assert.Contains(Enumerable.Range(0, strings.Length), i => strings.GetString(i) is { } s && s.Any(c => c > 127));

        var dict = (DictionaryArray)batch.Column("dictionary_int16_utf8");
        Assert.Equal(0, dict.Dictionary.NullCount);
        for (int i = 0; i < dict.Length; i++)
        {
            Assert.InRange(dict.GetIndex(i), 0, dict.Dictionary.Length - 1);
        }

        var fsl = (FixedSizeListArray)batch.Column("fixed_size_list_float64_3");
        Assert.Equal(3000, fsl.Values.Length);
        var map = (MapArray)batch.Column("map_utf8_list_int64");
        Assert.Equal(0, map.Keys.NullCount);
    }

    [Fact]
    public void Array_GivesRequestedTypeAndLength()
    {
        foreach (var field in RandomData.AllTypesSchema().Fields)
        {
            var array = RandomData.Array(field.Type, 33, seed: 4);
            Assert.Equal(field.Type, array.Type);
            Assert.Equal(33, array.Length);
            ArrowAssert.Equal(array, RandomData.Array(field.Type, 33, seed: 4));
        }

        Assert.Equal(0, RandomData.Array(ArrowType.Int32, 0, seed: 1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomData.Batch(RandomData.AllTypesSchema(), 1, seed: 1, nullFraction: 1.5));
    }

    private static IEnumerable<T> Valid<T>(PrimitiveArray<T> array)
        where T : unmanaged
    {
        for (int i = 0; i < array.Length; i++)
        {
            if (array.IsValid(i))
            {
                yield return array.Values[i];
            }
        }
    }

    private static void Walk(ArrowType type, Action<ArrowType> visit)
    {
        visit(type);
        switch (type)
        {
            case ListType l:
                Walk(l.ValueType, visit);
                break;
            case FixedSizeListType f:
                Walk(f.ValueType, visit);
                break;
            case StructType s:
                foreach (var c in s.Fields)
                {
                    Walk(c.Type, visit);
                }

                break;
            case MapType m:
                Walk(m.EntriesField.Type, visit);
                break;
            case DictionaryType d:
                Walk(d.IndexType, visit);
                Walk(d.ValueType, visit);
                break;
        }
    }

    private static void CheckNulls(Field field, ArrayData data)
    {
        if (!field.Nullable)
        {
            Assert.True(data.NullCount == 0, $"non-nullable field {field.Name} has {data.NullCount} nulls");
        }

        var children = field.Type switch
        {
            ListType l => [l.ValueField],
            FixedSizeListType f => [f.ValueField],
            MapType m => [m.EntriesField],
            StructType s => s.Fields,
            _ => (IReadOnlyList<Field>)[],
        };
        for (int i = 0; i < children.Count; i++)
        {
            CheckNulls(children[i], data.Children[i]);
        }
    }
}
