using System.Buffers;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.Tests.Metadata;

/// <summary>Model samples that set every field, and encode helpers.</summary>
internal static class MetadataSamples
{
    public static Statistics FullStatistics() => new()
    {
        Max = [9, 0, 0, 0],
        Min = [1, 0, 0, 0],
        NullCount = 3,
        DistinctCount = 7,
        MaxValue = [10, 0, 0, 0],
        MinValue = [],
        IsMaxValueExact = true,
        IsMinValueExact = false,
        NanCount = 0,
    };

    public static FileMetaData FullFileMetaData() => new()
    {
        Version = 2,
        Schema =
        [
            new SchemaElement { Name = "schema", NumChildren = 3 },
            new SchemaElement
            {
                Name = "price", Type = PhysicalType.FixedLenByteArray, TypeLength = 16, RepetitionType = FieldRepetitionType.Optional,
                ConvertedType = ConvertedType.Decimal, Scale = 2, Precision = 38, FieldId = 17, LogicalType = LogicalType.Decimal(2, 38),
            },
            new SchemaElement { Name = "tags", RepetitionType = FieldRepetitionType.Optional, NumChildren = 1, ConvertedType = ConvertedType.List, LogicalType = LogicalType.List },
            new SchemaElement { Name = "list", RepetitionType = FieldRepetitionType.Repeated, NumChildren = 1 },
            new SchemaElement { Name = "élément", Type = PhysicalType.ByteArray, RepetitionType = FieldRepetitionType.Required, LogicalType = LogicalType.String, ConvertedType = ConvertedType.Utf8 },
            new SchemaElement { Name = "ts", Type = PhysicalType.Int64, RepetitionType = FieldRepetitionType.Required, LogicalType = LogicalType.Timestamp(true, TimeUnit.Nanos) },
        ],
        NumRows = 1_000_000_000_000,
        RowGroups =
        [
            new RowGroup
            {
                Columns = [Chunk("price", 4), Chunk("tags.list.élément", 5000), Chunk("ts", 1L << 40)],
                TotalByteSize = 123_456_789_012,
                NumRows = 1_000_000_000_000,
                SortingColumns = [new SortingColumn(0, true, false), new SortingColumn(2, false, true)],
                FileOffset = 4,
                TotalCompressedSize = 99,
                Ordinal = 0,
            },
            new RowGroup { Columns = [Chunk("price", 10), Chunk("tags.list.élément", 20), Chunk("ts", 30)], TotalByteSize = 0, NumRows = 0 },
        ],
        KeyValueMetadata = [new KeyValue("ARROW:schema", "base64=="), new KeyValue("empty", null), new KeyValue("", "")],
        CreatedBy = "larder version 0.1",
        ColumnOrders = [ColumnOrder.TypeDefined, new ColumnOrder(ColumnOrderKind.Ieee754TotalOrder), new ColumnOrder((ColumnOrderKind)9)],
    };

    public static ColumnChunk Chunk(string path, long offset) => new()
    {
        FilePath = offset == 4 ? "other.parquet" : null,
        FileOffset = offset,
        MetaData = new ColumnMetaData
        {
            Type = PhysicalType.Int64,
            Encodings = [Encoding.Plain, Encoding.Rle, Encoding.RleDictionary, (Encoding)42],
            PathInSchema = path.Split('.'),
            Codec = CompressionCodec.Zstd,
            NumValues = 1L << 33,
            TotalUncompressedSize = 1L << 34,
            TotalCompressedSize = 1L << 32,
            KeyValueMetadata = [new KeyValue("k", "v")],
            DataPageOffset = offset + 100,
            IndexPageOffset = offset + 50,
            DictionaryPageOffset = offset,
            Statistics = FullStatistics(),
            EncodingStats = [new PageEncodingStats(PageType.DictionaryPage, Encoding.Plain, 1), new PageEncodingStats(PageType.DataPage, Encoding.RleDictionary, 12)],
            BloomFilterOffset = offset + 1000,
            BloomFilterLength = 256,
        },
        OffsetIndexOffset = offset + 2000,
        OffsetIndexLength = 40,
        ColumnIndexOffset = offset + 3000,
        ColumnIndexLength = 50,
    };

    public static IEnumerable<PageHeader> PageHeaders()
    {
        yield return new PageHeader
        {
            Type = PageType.DataPage, UncompressedPageSize = 1000, CompressedPageSize = 600, Crc = -123456789,
            DataPageHeader = new DataPageHeader
            {
                NumValues = 250, Encoding = Encoding.RleDictionary, DefinitionLevelEncoding = Encoding.Rle,
                RepetitionLevelEncoding = Encoding.BitPacked, Statistics = FullStatistics(),
            },
        };
        yield return new PageHeader
        {
            Type = PageType.DataPageV2, UncompressedPageSize = int.MaxValue, CompressedPageSize = 70000,
            DataPageHeaderV2 = new DataPageHeaderV2
            {
                NumValues = 100, NumNulls = 10, NumRows = 50, Encoding = Encoding.DeltaBinaryPacked,
                DefinitionLevelsByteLength = 20, RepetitionLevelsByteLength = 30, IsCompressed = false, Statistics = new Statistics { NullCount = 10 },
            },
        };
        yield return new PageHeader
        {
            Type = PageType.DictionaryPage, UncompressedPageSize = 0, CompressedPageSize = 0,
            DictionaryPageHeader = new DictionaryPageHeader { NumValues = 0, Encoding = Encoding.PlainDictionary, IsSorted = true },
        };
        yield return new PageHeader { Type = PageType.IndexPage, UncompressedPageSize = 5, CompressedPageSize = 5, IndexPageHeader = IndexPageHeader.Instance };
        yield return new PageHeader { Type = (PageType)17, UncompressedPageSize = 1, CompressedPageSize = 1 };
    }

    public static byte[] Encode(FileMetaData metadata)
    {
        var output = new ArrayBufferWriter<byte>();
        int written = ParquetMetadataCodec.WriteFileMetaData(metadata, output);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Encode(PageHeader header)
    {
        var output = new ArrayBufferWriter<byte>();
        int written = ParquetMetadataCodec.WritePageHeader(header, output);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }
}
