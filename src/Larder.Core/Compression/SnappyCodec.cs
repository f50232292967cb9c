using System.Buffers;
using IronSnappy;

namespace Larder.Compression;

/// <summary>
/// Snappy raw block format (a varint of the uncompressed length, then the compressed block) through IronSnappy, as Parquet
/// and Arrow use it. No levels. No streaming: the raw format has no framing (the separate "framing format" of
/// <c>.sz</c> files is a different codec that Larder does not offer). IronSnappy's API returns arrays, so each call
/// allocates one buffer of the output size; the declared length is checked against the destination or limit before
/// anything is allocated. Thread-safe; owns nothing.
/// </summary>
internal sealed class SnappyCodec : CompressionCodec
{
    public SnappyCodec(CompressionOptions options)
        : base(CompressionCodecs.Snappy, level: null)
    {
        RejectLevel(CompressionCodecs.Snappy, options.Level);
    }

    public override bool SupportsStreaming => false;

    protected override long GetMaxCompressedLengthCore(int inputLength) => 32L + inputLength + (inputLength / 6);

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte[] encoded = Snappy.Encode(source);
        if (encoded.Length > destination.Length)
        {
            throw DestinationTooSmall(destination.Length);
        }

        encoded.CopyTo(destination);
        return encoded.Length;
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        uint declared = ReadDeclaredLength(source);
        if (declared != (uint)destination.Length)
        {
            throw LarderErrors.CodecSizeMismatch(Name, destination.Length, declared);
        }

        byte[] decoded = Decode(source);
        if (decoded.Length != destination.Length)
        {
            throw LarderErrors.CodecSizeMismatch(Name, destination.Length, decoded.Length);
        }

        decoded.CopyTo(destination);
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        uint declared = ReadDeclaredLength(source);
        if (declared > maxOutputLength)
        {
            throw LarderErrors.CodecOutputLimitExceeded(Name, maxOutputLength);
        }

        if (declared > Array.MaxLength)
        {
            throw LarderErrors.CodecDataCorrupt(Name, $"declared length {declared} is larger than any buffer");
        }

        byte[] decoded = Decode(source);
        if (decoded.Length != declared)
        {
            throw LarderErrors.CodecDataCorrupt(Name, $"the block decodes to {decoded.Length} bytes but declares {declared}");
        }

        destination.Write(decoded);
        return decoded.Length;
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen) => throw StreamingNotSupported();

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen) => throw StreamingNotSupported();

    private static LarderNotSupportedException StreamingNotSupported()
        => LarderErrors.CodecStreamingNotSupported(
            CompressionCodecs.Snappy,
            "raw snappy blocks have no framing; use the span methods on whole blocks, or a framed codec (zstd, lz4, gzip) for streams");

    /// <summary>The varint uncompressed length at the start of a snappy block.</summary>
    private uint ReadDeclaredLength(ReadOnlySpan<byte> source)
    {
        ulong value = 0;
        for (int i = 0; i < 5; i++)
        {
            if (i >= source.Length)
            {
                throw LarderErrors.CodecDataTruncated(Name);
            }

            byte b = source[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value <= uint.MaxValue ? (uint)value : throw LarderErrors.CodecDataCorrupt(Name, "the length header is too large");
            }
        }

        throw LarderErrors.CodecDataCorrupt(Name, "the length header is too long");
    }

    private byte[] Decode(ReadOnlySpan<byte> source)
    {
        try
        {
            return Snappy.Decode(source);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw LarderErrors.CodecDataCorrupt(Name, ex.Message, ex);
        }
    }
}
