using ICSharpCode.SharpZipLib.BZip2;

namespace Larder.Compression;

/// <summary>
/// bzip2 through SharpZipLib: level = block size in 100 KB units (1-9, default 9 like the bzip2 tool). Decoding
/// (<see cref="Bzip2DecoderStream"/>) accepts concatenated streams (as pbzip2 and <c>cat a.bz2 b.bz2</c> produce) and
/// rejects trailing garbage; empty input is zero streams. Thread-safe; owns nothing between calls.
/// </summary>
internal sealed class Bzip2Codec : ManagedStreamCodec
{
    public const int DefaultLevel = 9;

    public Bzip2Codec(CompressionOptions options)
        : base(CompressionCodecs.Bzip2, ResolveLevel(CompressionCodecs.Bzip2, options.Level, 1, 9, DefaultLevel))
    {
    }

    // bzip2 documents at most 1% + 600 bytes of growth; leave extra room.
    protected override long GetMaxCompressedLengthCore(int inputLength) => (long)inputLength + (inputLength >> 6) + 1024;

    protected override Stream CreateEncoder(Stream inner, bool leaveOpen)
        => new Bzip2EncoderStream(inner, leaveOpen, Level ?? DefaultLevel);

    protected override Stream CreateDecoder(Stream source) => new Bzip2DecoderStream(source);
}

/// <summary>
/// Decodes concatenated bzip2 streams with SharpZipLib's <see cref="BZip2InputStream"/>, which reads its source one byte
/// at a time and so stops exactly at the end of each stream. Checks the "BZh1".."BZh9" magic itself (SharpZipLib would
/// silently return nothing). Does not dispose the source.
/// </summary>
internal sealed class Bzip2DecoderStream : BufferedDecoderStream<BZip2InputStream>
{
    private const string Codec = CompressionCodecs.Bzip2;

    private bool _anyStream;
    private bool _done;

    public Bzip2DecoderStream(Stream source)
        : base(source)
    {
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        while (!_done && count > 0)
        {
            if (Decoder is null)
            {
                if (!Source.Ensure(1))
                {
                    _done = true;
                    break;
                }

                CheckMagic();
                Decoder = new BZip2InputStream(Source) { IsStreamOwner = false };
            }

            int n = Decoder.Read(buffer, offset, count);
            if (n > 0)
            {
                return n;
            }

            Decoder.Dispose();
            Decoder = null;
            _anyStream = true;
        }

        return 0;
    }

    private void CheckMagic()
    {
        bool complete = Source.Ensure(4);
        ReadOnlySpan<byte> head = Source.Available;
        bool matches = head[0] == (byte)'B'
            && (head.Length < 2 || head[1] == (byte)'Z')
            && (head.Length < 3 || head[2] == (byte)'h')
            && (head.Length < 4 || (head[3] >= (byte)'1' && head[3] <= (byte)'9'));
        if (!matches)
        {
            throw _anyStream
                ? LarderErrors.CodecTrailingData(Codec)
                : LarderErrors.CodecDataCorrupt(Codec, "no bzip2 magic number at the start");
        }

        if (!complete)
        {
            throw LarderErrors.CodecDataTruncated(Codec);
        }
    }
}
