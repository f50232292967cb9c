using System.Buffers;
using System.IO.Compression;

namespace Larder.Compression;

/// <summary>
/// Brotli (RFC 7932) through <see cref="BrotliEncoder"/> / <see cref="BrotliDecoder"/>: quality = level (0-11, default 4 =
/// <see cref="CompressionLevel.Optimal"/>), window 2^22. Decoding rejects truncated streams and trailing bytes (unlike
/// <see cref="BrotliStream"/>). Thread-safe; each call has its own native encoder or decoder state.
/// </summary>
internal sealed class BrotliCodec : ManagedStreamCodec
{
    public const int DefaultLevel = 4;
    private const int Window = 22;
    private const int ChunkSize = 128 * 1024;

    public BrotliCodec(CompressionOptions options)
        : base(CompressionCodecs.Brotli, ResolveLevel(CompressionCodecs.Brotli, options.Level, 0, 11, DefaultLevel))
    {
    }

    private int Quality => Level ?? DefaultLevel;

    protected override long GetMaxCompressedLengthCore(int inputLength) => BrotliEncoder.GetMaxCompressedLength(inputLength);

    protected override int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!BrotliEncoder.TryCompress(source, destination, out int written, Quality, Window))
        {
            throw DestinationTooSmall(destination.Length);
        }

        return written;
    }

    protected override void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var decoder = new BrotliDecoder();
        try
        {
            OperationStatus status = decoder.Decompress(source, destination, out int consumed, out int written);
            source = source[consumed..];
            if (status == OperationStatus.DestinationTooSmall && written == destination.Length)
            {
                // The destination is full; the rest of the stream must decode to nothing.
                Span<byte> probe = stackalloc byte[1];
                status = decoder.Decompress(source, probe, out consumed, out int extra);
                source = source[consumed..];
                if (extra > 0)
                {
                    throw LarderErrors.CodecSizeMismatch(Name, destination.Length, null);
                }
            }

            switch (status)
            {
                case OperationStatus.Done when !source.IsEmpty:
                    throw LarderErrors.CodecTrailingData(Name);
                case OperationStatus.Done when written != destination.Length:
                    throw LarderErrors.CodecSizeMismatch(Name, destination.Length, written);
                case OperationStatus.Done:
                    return;
                case OperationStatus.DestinationTooSmall:
                    throw LarderErrors.CodecSizeMismatch(Name, destination.Length, null);
                case OperationStatus.NeedMoreData:
                    throw LarderErrors.CodecDataTruncated(Name);
                default:
                    throw LarderErrors.CodecDataCorrupt(Name, "invalid brotli data");
            }
        }
        finally
        {
            decoder.Dispose();
        }
    }

    protected override long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        var decoder = new BrotliDecoder();
        try
        {
            var output = new LimitedOutput(destination, maxOutputLength, ChunkSize, Name, stackalloc byte[1]);
            while (true)
            {
                bool atLimit = output.AtLimit;
                OperationStatus status = decoder.Decompress(source, output.Next(), out int consumed, out int written);
                source = source[consumed..];
                if (atLimit && status == OperationStatus.DestinationTooSmall)
                {
                    throw LarderErrors.CodecOutputLimitExceeded(Name, maxOutputLength);
                }

                output.Commit(written);
                switch (status)
                {
                    case OperationStatus.Done:
                        return source.IsEmpty ? output.Total : throw LarderErrors.CodecTrailingData(Name);
                    case OperationStatus.DestinationTooSmall when written > 0 || consumed > 0:
                        continue;
                    case OperationStatus.NeedMoreData:
                        throw LarderErrors.CodecDataTruncated(Name);
                    default:
                        throw LarderErrors.CodecDataCorrupt(Name, "invalid brotli data");
                }
            }
        }
        finally
        {
            decoder.Dispose();
        }
    }

    protected override Stream CreateEncoder(Stream inner, bool leaveOpen)
        => new BrotliStream(inner, new BrotliCompressionOptions { Quality = Quality }, leaveOpen);

    protected override Stream CreateDecoder(Stream source) => new BrotliDecoderStream(source);
}

/// <summary>
/// A read-only Brotli decoding stream over <see cref="BrotliDecoder"/> that, unlike <see cref="BrotliStream"/>, reports
/// truncated input and trailing bytes as <see cref="LarderFormatException"/>. Does not dispose the source.
/// </summary>
internal sealed class BrotliDecoderStream : ReadOnlyCodecStream
{
    private const string Codec = CompressionCodecs.Brotli;
    private const int BufferSize = 64 * 1024;

    private readonly Stream _source;
    private BrotliDecoder _decoder; // a mutable struct: never copy it
    private byte[]? _buffer;
    private int _pos;
    private int _len;
    private bool _eof;
    private bool _done;

    public BrotliDecoderStream(Stream source)
    {
        _source = source;
        _decoder = new BrotliDecoder();
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public override bool CanRead => true;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _done)
        {
            return 0;
        }

        byte[] input = _buffer ?? throw new ObjectDisposedException(nameof(BrotliDecoderStream));
        while (true)
        {
            if (_pos == _len && !_eof)
            {
                _pos = 0;
                _len = _source.Read(input, 0, input.Length);
                _eof = _len <= 0;
                _len = Math.Max(_len, 0);
            }

            OperationStatus status = _decoder.Decompress(input.AsSpan(_pos, _len - _pos), buffer, out int consumed, out int written);
            _pos += consumed;
            switch (status)
            {
                case OperationStatus.Done:
                    _done = true;
                    if (_pos < _len || (!_eof && _source.Read(input, 0, input.Length) > 0))
                    {
                        throw LarderErrors.CodecTrailingData(Codec);
                    }

                    return written;
                case OperationStatus.DestinationTooSmall when written > 0:
                    return written;
                case OperationStatus.NeedMoreData when written > 0:
                    return written;
                case OperationStatus.NeedMoreData when _eof && _pos == _len:
                    throw LarderErrors.CodecDataTruncated(Codec);
                case OperationStatus.NeedMoreData when consumed > 0 || _pos == _len:
                    continue;
                case OperationStatus.InvalidData:
                    throw LarderErrors.CodecDataCorrupt(Codec, "invalid brotli data");
                default:
                    throw LarderErrors.CodecDataCorrupt(Codec, "the brotli decoder made no progress");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is { } buffer)
        {
            _buffer = null;
            _decoder.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
