using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace Larder.Compression;

/// <summary>
/// Creates <see cref="ICompressionCodec"/> instances by name. Stateless: the tables here are immutable and every
/// <see cref="Create(string, CompressionOptions?)"/> call returns a new, independent instance.
/// </summary>
public static class CompressionCodecs
{
    /// <summary>No compression: bytes are copied.</summary>
    public const string None = "none";

    /// <summary>gzip (RFC 1952) members; decoding accepts several concatenated members.</summary>
    public const string Gzip = "gzip";

    /// <summary>zlib (RFC 1950) stream: deflate with a 2-byte header and an Adler-32 trailer.</summary>
    public const string Zlib = "zlib";

    /// <summary>Raw deflate (RFC 1951), no header or trailer.</summary>
    public const string Deflate = "deflate";

    /// <summary>Brotli (RFC 7932).</summary>
    public const string Brotli = "brotli";

    /// <summary>bzip2 streams; decoding accepts several concatenated streams.</summary>
    public const string Bzip2 = "bzip2";

    /// <summary>Snappy raw block format (a varint length then the compressed block), as Parquet uses; no framing.</summary>
    public const string Snappy = "snappy";

    /// <summary>LZ4 frame format (magic 0x184D2204), as the <c>lz4</c> tool and Arrow IPC LZ4_FRAME use.</summary>
    public const string Lz4 = "lz4";

    /// <summary>One raw LZ4 block, no framing (Parquet LZ4_RAW).</summary>
    public const string Lz4Raw = "lz4_raw";

    /// <summary>
    /// LZ4 blocks in Hadoop framing, repeated [u32 BE uncompressed size][u32 BE compressed size][raw LZ4 block], as the
    /// deprecated Parquet LZ4 codec uses.
    /// </summary>
    public const string Lz4Hadoop = "lz4_hadoop";

    /// <summary>Zstandard frames (RFC 8878); decoding accepts several concatenated frames and skippable frames.</summary>
    public const string Zstd = "zstd";

    private static readonly string[] CanonicalNames =
        [None, Gzip, Zlib, Deflate, Brotli, Bzip2, Snappy, Lz4, Lz4Raw, Lz4Hadoop, Zstd];

    private static readonly FrozenDictionary<string, string> AliasTable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["uncompressed"] = None,
        ["gz"] = Gzip,
        ["br"] = Brotli,
        ["bz2"] = Bzip2,
        ["lz4_frame"] = Lz4,
        ["lz4raw"] = Lz4Raw,
        ["lz4_block"] = Lz4Raw,
        ["zst"] = Zstd,
        ["zstandard"] = Zstd,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> NameTable = CanonicalNames
        .Select(n => KeyValuePair.Create(n, n))
        .Concat(AliasTable)
        .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical codec names, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = new ReadOnlyCollection<string>(CanonicalNames);

    /// <summary>Accepted aliases and the canonical name each stands for (case-insensitive; '-' may replace '_').</summary>
    public static IReadOnlyDictionary<string, string> Aliases => AliasTable;

    /// <summary>
    /// The canonical name for <paramref name="name"/>: a canonical name or an alias, any case, with '-' or '_'.
    /// </summary>
    /// <returns><see langword="false"/> when the name is unknown.</returns>
    public static bool TryGetCanonicalName(string name, out string canonicalName)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (NameTable.TryGetValue(name.Trim().Replace('-', '_'), out string? found))
        {
            canonicalName = found;
            return true;
        }

        canonicalName = string.Empty;
        return false;
    }

    /// <summary>
    /// A new codec for <paramref name="name"/> (canonical or alias, case-insensitive) with <paramref name="options"/>
    /// (null: <see cref="CompressionOptions.Default"/>). The caller owns the instance and should dispose it; it is
    /// thread-safe and meant to be reused (see <see cref="ICompressionCodec"/>).
    /// </summary>
    /// <exception cref="LarderUsageException">The name is unknown (the message lists the valid names), or the level is out of
    /// the codec's range or given for a codec without levels.</exception>
    public static ICompressionCodec Create(string name, CompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryGetCanonicalName(name, out string canonical))
        {
            throw LarderErrors.UnknownCodec(name, CanonicalNames, AliasTable.Keys.Order(StringComparer.Ordinal));
        }

        options ??= CompressionOptions.Default;
        return canonical switch
        {
            None => new NoneCodec(options),
            Gzip => new GzipCodec(options),
            Zlib => new ZlibCodec(options),
            Deflate => new DeflateCodec(options),
            Brotli => new BrotliCodec(options),
            Bzip2 => new Bzip2Codec(options),
            Snappy => new SnappyCodec(options),
            Lz4 => new Lz4FrameCodec(options),
            Lz4Raw => new Lz4RawCodec(options),
            Lz4Hadoop => new Lz4HadoopCodec(options),
            Zstd => new ZstdCodec(options),
            _ => throw LarderErrors.UnknownCodec(name, CanonicalNames, AliasTable.Keys.Order(StringComparer.Ordinal)),
        };
    }
}
