using System.Buffers;
using System.Buffers.Binary;

namespace Larder.Compression;

/// <summary>
/// Write-only Hadoop-framed LZ4 compressor: buffers up to 256 KiB and writes it as one block
/// ([u32 BE size][u32 BE compressed size][raw block]) when full, on <see cref="Flush"/> and on dispose (an empty stream
/// becomes one empty block, like the span API). Uses the codec's pooled compressor states. Not thread-safe.
/// </summary>
internal sealed class Lz4HadoopCompressStream : WriteOnlyCodecStream
{
    private readonly Lz4BlockCodec _codec;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private byte[]? _input;
    private byte[]? _output;
    private int _count;
    private bool _anyBlock;

    public Lz4HadoopCompressStream(Lz4BlockCodec codec, Stream inner, bool leaveOpen)
    {
        _codec = codec;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _input = ArrayPool<byte>.Shared.Rent(Lz4HadoopCodec.BlockSize);
        _output = ArrayPool<byte>.Shared.Rent(8 + (int)Lz4Native.BlockBound(Lz4HadoopCodec.BlockSize));
    }

    public override bool CanWrite => _input is not null;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        byte[] input = _input ?? throw new ObjectDisposedException(nameof(Lz4HadoopCompressStream));
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, Lz4HadoopCodec.BlockSize - _count);
            buffer[..n].CopyTo(input.AsSpan(_count));
            _count += n;
            buffer = buffer[n..];
            if (_count == Lz4HadoopCodec.BlockSize)
            {
                WriteBlock();
            }
        }
    }

    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        if (_count > 0)
        {
            WriteBlock();
        }

        _inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _input is { } input)
        {
            try
            {
                if (_count > 0 || !_anyBlock)
                {
                    WriteBlock();
                }

                _inner.Flush();
            }
            finally
            {
                _input = null;
                ArrayPool<byte>.Shared.Return(input);
                if (_output is { } output)
                {
                    _output = null;
                    ArrayPool<byte>.Shared.Return(output);
                }

                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private void WriteBlock()
    {
        byte[] output = _output!;
        int size = _codec.CompressBlock(_input.AsSpan(0, _count), output.AsSpan(8));
        if (size <= 0)
        {
            throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Lz4Hadoop, "LZ4_compress returned 0");
        }

        BinaryPrimitives.WriteUInt32BigEndian(output, (uint)_count);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(4), (uint)size);
        _inner.Write(output, 0, 8 + size);
        _count = 0;
        _anyBlock = true;
    }
}

/// <summary>
/// Read-only Hadoop-framed LZ4 decompressor (wrapped in a <see cref="DecoderStream"/>). Buffers grow only as compressed
/// bytes actually arrive (a block's output is at most about 255 times its input), so a hostile size field cannot make it
/// allocate much more than the data justifies. Does not dispose the source.
/// </summary>
internal sealed class Lz4HadoopDecompressStream : ReadOnlyCodecStream
{
    private const string Codec = CompressionCodecs.Lz4Hadoop;
    private const int InitialBuffer = 64 * 1024;

    private readonly Stream _source;
    private byte[] _input;
    private byte[] _output;
    private int _outPos;
    private int _outLen;
    private bool _disposed;

    public Lz4HadoopDecompressStream(Stream source)
    {
        _source = source;
        _input = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        _output = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    }

    public override bool CanRead => !_disposed;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_outPos == _outLen)
        {
            if (!ReadBlock())
            {
                return 0;
            }
        }

        int n = Math.Min(buffer.Length, _outLen - _outPos);
        _output.AsSpan(_outPos, n).CopyTo(buffer);
        _outPos += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            ArrayPool<byte>.Shared.Return(_input);
            ArrayPool<byte>.Shared.Return(_output);
        }

        base.Dispose(disposing);
    }

    private static void Grow(ref byte[] buffer, int needed, int keep)
    {
        if (buffer.Length >= needed)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)needed, (long)buffer.Length * 2)));
        buffer.AsSpan(0, keep).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    /// <summary>Decodes the next block into the output buffer; false at a clean end of input.</summary>
    private bool ReadBlock()
    {
        Span<byte> header = stackalloc byte[4];
        int got = _source.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (got == 0)
        {
            return false;
        }

        if (got < 4)
        {
            throw LarderErrors.CodecDataTruncated(Codec);
        }

        uint blockSize = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (blockSize > Array.MaxLength)
        {
            throw LarderErrors.CodecDataCorrupt(Codec, $"a block declares {blockSize} bytes");
        }

        int produced = 0;
        do
        {
            if (_source.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
            {
                throw LarderErrors.CodecDataTruncated(Codec);
            }

            uint chunk = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (chunk > Array.MaxLength)
            {
                throw LarderErrors.CodecDataCorrupt(Codec, $"a chunk declares {chunk} compressed bytes");
            }

            int compressed = (int)chunk;
            int read = 0;
            while (read < compressed)
            {
                Grow(ref _input, Math.Min(compressed, Math.Max(read * 2, InitialBuffer)), read);
                int n = _source.Read(_input, read, Math.Min(compressed, _input.Length) - read);
                if (n <= 0)
                {
                    throw LarderErrors.CodecDataTruncated(Codec);
                }

                read += n;
            }

            long room = Math.Min((long)blockSize - produced, ((long)compressed * 255) + 64);
            Grow(ref _output, (int)(produced + room), produced);
            int written = Lz4BlockCodec.DecompressBlock(_input.AsSpan(0, compressed), _output.AsSpan(produced, (int)room));
            if (written < 0)
            {
                throw LarderErrors.CodecDataCorrupt(Codec, "invalid LZ4 block, or it decompresses to more than its block declares");
            }

            produced += written;
        }
        while (produced < blockSize);

        _outPos = 0;
        _outLen = produced;
        return true;
    }
}
