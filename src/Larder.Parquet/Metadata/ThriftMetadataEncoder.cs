using Larder.Parquet.Thrift;

namespace Larder.Parquet.Metadata;

/// <summary>
/// Encodes the parquet.thrift structs with a <see cref="ThriftCompactWriter"/>, fields in ascending id order, optional
/// fields only when set. Enum values are written as held (including values this version does not name). A logical type of
/// kind <see cref="LogicalTypeKind.Unknown"/> is omitted (its content was not kept). Stateless.
/// </summary>
internal static class ThriftMetadataEncoder
{
    public static void FileMetaData(ref ThriftCompactWriter w, FileMetaData m)
    {
        ArgumentNullException.ThrowIfNull(m);
        short saved = w.BeginStruct();
        w.WriteI32Field(1, m.Version);
        StructList(ref w, 2, Required(m.Schema, "FileMetaData.Schema"), SchemaElement);
        w.WriteI64Field(3, m.NumRows);
        StructList(ref w, 4, Required(m.RowGroups, "FileMetaData.RowGroups"), RowGroup);
        if (m.KeyValueMetadata is { } kv)
        {
            StructList(ref w, 5, kv, KeyValue);
        }

        if (m.CreatedBy is { } createdBy)
        {
            w.WriteStringField(6, createdBy);
        }

        if (m.ColumnOrders is { } orders)
        {
            StructList(ref w, 7, orders, ColumnOrder);
        }

        w.EndStruct(saved);
    }

    public static void SchemaElement(ref ThriftCompactWriter w, SchemaElement e)
    {
        short saved = w.BeginStruct();
        OptionalI32(ref w, 1, (int?)e.Type);
        OptionalI32(ref w, 2, e.TypeLength);
        OptionalI32(ref w, 3, (int?)e.RepetitionType);
        w.WriteStringField(4, Required(e.Name, "SchemaElement.Name"));
        OptionalI32(ref w, 5, e.NumChildren);
        OptionalI32(ref w, 6, (int?)e.ConvertedType);
        OptionalI32(ref w, 7, e.Scale);
        OptionalI32(ref w, 8, e.Precision);
        OptionalI32(ref w, 9, e.FieldId);
        if (e.LogicalType is { Kind: not LogicalTypeKind.Unknown } logical)
        {
            w.WriteFieldHeader(10, CompactType.Struct);
            LogicalType(ref w, logical);
        }

        w.EndStruct(saved);
    }

    public static void LogicalType(ref ThriftCompactWriter w, LogicalType t)
    {
        short saved = w.BeginStruct();
        w.WriteFieldHeader((short)t.Kind, CompactType.Struct);
        short inner = w.BeginStruct();
        switch (t.Kind)
        {
            case LogicalTypeKind.Decimal:
                w.WriteI32Field(1, t.Scale);
                w.WriteI32Field(2, t.Precision);
                break;
            case LogicalTypeKind.Time:
            case LogicalTypeKind.Timestamp:
                if (t.Unit is not (TimeUnit.Millis or TimeUnit.Micros or TimeUnit.Nanos))
                {
                    throw ParquetMetadataErrors.InvalidModel($"a {t.Kind} logical type has the unknown unit {(int)t.Unit}");
                }

                w.WriteBoolField(1, t.IsAdjustedToUtc);
                w.WriteFieldHeader(2, CompactType.Struct);
                short unit = w.BeginStruct();
                w.WriteFieldHeader((short)t.Unit, CompactType.Struct);
                w.EndStruct(w.BeginStruct());
                w.EndStruct(unit);
                break;
            case LogicalTypeKind.Integer:
                if (t.BitWidth is < sbyte.MinValue or > sbyte.MaxValue)
                {
                    throw ParquetMetadataErrors.InvalidModel($"an Integer logical type's bit width {t.BitWidth} does not fit an i8");
                }

                w.WriteI8Field(1, (sbyte)t.BitWidth);
                w.WriteBoolField(2, t.IsSigned);
                break;
            default:
                break;
        }

        w.EndStruct(inner);
        w.EndStruct(saved);
    }

    public static void RowGroup(ref ThriftCompactWriter w, RowGroup g)
    {
        short saved = w.BeginStruct();
        StructList(ref w, 1, Required(g.Columns, "RowGroup.Columns"), ColumnChunk);
        w.WriteI64Field(2, g.TotalByteSize);
        w.WriteI64Field(3, g.NumRows);
        if (g.SortingColumns is { } sorting)
        {
            StructList(ref w, 4, sorting, SortingColumn);
        }

        OptionalI64(ref w, 5, g.FileOffset);
        OptionalI64(ref w, 6, g.TotalCompressedSize);
        if (g.Ordinal is short ordinal)
        {
            w.WriteI16Field(7, ordinal);
        }

        w.EndStruct(saved);
    }

    public static void ColumnChunk(ref ThriftCompactWriter w, ColumnChunk c)
    {
        short saved = w.BeginStruct();
        if (c.FilePath is { } path)
        {
            w.WriteStringField(1, path);
        }

        w.WriteI64Field(2, c.FileOffset);
        w.WriteFieldHeader(3, CompactType.Struct);
        ColumnMetaData(ref w, Required(c.MetaData, "ColumnChunk.MetaData"));
        OptionalI64(ref w, 4, c.OffsetIndexOffset);
        OptionalI32(ref w, 5, c.OffsetIndexLength);
        OptionalI64(ref w, 6, c.ColumnIndexOffset);
        OptionalI32(ref w, 7, c.ColumnIndexLength);
        w.EndStruct(saved);
    }

    public static void ColumnMetaData(ref ThriftCompactWriter w, ColumnMetaData m)
    {
        short saved = w.BeginStruct();
        w.WriteI32Field(1, (int)m.Type);
        var encodings = Required(m.Encodings, "ColumnMetaData.Encodings");
        w.WriteFieldHeader(2, CompactType.List);
        w.WriteListHeader(CompactType.I32, encodings.Count);
        foreach (var e in encodings)
        {
            w.WriteI32((int)e);
        }

        var path = Required(m.PathInSchema, "ColumnMetaData.PathInSchema");
        w.WriteFieldHeader(3, CompactType.List);
        w.WriteListHeader(CompactType.Binary, path.Count);
        foreach (var p in path)
        {
            w.WriteString(Required(p, "ColumnMetaData.PathInSchema[]"));
        }

        w.WriteI32Field(4, (int)m.Codec);
        w.WriteI64Field(5, m.NumValues);
        w.WriteI64Field(6, m.TotalUncompressedSize);
        w.WriteI64Field(7, m.TotalCompressedSize);
        if (m.KeyValueMetadata is { } kv)
        {
            StructList(ref w, 8, kv, KeyValue);
        }

        w.WriteI64Field(9, m.DataPageOffset);
        OptionalI64(ref w, 10, m.IndexPageOffset);
        OptionalI64(ref w, 11, m.DictionaryPageOffset);
        if (m.Statistics is { } statistics)
        {
            w.WriteFieldHeader(12, CompactType.Struct);
            Statistics(ref w, statistics);
        }

        if (m.EncodingStats is { } encodingStats)
        {
            StructList(ref w, 13, encodingStats, PageEncodingStats);
        }

        OptionalI64(ref w, 14, m.BloomFilterOffset);
        OptionalI32(ref w, 15, m.BloomFilterLength);
        w.EndStruct(saved);
    }

    public static void Statistics(ref ThriftCompactWriter w, Statistics s)
    {
        short saved = w.BeginStruct();
        OptionalBinary(ref w, 1, s.Max);
        OptionalBinary(ref w, 2, s.Min);
        OptionalI64(ref w, 3, s.NullCount);
        OptionalI64(ref w, 4, s.DistinctCount);
        OptionalBinary(ref w, 5, s.MaxValue);
        OptionalBinary(ref w, 6, s.MinValue);
        OptionalBool(ref w, 7, s.IsMaxValueExact);
        OptionalBool(ref w, 8, s.IsMinValueExact);
        OptionalI64(ref w, 9, s.NanCount);
        w.EndStruct(saved);
    }

    public static void KeyValue(ref ThriftCompactWriter w, KeyValue kv)
    {
        short saved = w.BeginStruct();
        w.WriteStringField(1, Required(kv.Key, "KeyValue.Key"));
        if (kv.Value is { } value)
        {
            w.WriteStringField(2, value);
        }

        w.EndStruct(saved);
    }

    public static void SortingColumn(ref ThriftCompactWriter w, SortingColumn c)
    {
        short saved = w.BeginStruct();
        w.WriteI32Field(1, c.ColumnIndex);
        w.WriteBoolField(2, c.Descending);
        w.WriteBoolField(3, c.NullsFirst);
        w.EndStruct(saved);
    }

    public static void PageEncodingStats(ref ThriftCompactWriter w, PageEncodingStats s)
    {
        short saved = w.BeginStruct();
        w.WriteI32Field(1, (int)s.PageType);
        w.WriteI32Field(2, (int)s.Encoding);
        w.WriteI32Field(3, s.Count);
        w.EndStruct(saved);
    }

    public static void ColumnOrder(ref ThriftCompactWriter w, ColumnOrder o)
    {
        short saved = w.BeginStruct();
        if (o.Kind != ColumnOrderKind.Undefined)
        {
            if ((int)o.Kind is < 1 or > short.MaxValue)
            {
                throw ParquetMetadataErrors.InvalidModel($"the column order kind {(int)o.Kind} is not a union member id");
            }

            w.WriteFieldHeader((short)o.Kind, CompactType.Struct);
            w.EndStruct(w.BeginStruct());
        }

        w.EndStruct(saved);
    }

    public static void PageHeader(ref ThriftCompactWriter w, PageHeader h)
    {
        ArgumentNullException.ThrowIfNull(h);
        short saved = w.BeginStruct();
        w.WriteI32Field(1, (int)h.Type);
        w.WriteI32Field(2, h.UncompressedPageSize);
        w.WriteI32Field(3, h.CompressedPageSize);
        OptionalI32(ref w, 4, h.Crc);
        if (h.DataPageHeader is { } data)
        {
            w.WriteFieldHeader(5, CompactType.Struct);
            short inner = w.BeginStruct();
            w.WriteI32Field(1, data.NumValues);
            w.WriteI32Field(2, (int)data.Encoding);
            w.WriteI32Field(3, (int)data.DefinitionLevelEncoding);
            w.WriteI32Field(4, (int)data.RepetitionLevelEncoding);
            if (data.Statistics is { } statistics)
            {
                w.WriteFieldHeader(5, CompactType.Struct);
                Statistics(ref w, statistics);
            }

            w.EndStruct(inner);
        }

        if (h.IndexPageHeader is not null)
        {
            w.WriteFieldHeader(6, CompactType.Struct);
            w.EndStruct(w.BeginStruct());
        }

        if (h.DictionaryPageHeader is { } dictionary)
        {
            w.WriteFieldHeader(7, CompactType.Struct);
            short inner = w.BeginStruct();
            w.WriteI32Field(1, dictionary.NumValues);
            w.WriteI32Field(2, (int)dictionary.Encoding);
            OptionalBool(ref w, 3, dictionary.IsSorted);
            w.EndStruct(inner);
        }

        if (h.DataPageHeaderV2 is { } v2)
        {
            w.WriteFieldHeader(8, CompactType.Struct);
            short inner = w.BeginStruct();
            w.WriteI32Field(1, v2.NumValues);
            w.WriteI32Field(2, v2.NumNulls);
            w.WriteI32Field(3, v2.NumRows);
            w.WriteI32Field(4, (int)v2.Encoding);
            w.WriteI32Field(5, v2.DefinitionLevelsByteLength);
            w.WriteI32Field(6, v2.RepetitionLevelsByteLength);
            w.WriteBoolField(7, v2.IsCompressed);
            if (v2.Statistics is { } statistics)
            {
                w.WriteFieldHeader(8, CompactType.Struct);
                Statistics(ref w, statistics);
            }

            w.EndStruct(inner);
        }

        w.EndStruct(saved);
    }

    private delegate void StructEncoder<T>(ref ThriftCompactWriter w, T value);

    private static void StructList<T>(ref ThriftCompactWriter w, short id, IReadOnlyList<T> items, StructEncoder<T> encode)
        where T : class
    {
        w.WriteFieldHeader(id, CompactType.List);
        w.WriteListHeader(CompactType.Struct, items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            encode(ref w, items[i] ?? throw ParquetMetadataErrors.InvalidModel($"list field {id} holds a null element"));
        }
    }

    private static T Required<T>(T? value, string what)
        where T : class
        => value ?? throw ParquetMetadataErrors.InvalidModel($"{what} is required but null");

    private static void OptionalI32(ref ThriftCompactWriter w, short id, int? value)
    {
        if (value is int v)
        {
            w.WriteI32Field(id, v);
        }
    }

    private static void OptionalI64(ref ThriftCompactWriter w, short id, long? value)
    {
        if (value is long v)
        {
            w.WriteI64Field(id, v);
        }
    }

    private static void OptionalBool(ref ThriftCompactWriter w, short id, bool? value)
    {
        if (value is bool v)
        {
            w.WriteBoolField(id, v);
        }
    }

    private static void OptionalBinary(ref ThriftCompactWriter w, short id, byte[]? value)
    {
        if (value is not null)
        {
            w.WriteBinaryField(id, value);
        }
    }
}
