using System.Buffers.Binary;

namespace Larder.Ipc.Flatbuf;

/// <summary>
/// Decodes verified Arrow metadata tables (Message.fbs, Schema.fbs, File.fbs) into the plain models. Every read goes
/// through <see cref="FlatBufferReader"/>, so malformed bytes throw <see cref="LarderFormatException"/>; unknown enum
/// values are format errors, while well-formed but unsupported content (Tensor messages, type ids or metadata versions
/// newer than this reader) throws <see cref="LarderNotSupportedException"/>.
/// </summary>
internal static class ArrowFlatbufDecoder
{
    private const byte MaxKnownTypeId = (byte)FbTypeKind.LargeListView;

    // Values just past the known ones are taken for content of a newer Arrow format (not supported); values far past
    // them are corruption (malformed).
    private const byte MaxPlausibleTypeId = 63;
    private const short MaxPlausibleVersion = 15;

    /// <summary>Decodes the root <c>Message</c>; buffer ranges are checked to lie within <c>bodyLength</c>.</summary>
    public static FbMessage DecodeMessage(ref FlatBufferReader r)
    {
        FbTable t = r.ReadRoot("Message");
        MetadataVersion version = DecodeVersion(ref r, t, MessageSlots.Version, "Message.version");
        long bodyLength = r.GetInt64(t, MessageSlots.BodyLength, 0);
        if (bodyLength < 0)
        {
            throw r.Invalid(t.Position, $"Message.bodyLength is negative ({bodyLength})");
        }

        byte headerType = r.GetUInt8(t, MessageSlots.HeaderType, 0);
        FbMessageHeader header;
        switch ((FbMessageHeaderType)headerType)
        {
            case FbMessageHeaderType.None:
                throw r.Missing(t, "Message.header");
            case FbMessageHeaderType.Schema:
                header = DecodeSchema(ref r, r.GetRequiredTable(t, MessageSlots.Header, "Message.header"));
                break;
            case FbMessageHeaderType.DictionaryBatch:
                header = DecodeDictionaryBatch(ref r, r.GetRequiredTable(t, MessageSlots.Header, "Message.header"), bodyLength);
                break;
            case FbMessageHeaderType.RecordBatch:
                header = DecodeRecordBatch(ref r, r.GetRequiredTable(t, MessageSlots.Header, "Message.header"), bodyLength);
                break;
            case FbMessageHeaderType.Tensor:
            case FbMessageHeaderType.SparseTensor:
                throw LarderErrors.FlatbufUnsupported(
                    r.Source,
                    r.BaseOffset + t.Position,
                    $"an Arrow IPC {(FbMessageHeaderType)headerType} message",
                    "Larder reads Schema, RecordBatch and DictionaryBatch messages only; write the data as a table.");
            default:
                throw r.UnknownEnum(t, "Message.header_type", headerType);
        }

        var metadata = DecodeMetadata(ref r, t, MessageSlots.CustomMetadata, "Message.custom_metadata");
        return new FbMessage(version, header, bodyLength, metadata);
    }

    /// <summary>Decodes the root <c>Footer</c> of an Arrow file.</summary>
    public static FbFooter DecodeFooter(ref FlatBufferReader r)
    {
        FbTable t = r.ReadRoot("Footer");
        MetadataVersion version = DecodeVersion(ref r, t, FooterSlots.Version, "Footer.version");
        FbSchema schema = DecodeSchema(ref r, r.GetRequiredTable(t, FooterSlots.Schema, "Footer.schema"));
        Block[] dictionaries = DecodeBlocks(ref r, t, FooterSlots.Dictionaries, "Footer.dictionaries");
        Block[] recordBatches = DecodeBlocks(ref r, t, FooterSlots.RecordBatches, "Footer.recordBatches");
        var metadata = DecodeMetadata(ref r, t, FooterSlots.CustomMetadata, "Footer.custom_metadata");
        return new FbFooter(version, schema, dictionaries, recordBatches, metadata);
    }

    /// <summary>Decodes a <c>Schema</c> table.</summary>
    public static FbSchema DecodeSchema(ref FlatBufferReader r, in FbTable t)
    {
        short endianness = r.GetInt16(t, SchemaSlots.Endianness, 0);
        if (endianness is not ((short)FbEndianness.Little or (short)FbEndianness.Big))
        {
            throw r.UnknownEnum(t, "Schema.endianness", endianness);
        }

        FbField[] fields = [];
        if (r.TryGetVector(t, SchemaSlots.Fields, 4, "Schema.fields", out FbVector v) && v.Count > 0)
        {
            fields = new FbField[v.Count];
            for (int i = 0; i < fields.Length; i++)
            {
                fields[i] = DecodeField(ref r, r.GetTableAt(v, i, "Schema.fields[]"));
            }
        }

        var metadata = DecodeMetadata(ref r, t, SchemaSlots.CustomMetadata, "Schema.custom_metadata");
        long[] features = [];
        if (r.TryGetVector(t, SchemaSlots.Features, 8, "Schema.features", out FbVector fv) && fv.Count > 0)
        {
            features = new long[fv.Count];
            for (int i = 0; i < features.Length; i++)
            {
                features[i] = r.GetInt64At(fv, i);
            }
        }

        return new FbSchema(fields, metadata, (FbEndianness)endianness, features);
    }

    private static FbField DecodeField(ref FlatBufferReader r, in FbTable t)
    {
        r.EnterNested(t.Position, "Field.children");
        string? name = r.GetString(t, FieldSlots.Name, "Field.name");
        bool nullable = r.GetBool(t, FieldSlots.Nullable, false);
        byte typeId = r.GetUInt8(t, FieldSlots.TypeType, 0);
        if (typeId == 0)
        {
            throw r.Missing(t, "Field.type");
        }

        if (typeId > MaxPlausibleTypeId)
        {
            throw r.UnknownEnum(t, "Field.type_type", typeId);
        }

        if (typeId > MaxKnownTypeId)
        {
            throw LarderErrors.FlatbufUnsupported(
                r.Source,
                r.BaseOffset + t.Position,
                $"the Arrow type id {typeId} of field '{name}'",
                "it is newer than this version of Larder knows; write the data with a type of Arrow format 1.4 or older.");
        }

        FbType type = DecodeType(ref r, (FbTypeKind)typeId, r.GetRequiredTable(t, FieldSlots.Type, "Field.type"));

        FbDictionaryEncoding? dictionary = null;
        if (r.TryGetTable(t, FieldSlots.Dictionary, "Field.dictionary", out FbTable dt))
        {
            dictionary = DecodeDictionaryEncoding(ref r, dt);
        }

        FbField[] children = [];
        if (r.TryGetVector(t, FieldSlots.Children, 4, "Field.children", out FbVector cv) && cv.Count > 0)
        {
            children = new FbField[cv.Count];
            for (int i = 0; i < children.Length; i++)
            {
                children[i] = DecodeField(ref r, r.GetTableAt(cv, i, "Field.children[]"));
            }
        }

        var metadata = DecodeMetadata(ref r, t, FieldSlots.CustomMetadata, "Field.custom_metadata");
        r.ExitNested();
        return new FbField(name, nullable, type, dictionary, children, metadata);
    }

    private static FbType DecodeType(ref FlatBufferReader r, FbTypeKind kind, in FbTable t)
    {
        switch (kind)
        {
            case FbTypeKind.Int:
                return FbType.Int(r.GetInt32(t, TypeSlots.IntBitWidth, 0), r.GetBool(t, TypeSlots.IntIsSigned, false));
            case FbTypeKind.FloatingPoint:
                return FbType.FloatingPoint((FbPrecision)Enum16(ref r, t, TypeSlots.FloatingPointPrecision, 0, 2, 0, "FloatingPoint.precision"));
            case FbTypeKind.Decimal:
                return FbType.Decimal(
                    r.GetInt32(t, TypeSlots.DecimalPrecision, 0),
                    r.GetInt32(t, TypeSlots.DecimalScale, 0),
                    r.GetInt32(t, TypeSlots.DecimalBitWidth, 128));
            case FbTypeKind.Date:
                return FbType.Date((FbDateUnit)Enum16(ref r, t, TypeSlots.DateUnit, 0, 1, (short)FbDateUnit.Millisecond, "Date.unit"));
            case FbTypeKind.Time:
                return FbType.Time(
                    (FbTimeUnit)Enum16(ref r, t, TypeSlots.TimeUnit, 0, 3, (short)FbTimeUnit.Millisecond, "Time.unit"),
                    r.GetInt32(t, TypeSlots.TimeBitWidth, 32));
            case FbTypeKind.Timestamp:
                return FbType.Timestamp(
                    (FbTimeUnit)Enum16(ref r, t, TypeSlots.TimestampUnit, 0, 3, (short)FbTimeUnit.Second, "Timestamp.unit"),
                    r.GetString(t, TypeSlots.TimestampTimezone, "Timestamp.timezone"));
            case FbTypeKind.Duration:
                return FbType.Duration((FbTimeUnit)Enum16(ref r, t, TypeSlots.DurationUnit, 0, 3, (short)FbTimeUnit.Millisecond, "Duration.unit"));
            case FbTypeKind.Interval:
                return FbType.Interval((FbIntervalUnit)Enum16(ref r, t, TypeSlots.IntervalUnit, 0, 2, 0, "Interval.unit"));
            case FbTypeKind.FixedSizeBinary:
                return FbType.FixedSizeBinary(r.GetInt32(t, TypeSlots.FixedSizeBinaryByteWidth, 0));
            case FbTypeKind.FixedSizeList:
                return FbType.FixedSizeList(r.GetInt32(t, TypeSlots.FixedSizeListListSize, 0));
            case FbTypeKind.Map:
                return FbType.Map(r.GetBool(t, TypeSlots.MapKeysSorted, false));
            case FbTypeKind.Union:
                FbUnionMode mode = (FbUnionMode)Enum16(ref r, t, TypeSlots.UnionMode, 0, 1, 0, "Union.mode");
                int[]? typeIds = null;
                if (r.TryGetVector(t, TypeSlots.UnionTypeIds, 4, "Union.typeIds", out FbVector v))
                {
                    typeIds = new int[v.Count];
                    for (int i = 0; i < typeIds.Length; i++)
                    {
                        typeIds[i] = r.GetInt32At(v, i);
                    }
                }

                return FbType.Union(mode, typeIds);
            default:
                // Null, Binary, Utf8, Bool, List, Struct_, LargeBinary, LargeUtf8, LargeList, RunEndEncoded and the view
                // types have no fields.
                return new FbType(kind);
        }
    }

    private static FbDictionaryEncoding DecodeDictionaryEncoding(ref FlatBufferReader r, in FbTable t)
    {
        long id = r.GetInt64(t, DictionaryEncodingSlots.Id, 0);
        FbType? indexType = null;
        if (r.TryGetTable(t, DictionaryEncodingSlots.IndexType, "DictionaryEncoding.indexType", out FbTable it))
        {
            indexType = DecodeType(ref r, FbTypeKind.Int, it);
        }

        bool isOrdered = r.GetBool(t, DictionaryEncodingSlots.IsOrdered, false);
        FbDictionaryKind kind = (FbDictionaryKind)Enum16(ref r, t, DictionaryEncodingSlots.DictionaryKind, 0, 0, 0, "DictionaryEncoding.dictionaryKind");
        return new FbDictionaryEncoding(id, indexType, isOrdered, kind);
    }

    /// <summary>
    /// Decodes a <c>RecordBatch</c> table. Nodes must have 0 ≤ null_count ≤ length; buffers must be non-negative ranges
    /// within <paramref name="bodyLength"/> (pass <see cref="long.MaxValue"/> when unknown).
    /// </summary>
    public static FbRecordBatch DecodeRecordBatch(ref FlatBufferReader r, in FbTable t, long bodyLength)
    {
        long length = r.GetInt64(t, RecordBatchSlots.Length, 0);
        if (length < 0)
        {
            throw r.Invalid(t.Position, $"RecordBatch.length is negative ({length})");
        }

        FieldNode[] nodes = [];
        if (r.TryGetVector(t, RecordBatchSlots.Nodes, StructSizes.FieldNode, "RecordBatch.nodes", out FbVector nv) && nv.Count > 0)
        {
            ReadOnlySpan<byte> bytes = r.GetVectorBytes(nv);
            nodes = new FieldNode[nv.Count];
            for (int i = 0; i < nodes.Length; i++)
            {
                ReadOnlySpan<byte> s = bytes.Slice(i * StructSizes.FieldNode, StructSizes.FieldNode);
                long nodeLength = BinaryPrimitives.ReadInt64LittleEndian(s);
                long nullCount = BinaryPrimitives.ReadInt64LittleEndian(s[8..]);
                if (nodeLength < 0 || nullCount < 0 || nullCount > nodeLength)
                {
                    throw r.Invalid(nv.Start + (i * StructSizes.FieldNode), $"RecordBatch.nodes[{i}] has length {nodeLength} and null count {nullCount}");
                }

                nodes[i] = new FieldNode(nodeLength, nullCount);
            }
        }

        BufferSpec[] buffers = [];
        if (r.TryGetVector(t, RecordBatchSlots.Buffers, StructSizes.Buffer, "RecordBatch.buffers", out FbVector bv) && bv.Count > 0)
        {
            ReadOnlySpan<byte> bytes = r.GetVectorBytes(bv);
            buffers = new BufferSpec[bv.Count];
            for (int i = 0; i < buffers.Length; i++)
            {
                ReadOnlySpan<byte> s = bytes.Slice(i * StructSizes.Buffer, StructSizes.Buffer);
                long offset = BinaryPrimitives.ReadInt64LittleEndian(s);
                long bufferLength = BinaryPrimitives.ReadInt64LittleEndian(s[8..]);
                if (offset < 0 || bufferLength < 0 || offset > bodyLength || bufferLength > bodyLength - offset)
                {
                    throw r.Invalid(
                        bv.Start + (i * StructSizes.Buffer),
                        $"RecordBatch.buffers[{i}] (offset {offset}, length {bufferLength}) is not within the {bodyLength}-byte message body");
                }

                buffers[i] = new BufferSpec(offset, bufferLength);
            }
        }

        FbBodyCompression? compression = null;
        if (r.TryGetTable(t, RecordBatchSlots.Compression, "RecordBatch.compression", out FbTable ct))
        {
            sbyte codec = r.GetInt8(ct, BodyCompressionSlots.Codec, 0);
            if (codec is not ((sbyte)FbCompressionCodec.Lz4Frame or (sbyte)FbCompressionCodec.Zstd))
            {
                throw r.UnknownEnum(ct, "BodyCompression.codec", codec);
            }

            sbyte method = r.GetInt8(ct, BodyCompressionSlots.Method, 0);
            if (method != (sbyte)FbCompressionMethod.Buffer)
            {
                throw r.UnknownEnum(ct, "BodyCompression.method", method);
            }

            compression = new FbBodyCompression((FbCompressionCodec)codec, (FbCompressionMethod)method);
        }

        long[] variadic = [];
        if (r.TryGetVector(t, RecordBatchSlots.VariadicBufferCounts, 8, "RecordBatch.variadicBufferCounts", out FbVector vv) && vv.Count > 0)
        {
            variadic = new long[vv.Count];
            for (int i = 0; i < variadic.Length; i++)
            {
                long count = r.GetInt64At(vv, i);
                if (count < 0)
                {
                    throw r.Invalid(vv.Start + (i * 8), $"RecordBatch.variadicBufferCounts[{i}] is negative ({count})");
                }

                variadic[i] = count;
            }
        }

        return new FbRecordBatch(length, nodes, buffers, compression, variadic);
    }

    private static FbDictionaryBatch DecodeDictionaryBatch(ref FlatBufferReader r, in FbTable t, long bodyLength)
    {
        long id = r.GetInt64(t, DictionaryBatchSlots.Id, 0);
        FbRecordBatch data = DecodeRecordBatch(ref r, r.GetRequiredTable(t, DictionaryBatchSlots.Data, "DictionaryBatch.data"), bodyLength);
        bool isDelta = r.GetBool(t, DictionaryBatchSlots.IsDelta, false);
        return new FbDictionaryBatch(id, data, isDelta);
    }

    private static Block[] DecodeBlocks(ref FlatBufferReader r, in FbTable t, int slot, string what)
    {
        if (!r.TryGetVector(t, slot, StructSizes.Block, what, out FbVector v) || v.Count == 0)
        {
            return [];
        }

        ReadOnlySpan<byte> bytes = r.GetVectorBytes(v);
        var blocks = new Block[v.Count];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<byte> s = bytes.Slice(i * StructSizes.Block, StructSizes.Block);
            long offset = BinaryPrimitives.ReadInt64LittleEndian(s);
            int metaDataLength = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
            long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(s[16..]);
            if (offset < 0 || metaDataLength < 0 || bodyLength < 0)
            {
                throw r.Invalid(v.Start + (i * StructSizes.Block), $"{what}[{i}] has offset {offset}, metadata length {metaDataLength} and body length {bodyLength}");
            }

            blocks[i] = new Block(offset, metaDataLength, bodyLength);
        }

        return blocks;
    }

    private static KeyValuePair<string, string>[]? DecodeMetadata(ref FlatBufferReader r, in FbTable t, int slot, string what)
    {
        if (!r.TryGetVector(t, slot, 4, what, out FbVector v))
        {
            return null;
        }

        var pairs = new KeyValuePair<string, string>[v.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            FbTable kv = r.GetTableAt(v, i, "KeyValue");
            string key = r.GetString(kv, KeyValueSlots.Key, "KeyValue.key") ?? string.Empty;
            string value = r.GetString(kv, KeyValueSlots.Value, "KeyValue.value") ?? string.Empty;
            pairs[i] = new KeyValuePair<string, string>(key, value);
        }

        return pairs;
    }

    private static MetadataVersion DecodeVersion(ref FlatBufferReader r, in FbTable t, int slot, string what)
    {
        short version = r.GetInt16(t, slot, 0);
        if (version is < 0 or > MaxPlausibleVersion)
        {
            throw r.UnknownEnum(t, what, version);
        }

        if (version > (short)MetadataVersion.V5)
        {
            throw LarderErrors.FlatbufUnsupported(
                r.Source,
                r.BaseOffset + t.Position,
                $"Arrow metadata version V{version + 1}",
                "it is newer than this version of Larder knows (V5); write the data with Arrow format V5.");
        }

        return (MetadataVersion)version;
    }

    private static short Enum16(ref FlatBufferReader r, in FbTable t, int slot, short min, short max, short defaultValue, string what)
    {
        short value = r.GetInt16(t, slot, defaultValue);
        if (value < min || value > max)
        {
            throw r.UnknownEnum(t, what, value);
        }

        return value;
    }
}
