using System.Buffers.Binary;
using System.Diagnostics;
using Larder.Ipc.Flatbuf;

namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>Hand-made malformed flatbuffers: each violation is caught, named and located.</summary>
public class ArrowFlatbufMalformedTests
{
    private const byte Utf8TypeId = (byte)FbTypeKind.Utf8;

    // ---- raw construction helpers (bypass the encoder's checks) ----

    private static byte[] RawMessage(Func<FlatBufferBuilder, int>? header, byte headerType, short version = (short)MetadataVersion.V5, long bodyLength = 0)
    {
        using var b = new FlatBufferBuilder();
        int h = header?.Invoke(b) ?? 0;
        b.StartTable(MessageSlots.Count);
        b.AddInt64(MessageSlots.BodyLength, bodyLength, 0);
        if (h != 0)
        {
            b.AddOffset(MessageSlots.Header, h);
        }

        b.AddInt16(MessageSlots.Version, version, 0);
        b.AddUInt8(MessageSlots.HeaderType, headerType, 0);
        b.Finish(b.EndTable());
        return b.WrittenSpan.ToArray();
    }

    private static byte[] SchemaMessage(Func<FlatBufferBuilder, int> field)
        => RawMessage(b => RawSchema(b, field(b)), (byte)FbMessageHeaderType.Schema);

    private static int RawSchema(FlatBufferBuilder b, params int[] fields)
    {
        int vector = b.CreateOffsetVector(fields);
        b.StartTable(SchemaSlots.Count);
        b.AddOffset(SchemaSlots.Fields, vector);
        return b.EndTable();
    }

    private static int EmptyTable(FlatBufferBuilder b)
    {
        b.StartTable(0);
        return b.EndTable();
    }

    private static int RawField(FlatBufferBuilder b, byte typeId = Utf8TypeId, int typeTable = 0, int children = 0, string? name = "f", int dictionary = 0)
    {
        int nameOffset = name is null ? 0 : b.CreateString(name);
        int type = typeTable != 0 ? typeTable : EmptyTable(b);
        b.StartTable(FieldSlots.Count);
        if (nameOffset != 0)
        {
            b.AddOffset(FieldSlots.Name, nameOffset);
        }

        if (typeId != 0)
        {
            b.AddOffset(FieldSlots.Type, type);
        }

        if (children != 0)
        {
            b.AddOffset(FieldSlots.Children, children);
        }

        if (dictionary != 0)
        {
            b.AddOffset(FieldSlots.Dictionary, dictionary);
        }

        b.AddUInt8(FieldSlots.TypeType, typeId, 0);
        return b.EndTable();
    }

    private static int TableWithInt16(FlatBufferBuilder b, int slot, short value)
    {
        b.StartTable(slot + 1);
        b.AddInt16(slot, value, short.MinValue);
        return b.EndTable();
    }

    private static byte[] BatchMessage(FieldNode[] nodes, BufferSpec[] buffers, long bodyLength, long length = 1, Func<FlatBufferBuilder, int>? compression = null, long[]? variadic = null)
        => RawMessage(b => RawBatch(b, nodes, buffers, length, compression, variadic), (byte)FbMessageHeaderType.RecordBatch, bodyLength: bodyLength);

    private static int RawBatch(FlatBufferBuilder b, FieldNode[] nodes, BufferSpec[] buffers, long length, Func<FlatBufferBuilder, int>? compression = null, long[]? variadic = null)
    {
        Span<byte> n = b.StartVector(16, nodes.Length, 8);
        for (int i = 0; i < nodes.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(n[(i * 16)..], nodes[i].Length);
            BinaryPrimitives.WriteInt64LittleEndian(n[((i * 16) + 8)..], nodes[i].NullCount);
        }

        int nodesOffset = b.EndVector(nodes.Length);
        Span<byte> s = b.StartVector(16, buffers.Length, 8);
        for (int i = 0; i < buffers.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(s[(i * 16)..], buffers[i].Offset);
            BinaryPrimitives.WriteInt64LittleEndian(s[((i * 16) + 8)..], buffers[i].Length);
        }

        int buffersOffset = b.EndVector(buffers.Length);
        int variadicOffset = variadic is null ? 0 : b.CreateInt64Vector(variadic);
        int compressionOffset = compression?.Invoke(b) ?? 0;
        b.StartTable(RecordBatchSlots.Count);
        b.AddInt64(RecordBatchSlots.Length, length, 0);
        b.AddOffset(RecordBatchSlots.Nodes, nodesOffset);
        b.AddOffset(RecordBatchSlots.Buffers, buffersOffset);
        if (compressionOffset != 0)
        {
            b.AddOffset(RecordBatchSlots.Compression, compressionOffset);
        }

        if (variadicOffset != 0)
        {
            b.AddOffset(RecordBatchSlots.VariadicBufferCounts, variadicOffset);
        }

        return b.EndTable();
    }

    private static byte[] ValidSchemaMessage()
        => ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, new FbSchema([new FbField("name", true, FbType.Utf8)]), 0));

    private static FbTable Root(byte[] bytes)
    {
        var reader = new FlatBufferReader(bytes, null, 0);
        return reader.ReadRoot("Message");
    }

    private static LarderFormatException AssertFormat(byte[] bytes, params string[] expectedFragments)
    {
        var error = Assert.ThrowsAny<LarderFormatException>(() => ArrowFlatbuf.ReadMessage(bytes, "hostile.arrows", 100));
        Assert.StartsWith("hostile.arrows at offset ", error.Message, StringComparison.Ordinal);
        Assert.Equal("hostile.arrows", error.Source);
        Assert.True(error.Offset >= 100, $"offset {error.Offset}");
        foreach (string fragment in expectedFragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        return error;
    }

    // ---- structure ----

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("04000000")]
    [InlineData("0000000000000000")]
    [InlineData("FFFFFFFF00000000")]
    [InlineData("0400000000000000")]
    public void ReadMessage_TinyOrZeroBuffers_ThrowsFormat(string hex)
        => AssertFormat(Convert.FromHexString(hex));

    [Fact]
    public void ReadMessage_RootOffsetBeyondBuffer_ThrowsFormat()
    {
        byte[] bytes = ValidSchemaMessage();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length - 2);
        AssertFormat(bytes, "Message");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, uint.MaxValue);
        AssertFormat(bytes, "invalid offset");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(-4096)]
    [InlineData(4096)]
    public void ReadMessage_VtableOutsideBuffer_ThrowsFormat(int soffset)
    {
        byte[] bytes = ValidSchemaMessage();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Root(bytes).Position), soffset);
        AssertFormat(bytes, "vtable");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(0xFFFE)]
    public void ReadMessage_InvalidVtableSize_ThrowsFormat(int vtableSize)
    {
        byte[] bytes = ValidSchemaMessage();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Root(bytes).Vtable), (ushort)vtableSize);
        AssertFormat(bytes, "vtable");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(0xFFFF)]
    public void ReadMessage_InvalidTableSize_ThrowsFormat(int tableSize)
    {
        byte[] bytes = ValidSchemaMessage();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Root(bytes).Vtable + 2), (ushort)tableSize);
        AssertFormat(bytes);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0xFFF0)]
    public void ReadMessage_FieldOffsetOutsideTable_ThrowsFormat(int fieldOffset)
    {
        byte[] bytes = ValidSchemaMessage();
        FbTable root = Root(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(root.Vtable + 4 + (2 * MessageSlots.Header)), (ushort)fieldOffset);
        AssertFormat(bytes, "field 2 of Message lies at offset", "outside the table");
    }

    [Theory]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x10000000u)]
    public void ReadMessage_VectorCountBeyondBuffer_ThrowsFormatWithoutAllocating(uint count)
    {
        byte[] bytes = BatchMessage([new FieldNode(1, 0)], [new BufferSpec(0, 8)], 8);
        var reader = new FlatBufferReader(bytes, null, 0);
        FbTable root = reader.ReadRoot("Message");
        FbTable batch = reader.GetRequiredTable(root, MessageSlots.Header, "Message.header");
        Assert.True(reader.TryGetVector(batch, RecordBatchSlots.Nodes, 16, "nodes", out FbVector nodes));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(nodes.Start - 4), count);

        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertFormat(bytes, "RecordBatch.nodes", "elements of 16 bytes");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void ReadMessage_StringWithoutTerminator_ThrowsFormat()
    {
        byte[] bytes = SchemaMessage(b => RawField(b, name: "abcdefg"));
        int at = bytes.AsSpan().IndexOf("abcdefg"u8);
        bytes[at + 7] = (byte)'!';
        AssertFormat(bytes, "NUL");
    }

    [Fact]
    public void ReadMessage_StringLengthBeyondBuffer_ThrowsFormat()
    {
        byte[] bytes = SchemaMessage(b => RawField(b, name: "abcdefg"));
        int at = bytes.AsSpan().IndexOf("abcdefg"u8);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at - 4), int.MaxValue);
        AssertFormat(bytes, "Field.name");
    }

    [Fact]
    public void ReadMessage_InvalidUtf8Name_ThrowsFormat()
    {
        byte[] bytes = SchemaMessage(b => RawField(b, name: "abcdefg"));
        int at = bytes.AsSpan().IndexOf("abcdefg"u8);
        bytes[at + 2] = 0xC3;
        bytes[at + 3] = 0x28;
        AssertFormat(bytes, "UTF-8");
    }

    [Fact]
    public void ReadMessage_FieldsNestedPastTheLimit_ThrowsFormat()
    {
        byte[] bytes = SchemaMessage(b =>
        {
            int field = RawField(b);
            for (int i = 0; i < 100; i++)
            {
                field = RawField(b, (byte)FbTypeKind.Struct, children: b.CreateOffsetVector([field]));
            }

            return field;
        });
        AssertFormat(bytes, "nested more than 64 levels");
    }

    [Fact]
    public void ReadMessage_SharedChildrenAmplification_ThrowsFormatQuickly()
    {
        // Each level lists the level below twice: 2^60 fields by reference in about 3 KB.
        byte[] bytes = SchemaMessage(b =>
        {
            int field = RawField(b);
            for (int i = 0; i < 60; i++)
            {
                field = RawField(b, (byte)FbTypeKind.Struct, children: b.CreateOffsetVector([field, field]), name: null);
            }

            return field;
        });
        Assert.True(bytes.Length < 8192, $"{bytes.Length} bytes");
        var watch = Stopwatch.StartNew();
        AssertFormat(bytes, "exceeds the limit");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public void ReadMessage_SharedStringAmplification_ThrowsFormat()
    {
        // 4000 fields share one 2000-byte name: 8 MB of strings from a ~50 KB buffer.
        byte[] bytes = RawMessage(
            b =>
            {
                int name = b.CreateString(new string('n', 2000));
                int type = EmptyTable(b);
                var fields = new int[4000];
                for (int i = 0; i < fields.Length; i++)
                {
                    b.StartTable(FieldSlots.Count);
                    b.AddOffset(FieldSlots.Name, name);
                    b.AddOffset(FieldSlots.Type, type);
                    b.AddUInt8(FieldSlots.TypeType, Utf8TypeId, 0);
                    fields[i] = b.EndTable();
                }

                return RawSchema(b, fields);
            },
            (byte)FbMessageHeaderType.Schema);
        AssertFormat(bytes, "bytes decoded");
    }

    [Fact]
    public void ReadMessage_TightLimits_ThrowsFormat()
    {
        byte[] bytes = ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, FbModelSamples.EveryKindSchema(), 0));
        Assert.ThrowsAny<LarderFormatException>(() => ArrowFlatbuf.ReadMessage(bytes, null, 0, new FlatBufferLimits(64, 10, 1 << 20)));
        Assert.ThrowsAny<LarderFormatException>(() => ArrowFlatbuf.ReadMessage(bytes, null, 0, new FlatBufferLimits(64, 1 << 20, 100)));
        Assert.ThrowsAny<LarderFormatException>(() => ArrowFlatbuf.ReadMessage(bytes, null, 0, new FlatBufferLimits(2, 1 << 20, 1 << 20)));
        Assert.NotNull(ArrowFlatbuf.ReadMessage(bytes, null, 0, new FlatBufferLimits(5, 1 << 20, 1 << 20)));
    }

    [Fact]
    public void ReadMessage_UnalignedBuffer_Decodes()
    {
        byte[] valid = ValidSchemaMessage();
        byte[] shifted = new byte[valid.Length + 3];
        valid.CopyTo(shifted, 3);
        Assert.Equal(ArrowFlatbuf.ReadMessage(valid), ArrowFlatbuf.ReadMessage(shifted.AsSpan(3)));
    }

    // ---- required fields and enums ----

    [Fact]
    public void ReadMessage_HeaderAbsent_ThrowsFormat()
    {
        AssertFormat(RawMessage(null, (byte)FbMessageHeaderType.None), "Message.header is required");
        AssertFormat(RawMessage(null, (byte)FbMessageHeaderType.RecordBatch), "Message.header is required");
        AssertFormat(RawMessage(b => RawSchema(b), (byte)FbMessageHeaderType.None), "Message.header is required");
    }

    [Theory]
    [InlineData((byte)FbMessageHeaderType.Tensor)]
    [InlineData((byte)FbMessageHeaderType.SparseTensor)]
    public void ReadMessage_TensorHeader_ThrowsNotSupported(byte headerType)
    {
        var error = Assert.Throws<LarderNotSupportedException>(() => ArrowFlatbuf.ReadMessage(RawMessage(EmptyTable, headerType), "t.arrows", 0));
        Assert.Contains("Tensor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMessage_UnknownHeaderType_ThrowsFormat()
        => AssertFormat(RawMessage(EmptyTable, 6), "Message.header_type", "unknown value 6");

    [Fact]
    public void ReadMessage_FutureMetadataVersion_ThrowsNotSupported()
        => Assert.Throws<LarderNotSupportedException>(() => ArrowFlatbuf.ReadMessage(RawMessage(b => RawSchema(b), 1, version: 5)));

    [Theory]
    [InlineData(-1)]
    [InlineData(168)]
    public void ReadMessage_ImplausibleMetadataVersion_ThrowsFormat(short version)
    {
        var error = AssertFormat(RawMessage(b => RawSchema(b), 1, version: version), "Message.version", $"unknown value {version}");
        Assert.IsNotType<LarderNotSupportedException>(error);
    }

    [Fact]
    public void ReadMessage_ImplausibleTypeId_ThrowsFormat()
    {
        var error = AssertFormat(SchemaMessage(b => RawField(b, typeId: 200)), "Field.type_type", "unknown value 200");
        Assert.IsNotType<LarderNotSupportedException>(error);
    }

    [Fact]
    public void ReadMessage_OldMetadataVersion_DecodesVersion()
        => Assert.Equal(MetadataVersion.V3, ArrowFlatbuf.ReadMessage(RawMessage(b => RawSchema(b), 1, version: 2)).Version);

    [Fact]
    public void ReadMessage_FieldWithoutType_ThrowsFormat()
    {
        AssertFormat(SchemaMessage(b => RawField(b, typeId: 0)), "Field.type is required");
        AssertFormat(
            SchemaMessage(b =>
            {
                b.StartTable(FieldSlots.Count);
                b.AddUInt8(FieldSlots.TypeType, Utf8TypeId, 0);
                return b.EndTable();
            }),
            "Field.type is required");
    }

    [Fact]
    public void ReadMessage_FutureTypeId_ThrowsNotSupported()
    {
        var error = Assert.Throws<LarderNotSupportedException>(() => ArrowFlatbuf.ReadMessage(SchemaMessage(b => RawField(b, typeId: 27)), "future.arrows", 0));
        Assert.Contains("type id 27", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((byte)FbTypeKind.Timestamp, 0, 4, "Timestamp.unit")]
    [InlineData((byte)FbTypeKind.Time, 0, -1, "Time.unit")]
    [InlineData((byte)FbTypeKind.Duration, 0, 9, "Duration.unit")]
    [InlineData((byte)FbTypeKind.Date, 0, 2, "Date.unit")]
    [InlineData((byte)FbTypeKind.FloatingPoint, 0, 3, "FloatingPoint.precision")]
    [InlineData((byte)FbTypeKind.Interval, 0, 3, "Interval.unit")]
    [InlineData((byte)FbTypeKind.Union, 0, 2, "Union.mode")]
    public void ReadMessage_UnknownTypeEnum_ThrowsFormat(byte typeId, int slot, short value, string field)
        => AssertFormat(SchemaMessage(b => RawField(b, typeId, TableWithInt16(b, slot, value))), field, $"unknown value {value}");

    [Fact]
    public void ReadMessage_UnknownEndianness_ThrowsFormat()
        => AssertFormat(RawMessage(b => TableWithInt16(b, SchemaSlots.Endianness, 2), 1), "Schema.endianness");

    [Fact]
    public void ReadMessage_UnknownDictionaryKind_ThrowsFormat()
        => AssertFormat(SchemaMessage(b => RawField(b, dictionary: TableWithInt16(b, DictionaryEncodingSlots.DictionaryKind, 1))), "dictionaryKind");

    [Theory]
    [InlineData(2, 0, "BodyCompression.codec")]
    [InlineData(-1, 0, "BodyCompression.codec")]
    [InlineData(0, 1, "BodyCompression.method")]
    public void ReadMessage_UnknownCompression_ThrowsFormat(int codec, int method, string field)
    {
        byte[] bytes = BatchMessage([], [], 0, compression: b =>
        {
            b.StartTable(2);
            b.AddInt8(BodyCompressionSlots.Codec, (sbyte)codec, 100);
            b.AddInt8(BodyCompressionSlots.Method, (sbyte)method, 100);
            return b.EndTable();
        });
        AssertFormat(bytes, field);
    }

    [Fact]
    public void ReadMessage_DictionaryBatchWithoutData_ThrowsFormat()
        => AssertFormat(RawMessage(EmptyTable, (byte)FbMessageHeaderType.DictionaryBatch), "DictionaryBatch.data is required");

    [Fact]
    public void ReadFooter_WithoutSchema_ThrowsFormat()
    {
        using var b = new FlatBufferBuilder();
        b.StartTable(FooterSlots.Count);
        b.AddInt16(FooterSlots.Version, 4, 0);
        b.Finish(b.EndTable());
        var error = Assert.ThrowsAny<LarderFormatException>(() => ArrowFlatbuf.ReadFooter(b.WrittenSpan, "f.arrow", 500));
        Assert.Contains("Footer.schema is required", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("f.arrow at offset 5", error.Message, StringComparison.Ordinal);
    }

    // ---- values ----

    [Fact]
    public void ReadMessage_NegativeBodyLength_ThrowsFormat()
        => AssertFormat(BatchMessage([], [], -8), "bodyLength is negative");

    [Fact]
    public void ReadMessage_NegativeBatchLength_ThrowsFormat()
        => AssertFormat(BatchMessage([], [], 0, length: -1), "RecordBatch.length is negative");

    [Theory]
    [InlineData(0, 16, 8)]
    [InlineData(8, 8, 8)]
    [InlineData(-8, 8, 64)]
    [InlineData(0, -1, 64)]
    [InlineData(long.MaxValue, long.MaxValue, long.MaxValue)]
    public void ReadMessage_BufferOutsideBody_ThrowsFormat(long offset, long length, long bodyLength)
        => AssertFormat(BatchMessage([new FieldNode(1, 0)], [new BufferSpec(0, 0), new BufferSpec(offset, length)], bodyLength), "RecordBatch.buffers[1]");

    [Theory]
    [InlineData(1, 2)]
    [InlineData(-1, 0)]
    [InlineData(5, -1)]
    public void ReadMessage_InvalidNode_ThrowsFormat(long length, long nullCount)
        => AssertFormat(BatchMessage([new FieldNode(1, 0), new FieldNode(length, nullCount)], [], 0), "RecordBatch.nodes[1]");

    [Fact]
    public void ReadMessage_NegativeVariadicCount_ThrowsFormat()
        => AssertFormat(BatchMessage([], [], 0, variadic: [1, -1]), "variadicBufferCounts[1]");

    [Fact]
    public void ReadFooter_NegativeBlock_ThrowsFormat()
    {
        var footer = new FbFooter(MetadataVersion.V5, new FbSchema([]), default, new[] { new Block(8, 100, 64) });
        byte[] bytes = ArrowFlatbuf.EncodeFooter(footer);
        int at = bytes.AsSpan().IndexOf(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0 });
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 16), -64);
        Assert.Contains("Footer.recordBatches[0]", Assert.ThrowsAny<LarderFormatException>(() => ArrowFlatbuf.ReadFooter(bytes)).Message, StringComparison.Ordinal);
    }

    // ---- defaults of absent fields ----

    [Fact]
    public void ReadMessage_AbsentOptionalFields_DecodeToDefaults()
    {
        byte[] bytes = RawMessage(
            b =>
            {
                int date = RawField(b, (byte)FbTypeKind.Date, EmptyTable(b), name: null);
                int time = RawField(b, (byte)FbTypeKind.Time, EmptyTable(b));
                int dec = RawField(b, (byte)FbTypeKind.Decimal, EmptyTable(b));
                int dur = RawField(b, (byte)FbTypeKind.Duration, EmptyTable(b));
                int ts = RawField(b, (byte)FbTypeKind.Timestamp, EmptyTable(b));
                int dict = RawField(b, dictionary: EmptyTable(b));
                return RawSchema(b, date, time, dec, dur, ts, dict);
            },
            (byte)FbMessageHeaderType.Schema);
        var schema = Assert.IsType<FbSchema>(ArrowFlatbuf.ReadMessage(bytes).Header);
        Assert.Null(schema.Fields[0].Name);
        Assert.Empty(schema.Fields[0].Children);
        Assert.Null(schema.Fields[0].CustomMetadata);
        Assert.False(schema.Fields[0].Nullable);
        Assert.Equal(FbType.Date(FbDateUnit.Millisecond), schema.Fields[0].Type);
        Assert.Equal(FbType.Time(FbTimeUnit.Millisecond, 32), schema.Fields[1].Type);
        Assert.Equal(FbType.Decimal(0, 0, 128), schema.Fields[2].Type);
        Assert.Equal(FbType.Duration(FbTimeUnit.Millisecond), schema.Fields[3].Type);
        Assert.Equal(FbType.Timestamp(FbTimeUnit.Second, null), schema.Fields[4].Type);
        Assert.Equal(new FbDictionaryEncoding(0, FbType.Int(32, true)), schema.Fields[5].Dictionary);
        Assert.Equal(FbEndianness.Little, schema.Endianness);
        Assert.Empty(schema.Features);
    }

    [Fact]
    public void ReadMessage_BatchWithoutVectors_DecodesEmpty()
    {
        byte[] bytes = RawMessage(b => EmptyTable(b), (byte)FbMessageHeaderType.RecordBatch, bodyLength: 0);
        var batch = Assert.IsType<FbRecordBatch>(ArrowFlatbuf.ReadMessage(bytes).Header);
        Assert.Equal(0, batch.Length);
        Assert.True(batch.Nodes.IsEmpty && batch.Buffers.IsEmpty && batch.VariadicBufferCounts.IsEmpty);
        Assert.Null(batch.Compression);
    }

    [Fact]
    public void ReadMessage_CompressionTableWithDefaults_DecodesLz4Buffer()
    {
        byte[] bytes = BatchMessage([], [], 0, compression: EmptyTable);
        var batch = Assert.IsType<FbRecordBatch>(ArrowFlatbuf.ReadMessage(bytes).Header);
        Assert.Equal(new FbBodyCompression(FbCompressionCodec.Lz4Frame, FbCompressionMethod.Buffer), batch.Compression);
    }
}
