using System.Buffers.Binary;

namespace Larder.Ipc.Flatbuf;

/// <summary>
/// Encodes the plain models into Arrow metadata tables with a <see cref="FlatBufferBuilder"/>, as the reference writers
/// do: required vectors (Schema.fields, Field.children, RecordBatch.nodes/buffers, Footer blocks) are always written,
/// even when empty, and so is DictionaryEncoding.indexType, because Arrow C++ refuses metadata without them. The
/// encoder refuses what the decoder would reject (negative lengths, null counts above the length, buffers outside the
/// body, undefined enum values, nesting deeper than <see cref="FlatBufferLimits.DefaultMaxDepth"/>) with
/// <see cref="LarderUsageException"/>.
/// </summary>
internal static class ArrowFlatbufEncoder
{
    /// <summary>Encodes a <c>Message</c> table; returns its offset (pass it to <see cref="FlatBufferBuilder.Finish"/>).</summary>
    public static int EncodeMessage(FlatBufferBuilder b, FbMessage message)
    {
        if (message.BodyLength < 0)
        {
            throw LarderErrors.FlatbufInvalidModel($"the message body length is negative ({message.BodyLength})");
        }

        CheckVersion(message.Version);
        int header = message.Header switch
        {
            FbSchema schema => EncodeSchema(b, schema),
            FbRecordBatch batch => EncodeRecordBatch(b, batch, message.BodyLength),
            FbDictionaryBatch dictionary => EncodeDictionaryBatch(b, dictionary, message.BodyLength),
            _ => throw LarderErrors.FlatbufInvalidModel($"{message.Header.GetType().Name} is not a message header Larder writes"),
        };
        int metadata = EncodeMetadata(b, message.CustomMetadata);

        b.StartTable(MessageSlots.Count);
        b.AddInt64(MessageSlots.BodyLength, message.BodyLength, 0);
        b.AddOffset(MessageSlots.Header, header);
        if (metadata != 0)
        {
            b.AddOffset(MessageSlots.CustomMetadata, metadata);
        }

        b.AddInt16(MessageSlots.Version, (short)message.Version, 0);
        b.AddUInt8(MessageSlots.HeaderType, (byte)message.Header.HeaderType, 0);
        return b.EndTable();
    }

    /// <summary>Encodes a <c>Footer</c> table; returns its offset.</summary>
    public static int EncodeFooter(FlatBufferBuilder b, FbFooter footer)
    {
        CheckVersion(footer.Version);
        int schema = EncodeSchema(b, footer.Schema);
        int dictionaries = EncodeBlocks(b, footer.Dictionaries.Span);
        int recordBatches = EncodeBlocks(b, footer.RecordBatches.Span);
        int metadata = EncodeMetadata(b, footer.CustomMetadata);

        b.StartTable(FooterSlots.Count);
        b.AddOffset(FooterSlots.Schema, schema);
        b.AddOffset(FooterSlots.Dictionaries, dictionaries);
        b.AddOffset(FooterSlots.RecordBatches, recordBatches);
        if (metadata != 0)
        {
            b.AddOffset(FooterSlots.CustomMetadata, metadata);
        }

        b.AddInt16(FooterSlots.Version, (short)footer.Version, 0);
        return b.EndTable();
    }

    /// <summary>Encodes a <c>Schema</c> table; returns its offset.</summary>
    public static int EncodeSchema(FlatBufferBuilder b, FbSchema schema)
    {
        if (schema.Endianness is not (FbEndianness.Little or FbEndianness.Big))
        {
            throw LarderErrors.FlatbufInvalidModel($"the endianness {(int)schema.Endianness} is not defined by Arrow");
        }

        int fields = EncodeFields(b, schema.Fields, 1);
        int metadata = EncodeMetadata(b, schema.CustomMetadata);
        int features = 0;
        if (schema.Features.Count > 0)
        {
            long[] values = new long[schema.Features.Count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = schema.Features[i];
            }

            features = b.CreateInt64Vector(values);
        }

        b.StartTable(SchemaSlots.Count);
        b.AddOffset(SchemaSlots.Fields, fields);
        if (metadata != 0)
        {
            b.AddOffset(SchemaSlots.CustomMetadata, metadata);
        }

        if (features != 0)
        {
            b.AddOffset(SchemaSlots.Features, features);
        }

        b.AddInt16(SchemaSlots.Endianness, (short)schema.Endianness, 0);
        return b.EndTable();
    }

    private static int EncodeFields(FlatBufferBuilder b, IReadOnlyList<FbField> fields, int depth)
    {
        if (fields.Count == 0)
        {
            return b.CreateOffsetVector([]);
        }

        int[] offsets = new int[fields.Count];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = EncodeField(b, fields[i] ?? throw LarderErrors.FlatbufInvalidModel("a field list holds null"), depth);
        }

        return b.CreateOffsetVector(offsets);
    }

    private static int EncodeField(FlatBufferBuilder b, FbField field, int depth)
    {
        if (depth > FlatBufferLimits.DefaultMaxDepth)
        {
            throw LarderErrors.FlatbufInvalidModel($"field '{field.Name}' is nested more than {FlatBufferLimits.DefaultMaxDepth} levels deep");
        }

        int children = EncodeFields(b, field.Children, depth + 1);
        int name = field.Name is null ? 0 : b.CreateString(field.Name);
        int type = EncodeType(b, field.Type);
        int dictionary = field.Dictionary is null ? 0 : EncodeDictionaryEncoding(b, field.Dictionary);
        int metadata = EncodeMetadata(b, field.CustomMetadata);

        b.StartTable(FieldSlots.Count);
        if (name != 0)
        {
            b.AddOffset(FieldSlots.Name, name);
        }

        b.AddOffset(FieldSlots.Type, type);
        if (dictionary != 0)
        {
            b.AddOffset(FieldSlots.Dictionary, dictionary);
        }

        b.AddOffset(FieldSlots.Children, children);
        if (metadata != 0)
        {
            b.AddOffset(FieldSlots.CustomMetadata, metadata);
        }

        b.AddUInt8(FieldSlots.TypeType, (byte)field.Type.Kind, 0);
        b.AddBool(FieldSlots.Nullable, field.Nullable, false);
        return b.EndTable();
    }

    private static int EncodeType(FlatBufferBuilder b, FbType type)
    {
        switch (type.Kind)
        {
            case FbTypeKind.Int:
                b.StartTable(2);
                b.AddInt32(TypeSlots.IntBitWidth, type.BitWidth, 0);
                b.AddBool(TypeSlots.IntIsSigned, type.IsSigned, false);
                return b.EndTable();
            case FbTypeKind.FloatingPoint:
                CheckEnum((int)type.Precision, 2, "FloatingPoint precision");
                b.StartTable(1);
                b.AddInt16(TypeSlots.FloatingPointPrecision, (short)type.Precision, 0);
                return b.EndTable();
            case FbTypeKind.Decimal:
                b.StartTable(3);
                b.AddInt32(TypeSlots.DecimalPrecision, type.DecimalPrecision, 0);
                b.AddInt32(TypeSlots.DecimalScale, type.DecimalScale, 0);
                b.AddInt32(TypeSlots.DecimalBitWidth, type.BitWidth, 128);
                return b.EndTable();
            case FbTypeKind.Date:
                CheckEnum((int)type.DateUnit, 1, "Date unit");
                b.StartTable(1);
                b.AddInt16(TypeSlots.DateUnit, (short)type.DateUnit, (short)FbDateUnit.Millisecond);
                return b.EndTable();
            case FbTypeKind.Time:
                CheckEnum((int)type.TimeUnit, 3, "Time unit");
                b.StartTable(2);
                b.AddInt32(TypeSlots.TimeBitWidth, type.BitWidth, 32);
                b.AddInt16(TypeSlots.TimeUnit, (short)type.TimeUnit, (short)FbTimeUnit.Millisecond);
                return b.EndTable();
            case FbTypeKind.Timestamp:
                CheckEnum((int)type.TimeUnit, 3, "Timestamp unit");
                int timezone = type.Timezone is null ? 0 : b.CreateString(type.Timezone);
                b.StartTable(2);
                if (timezone != 0)
                {
                    b.AddOffset(TypeSlots.TimestampTimezone, timezone);
                }

                b.AddInt16(TypeSlots.TimestampUnit, (short)type.TimeUnit, (short)FbTimeUnit.Second);
                return b.EndTable();
            case FbTypeKind.Duration:
                CheckEnum((int)type.TimeUnit, 3, "Duration unit");
                b.StartTable(1);
                b.AddInt16(TypeSlots.DurationUnit, (short)type.TimeUnit, (short)FbTimeUnit.Millisecond);
                return b.EndTable();
            case FbTypeKind.Interval:
                CheckEnum((int)type.IntervalUnit, 2, "Interval unit");
                b.StartTable(1);
                b.AddInt16(TypeSlots.IntervalUnit, (short)type.IntervalUnit, 0);
                return b.EndTable();
            case FbTypeKind.FixedSizeBinary:
                b.StartTable(1);
                b.AddInt32(TypeSlots.FixedSizeBinaryByteWidth, type.ByteWidth, 0);
                return b.EndTable();
            case FbTypeKind.FixedSizeList:
                b.StartTable(1);
                b.AddInt32(TypeSlots.FixedSizeListListSize, type.ListSize, 0);
                return b.EndTable();
            case FbTypeKind.Map:
                b.StartTable(1);
                b.AddBool(TypeSlots.MapKeysSorted, type.KeysSorted, false);
                return b.EndTable();
            case FbTypeKind.Union:
                CheckEnum((int)type.UnionMode, 1, "Union mode");
                int typeIds = 0;
                if (type.UnionTypeIds is { } ids)
                {
                    int[] values = new int[ids.Count];
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = ids[i];
                    }

                    typeIds = b.CreateInt32Vector(values);
                }

                b.StartTable(2);
                if (typeIds != 0)
                {
                    b.AddOffset(TypeSlots.UnionTypeIds, typeIds);
                }

                b.AddInt16(TypeSlots.UnionMode, (short)type.UnionMode, 0);
                return b.EndTable();
            default:
                // Parameterless kinds: an empty table (readers require the table to be present).
                b.StartTable(0);
                return b.EndTable();
        }
    }

    private static int EncodeDictionaryEncoding(FlatBufferBuilder b, FbDictionaryEncoding dictionary)
    {
        CheckEnum((int)dictionary.Kind, 0, "dictionary kind");
        int indexType = EncodeType(b, dictionary.IndexType);
        b.StartTable(DictionaryEncodingSlots.Count);
        b.AddInt64(DictionaryEncodingSlots.Id, dictionary.Id, 0);
        b.AddOffset(DictionaryEncodingSlots.IndexType, indexType);
        b.AddInt16(DictionaryEncodingSlots.DictionaryKind, (short)dictionary.Kind, 0);
        b.AddBool(DictionaryEncodingSlots.IsOrdered, dictionary.IsOrdered, false);
        return b.EndTable();
    }

    /// <summary>Encodes a <c>RecordBatch</c> table, checking nodes and buffers (within <paramref name="bodyLength"/>).</summary>
    public static int EncodeRecordBatch(FlatBufferBuilder b, FbRecordBatch batch, long bodyLength)
    {
        if (batch.Length < 0)
        {
            throw LarderErrors.FlatbufInvalidModel($"the record batch length is negative ({batch.Length})");
        }

        ReadOnlySpan<FieldNode> nodes = batch.Nodes.Span;
        Span<byte> nodeBytes = b.StartVector(StructSizes.FieldNode, nodes.Length, 8);
        for (int i = 0; i < nodes.Length; i++)
        {
            FieldNode node = nodes[i];
            if (node.Length < 0 || node.NullCount < 0 || node.NullCount > node.Length)
            {
                throw LarderErrors.FlatbufInvalidModel($"node {i} has length {node.Length} and null count {node.NullCount}");
            }

            Span<byte> s = nodeBytes.Slice(i * StructSizes.FieldNode, StructSizes.FieldNode);
            BinaryPrimitives.WriteInt64LittleEndian(s, node.Length);
            BinaryPrimitives.WriteInt64LittleEndian(s[8..], node.NullCount);
        }

        int nodesOffset = b.EndVector(nodes.Length);

        ReadOnlySpan<BufferSpec> buffers = batch.Buffers.Span;
        Span<byte> bufferBytes = b.StartVector(StructSizes.Buffer, buffers.Length, 8);
        for (int i = 0; i < buffers.Length; i++)
        {
            BufferSpec buffer = buffers[i];
            if (buffer.Offset < 0 || buffer.Length < 0 || buffer.Offset > bodyLength || buffer.Length > bodyLength - buffer.Offset)
            {
                throw LarderErrors.FlatbufInvalidModel($"buffer {i} (offset {buffer.Offset}, length {buffer.Length}) is not within the {bodyLength}-byte body");
            }

            Span<byte> s = bufferBytes.Slice(i * StructSizes.Buffer, StructSizes.Buffer);
            BinaryPrimitives.WriteInt64LittleEndian(s, buffer.Offset);
            BinaryPrimitives.WriteInt64LittleEndian(s[8..], buffer.Length);
        }

        int buffersOffset = b.EndVector(buffers.Length);

        int variadic = 0;
        if (!batch.VariadicBufferCounts.IsEmpty)
        {
            ReadOnlySpan<long> counts = batch.VariadicBufferCounts.Span;
            foreach (long count in counts)
            {
                if (count < 0)
                {
                    throw LarderErrors.FlatbufInvalidModel($"a variadic buffer count is negative ({count})");
                }
            }

            variadic = b.CreateInt64Vector(counts);
        }

        int compression = 0;
        if (batch.Compression is { } c)
        {
            CheckEnum((int)c.Codec, 1, "compression codec");
            CheckEnum((int)c.Method, 0, "compression method");
            b.StartTable(BodyCompressionSlots.Count);

            // The codec is written even when it is the default (LZ4_FRAME), so no reader has to rely on the default.
            b.AddInt8(BodyCompressionSlots.Codec, (sbyte)c.Codec, -1);
            b.AddInt8(BodyCompressionSlots.Method, (sbyte)c.Method, 0);
            compression = b.EndTable();
        }

        b.StartTable(RecordBatchSlots.Count);
        b.AddInt64(RecordBatchSlots.Length, batch.Length, 0);
        b.AddOffset(RecordBatchSlots.Nodes, nodesOffset);
        b.AddOffset(RecordBatchSlots.Buffers, buffersOffset);
        if (compression != 0)
        {
            b.AddOffset(RecordBatchSlots.Compression, compression);
        }

        if (variadic != 0)
        {
            b.AddOffset(RecordBatchSlots.VariadicBufferCounts, variadic);
        }

        return b.EndTable();
    }

    private static int EncodeDictionaryBatch(FlatBufferBuilder b, FbDictionaryBatch dictionary, long bodyLength)
    {
        int data = EncodeRecordBatch(b, dictionary.Data, bodyLength);
        b.StartTable(DictionaryBatchSlots.Count);
        b.AddInt64(DictionaryBatchSlots.Id, dictionary.Id, 0);
        b.AddOffset(DictionaryBatchSlots.Data, data);
        b.AddBool(DictionaryBatchSlots.IsDelta, dictionary.IsDelta, false);
        return b.EndTable();
    }

    private static int EncodeBlocks(FlatBufferBuilder b, ReadOnlySpan<Block> blocks)
    {
        Span<byte> bytes = b.StartVector(StructSizes.Block, blocks.Length, 8);
        for (int i = 0; i < blocks.Length; i++)
        {
            Block block = blocks[i];
            if (block.Offset < 0 || block.MetaDataLength < 0 || block.BodyLength < 0)
            {
                throw LarderErrors.FlatbufInvalidModel($"block {i} has offset {block.Offset}, metadata length {block.MetaDataLength} and body length {block.BodyLength}");
            }

            Span<byte> s = bytes.Slice(i * StructSizes.Block, StructSizes.Block);
            BinaryPrimitives.WriteInt64LittleEndian(s, block.Offset);
            BinaryPrimitives.WriteInt32LittleEndian(s[8..], block.MetaDataLength);
            BinaryPrimitives.WriteInt64LittleEndian(s[16..], block.BodyLength);
        }

        return b.EndVector(blocks.Length);
    }

    /// <summary>Encodes key/value metadata; returns 0 (nothing written) when <paramref name="metadata"/> is null.</summary>
    private static int EncodeMetadata(FlatBufferBuilder b, IReadOnlyList<KeyValuePair<string, string>>? metadata)
    {
        if (metadata is null)
        {
            return 0;
        }

        int[] offsets = new int[metadata.Count];
        for (int i = 0; i < offsets.Length; i++)
        {
            int key = b.CreateString(metadata[i].Key ?? string.Empty);
            int value = b.CreateString(metadata[i].Value ?? string.Empty);
            b.StartTable(KeyValueSlots.Count);
            b.AddOffset(KeyValueSlots.Key, key);
            b.AddOffset(KeyValueSlots.Value, value);
            offsets[i] = b.EndTable();
        }

        return b.CreateOffsetVector(offsets);
    }

    private static void CheckVersion(MetadataVersion version)
    {
        if (version is < MetadataVersion.V1 or > MetadataVersion.V5)
        {
            throw LarderErrors.FlatbufInvalidModel($"the metadata version {(int)version} is not defined by Arrow");
        }
    }

    private static void CheckEnum(int value, int max, string what)
    {
        if (value < 0 || value > max)
        {
            throw LarderErrors.FlatbufInvalidModel($"the {what} {value} is not defined by Arrow");
        }
    }
}
