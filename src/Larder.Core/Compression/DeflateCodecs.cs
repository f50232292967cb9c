using System.IO.Compression;

namespace Larder.Compression;

/// <summary>
/// gzip, zlib and raw deflate through System.IO.Compression (zlib-ng inside .NET). Compression uses the framework streams
/// with <see cref="ZLibCompressionOptions.CompressionLevel"/> = <see cref="ICompressionCodec.Level"/> (0-9, default 6 =
/// <see cref="CompressionLevel.Optimal"/>). Thread-safe; owns no native state between calls.
/// </summary>
internal abstract class DeflateFamilyCodec : ManagedStreamCodec
{
    public const int DefaultLevel = 6;

    protected DeflateFamilyCodec(string name, CompressionOptions options)
        : base(name, ResolveLevel(name, options.Level, 0, 9, DefaultLevel))
    {
    }

    /// <summary>Header and trailer bytes around the deflate data.</summary>
    protected abstract int WrapperLength { get; }

    // zlib-ng's fastest level (deflate_quick) codes every literal with up to 9 bits, so the worst case is about n + n/8;
    // stored blocks add 5 bytes per 64 KiB. This bound covers both with room to spare.
    protected override long GetMaxCompressedLengthCore(int inputLength)
        => (long)inputLength + (inputLength >> 3) + (inputLength >> 7) + 64 + WrapperLength;

    /// <summary>The complete encoding of empty input, which the framework encoders do not write.</summary>
    protected abstract byte[] EmptyEncoding { get; }

    protected sealed override Stream CreateEncoder(Stream inner, bool leaveOpen)
        => new EmptySafeEncoderStream(CreateFrameworkEncoder(inner, CreateOptions()), inner, leaveOpen, EmptyEncoding);

    /// <summary>The framework encoder over <paramref name="inner"/>, which it must leave open.</summary>
    protected abstract Stream CreateFrameworkEncoder(Stream inner, ZLibCompressionOptions options);

    private ZLibCompressionOptions CreateOptions() => new() { CompressionLevel = Level ?? DefaultLevel };
}

/// <summary>
/// gzip members (RFC 1952). Decoding (<see cref="GzipDecoderStream"/>) accepts concatenated members, checks every
/// member's CRC-32 and size, and rejects truncation and trailing garbage; empty input is zero members.
/// </summary>
internal sealed class GzipCodec : DeflateFamilyCodec
{
    public GzipCodec(CompressionOptions options)
        : base(CompressionCodecs.Gzip, options)
    {
    }

    protected override int WrapperLength => 18;

    // Header (no name, OS unknown), an empty final fixed-Huffman block, CRC-32 0 and size 0.
    protected override byte[] EmptyEncoding => [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    protected override Stream CreateFrameworkEncoder(Stream inner, ZLibCompressionOptions options) => new GZipStream(inner, options, leaveOpen: true);

    protected override Stream CreateDecoder(Stream source) => new GzipDecoderStream(source);
}

/// <summary>
/// One zlib stream (RFC 1950). Decoding (<see cref="ZlibDecoderStream"/>) checks the Adler-32 trailer, which must end
/// the input, so truncation and trailing garbage are errors.
/// </summary>
internal sealed class ZlibCodec : DeflateFamilyCodec
{
    public ZlibCodec(CompressionOptions options)
        : base(CompressionCodecs.Zlib, options)
    {
    }

    protected override int WrapperLength => 6;

    // Header 78 9C, an empty final fixed-Huffman block, Adler-32 of nothing (1).
    protected override byte[] EmptyEncoding => [0x78, 0x9C, 0x03, 0x00, 0, 0, 0, 1];

    protected override Stream CreateFrameworkEncoder(Stream inner, ZLibCompressionOptions options) => new ZLibStream(inner, options, leaveOpen: true);

    protected override Stream CreateDecoder(Stream source) => new ZlibDecoderStream(source);
}

/// <summary>
/// Raw deflate (RFC 1951). Raw deflate has no trailer and <see cref="DeflateStream"/> does not report a missing final
/// block, so data cut at a block boundary decodes to a prefix without error unless the caller knows the size
/// (<see cref="ICompressionCodec.Decompress(ReadOnlySpan{byte}, Span{byte})"/> checks it). Prefer zlib or gzip when
/// integrity matters. Empty input decodes to nothing; bytes after the final block are ignored.
/// </summary>
internal sealed class DeflateCodec : DeflateFamilyCodec
{
    public DeflateCodec(CompressionOptions options)
        : base(CompressionCodecs.Deflate, options)
    {
    }

    protected override int WrapperLength => 0;

    // An empty final fixed-Huffman block.
    protected override byte[] EmptyEncoding => [0x03, 0x00];

    protected override Stream CreateFrameworkEncoder(Stream inner, ZLibCompressionOptions options) => new DeflateStream(inner, options, leaveOpen: true);

    protected override Stream CreateDecoder(Stream source) => new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true);
}
