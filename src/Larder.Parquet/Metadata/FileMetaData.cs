namespace Larder.Parquet.Metadata;

/// <summary>
/// <c>FileMetaData</c> of parquet.thrift: the footer of a Parquet file. Immutable; lists are never null unless optional
/// and absent. Records compare lists and arrays by reference; compare encoded bytes for deep equality. Encrypted files
/// (<c>encryption_algorithm</c>, <c>footer_signing_key_metadata</c>) are refused when decoding, so they have no members.
/// </summary>
public sealed record FileMetaData
{
    /// <summary>1 or 2 (readers treat them alike).</summary>
    public required int Version { get; init; }

    /// <summary>The schema tree in depth-first order; element 0 is the root.</summary>
    public required IReadOnlyList<SchemaElement> Schema { get; init; }

    public required long NumRows { get; init; }

    public required IReadOnlyList<RowGroup> RowGroups { get; init; }

    public IReadOnlyList<KeyValue>? KeyValueMetadata { get; init; }

    /// <summary>The writing application, e.g. <c>parquet-cpp-arrow version 14.0.1</c>.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>One per leaf column, in leaf order; null when absent (min/max statistics are then of undefined order).</summary>
    public IReadOnlyList<ColumnOrder>? ColumnOrders { get; init; }
}

/// <summary><c>RowGroup</c> of parquet.thrift: a horizontal slice of the table, one column chunk per leaf column.</summary>
public sealed record RowGroup
{
    public required IReadOnlyList<ColumnChunk> Columns { get; init; }

    /// <summary>Total uncompressed size of the column data.</summary>
    public required long TotalByteSize { get; init; }

    public required long NumRows { get; init; }

    public IReadOnlyList<SortingColumn>? SortingColumns { get; init; }

    /// <summary>Offset of the row group's first page.</summary>
    public long? FileOffset { get; init; }

    public long? TotalCompressedSize { get; init; }

    public short? Ordinal { get; init; }
}

/// <summary>
/// <c>ColumnChunk</c> of parquet.thrift: where one column of one row group is. <see cref="MetaData"/> is optional in the
/// IDL but required by every major implementation, and so by this decoder. Encrypted columns are refused when decoding.
/// </summary>
public sealed record ColumnChunk
{
    /// <summary>A file holding the column data, relative to this one; null for this file (the only supported case).</summary>
    public string? FilePath { get; init; }

    /// <summary>Deprecated; writers set 0. Read as 0 when absent.</summary>
    public long FileOffset { get; init; }

    public required ColumnMetaData MetaData { get; init; }

    public long? OffsetIndexOffset { get; init; }

    public int? OffsetIndexLength { get; init; }

    public long? ColumnIndexOffset { get; init; }

    public int? ColumnIndexLength { get; init; }
}

/// <summary><c>ColumnMetaData</c> of parquet.thrift: the description of one column chunk and where its pages are.</summary>
public sealed record ColumnMetaData
{
    public required PhysicalType Type { get; init; }

    /// <summary>Every encoding used by the chunk's pages (values and levels).</summary>
    public required IReadOnlyList<Encoding> Encodings { get; init; }

    /// <summary>The leaf's path of names from below the root.</summary>
    public required IReadOnlyList<string> PathInSchema { get; init; }

    public required CompressionCodec Codec { get; init; }

    /// <summary>Values including nulls (and, for repeated columns, each repetition).</summary>
    public required long NumValues { get; init; }

    public required long TotalUncompressedSize { get; init; }

    public required long TotalCompressedSize { get; init; }

    public IReadOnlyList<KeyValue>? KeyValueMetadata { get; init; }

    public required long DataPageOffset { get; init; }

    public long? IndexPageOffset { get; init; }

    /// <summary>
    /// Offset of the dictionary page; null when absent. Some writers store 0 to mean absent: a chunk's pages start at
    /// <see cref="DictionaryPageOffset"/> only when it is positive and below <see cref="DataPageOffset"/> (see
    /// <see cref="FirstPageOffset"/>).
    /// </summary>
    public long? DictionaryPageOffset { get; init; }

    public Statistics? Statistics { get; init; }

    public IReadOnlyList<PageEncodingStats>? EncodingStats { get; init; }

    public long? BloomFilterOffset { get; init; }

    public int? BloomFilterLength { get; init; }

    /// <summary>
    /// Where the chunk's first page is: <see cref="DictionaryPageOffset"/> when it is set, positive and below
    /// <see cref="DataPageOffset"/>, else <see cref="DataPageOffset"/> (some writers store a dictionary offset of 0 for
    /// "none", and a dictionary page always precedes the data pages).
    /// </summary>
    public long FirstPageOffset
        => DictionaryPageOffset is long d && d > 0 && d < DataPageOffset ? d : DataPageOffset;
}
