using System.Numerics;
using Larder.Columnar;
using Larder.TestKit;
using Larder.Vault.Tables;

namespace Larder.Vault.Tests.Tables;

/// <summary>data_vault's memory optimisation over record batches: choices, exact bytes, values kept.</summary>
public sealed class TableOptimizerTests
{
    public static TheoryData<ArrowTypeId> StringTypes => new() { ArrowTypeId.String, ArrowTypeId.LargeString };

    public static TheoryData<ArrowTypeId> WideIntegerTypes => new()
    {
        ArrowTypeId.Int16, ArrowTypeId.Int32, ArrowTypeId.Int64, ArrowTypeId.UInt16, ArrowTypeId.UInt32, ArrowTypeId.UInt64,
    };

    [Theory]
    [MemberData(nameof(StringTypes))]
    public void Apply_FewDistinctStrings_SortedOrderedDictionaryDecodesToOriginal(ArrowTypeId id)
    {
        var type = StringType(id);
        string?[] values = ["pear", "apple", null, "fig", "apple", "pear", "Zebra", null, "apple", "fig", "pear", "apple", "fig", "pear", "apple", "Zebra", "apple", "pear", "fig", "apple", "éclair", "pear", "apple", "fig", "apple", "pear", "apple", "fig", "pear", "apple"];
        var field = new Field("fruit", type, nullable: true, KeyValueMetadata.Of("k", "v"));
        var schema = new Schema([field], KeyValueMetadata.Of("table", "t"));
        var batch = new RecordBatch(schema, [Strings(type, values)], values.Length);

        var plan = Plan(schema, batch);
        var output = plan.Apply(batch);

        var expectedType = new DictionaryType(ArrowType.Int8, ArrowType.String, ordered: true);
        Assert.Equal(new Schema([new Field("fruit", expectedType, nullable: true, KeyValueMetadata.Of("k", "v"))], KeyValueMetadata.Of("table", "t")), plan.OutputSchema);
        var dict = Assert.IsType<DictionaryArray>(output.Column(0));
        Assert.Equal(["Zebra", "apple", "fig", "pear", "éclair"], Enumerable.Range(0, dict.Dictionary.Length).Select(i => (string?)dict.Dictionary.GetValue(i)));
        Assert.Equal(values, Enumerable.Range(0, dict.Length).Select(i => (string?)dict.GetValue(i)));
        Assert.Equal(2, dict.NullCount);
        Assert.True(dict.IsNull(2));
        Assert.True(plan.ChangesAnything);
    }

    [Theory]
    [InlineData(128, ArrowTypeId.Int8)]
    [InlineData(129, ArrowTypeId.Int16)]
    [InlineData(32_768, ArrowTypeId.Int16)]
    [InlineData(32_769, ArrowTypeId.Int32)]
    public void CreatePlan_DistinctCount_SmallestIndexTypeThatFits(int distinct, ArrowTypeId expected)
    {
        int rows = (distinct * 5) + 1;
        var values = Enumerable.Range(0, rows).Select(i => "value-" + (i % distinct).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, values)));

        var plan = Plan(batch.Schema, batch);
        var output = (DictionaryArray)plan.Apply(batch).Column(0);

        Assert.Equal(expected, ((DictionaryType)plan.OutputSchema[0].Type).IndexType.Id);
        Assert.Equal(distinct, output.Dictionary.Length);
        Assert.Equal(values[rows - 1], output.GetValue(rows - 1));
        Assert.Equal(values[distinct - 1], output.GetValue(distinct - 1));
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(11, true)]
    public void CreatePlan_DistinctRatio_EncodedOnlyBelowTwoTenths(int rows, bool encoded)
    {
        // Two distinct values: 2/10 is exactly 0.2 (not below), 2/11 is below.
        var values = Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "a fairly long text value" : "another fairly long value").ToArray();
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, values)));

        var plan = Plan(batch.Schema, batch);

        Assert.Equal(encoded, plan.OutputSchema[0].Type is DictionaryType);
        Assert.Equal(encoded, plan.ChangesAnything);
    }

    [Theory]
    [MemberData(nameof(WideIntegerTypes))]
    public void Apply_SmallIntegersWithoutNulls_Int8(ArrowTypeId id)
    {
        bool signed = ArrowType.Integer(BitWidth(id), true).Id == id;
        long[] values = signed ? [-125, 0, 124, 7, -1] : [0, 124, 3, 99, 1];
        var type = ArrowType.Integer(BitWidth(id), signed);
        var batch = RecordBatch.FromColumns(("n", Integers(type, values.Select(v => (long?)v).ToArray())));

        var plan = Plan(batch.Schema, batch);
        var output = plan.Apply(batch);

        Assert.Equal(ArrowType.Int8, plan.OutputSchema[0].Type);
        Assert.Equal(values.Select(v => (sbyte)v), ((PrimitiveArray<sbyte>)output.Column(0)).Values.ToArray());
    }

    [Theory]
    [InlineData(ArrowTypeId.Int64, -126L)]
    [InlineData(ArrowTypeId.Int64, 125L)]
    [InlineData(ArrowTypeId.Int16, 125L)]
    [InlineData(ArrowTypeId.Int32, -126L)]
    [InlineData(ArrowTypeId.UInt16, 125L)]
    [InlineData(ArrowTypeId.UInt64, 200L)]
    public void CreatePlan_IntegerOutsideRange_Unchanged(ArrowTypeId id, long outlier)
    {
        var type = ArrowType.Integer(BitWidth(id), ArrowType.Integer(BitWidth(id), true).Id == id);

        // The outlier sits in the second batch, after a vector's worth of in-range values.
        var first = RecordBatch.FromColumns(("n", Integers(type, Enumerable.Range(0, 100).Select(i => (long?)(i % 50)).ToArray())));
        var second = RecordBatch.FromColumns(("n", Integers(type, [.. Enumerable.Repeat<long?>(1, 37), outlier, 2])));

        var plan = Plan(first.Schema, first, second);

        Assert.Equal(type, plan.OutputSchema[0].Type);
        Assert.False(plan.ChangesAnything);
        Assert.Null(plan.ReductionMessage);
        Assert.Same(second, plan.Apply(second));
    }

    [Fact]
    public void CreatePlan_IntegerColumnWithOneNull_Unchanged()
    {
        var first = RecordBatch.FromColumns(("n", Integers(ArrowType.Int64, [1, 2, 3])));
        var second = RecordBatch.FromColumns(("n", Integers(ArrowType.Int64, [4, null, 5])));

        var plan = Plan(first.Schema, first, second);

        Assert.Equal(ArrowType.Int64, plan.OutputSchema[0].Type);
    }

    [Fact]
    public void CreatePlan_Int8AndOtherTypes_PassThroughUnchanged()
    {
        var dictType = new DictionaryType(ArrowType.Int32, ArrowType.String);
        var dictBuilder = new DictionaryArrayBuilder(dictType);
        var listBuilder = new ListArrayBuilder(new ListType(ArrowType.Int64));
        var floats = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        var small = new PrimitiveArrayBuilder<sbyte>(ArrowType.Int8);
        for (int i = 0; i < 50; i++)
        {
            dictBuilder.AppendValue(i % 2 == 0 ? "x" : "y");
            listBuilder.Append();
            ((PrimitiveArrayBuilder<long>)listBuilder.ValueBuilder).Append(i);
            floats.Append(i % 3);
            small.Append((sbyte)(i % 3));
        }

        var batch = RecordBatch.FromColumns(("d", dictBuilder.Build()), ("l", listBuilder.Build()), ("f", floats.Build()), ("i8", small.Build()));

        var plan = Plan(batch.Schema, batch);
        var output = plan.Apply(batch);

        Assert.False(plan.ChangesAnything);
        Assert.Equal(batch.Schema, plan.OutputSchema);
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            Assert.Same(batch.Column(c), output.Column(c));
        }
    }

    [Fact]
    public void Apply_TableReadTwice_EveryBatchSharesOneDictionary()
    {
        var firstRead = Batches(seed: 7);
        var secondRead = Batches(seed: 7);
        var optimizer = new TableOptimizer(firstRead[0].Schema);
        foreach (var batch in firstRead)
        {
            optimizer.Observe(batch);
        }

        var plan = optimizer.CreatePlan();
        var outputs = secondRead.Select(plan.Apply).Concat(firstRead.Select(plan.Apply)).ToList();

        var dictionary = outputs[0].Column(0).Data.Dictionary;
        Assert.NotNull(dictionary);
        Assert.All(outputs, o => Assert.Same(dictionary, o.Column(0).Data.Dictionary));
        for (int b = 0; b < secondRead.Count; b++)
        {
            var decoded = outputs[b].Column(0);
            var original = secondRead[b].Column(0);
            Assert.Equal(Enumerable.Range(0, original.Length).Select(original.GetValue), Enumerable.Range(0, decoded.Length).Select(decoded.GetValue));
            ArrowAssert.Equal(secondRead[b].Column(1), outputs[b].Column(1));
        }

        static List<RecordBatch> Batches(int seed)
        {
            var random = new Random(seed);
            string[] labels = ["SNP", "indel", "CNV", "SV", "MNP", "other"];
            var result = new List<RecordBatch>();
            foreach (int size in new[] { 100, 1, 257, 64 })
            {
                var values = new string?[size];
                for (int i = 0; i < size; i++)
                {
                    values[i] = random.Next(10) == 0 ? null : labels[random.Next(labels.Length)];
                }

                var full = RecordBatch.FromColumns(("kind", Strings(ArrowType.String, values)), ("n", Integers(ArrowType.Int32, values.Select(v => (long?)((v?.Length ?? 0) * 1000)).ToArray())));

                // Offset slices check that validity and offsets are read from the slice's start.
                result.Add(size > 3 ? full.Slice(3, size - 3) : full);
            }

            return result;
        }
    }

    [Fact]
    public void ReductionMessage_KnownTable_BytesAndTextComputedByHand()
    {
        const int rows = 200_000;
        var strings = Strings(ArrowType.String, Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "aaaa" : "bbbb").ToArray());
        var numbers = Integers(ArrowType.Int64, Enumerable.Range(0, rows).Select(i => (long?)(i % 10)).ToArray());
        var batch = RecordBatch.FromColumns(("s", strings), ("n", numbers));

        var plan = Plan(batch.Schema, batch);

        // Before: utf8 offsets 200,001 × 4 + 800,000 data bytes = 1,600,004; int64 200,000 × 8 = 1,600,000.
        // After: int8 indices 200,000 + dictionary (3 offsets × 4 + 8 bytes) = 200,020; int8 200,000.
        Assert.Equal(3_200_004, plan.BytesBefore);
        Assert.Equal(400_020, plan.BytesAfter);

        // 3.200004 MB → 0.40002 MB: 100 × 2.799984 / 3.200004 = 87.4994...%.
        Assert.Equal("Reduced memory usage by 87.50%, from 3.20 MB to 0.40 MB.", plan.ReductionMessage);
    }

    [Fact]
    public void BytesBefore_NullsAndSlices_ValidityOnlyWhereNulls()
    {
        // Batch 1: 8 rows with a null → validity 1 byte + offsets 36 + data 7 ("a"×7); batch 2: 4 rows, no null → offsets 20 + data 4.
        var first = RecordBatch.FromColumns(("s", Strings(ArrowType.String, ["a", "a", "a", null, "a", "a", "a", "a"])));
        var second = RecordBatch.FromColumns(("s", Strings(ArrowType.String, ["z", "a", "a", "a", "a", "z"]))).Slice(1, 4);

        var plan = Plan(first.Schema, first, second);

        Assert.Equal(1 + 36 + 7 + 20 + 4, plan.BytesBefore);

        // 1 distinct of 12 rows: indices 12 + validity 1 + dictionary offsets 8 + data 1.
        Assert.Equal(12 + 1 + 8 + 1, plan.BytesAfter);
    }

    [Theory]
    [InlineData(0.125, "0.12")]
    [InlineData(0.375, "0.38")]
    [InlineData(2.675, "2.67")]
    [InlineData(1.005, "1.00")]
    [InlineData(99.995, "100.00")]
    [InlineData(0.0, "0.00")]
    [InlineData(-1.5, "-1.50")]
    [InlineData(12345678.9, "12345678.90")]
    public void Fixed2_Values_PythonTwoDecimals(double value, string expected)
    {
        Assert.Equal(expected, TableOptimizationPlan.Fixed2(value));
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void CreatePlan_MaxDistinctValues_ColumnLeftWhenOver(int cap, bool encoded)
    {
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, Enumerable.Range(0, 100).Select(i => "long label " + (i % 4)).ToArray())));

        var plan = Plan(batch.Schema, new TableOptimizerOptions { MaxDistinctValues = cap }, batch);

        Assert.Equal(encoded, plan.OutputSchema[0].Type is DictionaryType);
    }

    [Theory]
    [InlineData(19, false)]
    [InlineData(20, true)]
    public void CreatePlan_MaxDictionaryBytes_ColumnLeftWhenOver(long cap, bool encoded)
    {
        // Four distinct values of 5 bytes: 20 bytes of dictionary values.
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, Enumerable.Range(0, 100).Select(i => "abcd" + (i % 4)).ToArray())));

        var plan = Plan(batch.Schema, new TableOptimizerOptions { MaxDictionaryBytes = cap }, batch);

        Assert.Equal(encoded, plan.OutputSchema[0].Type is DictionaryType);
    }

    [Fact]
    public void CreatePlan_OptionsOff_NothingChanges()
    {
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, Enumerable.Repeat("same", 50).ToArray())), ("n", Integers(ArrowType.Int64, Enumerable.Repeat<long?>(1, 50).ToArray())));

        var plan = Plan(batch.Schema, new TableOptimizerOptions { EncodeStrings = false, DowncastIntegers = false }, batch);

        Assert.False(plan.ChangesAnything);
        Assert.Equal(plan.BytesBefore, plan.BytesAfter);
    }

    [Fact]
    public void CreatePlan_EncodingNotSmaller_StringsKept()
    {
        // 40,000 distinct values need int32 indices; all but one appear once, the empty string fills the other rows, so the
        // dictionary holds as many value bytes as the column and its offsets make it larger.
        const int rows = 200_001;
        var values = new string[rows];
        for (int i = 0; i < rows; i++)
        {
            values[i] = i < 39_999 ? "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        }

        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, values)));

        var plan = Plan(batch.Schema, batch);

        Assert.Equal(ArrowType.String, plan.OutputSchema[0].Type);
        Assert.False(plan.ChangesAnything);
    }

    [Fact]
    public void CreatePlan_EmptyTable_NothingChanges()
    {
        var schema = new Schema([new Field("s", ArrowType.String), new Field("n", ArrowType.Int64)]);
        var empty = new RecordBatch(schema, [Strings(ArrowType.String, []), Integers(ArrowType.Int64, [])], 0);

        var withoutBatches = new TableOptimizer(schema).CreatePlan();
        var withEmptyBatch = Plan(schema, empty);

        foreach (var plan in new[] { withoutBatches, withEmptyBatch })
        {
            Assert.False(plan.ChangesAnything);
            Assert.Null(plan.ReductionMessage);
            Assert.Equal(0, plan.BytesBefore);
            Assert.Equal(schema, plan.OutputSchema);
            Assert.Equal(0, plan.Apply(empty).Length);
        }
    }

    [Fact]
    public void Apply_AllNullColumns_StringsEncodedWithEmptyDictionaryIntegersKept()
    {
        var batch = RecordBatch.FromColumns(("s", Strings(ArrowType.String, new string?[20])), ("n", Integers(ArrowType.Int32, new long?[20])));

        var plan = Plan(batch.Schema, batch);
        var output = plan.Apply(batch);

        var dict = Assert.IsType<DictionaryArray>(output.Column(0));
        Assert.Equal(0, dict.Dictionary.Length);
        Assert.Equal(20, dict.NullCount);
        Assert.Equal(ArrowType.Int32, plan.OutputSchema[1].Type);
    }

    [Fact]
    public void Apply_UnobservedValue_UsageError()
    {
        var observed = RecordBatch.FromColumns(("s", Strings(ArrowType.String, Enumerable.Repeat("known", 10).ToArray())));
        var other = RecordBatch.FromColumns(("s", Strings(ArrowType.String, ["known", "stranger"])));

        var plan = Plan(observed.Schema, observed);

        var error = Assert.Throws<LarderUsageException>(() => plan.Apply(other));
        Assert.Contains("'stranger'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_IntegerOutOfPlannedRange_UsageError()
    {
        var observed = RecordBatch.FromColumns(("n", Integers(ArrowType.Int64, [1, 2, 3])));
        var other = RecordBatch.FromColumns(("n", Integers(ArrowType.Int64, [1, 300])));

        var plan = Plan(observed.Schema, observed);

        Assert.Throws<LarderUsageException>(() => plan.Apply(other));
    }

    [Fact]
    public void Observe_WrongColumnsOrAfterPlan_UsageError()
    {
        var batch = RecordBatch.FromColumns(("n", Integers(ArrowType.Int64, [1])));
        var optimizer = new TableOptimizer(new Schema([new Field("n", ArrowType.Int32)]));

        Assert.Throws<LarderUsageException>(() => optimizer.Observe(batch));

        var planned = new TableOptimizer(batch.Schema);
        planned.CreatePlan();
        Assert.Throws<LarderUsageException>(() => planned.Observe(batch));
    }

    [Theory]
    [InlineData(-0.1, 10, 10L)]
    [InlineData(1.5, 10, 10L)]
    [InlineData(double.NaN, 10, 10L)]
    [InlineData(0.2, -1, 10L)]
    [InlineData(0.2, 10, -1L)]
    public void Constructor_InvalidOptions_UsageError(double ratio, int maxValues, long maxBytes)
    {
        var options = new TableOptimizerOptions { MaxDistinctRatio = ratio, MaxDistinctValues = maxValues, MaxDictionaryBytes = maxBytes };

        Assert.Throws<LarderUsageException>(() => new TableOptimizer(new Schema([]), options));
    }

    [Fact]
    public void Apply_ConcurrentCalls_SameResults()
    {
        var random = new Random(11);
        var batches = Enumerable.Range(0, 16)
            .Select(_ => RecordBatch.FromColumns(("s", Strings(ArrowType.String, Enumerable.Range(0, 5_000).Select(_ => "k" + random.Next(40)).ToArray()))))
            .ToList();
        var optimizer = new TableOptimizer(batches[0].Schema);
        batches.ForEach(optimizer.Observe);
        var plan = optimizer.CreatePlan();

        var sequential = batches.Select(plan.Apply).ToList();
        var parallel = new RecordBatch[batches.Count];
        Parallel.For(0, batches.Count, i => parallel[i] = plan.Apply(batches[i]));

        for (int i = 0; i < batches.Count; i++)
        {
            ArrowAssert.Equal(sequential[i], parallel[i]);
        }
    }

    private static TableOptimizationPlan Plan(Schema schema, params RecordBatch[] batches) => Plan(schema, null, batches);

    private static TableOptimizationPlan Plan(Schema schema, TableOptimizerOptions? options, params RecordBatch[] batches)
    {
        var optimizer = new TableOptimizer(schema, options);
        foreach (var batch in batches)
        {
            optimizer.Observe(batch);
        }

        return optimizer.CreatePlan();
    }

    private static ArrowType StringType(ArrowTypeId id) => id == ArrowTypeId.LargeString ? ArrowType.LargeString : ArrowType.String;

    private static int BitWidth(ArrowTypeId id) => id switch
    {
        ArrowTypeId.Int16 or ArrowTypeId.UInt16 => 16,
        ArrowTypeId.Int32 or ArrowTypeId.UInt32 => 32,
        _ => 64,
    };

    internal static IArrowArray Strings(ArrowType type, string?[] values)
    {
        var builder = new BinaryArrayBuilder(type);
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    internal static IArrowArray Integers(ArrowType type, long?[] values)
    {
        var builder = ArrayBuilderFactory.Create(type);
        foreach (var value in values)
        {
            if (value is long v)
            {
                builder.AppendValue(type.IsSignedInteger ? Convert.ChangeType(v, ClrType(type), System.Globalization.CultureInfo.InvariantCulture) : Convert.ChangeType((ulong)v, ClrType(type), System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }

    private static Type ClrType(ArrowType type) => type.Id switch
    {
        ArrowTypeId.Int8 => typeof(sbyte),
        ArrowTypeId.Int16 => typeof(short),
        ArrowTypeId.Int32 => typeof(int),
        ArrowTypeId.Int64 => typeof(long),
        ArrowTypeId.UInt8 => typeof(byte),
        ArrowTypeId.UInt16 => typeof(ushort),
        ArrowTypeId.UInt32 => typeof(uint),
        _ => typeof(ulong),
    };
}
