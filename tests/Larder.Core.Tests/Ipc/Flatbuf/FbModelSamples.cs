using Larder.Ipc.Flatbuf;

namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>Sample models for the flatbuffer tests: one field of every type kind, and seeded random schemas.</summary>
internal static class FbModelSamples
{
    public static readonly KeyValuePair<string, string>[] Metadata =
    [
        new("ARROW:extension:name", "larder.uuid"),
        new("empty", string.Empty),
        new("ünïcødé ✓", "値 🐟"),
        new("empty", "duplicate key kept in order"),
    ];

    /// <summary>One type of every kind with non-default parameters where the kind has them.</summary>
    public static IEnumerable<FbType> AllTypes()
    {
        yield return FbType.Null;
        foreach (int bits in new[] { 8, 16, 32, 64 })
        {
            yield return FbType.Int(bits, true);
            yield return FbType.Int(bits, false);
        }

        yield return FbType.FloatingPoint(FbPrecision.Half);
        yield return FbType.FloatingPoint(FbPrecision.Single);
        yield return FbType.FloatingPoint(FbPrecision.Double);
        yield return FbType.Binary;
        yield return FbType.Utf8;
        yield return FbType.Bool;
        yield return FbType.Decimal(38, 10);
        yield return FbType.Decimal(76, -3, 256);
        yield return FbType.Decimal(9, 2, 32);
        yield return FbType.Date(FbDateUnit.Day);
        yield return FbType.Date(FbDateUnit.Millisecond);
        yield return FbType.Time(FbTimeUnit.Second, 32);
        yield return FbType.Time(FbTimeUnit.Millisecond, 32);
        yield return FbType.Time(FbTimeUnit.Microsecond, 64);
        yield return FbType.Time(FbTimeUnit.Nanosecond, 64);
        yield return FbType.Timestamp(FbTimeUnit.Second, null);
        yield return FbType.Timestamp(FbTimeUnit.Millisecond, "UTC");
        yield return FbType.Timestamp(FbTimeUnit.Microsecond, "America/New_York");
        yield return FbType.Timestamp(FbTimeUnit.Nanosecond, "+07:30");
        yield return FbType.Timestamp(FbTimeUnit.Nanosecond, string.Empty);
        yield return FbType.Interval(FbIntervalUnit.YearMonth);
        yield return FbType.Interval(FbIntervalUnit.DayTime);
        yield return FbType.Interval(FbIntervalUnit.MonthDayNano);
        yield return FbType.List;
        yield return FbType.Struct;
        yield return FbType.Union(FbUnionMode.Sparse, null);
        yield return FbType.Union(FbUnionMode.Dense, [5, 7]);
        yield return FbType.FixedSizeBinary(16);
        yield return FbType.FixedSizeList(3);
        yield return FbType.Map(false);
        yield return FbType.Map(true);
        yield return FbType.Duration(FbTimeUnit.Second);
        yield return FbType.Duration(FbTimeUnit.Millisecond);
        yield return FbType.Duration(FbTimeUnit.Nanosecond);
        yield return FbType.LargeBinary;
        yield return FbType.LargeUtf8;
        yield return FbType.LargeList;
        yield return FbType.RunEndEncoded;
        yield return FbType.BinaryView;
        yield return FbType.Utf8View;
        yield return FbType.ListView;
        yield return FbType.LargeListView;
    }

    /// <summary>A schema with one field per type (nested kinds get children), dictionaries, metadata and features.</summary>
    public static FbSchema EveryKindSchema()
    {
        var fields = new List<FbField>();
        int i = 0;
        foreach (FbType type in AllTypes())
        {
            fields.Add(new FbField($"f{i++}_{type.Kind}", i % 2 == 0, type, null, ChildrenFor(type), i % 5 == 0 ? Metadata : null));
        }

        fields.Add(new FbField("dict_default_index", true, FbType.Utf8, new FbDictionaryEncoding(0)));
        fields.Add(new FbField("dict_u8_ordered", false, FbType.LargeUtf8, new FbDictionaryEncoding(1, FbType.Int(8, false), isOrdered: true)));
        fields.Add(new FbField("dict_i64", true, FbType.Int(32, true), new FbDictionaryEncoding(long.MaxValue, FbType.Int(64, true))));
        fields.Add(new FbField(
            "list_of_dict",
            true,
            FbType.List,
            children: [new FbField("item", true, FbType.Utf8, new FbDictionaryEncoding(-5, FbType.Int(16, true)))]));
        fields.Add(new FbField(null, true, FbType.Int(32, true)));
        fields.Add(new FbField(string.Empty, false, FbType.Bool, customMetadata: []));
        return new FbSchema(fields, Metadata, FbEndianness.Little, [FbFeature.CompressedBody, FbFeature.DictionaryReplacement, 1L << 40]);
    }

    /// <summary>Children that make a nested type well-formed (the flatbuffer layer does not require them).</summary>
    public static IReadOnlyList<FbField> ChildrenFor(FbType type) => type.Kind switch
    {
        FbTypeKind.List or FbTypeKind.LargeList or FbTypeKind.FixedSizeList or FbTypeKind.ListView or FbTypeKind.LargeListView
            => [new FbField("item", true, FbType.Int(64, true))],
        FbTypeKind.Struct => [new FbField("a", true, FbType.Utf8), new FbField("b", false, FbType.FloatingPoint(FbPrecision.Double))],
        FbTypeKind.Map =>
        [
            new FbField("entries", false, FbType.Struct, children:
            [
                new FbField("key", false, FbType.Utf8),
                new FbField("value", true, FbType.List, children: [new FbField("item", true, FbType.Int(8, false))]),
            ]),
        ],
        FbTypeKind.Union => [new FbField("u0", true, FbType.Int(32, true)), new FbField("u1", true, FbType.Utf8)],
        FbTypeKind.RunEndEncoded => [new FbField("run_ends", false, FbType.Int(32, true)), new FbField("values", true, FbType.Utf8)],
        _ => [],
    };

    /// <summary>A random schema (seeded): up to <paramref name="maxDepth"/> levels of nesting, every type kind.</summary>
    public static FbSchema RandomSchema(Random random, int maxDepth)
    {
        FbType[] types = AllTypes().ToArray();
        FbField RandomField(int depth)
        {
            FbType type = types[random.Next(types.Length)];
            int childCount = depth < maxDepth && type.Kind is FbTypeKind.Struct or FbTypeKind.Union or FbTypeKind.List or FbTypeKind.Map
                ? random.Next(0, 4)
                : 0;
            var children = new FbField[childCount];
            for (int c = 0; c < childCount; c++)
            {
                children[c] = RandomField(depth + 1);
            }

            FbDictionaryEncoding? dictionary = random.Next(6) == 0
                ? new FbDictionaryEncoding(random.NextInt64(-10, 1_000_000), random.Next(2) == 0 ? null : FbType.Int(8 << random.Next(4), random.Next(2) == 0), random.Next(2) == 0)
                : null;
            KeyValuePair<string, string>[]? metadata = random.Next(4) == 0
                ? Enumerable.Range(0, random.Next(3)).Select(k => new KeyValuePair<string, string>($"k{k}", new string('v', random.Next(40)))).ToArray()
                : null;
            string? name = random.Next(10) == 0 ? null : "field_" + random.Next(100000);
            return new FbField(name, random.Next(2) == 0, type, dictionary, children, metadata);
        }

        var fields = Enumerable.Range(0, random.Next(0, 12)).Select(_ => RandomField(1)).ToArray();
        return new FbSchema(fields, random.Next(2) == 0 ? Metadata : null, random.Next(8) == 0 ? FbEndianness.Big : FbEndianness.Little);
    }

    /// <summary>A record batch with <paramref name="nodeCount"/> nodes and twice as many buffers, consistent with its body.</summary>
    public static FbRecordBatch RandomBatch(Random random, int nodeCount, out long bodyLength, FbBodyCompression? compression = null, long[]? variadic = null)
    {
        var nodes = new FieldNode[nodeCount];
        var buffers = new BufferSpec[nodeCount * 2];
        long offset = 0;
        for (int i = 0; i < nodeCount; i++)
        {
            long length = random.NextInt64(0, 1L << 40);
            nodes[i] = new FieldNode(length, length == 0 ? 0 : random.NextInt64(0, length + 1));
            for (int b = 0; b < 2; b++)
            {
                long bufferLength = random.Next(0, 4096) * 8L;
                buffers[(i * 2) + b] = new BufferSpec(offset, bufferLength);
                offset += bufferLength;
            }
        }

        bodyLength = offset + (random.Next(0, 3) * 8L);
        return new FbRecordBatch(nodes.Length == 0 ? 0 : nodes[0].Length, nodes, buffers, compression, variadic ?? default(ReadOnlyMemory<long>));
    }
}
