namespace Larder.Parquet.Read;

/// <summary>Options of <see cref="ColumnChunkReader"/>. Immutable.</summary>
public sealed record ColumnReadOptions
{
    /// <summary>The defaults: checksums verified, pages up to the largest buffer (about 2 GiB; large_string_map.brotli has a 1 GiB + 4 byte page).</summary>
    public static ColumnReadOptions Default { get; } = new();

    /// <summary>Whether page CRCs (when written) are checked; a mismatch raises <see cref="LarderChecksumException"/>.</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>The largest page (compressed or uncompressed) accepted, in bytes; larger pages are format errors.</summary>
    public int MaxPageSize { get; init; } = Larder.Memory.BufferAllocator.MaxLength;

    /// <summary>
    /// Bytes fetched per read of a chunk when its pages are smaller (a larger page is fetched whole). Default 1 MiB: one
    /// such buffer is held per column being read.
    /// </summary>
    public int ReadBlockSize { get; init; } = 1 << 20;
}
