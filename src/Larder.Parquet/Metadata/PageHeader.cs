namespace Larder.Parquet.Metadata;

/// <summary>
/// <c>PageHeader</c> of parquet.thrift: precedes every page of a column chunk. The decoder guarantees the sizes are
/// non-negative and that the sub-header matching <see cref="Type"/> is present (for the page types this version knows).
/// </summary>
public sealed record PageHeader
{
    /// <summary>The page type; a value this version does not know is kept (callers skip such pages).</summary>
    public required PageType Type { get; init; }

    /// <summary>Size of the page after decompression, excluding this header.</summary>
    public required int UncompressedPageSize { get; init; }

    /// <summary>Size of the page as stored, excluding this header: the bytes to skip to reach the next header.</summary>
    public required int CompressedPageSize { get; init; }

    /// <summary>CRC32 of the stored page bytes, when written.</summary>
    public int? Crc { get; init; }

    public DataPageHeader? DataPageHeader { get; init; }

    public IndexPageHeader? IndexPageHeader { get; init; }

    public DictionaryPageHeader? DictionaryPageHeader { get; init; }

    public DataPageHeaderV2? DataPageHeaderV2 { get; init; }
}

/// <summary><c>DataPageHeader</c> of parquet.thrift (a v1 data page: levels and values compressed together).</summary>
public sealed record DataPageHeader
{
    /// <summary>Values including nulls.</summary>
    public required int NumValues { get; init; }

    public required Encoding Encoding { get; init; }

    public required Encoding DefinitionLevelEncoding { get; init; }

    public required Encoding RepetitionLevelEncoding { get; init; }

    public Statistics? Statistics { get; init; }
}

/// <summary><c>IndexPageHeader</c> of parquet.thrift: an empty struct (index pages are not used by any writer).</summary>
public sealed record IndexPageHeader
{
    public static IndexPageHeader Instance { get; } = new();
}

/// <summary><c>DictionaryPageHeader</c> of parquet.thrift.</summary>
public sealed record DictionaryPageHeader
{
    public required int NumValues { get; init; }

    public required Encoding Encoding { get; init; }

    public bool? IsSorted { get; init; }
}

/// <summary><c>DataPageHeaderV2</c> of parquet.thrift: levels are stored uncompressed ahead of the (maybe compressed) values.</summary>
public sealed record DataPageHeaderV2
{
    public required int NumValues { get; init; }

    public required int NumNulls { get; init; }

    public required int NumRows { get; init; }

    public required Encoding Encoding { get; init; }

    public required int DefinitionLevelsByteLength { get; init; }

    public required int RepetitionLevelsByteLength { get; init; }

    /// <summary>Whether the values section is compressed; true when the field is absent (the IDL default).</summary>
    public bool IsCompressed { get; init; } = true;

    public Statistics? Statistics { get; init; }
}
