namespace Larder.Parquet.Write;

/// <summary>How a <see cref="ColumnChunkWriter"/> encodes one column chunk. Immutable; every default is documented.</summary>
public sealed record ColumnWriteOptions
{
    /// <summary>The defaults listed on each property.</summary>
    public static ColumnWriteOptions Default { get; } = new();

    /// <summary>Page codec: none (or uncompressed), snappy, gzip, zstd, lz4_raw or brotli. Default <c>zstd</c>.</summary>
    public string Compression { get; init; } = "zstd";

    /// <summary>Codec level, or null for the codec's default (see <c>CompressionOptions.Level</c>). Default null.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>
    /// Target size of one data page's values, in bytes of their PLAIN size (dictionary indices are smaller, so dictionary
    /// pages hold as many values as a PLAIN page would). Pages are cut on row boundaries only. Default 1 MiB.
    /// </summary>
    public int DataPageSize { get; init; } = 1 << 20;

    /// <summary>
    /// The dictionary's PLAIN size never passes this many bytes: the page whose values would take it past is written PLAIN,
    /// and so is every later page of the chunk (pages already written with the dictionary stay). Default 1 MiB.
    /// </summary>
    public int DictionaryPageSizeLimit { get; init; } = 1 << 20;

    /// <summary>
    /// Whether to try RLE_DICTIONARY encoding (booleans are always PLAIN). A chunk also drops the dictionary after its
    /// first page when that page shows it does not pay: its first 4,096 values are all distinct, or (for a first page of at
    /// least 1,024 values) dictionary plus indices are not smaller than the PLAIN values. Default true.
    /// </summary>
    public bool EnableDictionary { get; init; } = true;

    /// <summary>Whether page headers carry the CRC32 of the stored (compressed) page bytes. Default true.</summary>
    public bool WritePageChecksums { get; init; } = true;

    /// <summary>
    /// Largest min/max statistic value in bytes: longer BYTE_ARRAY bounds are truncated (min) or truncated and
    /// incremented (max), marked not exact, or omitted when that is impossible. Default 64.
    /// </summary>
    public int MaxStatisticsSize { get; init; } = 64;
}
