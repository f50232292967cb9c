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
internal sealed class Bzip2DecoderStream : Stream
{
    private const string Codec = CompressionCodecs.Bzip2;

    private readonly BufferedSource _source;
    private BZip2InputStream? _current;
    private bool _anyStream;
    private bool _done;

    public Bzip2DecoderStream(Stream source)
    {
        _source = new BufferedSource(source);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        while (!_done && count > 0)
        {
            if (_current is null)
            {
                if (!_source.Ensure(1))
                {
                    _done = true;
                    break;
                }

                CheckMagic();
                _current = new BZip2InputStream(_source) { IsStreamOwner = false };
            }

            int n = _current.Read(buffer, offset, count);
            if (n > 0)
            {
                return n;
            }

            _current.Dispose();
            _current = null;
            _anyStream = true;
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _source.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CheckMagic()
    {
        bool complete = _source.Ensure(4);
        ReadOnlySpan<byte> head = _source.Available;
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
