using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Memory;
using static Larder.Core.Tests.Columnar.ColumnarTestData;

namespace Larder.Core.Tests.Columnar;

public class ArrayConcatenatorTests
{
    [Theory]
    [MemberData(nameof(TypeNames), MemberType = typeof(ColumnarTestData))]
    public void Concatenate_RandomSlicedInputs_MatchesInputValues(string typeName)
    {
        var type = Types[typeName];
        var random = new Random(20240611 + typeName.Length);
        for (int round = 0; round < 20; round++)
        {
            int count = random.Next(2, 6);
            var inputs = new List<IArrowArray>();
            var expected = new List<object?>();
            for (int i = 0; i < count; i++)
            {
                var array = RandomArray(type, random.Next(0, 70), random, nullRate: round % 4 == 0 ? 0 : 0.25);

                // Slice most inputs at odd offsets so that bitmaps, offsets and children are read from the middle.
                if (array.Length > 2 && random.Next(4) != 0)
                {
                    int offset = random.Next(0, array.Length - 1);
                    array = array.Slice(offset, random.Next(0, array.Length - offset + 1));
                }

                inputs.Add(array);
                expected.AddRange(Values(array));
            }

            var result = ArrayConcatenator.Concatenate(inputs);

            Assert.Equal(type, result.Type);
            Assert.Equal(expected.Count, result.Length);
            Assert.Equal(0, result.Data.Offset);
            Assert.Equal(expected.Count(v => v is null), CountNulls(result));
            Assert.Equal(inputs.Sum(a => a.NullCount), result.NullCount);
            AssertDeepEqual(expected, Values(result), $"{typeName} round {round}");
        }
    }

    [Theory]
    [MemberData(nameof(TypeNames), MemberType = typeof(ColumnarTestData))]
    public void Concatenate_EmptyInputs_ReturnsEmptyArrayOfType(string typeName)
    {
        var type = Types[typeName];
        var random = new Random(7);
        var empty = Make(type);
        var slicedEmpty = RandomArray(type, 10, random).Slice(4, 0);

        var result = ArrayConcatenator.Concatenate([empty, slicedEmpty, empty]);

        Assert.Equal(type, result.Type);
        Assert.Equal(0, result.Length);
        Assert.Empty(Values(result));
    }

    [Theory]
    [MemberData(nameof(TypeNames), MemberType = typeof(ColumnarTestData))]
    public void Concatenate_EmptyAndNonEmptyInputs_KeepsRows(string typeName)
    {
        var type = Types[typeName];
        var random = new Random(11);
        var a = RandomArray(type, 9, random);
        var b = RandomArray(type, 13, random).Slice(3, 7);
        var empty = ArrayBuilderFactory.Create(type).Build();

        var result = ArrayConcatenator.Concatenate([empty, a, empty, b, empty]);

        AssertDeepEqual(Values(a).Concat(Values(b)).ToList(), Values(result));
    }

    [Fact]
    public void Concatenate_SingleInput_ReturnsItUnchanged()
    {
        var array = RandomArray(ArrowType.String, 20, new Random(3)).Slice(5, 10);

        Assert.Same(array.Data, ArrayConcatenator.Concatenate([array.Data]));
        Assert.Same(array, ArrayConcatenator.Concatenate([array]));
    }

    [Fact]
    public void Concatenate_NoInput_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => ArrayConcatenator.Concatenate(Array.Empty<ArrayData>()));
        Assert.Contains("at least one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenate_DifferentTypes_ThrowsArgumentException()
    {
        var a = RandomArray(ArrowType.Int32, 3, new Random(1));
        var b = RandomArray(ArrowType.Int64, 3, new Random(1));

        var e = Assert.Throws<ArgumentException>(() => ArrayConcatenator.Concatenate([a, b]));
        Assert.Contains("input 1 is int64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenate_NoNulls_OmitsValidityBitmap()
    {
        var a = new PrimitiveArrayBuilder<int>(ArrowType.Int32);
        a.AppendRange([1, 2, 3]);
        var b = new PrimitiveArrayBuilder<int>(ArrowType.Int32);
        b.AppendRange([4, 5]);

        var result = ArrayConcatenator.Concatenate([a.Build().Data, b.Build().Data]);

        Assert.True(result.Validity.IsEmpty);
        Assert.Equal(0, result.NullCount);
        Assert.Equal([1, 2, 3, 4, 5], MemoryMarshal.Cast<byte, int>(result.Buffers[1].Span).ToArray());
    }

    [Fact]
    public void Concatenate_NullsOnlyInSomeInputs_BuildsBitmapForAll()
    {
        var a = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        a.AppendRange([1, 2, 3]);
        var b = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        b.Append(4);
        b.AppendNull();
        var c = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        c.AppendNulls(3);

        var result = (PrimitiveArray<long>)ArrayConcatenator.Concatenate([a.Build(), b.Build(), c.Build()]);

        Assert.Equal(4, result.NullCount);
        Assert.Equal(new long?[] { 1, 2, 3, 4, null, null, null, null }, Enumerable.Range(0, 8).Select(i => result[i]));
    }

    [Fact]
    public void Concatenate_SlicedStrings_CopiesOnlyReferencedBytes()
    {
        var all = Make(ArrowType.String, "aaaa", "bb", "cccccc", "d", "eeeee");
        var middle = all.Slice(1, 3);
        var last = all.Slice(4, 1);

        var result = (StringArray)ArrayConcatenator.Concatenate([middle, last]);

        Assert.Equal(new[] { "bb", "cccccc", "d", "eeeee" }, Enumerable.Range(0, 4).Select(result.GetString));
        Assert.Equal(14, result.Data.Buffers[2].Length);
        Assert.Equal(new[] { 0, 2, 8, 9, 14 }, MemoryMarshal.Cast<byte, int>(result.Data.Buffers[1].Span).ToArray());
    }

    [Fact]
    public void Concatenate_SlicedLargeBinary_RebasesInt64Offsets()
    {
        var all = Make(ArrowType.LargeBinary, new byte[] { 1, 2, 3 }, new byte[] { 4 }, null, new byte[] { 5, 6 });

        var result = (BinaryArray)ArrayConcatenator.Concatenate([all.Slice(1, 3), all.Slice(0, 1)]);

        Assert.Equal(new long[] { 0, 1, 1, 3, 6 }, MemoryMarshal.Cast<byte, long>(result.Data.Buffers[1].Span).ToArray());
        Assert.Equal(new byte[] { 4, 5, 6, 1, 2, 3 }, result.Data.Buffers[2].Span.ToArray());
        Assert.True(result.IsNull(1));
    }

    [Fact]
    public void Concatenate_SlicedLists_ConcatenatesOnlyReferencedChildRanges()
    {
        int next = 0;
        var rows = Enumerable.Range(0, 6).Select(row => (object?)Enumerable.Range(0, row + 1).Select(_ => (object?)next++).ToList()).ToArray();
        var lists = (ListArray)Make(new ListType(ArrowType.Int32), rows);
        var a = lists.Slice(2, 2); // rows of 3 and 4 items
        var b = lists.Slice(5, 1); // 6 items

        var result = (ListArray)ArrayConcatenator.Concatenate([a, b]);

        Assert.Equal(13, result.Values.Length);
        Assert.Equal(new[] { 0, 3, 7, 13 }, MemoryMarshal.Cast<byte, int>(result.Data.Buffers[1].Span).ToArray());
        AssertDeepEqual(Values(a).Concat(Values(b)).ToList(), Values(result));
    }

    [Fact]
    public void Concatenate_SlicedFixedSizeLists_TakesChildRowsOfTheSlice()
    {
        var type = new FixedSizeListType(ArrowType.Int16, 2);
        var all = Make(type, Enumerable.Range(0, 5).Select(row => (object?)new object?[] { (short)(row * 10), (short)((row * 10) + 1) }).ToArray());

        var result = (FixedSizeListArray)ArrayConcatenator.Concatenate([all.Slice(3, 2), all.Slice(1, 1)]);

        Assert.Equal(6, result.Values.Length);
        AssertDeepEqual(
            new object?[] { new object?[] { (short)30, (short)31 }, new object?[] { (short)40, (short)41 }, new object?[] { (short)10, (short)11 } },
            Values(result));
    }

    [Fact]
    public void Concatenate_SlicedStructs_SlicesChildrenByParentOffset()
    {
        var rows = Enumerable.Range(0, 10)
            .Select(i => i == 4 ? null : (object?)new Dictionary<string, object?> { ["x"] = i, ["label"] = $"p{i}" })
            .ToArray();
        var all = (StructArray)Make(PointType, rows);

        var result = (StructArray)ArrayConcatenator.Concatenate([all.Slice(3, 3), all.Slice(8, 2)]);

        Assert.Equal(5, result.Length);
        Assert.All(result.Data.Children, c => Assert.Equal(5, c.Length));
        Assert.True(result.IsNull(1));
        Assert.Equal(new int?[] { 3, null, 5, 8, 9 }, Enumerable.Range(0, 5).Select(i => ((PrimitiveArray<int>)result.Fields[0])[i]));
        Assert.Equal("p9", ((StringArray)result.Fields[1]).GetString(4));
    }

    [Fact]
    public void Concatenate_BooleansAtUnalignedOffsets_CopiesEveryBit()
    {
        var random = new Random(99);
        var values = Enumerable.Range(0, 300).Select(_ => random.Next(3) switch { 0 => (bool?)null, 1 => true, _ => false }).ToArray();
        var builder = new BooleanArrayBuilder();
        foreach (var v in values)
        {
            builder.Append(v);
        }

        var all = builder.Build();
        var slices = new[] { (1, 70), (77, 3), (100, 130), (250, 50) };

        var result = (BooleanArray)ArrayConcatenator.Concatenate(slices.Select(s => all.Slice(s.Item1, s.Item2)).ToArray());

        var expected = slices.SelectMany(s => values.Skip(s.Item1).Take(s.Item2)).ToArray();
        Assert.Equal(expected, Enumerable.Range(0, result.Length).Select(i => result[i]));
    }

    [Fact]
    public void Concatenate_Null_SumsLengths()
    {
        var result = ArrayConcatenator.Concatenate([new NullArray(3), new NullArray(5).Slice(1, 2)]);

        Assert.Equal(5, result.Length);
        Assert.Equal(5, result.NullCount);
        Assert.Empty(result.Data.Buffers);
    }

    [Fact]
    public void Concatenate_SameDictionaryInstance_ConcatenatesIndicesOnly()
    {
        var type = new DictionaryType(ArrowType.Int32, ArrowType.String);
        var all = (DictionaryArray)Make(type, "a", "b", null, "a", "c", "b");

        var result = (DictionaryArray)ArrayConcatenator.Concatenate([all.Slice(3, 3), all.Slice(0, 3)]);

        Assert.Same(all.Data.Dictionary, result.Data.Dictionary);
        Assert.Equal(new object?[] { "a", "c", "b", "a", "b", null }, Values(result));
        Assert.Equal(new[] { 0, 2, 1, 0, 1 }, new[] { 0, 1, 2, 3, 4 }.Select(i => (int)result.GetIndex(i)));
    }

    [Fact]
    public void Concatenate_DifferentDictionaries_MergesAndRebasesIndices()
    {
        var type = new DictionaryType(ArrowType.UInt8, ArrowType.String);
        var a = (DictionaryArray)Make(type, "x", "y", "x");
        var b = (DictionaryArray)Make(type, "z", null, "x", "z");

        var result = (DictionaryArray)ArrayConcatenator.Concatenate([a, b.Slice(1, 3), a]);

        Assert.Equal(new object?[] { "x", "y", "z", "x" }, Values(result.Dictionary));
        Assert.Equal(new object?[] { "x", "y", "x", null, "x", "z", "x", "y", "x" }, Values(result));
        Assert.Equal(new long[] { 0, 1, 0 }, new[] { 6, 7, 8 }.Select(result.GetIndex));
        Assert.Equal(new long[] { 3, 2 }, new[] { 4, 5 }.Select(result.GetIndex));
    }

    [Fact]
    public void Concatenate_MergedDictionaryTooLongForIndexType_ThrowsArgumentException()
    {
        var type = new DictionaryType(ArrowType.Int8, ArrowType.Int32);
        IArrowArray Hundred(int start) => Make(type, Enumerable.Range(start, 100).Select(i => (object?)i).ToArray());

        var e = Assert.Throws<ArgumentException>(() => ArrayConcatenator.Concatenate([Hundred(0), Hundred(1000)]));
        Assert.Contains("200 values", e.Message, StringComparison.Ordinal);
        Assert.Contains("int8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenate_ListChildOverInt32_ThrowsUsageSuggestingLargeTypes()
    {
        // A list whose one row references 1.5 billion null items (the null type needs no memory).
        var child = new ArrayData(ArrowType.Null, 1_500_000_000, 1_500_000_000, 0, []);
        var offsets = ArrowBuffer.CopyOf<int>([0, 1_500_000_000]);
        var list = new ArrayData(new ListType(ArrowType.Null), 1, 0, 0, [ArrowBuffer.Empty, offsets], [child]);

        var e = Assert.Throws<LarderUsageException>(() => ArrayConcatenator.Concatenate([list, list]));
        Assert.Contains("large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenate_Utf8DataOver2GiB_ThrowsUsageSuggestingLargeTypes()
    {
        // Four views of one 600 MB buffer (untouched pages cost no memory): 2.4 GB of referenced data.
        const int size = 600_000_000;
        var data = new ArrowBuffer(new byte[size]);
        var offsets = ArrowBuffer.CopyOf<int>([0, size]);
        var one = new ArrayData(ArrowType.String, 1, 0, 0, [ArrowBuffer.Empty, offsets, data]);

        var e = Assert.Throws<LarderUsageException>(() => ArrayConcatenator.Concatenate([one, one, one, one]));
        Assert.Contains("large_utf8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenate_OffsetsBeyondData_ThrowsFormatException()
    {
        var offsets = ArrowBuffer.CopyOf<int>([0, 50]);
        var bad = new ArrayData(ArrowType.Binary, 1, 0, 0, [ArrowBuffer.Empty, offsets, ArrowBuffer.CopyOf<byte>([1, 2, 3])]);
        var good = RandomArray(ArrowType.Binary, 2, new Random(5)).Data;

        Assert.Throws<LarderFormatException>(() => ArrayConcatenator.Concatenate([good, bad]));
    }

    [Fact]
    public void CopyBits_RandomOffsets_MatchesBitByBitCopy()
    {
        var random = new Random(1234);
        for (int round = 0; round < 500; round++)
        {
            var source = new byte[40];
            random.NextBytes(source);
            int length = random.Next(0, 200);
            int sourceOffset = random.Next(0, (source.Length * 8) - length + 1);
            int destOffset = random.Next(0, 100);
            var expected = new byte[50];
            var actual = new byte[50];
            for (int k = 0; k < length; k++)
            {
                BitUtil.SetBit(expected, destOffset + k, BitUtil.GetBit(source, sourceOffset + k));
            }

            ArrayConcatenator.CopyBits(source, sourceOffset, actual, destOffset, length);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ConcatenateBatches_SameSchema_ConcatenatesEveryColumn()
    {
        var random = new Random(42);
        RecordBatch Batch(int rows) => RecordBatch.FromColumns(
            ("id", RandomArray(ArrowType.Int64, rows, random)),
            ("name", RandomArray(ArrowType.String, rows, random)),
            ("tags", RandomArray(new ListType(ArrowType.String), rows, random)));
        var batches = new[] { Batch(5), Batch(0), Batch(17).Slice(3, 9) };

        var result = ArrayConcatenator.ConcatenateBatches(batches);

        Assert.Equal(14, result.Length);
        Assert.Same(batches[0].Schema, result.Schema);
        for (int c = 0; c < 3; c++)
        {
            AssertDeepEqual(batches.SelectMany(b => Values(b.Column(c))).ToList(), Values(result.Column(c)));
        }
    }

    [Fact]
    public void ConcatenateBatches_DifferentColumns_ThrowsArgumentException()
    {
        var a = RecordBatch.FromColumns(("a", RandomArray(ArrowType.Int32, 2, new Random(1))));
        var b = RecordBatch.FromColumns(("b", RandomArray(ArrowType.Int32, 2, new Random(1))));

        Assert.Throws<ArgumentException>(() => ArrayConcatenator.ConcatenateBatches([a, b]));
    }

    [Fact]
    public void ConcatenateBatches_TableWithoutBatches_ReturnsEmptyBatch()
    {
        var schema = new Schema([new Field("a", ArrowType.Int32), new Field("s", ArrowType.String)]);

        var result = ArrayConcatenator.ConcatenateBatches(new Table(schema, []));

        Assert.Equal(0, result.Length);
        Assert.Same(schema, result.Schema);
    }

    private static int CountNulls(IArrowArray array) => Enumerable.Range(0, array.Length).Count(array.IsNull);
}
