using Larder.Parquet.Thrift;

namespace Larder.Parquet.Metadata;

/// <summary>Decodes one struct from the reader's current position.</summary>
internal delegate T ThriftStructDecoder<T>(ref ThriftCompactReader reader);

/// <summary>
/// Decodes the structs of parquet.thrift from a <see cref="ThriftCompactReader"/>. Unknown fields (of any type) and
/// unknown union members are skipped, so files from newer writers decode. A known field id holding another wire type than
/// parquet.thrift declares is skipped too, as Apache Thrift's generated readers do (Dremio, for one, writes a list as
/// ColumnMetaData field 15); a list whose element type is wrong is malformed. A missing required field or a negative
/// size/count throws <see cref="LarderFormatException"/> at the offset of the struct (or value) concerned; encrypted
/// files throw <see cref="LarderNotSupportedException"/>. Stateless.
/// </summary>
internal static class ThriftMetadataDecoder
{
    public static FileMetaData FileMetaData(ref ThriftCompactReader r)
    {
        const string S = "FileMetaData";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? version = null;
        long? numRows = null;
        List<SchemaElement>? schema = null;
        List<RowGroup>? rowGroups = null;
        List<KeyValue>? keyValues = null;
        string? createdBy = null;
        List<ColumnOrder>? columnOrders = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: version = I32(ref r, t, "FileMetaData.version"); break;
                case 2 when t is CompactType.List or CompactType.Set: schema = StructList(ref r, t, "FileMetaData.schema", SchemaElement); break;
                case 3 when t == CompactType.I64: numRows = NonNegative(ref r, I64(ref r, t, "FileMetaData.num_rows"), "FileMetaData.num_rows"); break;
                case 4 when t is CompactType.List or CompactType.Set: rowGroups = StructList(ref r, t, "FileMetaData.row_groups", RowGroup); break;
                case 5 when t is CompactType.List or CompactType.Set: keyValues = StructList(ref r, t, "FileMetaData.key_value_metadata", KeyValue); break;
                case 6 when t == CompactType.Binary: createdBy = LenientString(ref r, t, "FileMetaData.created_by"); break;
                case 7 when t is CompactType.List or CompactType.Set: columnOrders = StructList(ref r, t, "FileMetaData.column_orders", ColumnOrder); break;
                case 8: throw ParquetMetadataErrors.Encrypted(r.Source, start, "FileMetaData.encryption_algorithm");
                case 9: throw ParquetMetadataErrors.Encrypted(r.Source, start, "FileMetaData.footer_signing_key_metadata");
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        if (schema is { Count: 0 })
        {
            throw ParquetMetadataErrors.InvalidValue(r.Source, start, "FileMetaData.schema is empty (it must hold at least the root)");
        }

        return new FileMetaData
        {
            Version = version ?? throw Missing(ref r, start, S, "version"),
            Schema = schema ?? throw Missing(ref r, start, S, "schema"),
            NumRows = numRows ?? throw Missing(ref r, start, S, "num_rows"),
            RowGroups = rowGroups ?? throw Missing(ref r, start, S, "row_groups"),
            KeyValueMetadata = keyValues,
            CreatedBy = createdBy,
            ColumnOrders = columnOrders,
        };
    }

    public static SchemaElement SchemaElement(ref ThriftCompactReader r)
    {
        long start = r.Offset;
        short saved = r.BeginStruct("SchemaElement");
        PhysicalType? type = null;
        int? typeLength = null, numChildren = null, scale = null, precision = null, fieldId = null;
        FieldRepetitionType? repetition = null;
        string? name = null;
        ConvertedType? converted = null;
        LogicalType? logical = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: type = (PhysicalType)I32(ref r, t, "SchemaElement.type"); break;
                case 2 when t == CompactType.I32: typeLength = I32(ref r, t, "SchemaElement.type_length"); break;
                case 3 when t == CompactType.I32: repetition = (FieldRepetitionType)I32(ref r, t, "SchemaElement.repetition_type"); break;
                case 4 when t == CompactType.Binary: name = String(ref r, t, "SchemaElement.name"); break;
                case 5 when t == CompactType.I32: numChildren = (int)NonNegative(ref r, I32(ref r, t, "SchemaElement.num_children"), "SchemaElement.num_children"); break;
                case 6 when t == CompactType.I32: converted = (ConvertedType)I32(ref r, t, "SchemaElement.converted_type"); break;
                case 7 when t == CompactType.I32: scale = I32(ref r, t, "SchemaElement.scale"); break;
                case 8 when t == CompactType.I32: precision = I32(ref r, t, "SchemaElement.precision"); break;
                case 9 when t == CompactType.I32: fieldId = I32(ref r, t, "SchemaElement.field_id"); break;
                case 10 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "SchemaElement.logicalType");
                    logical = LogicalType(ref r);
                    break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new SchemaElement
        {
            Type = type,
            TypeLength = typeLength,
            RepetitionType = repetition,
            Name = name ?? throw Missing(ref r, start, "SchemaElement", "name"),
            NumChildren = numChildren,
            ConvertedType = converted,
            Scale = scale,
            Precision = precision,
            FieldId = fieldId,
            LogicalType = logical,
        };
    }

    public static LogicalType LogicalType(ref ThriftCompactReader r)
    {
        short saved = r.BeginStruct("LogicalType");
        LogicalType? result = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            if (t != CompactType.Struct)
            {
                // Every member is a struct; another type is a member this version cannot know.
                r.Skip(t);
                result = Metadata.LogicalType.Unknown(id);
                continue;
            }

            result = id switch
            {
                1 => SkipEmpty(ref r, Metadata.LogicalType.String),
                2 => SkipEmpty(ref r, Metadata.LogicalType.Map),
                3 => SkipEmpty(ref r, Metadata.LogicalType.List),
                4 => SkipEmpty(ref r, Metadata.LogicalType.Enum),
                5 => DecimalType(ref r),
                6 => SkipEmpty(ref r, Metadata.LogicalType.Date),
                7 => TimeType(ref r, "TimeType", id),
                8 => TimeType(ref r, "TimestampType", id),
                10 => IntType(ref r),
                11 => SkipEmpty(ref r, Metadata.LogicalType.Null),
                12 => SkipEmpty(ref r, Metadata.LogicalType.Json),
                13 => SkipEmpty(ref r, Metadata.LogicalType.Bson),
                14 => SkipEmpty(ref r, Metadata.LogicalType.Uuid),
                15 => SkipEmpty(ref r, Metadata.LogicalType.Float16),
                _ => SkipEmpty(ref r, Metadata.LogicalType.Unknown(id)),
            };
        }

        r.EndStruct(saved);
        return result ?? Metadata.LogicalType.Unknown(0);
    }

    public static RowGroup RowGroup(ref ThriftCompactReader r)
    {
        const string S = "RowGroup";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        List<ColumnChunk>? columns = null;
        long? totalByteSize = null, numRows = null, fileOffset = null, totalCompressed = null;
        List<SortingColumn>? sorting = null;
        short? ordinal = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t is CompactType.List or CompactType.Set: columns = StructList(ref r, t, "RowGroup.columns", ColumnChunk); break;
                case 2 when t == CompactType.I64: totalByteSize = I64(ref r, t, "RowGroup.total_byte_size"); break;
                case 3 when t == CompactType.I64: numRows = NonNegative(ref r, I64(ref r, t, "RowGroup.num_rows"), "RowGroup.num_rows"); break;
                case 4 when t is CompactType.List or CompactType.Set: sorting = StructList(ref r, t, "RowGroup.sorting_columns", SortingColumn); break;
                case 5 when t == CompactType.I64: fileOffset = I64(ref r, t, "RowGroup.file_offset"); break;
                case 6 when t == CompactType.I64: totalCompressed = I64(ref r, t, "RowGroup.total_compressed_size"); break;
                case 7 when t == CompactType.I16:
                    r.Expect(t, CompactType.I16, "RowGroup.ordinal");
                    ordinal = r.ReadI16();
                    break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new RowGroup
        {
            Columns = columns ?? throw Missing(ref r, start, S, "columns"),
            TotalByteSize = totalByteSize ?? throw Missing(ref r, start, S, "total_byte_size"),
            NumRows = numRows ?? throw Missing(ref r, start, S, "num_rows"),
            SortingColumns = sorting,
            FileOffset = fileOffset,
            TotalCompressedSize = totalCompressed,
            Ordinal = ordinal,
        };
    }

    public static ColumnChunk ColumnChunk(ref ThriftCompactReader r)
    {
        long start = r.Offset;
        short saved = r.BeginStruct("ColumnChunk");
        string? filePath = null;
        long fileOffset = 0;
        ColumnMetaData? metaData = null;
        long? offsetIndexOffset = null, columnIndexOffset = null;
        int? offsetIndexLength = null, columnIndexLength = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.Binary: filePath = String(ref r, t, "ColumnChunk.file_path"); break;
                case 2 when t == CompactType.I64: fileOffset = I64(ref r, t, "ColumnChunk.file_offset"); break;
                case 3 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "ColumnChunk.meta_data");
                    metaData = ColumnMetaData(ref r);
                    break;
                case 4 when t == CompactType.I64: offsetIndexOffset = I64(ref r, t, "ColumnChunk.offset_index_offset"); break;
                case 5 when t == CompactType.I32: offsetIndexLength = I32(ref r, t, "ColumnChunk.offset_index_length"); break;
                case 6 when t == CompactType.I64: columnIndexOffset = I64(ref r, t, "ColumnChunk.column_index_offset"); break;
                case 7 when t == CompactType.I32: columnIndexLength = I32(ref r, t, "ColumnChunk.column_index_length"); break;
                case 8: throw ParquetMetadataErrors.Encrypted(r.Source, start, "ColumnChunk.crypto_metadata");
                case 9: throw ParquetMetadataErrors.Encrypted(r.Source, start, "ColumnChunk.encrypted_column_metadata");
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new ColumnChunk
        {
            FilePath = filePath,
            FileOffset = fileOffset,
            MetaData = metaData ?? throw Missing(ref r, start, "ColumnChunk", "meta_data"),
            OffsetIndexOffset = offsetIndexOffset,
            OffsetIndexLength = offsetIndexLength,
            ColumnIndexOffset = columnIndexOffset,
            ColumnIndexLength = columnIndexLength,
        };
    }

    public static ColumnMetaData ColumnMetaData(ref ThriftCompactReader r)
    {
        const string S = "ColumnMetaData";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        PhysicalType? type = null;
        List<Encoding>? encodings = null;
        List<string>? path = null;
        CompressionCodec? codec = null;
        long? numValues = null, totalUncompressed = null, totalCompressed = null, dataPageOffset = null;
        long? indexPageOffset = null, dictionaryPageOffset = null, bloomOffset = null;
        int? bloomLength = null;
        List<KeyValue>? keyValues = null;
        Statistics? statistics = null;
        List<PageEncodingStats>? encodingStats = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: type = (PhysicalType)I32(ref r, t, "ColumnMetaData.type"); break;
                case 2 when t is CompactType.List or CompactType.Set: encodings = EncodingList(ref r, t, "ColumnMetaData.encodings"); break;
                case 3 when t is CompactType.List or CompactType.Set: path = StringList(ref r, t, "ColumnMetaData.path_in_schema"); break;
                case 4 when t == CompactType.I32: codec = (CompressionCodec)I32(ref r, t, "ColumnMetaData.codec"); break;
                case 5 when t == CompactType.I64: numValues = NonNegative(ref r, I64(ref r, t, "ColumnMetaData.num_values"), "ColumnMetaData.num_values"); break;
                case 6 when t == CompactType.I64: totalUncompressed = NonNegative(ref r, I64(ref r, t, "ColumnMetaData.total_uncompressed_size"), "ColumnMetaData.total_uncompressed_size"); break;
                case 7 when t == CompactType.I64: totalCompressed = NonNegative(ref r, I64(ref r, t, "ColumnMetaData.total_compressed_size"), "ColumnMetaData.total_compressed_size"); break;
                case 8 when t is CompactType.List or CompactType.Set: keyValues = StructList(ref r, t, "ColumnMetaData.key_value_metadata", KeyValue); break;
                case 9 when t == CompactType.I64: dataPageOffset = NonNegative(ref r, I64(ref r, t, "ColumnMetaData.data_page_offset"), "ColumnMetaData.data_page_offset"); break;
                case 10 when t == CompactType.I64: indexPageOffset = I64(ref r, t, "ColumnMetaData.index_page_offset"); break;
                case 11 when t == CompactType.I64: dictionaryPageOffset = NonNegative(ref r, I64(ref r, t, "ColumnMetaData.dictionary_page_offset"), "ColumnMetaData.dictionary_page_offset"); break;
                case 12 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "ColumnMetaData.statistics");
                    statistics = Statistics(ref r);
                    break;
                case 13 when t is CompactType.List or CompactType.Set: encodingStats = StructList(ref r, t, "ColumnMetaData.encoding_stats", PageEncodingStats); break;
                case 14 when t == CompactType.I64: bloomOffset = I64(ref r, t, "ColumnMetaData.bloom_filter_offset"); break;
                case 15 when t == CompactType.I32: bloomLength = I32(ref r, t, "ColumnMetaData.bloom_filter_length"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new ColumnMetaData
        {
            Type = type ?? throw Missing(ref r, start, S, "type"),
            Encodings = encodings ?? throw Missing(ref r, start, S, "encodings"),
            PathInSchema = path ?? throw Missing(ref r, start, S, "path_in_schema"),
            Codec = codec ?? throw Missing(ref r, start, S, "codec"),
            NumValues = numValues ?? throw Missing(ref r, start, S, "num_values"),
            TotalUncompressedSize = totalUncompressed ?? throw Missing(ref r, start, S, "total_uncompressed_size"),
            TotalCompressedSize = totalCompressed ?? throw Missing(ref r, start, S, "total_compressed_size"),
            KeyValueMetadata = keyValues,
            DataPageOffset = dataPageOffset ?? throw Missing(ref r, start, S, "data_page_offset"),
            IndexPageOffset = indexPageOffset,
            DictionaryPageOffset = dictionaryPageOffset,
            Statistics = statistics,
            EncodingStats = encodingStats,
            BloomFilterOffset = bloomOffset,
            BloomFilterLength = bloomLength,
        };
    }

    public static Statistics Statistics(ref ThriftCompactReader r)
    {
        short saved = r.BeginStruct("Statistics");
        byte[]? max = null, min = null, maxValue = null, minValue = null;
        long? nullCount = null, distinctCount = null, nanCount = null;
        bool? maxExact = null, minExact = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.Binary: max = Binary(ref r, t, "Statistics.max"); break;
                case 2 when t == CompactType.Binary: min = Binary(ref r, t, "Statistics.min"); break;
                case 3 when t == CompactType.I64: nullCount = I64(ref r, t, "Statistics.null_count"); break;
                case 4 when t == CompactType.I64: distinctCount = I64(ref r, t, "Statistics.distinct_count"); break;
                case 5 when t == CompactType.Binary: maxValue = Binary(ref r, t, "Statistics.max_value"); break;
                case 6 when t == CompactType.Binary: minValue = Binary(ref r, t, "Statistics.min_value"); break;
                case 7 when t is CompactType.BoolTrue or CompactType.BoolFalse: maxExact = r.ReadBoolField(t, "Statistics.is_max_value_exact"); break;
                case 8 when t is CompactType.BoolTrue or CompactType.BoolFalse: minExact = r.ReadBoolField(t, "Statistics.is_min_value_exact"); break;
                case 9 when t == CompactType.I64: nanCount = I64(ref r, t, "Statistics.nan_count"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new Statistics
        {
            Max = max,
            Min = min,
            NullCount = nullCount,
            DistinctCount = distinctCount,
            MaxValue = maxValue,
            MinValue = minValue,
            IsMaxValueExact = maxExact,
            IsMinValueExact = minExact,
            NanCount = nanCount,
        };
    }

    public static KeyValue KeyValue(ref ThriftCompactReader r)
    {
        long start = r.Offset;
        short saved = r.BeginStruct("KeyValue");
        string? key = null, value = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.Binary: key = String(ref r, t, "KeyValue.key"); break;
                case 2 when t == CompactType.Binary: value = LenientString(ref r, t, "KeyValue.value"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new KeyValue(key ?? throw Missing(ref r, start, "KeyValue", "key"), value);
    }

    public static SortingColumn SortingColumn(ref ThriftCompactReader r)
    {
        const string S = "SortingColumn";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? column = null;
        bool? descending = null, nullsFirst = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: column = I32(ref r, t, "SortingColumn.column_idx"); break;
                case 2 when t is CompactType.BoolTrue or CompactType.BoolFalse: descending = r.ReadBoolField(t, "SortingColumn.descending"); break;
                case 3 when t is CompactType.BoolTrue or CompactType.BoolFalse: nullsFirst = r.ReadBoolField(t, "SortingColumn.nulls_first"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new SortingColumn(
            column ?? throw Missing(ref r, start, S, "column_idx"),
            descending ?? throw Missing(ref r, start, S, "descending"),
            nullsFirst ?? throw Missing(ref r, start, S, "nulls_first"));
    }

    public static PageEncodingStats PageEncodingStats(ref ThriftCompactReader r)
    {
        const string S = "PageEncodingStats";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? pageType = null, encoding = null, count = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: pageType = I32(ref r, t, "PageEncodingStats.page_type"); break;
                case 2 when t == CompactType.I32: encoding = I32(ref r, t, "PageEncodingStats.encoding"); break;
                case 3 when t == CompactType.I32: count = I32(ref r, t, "PageEncodingStats.count"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new PageEncodingStats(
            (PageType)(pageType ?? throw Missing(ref r, start, S, "page_type")),
            (Encoding)(encoding ?? throw Missing(ref r, start, S, "encoding")),
            count ?? throw Missing(ref r, start, S, "count"));
    }

    public static ColumnOrder ColumnOrder(ref ThriftCompactReader r)
    {
        short saved = r.BeginStruct("ColumnOrder");
        var kind = ColumnOrderKind.Undefined;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            r.Skip(t);
            kind = (ColumnOrderKind)id;
        }

        r.EndStruct(saved);
        return kind == ColumnOrderKind.TypeDefinedOrder ? Metadata.ColumnOrder.TypeDefined : new ColumnOrder(kind);
    }

    public static PageHeader PageHeader(ref ThriftCompactReader r)
    {
        const string S = "PageHeader";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? type = null, uncompressed = null, compressed = null, crc = null;
        DataPageHeader? data = null;
        IndexPageHeader? index = null;
        DictionaryPageHeader? dictionary = null;
        DataPageHeaderV2? dataV2 = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: type = I32(ref r, t, "PageHeader.type"); break;
                case 2 when t == CompactType.I32: uncompressed = (int)NonNegative(ref r, I32(ref r, t, "PageHeader.uncompressed_page_size"), "PageHeader.uncompressed_page_size"); break;
                case 3 when t == CompactType.I32: compressed = (int)NonNegative(ref r, I32(ref r, t, "PageHeader.compressed_page_size"), "PageHeader.compressed_page_size"); break;
                case 4 when t == CompactType.I32: crc = I32(ref r, t, "PageHeader.crc"); break;
                case 5 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "PageHeader.data_page_header");
                    data = DataPageHeader(ref r);
                    break;
                case 6 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "PageHeader.index_page_header");
                    index = SkipEmpty(ref r, IndexPageHeader.Instance);
                    break;
                case 7 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "PageHeader.dictionary_page_header");
                    dictionary = DictionaryPageHeader(ref r);
                    break;
                case 8 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "PageHeader.data_page_header_v2");
                    dataV2 = DataPageHeaderV2(ref r);
                    break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        var header = new PageHeader
        {
            Type = (PageType)(type ?? throw Missing(ref r, start, S, "type")),
            UncompressedPageSize = uncompressed ?? throw Missing(ref r, start, S, "uncompressed_page_size"),
            CompressedPageSize = compressed ?? throw Missing(ref r, start, S, "compressed_page_size"),
            Crc = crc,
            DataPageHeader = data,
            IndexPageHeader = index,
            DictionaryPageHeader = dictionary,
            DataPageHeaderV2 = dataV2,
        };
        string? missing = header.Type switch
        {
            PageType.DataPage when data is null => "data_page_header",
            PageType.DictionaryPage when dictionary is null => "dictionary_page_header",
            PageType.DataPageV2 when dataV2 is null => "data_page_header_v2",
            _ => null,
        };
        if (missing is not null)
        {
            throw ParquetMetadataErrors.InvalidValue(r.Source, start, $"a PageHeader of type {header.Type} lacks its {missing}");
        }

        if (dataV2 is not null && (long)dataV2.DefinitionLevelsByteLength + dataV2.RepetitionLevelsByteLength > header.CompressedPageSize)
        {
            throw ParquetMetadataErrors.InvalidValue(
                r.Source,
                start,
                $"DataPageHeaderV2 levels of {dataV2.RepetitionLevelsByteLength} + {dataV2.DefinitionLevelsByteLength} bytes exceed the page's compressed_page_size of {header.CompressedPageSize}");
        }

        return header;
    }

    public static DataPageHeader DataPageHeader(ref ThriftCompactReader r)
    {
        const string S = "DataPageHeader";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? numValues = null, encoding = null, defEncoding = null, repEncoding = null;
        Statistics? statistics = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: numValues = (int)NonNegative(ref r, I32(ref r, t, "DataPageHeader.num_values"), "DataPageHeader.num_values"); break;
                case 2 when t == CompactType.I32: encoding = I32(ref r, t, "DataPageHeader.encoding"); break;
                case 3 when t == CompactType.I32: defEncoding = I32(ref r, t, "DataPageHeader.definition_level_encoding"); break;
                case 4 when t == CompactType.I32: repEncoding = I32(ref r, t, "DataPageHeader.repetition_level_encoding"); break;
                case 5 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "DataPageHeader.statistics");
                    statistics = Statistics(ref r);
                    break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new DataPageHeader
        {
            NumValues = numValues ?? throw Missing(ref r, start, S, "num_values"),
            Encoding = (Encoding)(encoding ?? throw Missing(ref r, start, S, "encoding")),
            DefinitionLevelEncoding = (Encoding)(defEncoding ?? throw Missing(ref r, start, S, "definition_level_encoding")),
            RepetitionLevelEncoding = (Encoding)(repEncoding ?? throw Missing(ref r, start, S, "repetition_level_encoding")),
            Statistics = statistics,
        };
    }

    public static DictionaryPageHeader DictionaryPageHeader(ref ThriftCompactReader r)
    {
        const string S = "DictionaryPageHeader";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? numValues = null, encoding = null;
        bool? sorted = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: numValues = (int)NonNegative(ref r, I32(ref r, t, "DictionaryPageHeader.num_values"), "DictionaryPageHeader.num_values"); break;
                case 2 when t == CompactType.I32: encoding = I32(ref r, t, "DictionaryPageHeader.encoding"); break;
                case 3 when t is CompactType.BoolTrue or CompactType.BoolFalse: sorted = r.ReadBoolField(t, "DictionaryPageHeader.is_sorted"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return new DictionaryPageHeader
        {
            NumValues = numValues ?? throw Missing(ref r, start, S, "num_values"),
            Encoding = (Encoding)(encoding ?? throw Missing(ref r, start, S, "encoding")),
            IsSorted = sorted,
        };
    }

    public static DataPageHeaderV2 DataPageHeaderV2(ref ThriftCompactReader r)
    {
        const string S = "DataPageHeaderV2";
        long start = r.Offset;
        short saved = r.BeginStruct(S);
        int? numValues = null, numNulls = null, numRows = null, encoding = null, defLength = null, repLength = null;
        bool compressed = true;
        Statistics? statistics = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: numValues = (int)NonNegative(ref r, I32(ref r, t, "DataPageHeaderV2.num_values"), "DataPageHeaderV2.num_values"); break;
                case 2 when t == CompactType.I32: numNulls = (int)NonNegative(ref r, I32(ref r, t, "DataPageHeaderV2.num_nulls"), "DataPageHeaderV2.num_nulls"); break;
                case 3 when t == CompactType.I32: numRows = (int)NonNegative(ref r, I32(ref r, t, "DataPageHeaderV2.num_rows"), "DataPageHeaderV2.num_rows"); break;
                case 4 when t == CompactType.I32: encoding = I32(ref r, t, "DataPageHeaderV2.encoding"); break;
                case 5 when t == CompactType.I32: defLength = (int)NonNegative(ref r, I32(ref r, t, "DataPageHeaderV2.definition_levels_byte_length"), "DataPageHeaderV2.definition_levels_byte_length"); break;
                case 6 when t == CompactType.I32: repLength = (int)NonNegative(ref r, I32(ref r, t, "DataPageHeaderV2.repetition_levels_byte_length"), "DataPageHeaderV2.repetition_levels_byte_length"); break;
                case 7 when t is CompactType.BoolTrue or CompactType.BoolFalse: compressed = r.ReadBoolField(t, "DataPageHeaderV2.is_compressed"); break;
                case 8 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, "DataPageHeaderV2.statistics");
                    statistics = Statistics(ref r);
                    break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        var header = new DataPageHeaderV2
        {
            NumValues = numValues ?? throw Missing(ref r, start, S, "num_values"),
            NumNulls = numNulls ?? throw Missing(ref r, start, S, "num_nulls"),
            NumRows = numRows ?? throw Missing(ref r, start, S, "num_rows"),
            Encoding = (Encoding)(encoding ?? throw Missing(ref r, start, S, "encoding")),
            DefinitionLevelsByteLength = defLength ?? throw Missing(ref r, start, S, "definition_levels_byte_length"),
            RepetitionLevelsByteLength = repLength ?? throw Missing(ref r, start, S, "repetition_levels_byte_length"),
            IsCompressed = compressed,
            Statistics = statistics,
        };
        if (header.NumNulls > header.NumValues)
        {
            throw ParquetMetadataErrors.InvalidValue(r.Source, start, $"DataPageHeaderV2.num_nulls {header.NumNulls} exceeds num_values {header.NumValues}");
        }

        return header;
    }

    private static LogicalType DecimalType(ref ThriftCompactReader r)
    {
        long start = r.Offset;
        short saved = r.BeginStruct("DecimalType");
        int? scale = null, precision = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.I32: scale = I32(ref r, t, "DecimalType.scale"); break;
                case 2 when t == CompactType.I32: precision = I32(ref r, t, "DecimalType.precision"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return Metadata.LogicalType.Decimal(
            scale ?? throw Missing(ref r, start, "DecimalType", "scale"),
            precision ?? throw Missing(ref r, start, "DecimalType", "precision"));
    }

    private static LogicalType TimeType(ref ThriftCompactReader r, string name, short memberId)
    {
        long start = r.Offset;
        short saved = r.BeginStruct(name);
        bool? utc = null;
        bool hasUnit = false;
        TimeUnit? unit = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t is CompactType.BoolTrue or CompactType.BoolFalse: utc = r.ReadBoolField(t, name + ".isAdjustedToUTC"); break;
                case 2 when t == CompactType.Struct:
                    r.Expect(t, CompactType.Struct, name + ".unit");
                    hasUnit = true;
                    unit = TimeUnitUnion(ref r);
                    break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        bool isUtc = utc ?? throw Missing(ref r, start, name, "isAdjustedToUTC");
        if (!hasUnit)
        {
            throw Missing(ref r, start, name, "unit");
        }

        if (unit is not TimeUnit known)
        {
            return Metadata.LogicalType.Unknown(memberId);
        }

        return memberId == 7 ? Metadata.LogicalType.Time(isUtc, known) : Metadata.LogicalType.Timestamp(isUtc, known);
    }

    private static TimeUnit? TimeUnitUnion(ref ThriftCompactReader r)
    {
        short saved = r.BeginStruct("TimeUnit");
        TimeUnit? unit = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            r.Skip(t);
            unit = id is >= 1 and <= 3 && t == CompactType.Struct ? (TimeUnit)id : null;
        }

        r.EndStruct(saved);
        return unit;
    }

    private static LogicalType IntType(ref ThriftCompactReader r)
    {
        long start = r.Offset;
        short saved = r.BeginStruct("IntType");
        int? bitWidth = null;
        bool? signed = null;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            switch (id)
            {
                case 1 when t == CompactType.Byte:
                    r.Expect(t, CompactType.Byte, "IntType.bitWidth");
                    bitWidth = r.ReadI8();
                    break;
                case 2 when t is CompactType.BoolTrue or CompactType.BoolFalse: signed = r.ReadBoolField(t, "IntType.isSigned"); break;
                default: r.Skip(t); break;
            }
        }

        r.EndStruct(saved);
        return Metadata.LogicalType.Integer(
            bitWidth ?? throw Missing(ref r, start, "IntType", "bitWidth"),
            signed ?? throw Missing(ref r, start, "IntType", "isSigned"));
    }

    /// <summary>Skips a struct (an empty annotation struct, or whatever a newer writer put in it) and returns <paramref name="value"/>.</summary>
    private static T SkipEmpty<T>(ref ThriftCompactReader r, T value)
    {
        r.Skip(CompactType.Struct);
        return value;
    }

    private static List<T> StructList<T>(ref ThriftCompactReader r, CompactType t, string field, ThriftStructDecoder<T> decode)
    {
        var header = BeginList(ref r, t, field, CompactType.Struct);
        var list = new List<T>(header.Count);
        for (int i = 0; i < header.Count; i++)
        {
            list.Add(decode(ref r));
        }

        r.EndCollection();
        return list;
    }

    private static List<Encoding> EncodingList(ref ThriftCompactReader r, CompactType t, string field)
    {
        var header = BeginList(ref r, t, field, CompactType.I32);
        var list = new List<Encoding>(header.Count);
        for (int i = 0; i < header.Count; i++)
        {
            list.Add((Encoding)r.ReadI32());
        }

        r.EndCollection();
        return list;
    }

    private static List<string> StringList(ref ThriftCompactReader r, CompactType t, string field)
    {
        var header = BeginList(ref r, t, field, CompactType.Binary);
        var list = new List<string>(header.Count);
        for (int i = 0; i < header.Count; i++)
        {
            list.Add(r.ReadString(field));
        }

        r.EndCollection();
        return list;
    }

    private static ThriftListHeader BeginList(ref ThriftCompactReader r, CompactType t, string field, CompactType elementType)
    {
        if (t is not (CompactType.List or CompactType.Set))
        {
            throw ParquetMetadataErrors.WrongType(r.Source, r.Offset, field, t, CompactType.List);
        }

        var header = r.BeginList(field);
        if (header.ElementType != elementType)
        {
            throw ParquetMetadataErrors.WrongType(r.Source, r.Offset, field + " elements", header.ElementType, elementType);
        }

        return header;
    }

    private static int I32(ref ThriftCompactReader r, CompactType t, string field)
    {
        r.Expect(t, CompactType.I32, field);
        return r.ReadI32();
    }

    private static long I64(ref ThriftCompactReader r, CompactType t, string field)
    {
        r.Expect(t, CompactType.I64, field);
        return r.ReadI64();
    }

    private static string String(ref ThriftCompactReader r, CompactType t, string field)
    {
        r.Expect(t, CompactType.Binary, field);
        return r.ReadString(field);
    }

    /// <summary>A free-text string (created_by, metadata values): invalid UTF-8 becomes U+FFFD rather than an error.</summary>
    private static string LenientString(ref ThriftCompactReader r, CompactType t, string field)
    {
        r.Expect(t, CompactType.Binary, field);
        var bytes = r.ReadBinary(field);
        return bytes.IsEmpty ? string.Empty : System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static byte[] Binary(ref ThriftCompactReader r, CompactType t, string field)
    {
        r.Expect(t, CompactType.Binary, field);
        return r.ReadBinaryCopy(field);
    }

    private static long NonNegative(ref ThriftCompactReader r, long value, string field)
        => value >= 0 ? value : throw r.Invalid(r.Offset, $"{field} is negative ({value})");

    private static LarderFormatException Missing(ref ThriftCompactReader r, long structOffset, string structName, string field)
        => ParquetMetadataErrors.MissingField(r.Source, structOffset, structName, field);
}
