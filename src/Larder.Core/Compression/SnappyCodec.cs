using System.Buffers;
using IronSnappy;

namespace Larder.Compression;

/// <summary>
/// Snappy raw block format (a varint of the uncompressed length, then the compressed block), as Parquet and Arrow use
/// it. Decoding runs <see cref="SnappyDecoder"/> straight into the destination. Encoding runs the native
/// <c>libsnappy.so.1</c> when it loads and the managed IronSnappy otherwise (which returns arrays, so each call allocates
/// one buffer of the output size); both write the same format. No levels. No streaming: the raw format has no framing
/// (the "framing format" of <c>.sz</c> files is a different codec that Larder does not offer). The declared length is
/// checked against the destination or limit before anything is allocated. Thread-safe; owns nothing.
/// </summary>
internal sealed unsafe class SnappyCodec : CompressionCodec
{
    private readonly bool _native;

    public SnappyCodec(CompressionOptions options)
        : this(options, SnappyNative.IsAvailable)
    {
    }

    /// <summary>A codec using the native library (<paramref name="native"/>, which must be available) or IronSnappy.</summary>
    internal SnappyCodec(CompressionOptions options, bool native)
        : base(CompressionCodecs.Snappy, level: null)
    {
        RejectLevel(CompressionCodecs.Snappy, options.Level);
        _native = native;
    }

    /// <summary>Whether this codec runs the native library.</summary>
    internal bool IsNative => _native;

    public override bool SupportsStreaming => false;

    protected override long GetMaxCompressedLengthCore(int inputLength) => 32L + inputLength + (inputLength / 6);

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (_native)
        {
            return CompressNative(source, destination);
        }

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

        if (UseManagedDecoder)
        {
            if (!SnappyDecoder.TryDecode(source[HeaderLength(source)..], destination))
            {
                throw LarderErrors.CodecDataCorrupt(Name, "the compressed block is invalid");
            }

            return;
        }

        if (_native)
        {
            DecompressNative(source, destination);
            return;
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

        if (UseManagedDecoder || _native)
        {
            var span = destination.GetSpan((int)declared)[..(int)declared];
            DecompressCore(source, span);
            destination.Advance((int)declared);
            return declared;
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

    /// <summary>
    /// Decode with <see cref="SnappyDecoder"/> (the default: 1.2–1.8× faster than libsnappy 1.1.9 on column data)
    /// rather than libsnappy or IronSnappy, which the tests use to check that all three agree.
    /// </summary>
    internal bool UseManagedDecoder { get; init; } = true;

    /// <summary>Bytes of the length varint at the start of a block (the block was checked by <see cref="ReadDeclaredLength"/>).</summary>
    private static int HeaderLength(ReadOnlySpan<byte> source)
    {
        int i = 0;
        while (source[i] >= 0x80)
        {
            i++;
        }

        return i + 1;
    }

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

    private int CompressNative(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // snappy_compress wants room for the worst case; compress into a temporary block when the caller's is tighter.
        long max = (long)SnappyNative.snappy_max_compressed_length((nuint)source.Length);
        byte[]? rented = destination.Length < max ? ArrayPool<byte>.Shared.Rent(checked((int)max)) : null;
        try
        {
            Span<byte> target = rented ?? destination;
            nuint length = (nuint)target.Length;
            int status;
            fixed (byte* src = source)
            fixed (byte* dst = target)
            {
                status = SnappyNative.snappy_compress(src, (nuint)source.Length, dst, &length);
            }

            if (status != SnappyNative.Ok)
            {
                throw LarderErrors.CodecDataCorrupt(Name, $"libsnappy failed to compress (status {status})");
            }

            if (rented is not null)
            {
                if ((int)length > destination.Length)
                {
                    throw DestinationTooSmall(destination.Length);
                }

                rented.AsSpan(0, (int)length).CopyTo(destination);
            }

            return (int)length;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void DecompressNative(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        nuint length = (nuint)destination.Length;
        int status;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            status = SnappyNative.snappy_uncompress(src, (nuint)source.Length, dst, &length);
        }

        if (status != SnappyNative.Ok)
        {
            throw LarderErrors.CodecDataCorrupt(Name, status == SnappyNative.BufferTooSmall
                ? "the block decodes to more bytes than it declares"
                : "the compressed block is invalid");
        }

        if (length != (nuint)destination.Length)
        {
            throw LarderErrors.CodecSizeMismatch(Name, destination.Length, (long)length);
        }
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
