using System.Buffers;
using Larder.Parquet.Metadata;
using Larder.Parquet.Thrift;

namespace Larder.Parquet.Tests.Metadata;

public class MetadataRoundTripTests
{
    [Fact]
    public void WriteFileMetaData_EveryField_ReadsBackEqual()
    {
        var original = MetadataSamples.FullFileMetaData();
        var bytes = MetadataSamples.Encode(original);
        var decoded = ParquetMetadataCodec.ReadFileMetaData(bytes, "m", 0);

        Assert.Equal(bytes, MetadataSamples.Encode(decoded));
        Assert.Equal(original.Version, decoded.Version);
        Assert.Equal(original.NumRows, decoded.NumRows);
        Assert.Equal(original.CreatedBy, decoded.CreatedBy);
        Assert.Equal(original.Schema, decoded.Schema);                 // SchemaElement and LogicalType compare by value
        Assert.Equal(original.KeyValueMetadata, decoded.KeyValueMetadata);
        Assert.Equal(original.ColumnOrders, decoded.ColumnOrders);
        Assert.Equal(original.RowGroups.Count, decoded.RowGroups.Count);
        var group = decoded.RowGroups[0];
        Assert.Equal(original.RowGroups[0].SortingColumns, group.SortingColumns);
        Assert.Equal((short)0, group.Ordinal);
        Assert.Equal(99, group.TotalCompressedSize);
        var chunk = group.Columns[1];
        Assert.Null(chunk.FilePath);
        Assert.Equal("other.parquet", group.Columns[0].FilePath);
        Assert.Equal(["tags", "list", "élément"], chunk.MetaData.PathInSchema);
        Assert.Equal([Encoding.Plain, Encoding.Rle, Encoding.RleDictionary, (Encoding)42], chunk.MetaData.Encodings);
        Assert.Equal(original.RowGroups[0].Columns[1].MetaData.EncodingStats, chunk.MetaData.EncodingStats);
        Assert.Equal(256, chunk.MetaData.BloomFilterLength);
        Assert.Equal(5000 + 3000, chunk.ColumnIndexOffset);
        var stats = chunk.MetaData.Statistics!;
        Assert.Equal(new byte[] { 10, 0, 0, 0 }, stats.MaxValue);
        Assert.Equal([], stats.MinValue!);
        Assert.Equal((3L, 7L, true, false, 0L), (stats.NullCount!.Value, stats.DistinctCount!.Value, stats.IsMaxValueExact!.Value, stats.IsMinValueExact!.Value, stats.NanCount!.Value));
    }

    [Fact]
    public void WriteFileMetaData_OnlyRequiredFields_ReadsBackWithNulls()
    {
        var original = new FileMetaData { Version = 1, Schema = [new SchemaElement { Name = "root" }], NumRows = 0, RowGroups = [] };
        var decoded = ParquetMetadataCodec.ReadFileMetaData(MetadataSamples.Encode(original), "m", 0);
        Assert.Equal(original.Schema, decoded.Schema);
        Assert.Empty(decoded.RowGroups);
        Assert.Null(decoded.KeyValueMetadata);
        Assert.Null(decoded.CreatedBy);
        Assert.Null(decoded.ColumnOrders);
    }

    public static TheoryData<LogicalType> LogicalTypes() =>
    [
        LogicalType.String, LogicalType.Map, LogicalType.List, LogicalType.Enum, LogicalType.Decimal(0, 1), LogicalType.Decimal(18, 38),
        LogicalType.Date, LogicalType.Time(false, TimeUnit.Millis), LogicalType.Time(true, TimeUnit.Micros), LogicalType.Time(true, TimeUnit.Nanos),
        LogicalType.Timestamp(true, TimeUnit.Millis), LogicalType.Timestamp(false, TimeUnit.Micros), LogicalType.Timestamp(false, TimeUnit.Nanos),
        LogicalType.Integer(8, true), LogicalType.Integer(16, false), LogicalType.Integer(32, true), LogicalType.Integer(64, false),
        LogicalType.Null, LogicalType.Json, LogicalType.Bson, LogicalType.Uuid, LogicalType.Float16,
    ];

    [Theory]
    [MemberData(nameof(LogicalTypes))]
    public void WriteSchemaElement_LogicalType_RoundTripsByValue(LogicalType logicalType)
    {
        var metadata = new FileMetaData
        {
            Version = 1, NumRows = 0, RowGroups = [],
            Schema = [new SchemaElement { Name = "root", NumChildren = 1 }, new SchemaElement { Name = "c", Type = PhysicalType.Int64, LogicalType = logicalType }],
        };
        var decoded = ParquetMetadataCodec.ReadFileMetaData(MetadataSamples.Encode(metadata), "m", 0);
        Assert.Equal(logicalType, decoded.Schema[1].LogicalType);
    }

    [Fact]
    public void ReadLogicalType_UnknownMemberAndUnknownUnit_DecodeAsUnknown()
    {
        // LogicalType { 16: VariantType { 1: i8 } }, then { 8: Timestamp { 1: true, 2: TimeUnit { 9: {} } } },
        // then { 5: Decimal { 1: 2, 2: 9, 3: "extra" } } — an unknown field inside a known member is skipped.
        Assert.Equal(LogicalType.Unknown(16), DecodeLogicalType([0x0C, 0x20, 0x13, 0x01, 0x00, 0x00]));
        Assert.Equal(LogicalType.Unknown(8), DecodeLogicalType([0x8C, 0x11, 0x1C, 0x9C, 0x00, 0x00, 0x00, 0x00]));
        Assert.Equal(LogicalType.Decimal(2, 9), DecodeLogicalType([0x5C, 0x15, 0x04, 0x15, 0x12, 0x18, 0x01, 0x78, 0x00, 0x00]));
        Assert.Equal(LogicalType.Unknown(0), DecodeLogicalType([0x00]));
    }

    [Fact]
    public void WriteSchemaElement_UnknownLogicalType_IsOmitted()
    {
        var metadata = new FileMetaData
        {
            Version = 1, NumRows = 0, RowGroups = [],
            Schema = [new SchemaElement { Name = "root", LogicalType = LogicalType.Unknown(16), ConvertedType = ConvertedType.Json }],
        };
        var decoded = ParquetMetadataCodec.ReadFileMetaData(MetadataSamples.Encode(metadata), "m", 0);
        Assert.Null(decoded.Schema[0].LogicalType);
        Assert.Equal(ConvertedType.Json, decoded.Schema[0].ConvertedType);
    }

    public static TheoryData<int> PageHeaderIndexes() => [.. Enumerable.Range(0, MetadataSamples.PageHeaders().Count())];

    [Theory]
    [MemberData(nameof(PageHeaderIndexes))]
    public void WritePageHeader_EveryKind_ReadsBackEqual(int index)
    {
        var original = MetadataSamples.PageHeaders().ElementAt(index);
        var bytes = MetadataSamples.Encode(original);
        var withPayload = bytes.Concat(new byte[] { 0xAB, 0xCD, 0x00 }).ToArray();   // page bytes follow the header

        var decoded = ParquetMetadataCodec.ReadPageHeader(withPayload, "p", 1000, out int length);

        Assert.Equal(bytes.Length, length);
        Assert.Equal(bytes, MetadataSamples.Encode(decoded));
        Assert.Equal(original.Type, decoded.Type);
        Assert.Equal(original.UncompressedPageSize, decoded.UncompressedPageSize);
        Assert.Equal(original.CompressedPageSize, decoded.CompressedPageSize);
        Assert.Equal(original.Crc, decoded.Crc);
        Assert.Equal(original.DictionaryPageHeader, decoded.DictionaryPageHeader);
        Assert.Equal(original.IndexPageHeader, decoded.IndexPageHeader);
        Assert.Equal(original.DataPageHeader?.NumValues, decoded.DataPageHeader?.NumValues);
        Assert.Equal(original.DataPageHeader?.RepetitionLevelEncoding, decoded.DataPageHeader?.RepetitionLevelEncoding);
        Assert.Equal(original.DataPageHeaderV2 is null, decoded.DataPageHeaderV2 is null);
        if (original.DataPageHeaderV2 is { } v2)
        {
            Assert.Equal(v2 with { Statistics = null }, decoded.DataPageHeaderV2! with { Statistics = null });
        }
    }

    [Theory]
    [MemberData(nameof(PageHeaderIndexes))]
    public void TryReadPageHeader_EveryTruncatedPrefix_ReturnsFalseThenTrue(int index)
    {
        var bytes = MetadataSamples.Encode(MetadataSamples.PageHeaders().ElementAt(index));
        for (int n = 0; n < bytes.Length; n++)
        {
            Assert.False(ParquetMetadataCodec.TryReadPageHeader(bytes.AsSpan(0, n), "p", 0, out var none, out int zero), $"prefix {n}");
            Assert.Null(none);
            Assert.Equal(0, zero);
            Assert.Throws<ThriftTruncatedException>(() => ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan(0, n), "p", 0, out _));
        }

        Assert.True(ParquetMetadataCodec.TryReadPageHeader(bytes, "p", 0, out var header, out int length));
        Assert.NotNull(header);
        Assert.Equal(bytes.Length, length);
    }

    [Fact]
    public void ReadPageHeader_DataPageWithoutDataPageHeader_ThrowsFormatError()
    {
        var bytes = MetadataSamples.Encode(new PageHeader { Type = PageType.DataPage, UncompressedPageSize = 1, CompressedPageSize = 1 });
        var e = Assert.Throws<LarderFormatException>(() => ParquetMetadataCodec.ReadPageHeader(bytes, "p.parquet", 4, out _));
        Assert.Contains("data_page_header", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, e.Offset);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(10, -1)]
    public void ReadPageHeader_NegativeSize_ThrowsFormatError(int uncompressed, int compressed)
    {
        var bytes = MetadataSamples.Encode(new PageHeader { Type = PageType.IndexPage, UncompressedPageSize = uncompressed, CompressedPageSize = compressed });
        var e = Assert.Throws<LarderFormatException>(() => ParquetMetadataCodec.ReadPageHeader(bytes, "p", 0, out _));
        Assert.Contains("negative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPageHeader_V2LevelsBeyondPage_ThrowsFormatError()
    {
        var header = MetadataSamples.PageHeaders().ElementAt(1);
        var bytes = MetadataSamples.Encode(header with { CompressedPageSize = 49 });
        Assert.Throws<LarderFormatException>(() => ParquetMetadataCodec.ReadPageHeader(bytes, "p", 0, out _));
    }

    [Fact]
    public void ReadFileMetaData_MissingRequiredField_ThrowsFormatErrorNamingIt()
    {
        // FileMetaData { 1: version = 1, 2: schema = [] (omitted: 3 num_rows), 4: row_groups = [] }
        byte[] bytes = [0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x61, 0x00, 0x29, 0x0C, 0x00];
        var e = Assert.Throws<LarderFormatException>(() => ParquetMetadataCodec.ReadFileMetaData(bytes, "f.parquet", 500));
        Assert.Contains("FileMetaData.num_rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("f.parquet", e.Message, StringComparison.Ordinal);
        Assert.Equal(500, e.Offset);
    }

    [Fact]
    public void ReadFileMetaData_SchemaElementWithoutName_ThrowsFormatError()
    {
        byte[] bytes = [0x15, 0x02, 0x19, 0x1C, 0x15, 0x02, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00];
        var e = Assert.Throws<LarderFormatException>(() => ParquetMetadataCodec.ReadFileMetaData(bytes, "f", 0));
        Assert.Contains("SchemaElement.name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x15, 0x02, 0x7C, 0x00, 0x00 })]          // 8: encryption_algorithm {}
    [InlineData(new byte[] { 0x15, 0x02, 0x88, 0x00, 0x00 })]          // 9: footer_signing_key_metadata ""
    public void ReadFileMetaData_EncryptedFooterFields_ThrowsNotSupported(byte[] bytes)
        => Assert.Throws<LarderNotSupportedException>(() => ParquetMetadataCodec.ReadFileMetaData(bytes, "f", 0));

    [Fact]
    public void ReadFileMetaData_EncryptedColumn_ThrowsNotSupported()
    {
        // FileMetaData { version, schema [root], num_rows, row_groups [ { columns [ { file_offset, 8: crypto_metadata {} } ] } ] }
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        short s = w.BeginStruct();
        w.WriteI32Field(1, 1);
        w.WriteFieldHeader(2, CompactType.List);
        w.WriteListHeader(CompactType.Struct, 1);
        short e = w.BeginStruct();
        w.WriteStringField(4, "root");
        w.EndStruct(e);
        w.WriteI64Field(3, 0);
        w.WriteFieldHeader(4, CompactType.List);
        w.WriteListHeader(CompactType.Struct, 1);
        short g = w.BeginStruct();
        w.WriteFieldHeader(1, CompactType.List);
        w.WriteListHeader(CompactType.Struct, 1);
        short c = w.BeginStruct();
        w.WriteI64Field(2, 0);
        w.WriteFieldHeader(8, CompactType.Struct);
        w.EndStruct(w.BeginStruct());
        w.EndStruct(c);
        w.EndStruct(g);
        w.EndStruct(s);
        Assert.Throws<LarderNotSupportedException>(() => ParquetMetadataCodec.ReadFileMetaData(output.WrittenSpan, "f", 0));
    }

    [Fact]
    public void ReadColumnMetaData_KnownFieldWithOtherWireType_IsSkipped()
    {
        // ColumnMetaData field 15 (bloom_filter_length, i32) written as list<struct>, as Dremio does: skipped, not rejected.
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        short s = w.BeginStruct();
        w.WriteI32Field(1, (int)PhysicalType.Int32);
        w.WriteFieldHeader(2, CompactType.List);
        w.WriteListHeader(CompactType.I32, 1);
        w.WriteI32(0);
        w.WriteFieldHeader(3, CompactType.List);
        w.WriteListHeader(CompactType.Binary, 1);
        w.WriteString("a");
        w.WriteI32Field(4, 1);
        w.WriteI64Field(5, 39);
        w.WriteI64Field(6, 180);
        w.WriteI64Field(7, 40);
        w.WriteI64Field(9, 4);
        w.WriteFieldHeader(15, CompactType.List);
        w.WriteListHeader(CompactType.Struct, 1);
        short inner = w.BeginStruct();
        w.WriteI32Field(1, 0);
        w.EndStruct(inner);
        w.EndStruct(s);

        var r = new ThriftCompactReader(output.WrittenSpan, "m", 0);
        var decoded = ThriftMetadataDecoder.ColumnMetaData(ref r);
        Assert.Null(decoded.BloomFilterLength);
        Assert.Equal(39, decoded.NumValues);
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void ReadFileMetaData_RequiredFieldWithOtherWireType_ThrowsMissing()
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        short s = w.BeginStruct();
        w.WriteI64Field(1, 1);                      // version as an i64: skipped, so version is missing
        w.EndStruct(s);
        var error = Assert.Throws<LarderFormatException>(() => ParquetMetadataCodec.ReadFileMetaData(output.WrittenSpan, "m", 0));
        Assert.Contains("FileMetaData.version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFileMetaData_RealFiles_ReencodeIsStable()
    {
        int files = 0;
        foreach (var path in ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory))
        {
            var bytes = File.ReadAllBytes(path);
            var first = ParquetTestFiles.ReadMetadata(bytes, path);
            var encoded = MetadataSamples.Encode(first);
            var second = ParquetMetadataCodec.ReadFileMetaData(encoded, path, 0);
            Assert.Equal(encoded, MetadataSamples.Encode(second));
            Assert.Equal(first.NumRows, second.NumRows);
            Assert.Equal(first.Schema.Count, second.Schema.Count);
            for (int i = 0; i < first.Schema.Count; i++)
            {
                // An Unknown logical type is not written back; everything else round trips by value.
                var expected = first.Schema[i].LogicalType is { Kind: LogicalTypeKind.Unknown } ? first.Schema[i] with { LogicalType = null } : first.Schema[i];
                Assert.Equal(expected, second.Schema[i]);
            }

            files++;
        }

        Assert.True(files >= 50);
    }

    private static LogicalType DecodeLogicalType(byte[] bytes)
    {
        var r = new ThriftCompactReader(bytes, "t", 0);
        var result = ThriftMetadataDecoder.LogicalType(ref r);
        Assert.Equal(0, r.Remaining);
        return result;
    }
}
