using System.Buffers;
using System.Buffers.Binary;
using Larder.Ipc.Flatbuf;

namespace Larder.Core.Tests.Ipc.Flatbuf;

public class ArrowFlatbufRoundTripTests
{
    private static FbMessage RoundTrip(FbMessage message)
    {
        byte[] bytes = ArrowFlatbuf.EncodeMessage(message);
        AssertStandardLayout(bytes);
        FbMessage decoded = ArrowFlatbuf.ReadMessage(bytes, "roundtrip", 0);
        Assert.Equal(message, decoded);
        return decoded;
    }

    /// <summary>Root uoffset first, pointing inside; whole length a multiple of 8.</summary>
    private static void AssertStandardLayout(byte[] bytes)
    {
        Assert.Equal(0, bytes.Length % 8);
        uint root = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        Assert.InRange(root, 4u, (uint)bytes.Length - 4);
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void WriteMessage_SchemaWithOneType_ReadsBackEqual(int typeIndex)
    {
        FbType type = FbModelSamples.AllTypes().ElementAt(typeIndex);
        var field = new FbField("column", true, type, null, FbModelSamples.ChildrenFor(type));
        var decoded = RoundTrip(new FbMessage(MetadataVersion.V5, new FbSchema([field]), 0));
        Assert.Equal(type, Assert.IsType<FbSchema>(decoded.Header).Fields[0].Type);
    }

    public static TheoryData<int> EveryType()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < FbModelSamples.AllTypes().Count(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void WriteMessage_EveryKindNestedWithDictionariesAndMetadata_ReadsBackEqual()
    {
        FbSchema schema = FbModelSamples.EveryKindSchema();
        var message = new FbMessage(MetadataVersion.V5, schema, 0, FbModelSamples.Metadata);
        FbMessage decoded = RoundTrip(message);

        var fields = Assert.IsType<FbSchema>(decoded.Header).Fields;
        var allKinds = fields.Select(f => f.Type.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<FbTypeKind>().Length, allKinds.Count);
        Assert.Equal(FbType.Int32, fields.Single(f => f.Name == "dict_default_index").Dictionary!.IndexType);
        Assert.Null(fields.Single(f => f.Name is null).CustomMetadata);
        Assert.Equal(FbModelSamples.Metadata, decoded.CustomMetadata);
    }

    [Fact]
    public void WriteMessage_RandomSchemas_ReadBackEqual()
    {
        var random = new Random(20240611);
        for (int i = 0; i < 300; i++)
        {
            FbSchema schema = FbModelSamples.RandomSchema(random, maxDepth: 6);
            var version = i % 2 == 0 ? MetadataVersion.V5 : MetadataVersion.V4;
            RoundTrip(new FbMessage(version, schema, 0));
        }
    }

    [Fact]
    public void WriteMessage_DeeplyNestedFieldAtTheLimit_ReadsBackEqual()
    {
        var field = new FbField("leaf", true, FbType.Int(32, true));
        for (int depth = 1; depth < FlatBufferLimits.DefaultMaxDepth; depth++)
        {
            field = new FbField("level" + depth, true, FbType.Struct, children: [field]);
        }

        RoundTrip(new FbMessage(MetadataVersion.V5, new FbSchema([field]), 0));
    }

    [Fact]
    public void WriteMessage_NestedBeyondTheLimit_ThrowsUsage()
    {
        var field = new FbField("leaf", true, FbType.Int(32, true));
        for (int depth = 1; depth <= FlatBufferLimits.DefaultMaxDepth; depth++)
        {
            field = new FbField("level" + depth, true, FbType.Struct, children: [field]);
        }

        var output = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<LarderUsageException>(() => ArrowFlatbuf.WriteMessage(new FbMessage(MetadataVersion.V5, new FbSchema([field]), 0), output));
        Assert.Contains("nested", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void WriteMessage_RecordBatch_ReadsBackEqual(int nodeCount)
    {
        var random = new Random(nodeCount + 17);
        FbRecordBatch batch = FbModelSamples.RandomBatch(random, nodeCount, out long bodyLength);
        FbMessage decoded = RoundTrip(new FbMessage(MetadataVersion.V5, batch, bodyLength));
        var read = Assert.IsType<FbRecordBatch>(decoded.Header);
        Assert.Equal(nodeCount, read.Nodes.Length);
        Assert.Equal(nodeCount * 2, read.Buffers.Length);
        Assert.Null(read.Compression);
        Assert.True(read.VariadicBufferCounts.IsEmpty);
    }

    [Fact]
    public void WriteMessage_RecordBatchWithHundredsOfThousandsOfNodes_ReadsBackEqual()
    {
        var random = new Random(300_000);
        FbRecordBatch batch = FbModelSamples.RandomBatch(random, 300_000, out long bodyLength, new FbBodyCompression(FbCompressionCodec.Zstd));
        byte[] bytes = ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, batch, bodyLength));
        Assert.InRange(bytes.Length, 300_000 * 48, (300_000 * 48) + 512);
        Assert.Equal(batch, ArrowFlatbuf.ReadMessage(bytes).Header);
    }

    [Fact]
    public void ReadMessage_RecordBatch_AllocatesLittleBeyondItsArrays()
    {
        var random = new Random(99);
        FbRecordBatch batch = FbModelSamples.RandomBatch(random, 1000, out long bodyLength, new FbBodyCompression(FbCompressionCodec.Lz4Frame));
        byte[] bytes = ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, batch, bodyLength));
        ArrowFlatbuf.ReadMessage(bytes); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        FbMessage message = ArrowFlatbuf.ReadMessage(bytes, "batch.arrows", 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long arrays = (1000 * 16) + (2000 * 16);
        Assert.Equal(batch, message.Header);
        Assert.InRange(allocated, arrays, arrays + 512);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void WriteMessage_CompressedBatchWithVariadicCounts_ReadsBackEqual(int codecValue)
    {
        var codec = (FbCompressionCodec)codecValue;
        var random = new Random((int)codec);
        FbRecordBatch batch = FbModelSamples.RandomBatch(random, 5, out long bodyLength, new FbBodyCompression(codec), [0, 3, long.MaxValue]);
        FbMessage decoded = RoundTrip(new FbMessage(MetadataVersion.V5, batch, bodyLength, [new("k", "v")]));
        var read = Assert.IsType<FbRecordBatch>(decoded.Header);
        Assert.Equal(codec, read.Compression!.Value.Codec);
        Assert.Equal(FbCompressionMethod.Buffer, read.Compression!.Value.Method);
        Assert.Equal(new long[] { 0, 3, long.MaxValue }, read.VariadicBufferCounts.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteMessage_DictionaryBatch_ReadsBackEqual(bool isDelta)
    {
        var random = new Random(isDelta ? 1 : 2);
        FbRecordBatch data = FbModelSamples.RandomBatch(random, 2, out long bodyLength, new FbBodyCompression(FbCompressionCodec.Lz4Frame));
        FbMessage decoded = RoundTrip(new FbMessage(MetadataVersion.V5, new FbDictionaryBatch(-42, data, isDelta), bodyLength));
        var read = Assert.IsType<FbDictionaryBatch>(decoded.Header);
        Assert.Equal(-42, read.Id);
        Assert.Equal(isDelta, read.IsDelta);
    }

    [Fact]
    public void WriteFooter_SchemaBlocksAndMetadata_ReadsBackEqual()
    {
        var dictionaries = new[] { new Block(8, 264, 128), new Block(400, 200, 0) };
        var batches = Enumerable.Range(0, 1000).Select(i => new Block(1000L + (i * 4096L), 256 + i, i * 8L)).ToArray();
        var footer = new FbFooter(MetadataVersion.V5, FbModelSamples.EveryKindSchema(), dictionaries, batches, FbModelSamples.Metadata);
        byte[] bytes = ArrowFlatbuf.EncodeFooter(footer);
        AssertStandardLayout(bytes);
        FbFooter decoded = ArrowFlatbuf.ReadFooter(bytes, "footer", 0);
        Assert.Equal(footer, decoded);
        Assert.Equal(batches, decoded.RecordBatches.ToArray());
    }

    [Fact]
    public void WriteFooter_NoBlocksNoMetadata_ReadsBackEqual()
    {
        var footer = new FbFooter(MetadataVersion.V4, new FbSchema([]), default, default);
        FbFooter decoded = ArrowFlatbuf.ReadFooter(ArrowFlatbuf.EncodeFooter(footer));
        Assert.Equal(footer, decoded);
        Assert.Null(decoded.CustomMetadata);
        Assert.Empty(decoded.Schema.Fields);
    }

    [Fact]
    public void WriteMessage_IntoBufferWriter_AppendsAndReturnsLength()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write(new byte[] { 1, 2, 3 });
        var message = new FbMessage(MetadataVersion.V5, new FbSchema([new FbField("a", true, FbType.Utf8)]), 0);
        int written = ArrowFlatbuf.WriteMessage(message, output);
        Assert.Equal(output.WrittenCount - 3, written);
        Assert.Equal(message, ArrowFlatbuf.ReadMessage(output.WrittenMemory[3..], "appended", 3));
    }

    [Fact]
    public void WriteMessage_InvalidModel_ThrowsUsageAndWritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();
        FbMessage[] invalid =
        [
            new(MetadataVersion.V5, new FbRecordBatch(-1, default, default), 0),
            new(MetadataVersion.V5, new FbRecordBatch(1, new[] { new FieldNode(1, 2) }, default), 0),
            new(MetadataVersion.V5, new FbRecordBatch(1, default, new[] { new BufferSpec(0, 16) }), 8),
            new(MetadataVersion.V5, new FbRecordBatch(1, default, default, new FbBodyCompression((FbCompressionCodec)9)), 0),
            new(MetadataVersion.V5, new FbSchema([]), -8),
            new((MetadataVersion)7, new FbSchema([]), 0),
            new(MetadataVersion.V5, new FbSchema([new FbField("t", true, FbType.Time((FbTimeUnit)4, 32))]), 0),
        ];
        foreach (FbMessage message in invalid)
        {
            Assert.Throws<LarderUsageException>(() => ArrowFlatbuf.WriteMessage(message, output));
        }

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void FbDictionaryEncoding_NonIntIndexType_Throws()
        => Assert.Throws<ArgumentException>(() => new FbDictionaryEncoding(1, FbType.Utf8));

    [Fact]
    public void Models_EqualContentDifferentInstances_AreEqualWithEqualHashes()
    {
        FbSchema a = FbModelSamples.EveryKindSchema();
        FbSchema b = FbModelSamples.EveryKindSchema();
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new FbSchema(a.Fields.Skip(1).ToArray(), a.CustomMetadata, a.Endianness, a.Features));
        Assert.Equal(FbType.Union(FbUnionMode.Dense, [1, 2]), FbType.Union(FbUnionMode.Dense, new List<int> { 1, 2 }));
        Assert.NotEqual(FbType.Union(FbUnionMode.Dense, [1, 2]), FbType.Union(FbUnionMode.Dense, null));
        Assert.Equal(new FbField("x", true, FbType.Utf8, customMetadata: []), new FbField("x", true, FbType.Utf8));
    }

    [Fact]
    public void FlatBufferBuilder_SharedVtables_AreWrittenOnce()
    {
        var fields = Enumerable.Range(0, 200).Select(i => new FbField("c" + i, true, FbType.Int(32, true))).ToArray();
        byte[] bytes = ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, new FbSchema(fields), 0));

        var reader = new FlatBufferReader(bytes, null, 0);
        FbTable root = reader.ReadRoot("Message");
        FbTable schema = reader.GetRequiredTable(root, MessageSlots.Header, "Message.header");
        Assert.True(reader.TryGetVector(schema, SchemaSlots.Fields, 4, "fields", out FbVector vector));
        var vtables = new HashSet<int>();
        var typeVtables = new HashSet<int>();
        for (int i = 0; i < vector.Count; i++)
        {
            FbTable field = reader.GetTableAt(vector, i, "field");
            vtables.Add(field.Vtable);
            typeVtables.Add(reader.GetRequiredTable(field, FieldSlots.Type, "Field.type").Vtable);
        }

        Assert.Single(vtables);
        Assert.Single(typeVtables);
        Assert.Equal(200, Assert.IsType<FbSchema>(ArrowFlatbuf.ReadMessage(bytes).Header).Fields.Count);
    }

    [Fact]
    public void FlatBufferBuilder_GrowsFromTinyCapacity_KeepsContent()
    {
        using var builder = new FlatBufferBuilder(1);
        int s = builder.CreateString(new string('x', 5000));
        int v = builder.CreateInt64Vector(Enumerable.Range(0, 3000).Select(i => (long)i).ToArray());
        builder.StartTable(2);
        builder.AddOffset(0, s);
        builder.AddOffset(1, v);
        builder.Finish(builder.EndTable());

        var reader = new FlatBufferReader(builder.WrittenSpan, "grow", 0);
        FbTable root = reader.ReadRoot("root");
        Assert.Equal(new string('x', 5000), reader.GetString(root, 0, "s"));
        Assert.True(reader.TryGetVector(root, 1, 8, "v", out FbVector vector));
        Assert.Equal(3000, vector.Count);
        Assert.Equal(2999, reader.GetInt64At(vector, 2999));
    }
}
