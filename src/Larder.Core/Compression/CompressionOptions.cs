namespace Larder.Compression;

/// <summary>
/// Options for <see cref="CompressionCodecs.Create(string, CompressionOptions?)"/>. Immutable; share freely.
/// </summary>
public sealed record CompressionOptions
{
    /// <summary>The options every codec uses when none are given.</summary>
    public static CompressionOptions Default { get; } = new();

    /// <summary>
    /// The compression level, or <see langword="null"/> for the codec's default. Ranges and defaults:
    /// <list type="table">
    /// <listheader><term>codec</term><description>range; default</description></listheader>
    /// <item><term>none, snappy</term><description>no levels: must be null.</description></item>
    /// <item><term>gzip, zlib, deflate</term><description>0 (store) to 9; default 6, which is what
    /// <see cref="System.IO.Compression.CompressionLevel.Optimal"/> means for them.</description></item>
    /// <item><term>brotli</term><description>quality 0 to 11; default 4, which is what
    /// <see cref="System.IO.Compression.CompressionLevel.Optimal"/> means for Brotli in .NET (window 2^22).</description></item>
    /// <item><term>bzip2</term><description>block size 1 to 9 (x 100 KB); default 9, like the bzip2 tool.</description></item>
    /// <item><term>lz4, lz4_raw, lz4_hadoop</term><description>-65537 to 12; default 1 (the fast compressor, acceleration 1,
    /// like <c>lz4 -1</c>). 2 is the same as 1; a negative level -N is the fast compressor with acceleration N + 1, as in
    /// liblz4's frame API (<c>lz4 --fast=N</c>); 3 to 12 use LZ4 HC (<c>lz4 -9</c> is 9). 0 means the default.</description></item>
    /// <item><term>zstd</term><description>-131072 to 22; default 3 (<c>zstd -3</c>, the library default). Negative levels are
    /// the fast modes (<c>zstd --fast=N</c>); 0 means the default.</description></item>
    /// </list>
    /// </summary>
    public int? Level { get; init; }

    /// <summary>
    /// Whether zstd and lz4 (frame) frames carry a checksum of their content (XXH64 / XXH32) that decoders verify.
    /// Default <see langword="false"/>, the library default and what Arrow and Parquet writers use (their containers carry
    /// their own checks); the <c>zstd</c> and <c>lz4</c> command-line tools turn it on. Other codecs ignore it (gzip and zlib
    /// always carry CRC-32 / Adler-32, bzip2 block CRCs).
    /// </summary>
    public bool ContentChecksum { get; init; }
}
