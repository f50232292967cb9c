namespace Larder;

/// <summary>Messages for compression codecs and checksums (DESIGN §3).</summary>
public static partial class LarderErrors
{
    /// <summary>Compressed bytes a decoder rejects: bad header, bad block, bad checksum reported by the decoder itself.</summary>
    /// <param name="codec">The canonical codec name, e.g. <c>zstd</c>.</param>
    /// <param name="detail">What the decoder reported, e.g. zstd's error name.</param>
    /// <param name="inner">The third-party exception that reported it, if any.</param>
    public static LarderFormatException CodecDataCorrupt(string codec, string detail, Exception? inner = null)
        => new($"{codec} compressed data is corrupt ({detail}); the input is damaged or was not compressed with {codec}.", null, null, inner);

    /// <summary>Compressed bytes end in the middle of a frame, block or member.</summary>
    public static LarderFormatException CodecDataTruncated(string codec)
        => Truncated(null, null, $"{codec} compressed data");

    /// <summary>
    /// The data decompressed to a different size than the caller said it would (the size recorded next to it, e.g. in an
    /// Arrow IPC buffer or a Parquet page header). <paramref name="actual"/> is <see langword="null"/> when the output was
    /// larger and decoding stopped.
    /// </summary>
    public static LarderFormatException CodecSizeMismatch(string codec, long expected, long? actual)
        => new(actual is long a
            ? $"{codec} compressed data decompressed to {a} bytes but {expected} were expected; the data or its recorded size is corrupt."
            : $"{codec} compressed data decompresses to more than the {expected} bytes expected; the data or its recorded size is corrupt.");

    /// <summary>Decompressing data of unknown size would produce more than the caller's limit.</summary>
    public static LarderFormatException CodecOutputLimitExceeded(string codec, long limit)
        => new($"{codec} compressed data decompresses to more than the limit of {limit} bytes; the input is corrupt or hostile, or raise the limit if it is legitimate.");

    /// <summary>Bytes follow the last complete frame or member where the format allows none.</summary>
    public static LarderFormatException CodecTrailingData(string codec)
        => new($"{codec} compressed data is followed by bytes that are not {codec} data; the input is damaged or has trailing garbage.");

    /// <summary>A checksum stored inside compressed data (gzip CRC-32, zlib Adler-32) does not match the decompressed bytes.</summary>
    public static LarderChecksumException CodecChecksumMismatch(string codec, string kind, uint stored, uint computed)
        => Checksum(null, null, $"{codec} {kind}", $"0x{stored:x8}", $"0x{computed:x8}");

    /// <summary>A codec name the factory does not know.</summary>
    public static LarderUsageException UnknownCodec(string name, IEnumerable<string> validNames, IEnumerable<string> aliases)
        => Usage($"unknown compression codec '{name}'; use one of: {string.Join(", ", validNames)} (aliases: {string.Join(", ", aliases)}).");

    /// <summary>A compression level outside the codec's range.</summary>
    public static LarderUsageException CodecLevelOutOfRange(string codec, int level, int min, int max)
        => Usage($"compression level {level} is out of range for {codec}; use a level from {min} to {max}, or leave it unset for the default.");

    /// <summary>A compression level for a codec that has none.</summary>
    public static LarderUsageException CodecLevelNotSupported(string codec)
        => Usage($"{codec} has no compression levels; leave the level unset.");

    /// <summary>A streaming compressor or decompressor was asked for a format that has no framing.</summary>
    public static LarderNotSupportedException CodecStreamingNotSupported(string codec, string hint)
        => NotSupported(null, $"streaming {codec}", hint);

    /// <summary>A codec feature the decoder refuses on purpose (e.g. a zlib preset dictionary).</summary>
    public static LarderNotSupportedException CodecFeatureNotSupported(string codec, string feature, string hint)
        => NotSupported(null, $"{codec} {feature}", hint);

    /// <summary>A native compression library (libzstd, liblz4) cannot be loaded.</summary>
    public static LarderException CodecLibraryMissing(string codec, string library, string package, Exception inner)
        => new($"{codec} needs the native library {library}, which cannot be loaded ({inner.Message}); install it (apt-get install {package}).", inner);

    /// <summary>A native compressor failed on valid input: out of memory or a library bug, not bad data.</summary>
    public static LarderException CodecCompressionFailed(string codec, string detail)
        => new($"{codec} compression failed ({detail}); the system may be out of memory, or this is a bug: please report it.");
}
