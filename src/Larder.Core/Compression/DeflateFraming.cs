using System.Buffers.Binary;
using System.IO.Compression;
using Larder.Checksums;

namespace Larder.Compression;

/// <summary>
/// Decodes gzip (RFC 1952): any number of concatenated members, each header parsed here, its deflate body inflated by
/// <see cref="DeflateStream"/>, and its CRC-32 and size trailer checked. Unlike <see cref="GZipStream"/>, a member cut
/// short (even at a deflate block boundary) is an error, as are bytes after the last member. Empty input is zero members.
/// </summary>
/// <remarks>
/// <see cref="DeflateStream"/> reads ahead and does not say where its data ended, so after each member the trailer is
/// located by searching the few kilobytes it last read (<see cref="BufferedSource"/>) for the 8-byte CRC and size
/// pattern the member must end with: exact in practice (a false match needs 64 bits to agree by chance).
/// </remarks>
internal sealed class GzipDecoderStream : BufferedDecoderStream<DeflateStream>
{
    private const string Codec = CompressionCodecs.Gzip;
    private const byte FlagHeaderCrc = 0x02;
    private const byte FlagExtra = 0x04;
    private const byte FlagName = 0x08;
    private const byte FlagComment = 0x10;

    private bool _anyMember;
    private bool _done;
    private uint _crc;
    private long _size;
    private long _dataStart;

    public GzipDecoderStream(Stream inner)
        : base(inner)
    {
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_done)
        {
            if (Decoder is null)
            {
                if (!Source.Ensure(1))
                {
                    _done = true;
                    break;
                }

                ReadHeader();
                Decoder = new DeflateStream(Source, CompressionMode.Decompress, leaveOpen: true);
                _dataStart = Source.Offset;
                _crc = 0;
                _size = 0;
            }

            int n = Decoder.Read(buffer);
            if (n > 0)
            {
                _crc = Crc32.Compute(_crc, buffer[..n]);
                _size += n;
                return n;
            }

            Decoder.Dispose();
            Decoder = null;
            ReadTrailer();
            _anyMember = true;
        }

        return 0;
    }

    private void ReadHeader()
    {
        ReadOnlySpan<byte> start = Source.Available;
        if (start[0] != 0x1F || (start.Length > 1 && start[1] != 0x8B))
        {
            throw _anyMember
                ? LarderErrors.CodecTrailingData(Codec)
                : LarderErrors.CodecDataCorrupt(Codec, "no gzip magic number at the start");
        }

        if (!Source.Ensure(10))
        {
            throw LarderErrors.CodecDataTruncated(Codec);
        }

        ReadOnlySpan<byte> fixedPart = Source.Available[..10];
        if (fixedPart[1] != 0x8B)
        {
            throw LarderErrors.CodecDataCorrupt(Codec, "no gzip magic number at the start");
        }

        if (fixedPart[2] != 8)
        {
            throw LarderErrors.CodecDataCorrupt(Codec, $"compression method {fixedPart[2]} is not deflate");
        }

        byte flags = fixedPart[3];
        if ((flags & 0xE0) != 0)
        {
            throw LarderErrors.CodecDataCorrupt(Codec, "reserved header flags are set");
        }

        uint headerCrc = Crc32.Compute(fixedPart);
        Source.Skip(10);

        if ((flags & FlagExtra) != 0)
        {
            if (!Source.Ensure(2))
            {
                throw LarderErrors.CodecDataTruncated(Codec);
            }

            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(Source.Available);
            if (!Source.Ensure(2 + extraLength))
            {
                throw LarderErrors.CodecDataTruncated(Codec);
            }

            headerCrc = Crc32.Compute(headerCrc, Source.Available[..(2 + extraLength)]);
            Source.Skip(2 + extraLength);
        }

        if ((flags & FlagName) != 0)
        {
            headerCrc = SkipZeroTerminated(headerCrc);
        }

        if ((flags & FlagComment) != 0)
        {
            headerCrc = SkipZeroTerminated(headerCrc);
        }

        if ((flags & FlagHeaderCrc) != 0)
        {
            if (!Source.Ensure(2))
            {
                throw LarderErrors.CodecDataTruncated(Codec);
            }

            ushort stored = BinaryPrimitives.ReadUInt16LittleEndian(Source.Available);
            if (stored != (ushort)headerCrc)
            {
                throw LarderErrors.CodecChecksumMismatch(Codec, "header CRC-16", stored, (ushort)headerCrc);
            }

            Source.Skip(2);
        }
    }

    private uint SkipZeroTerminated(uint headerCrc)
    {
        while (true)
        {
            if (!Source.Ensure(1))
            {
                throw LarderErrors.CodecDataTruncated(Codec);
            }

            ReadOnlySpan<byte> available = Source.Available;
            int zero = available.IndexOf((byte)0);
            int take = zero < 0 ? available.Length : zero + 1;
            headerCrc = Crc32.Compute(headerCrc, available[..take]);
            Source.Skip(take);
            if (zero >= 0)
            {
                return headerCrc;
            }
        }
    }

    private void ReadTrailer()
    {
        Span<byte> pattern = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(pattern, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(pattern[4..], unchecked((uint)_size));

        // The deflate data ended somewhere in the last chunks the inflater read; search there. A candidate counts only if
        // the input ends right after it or another member starts there, which rules out chance matches (such as the
        // all-zero trailer of an empty member overlapping the zero byte that ends its deflate data).
        long end = Source.Offset;
        long from = Math.Max(_dataStart, end - BufferedSource.Keep);
        Source.RewindTo(from);
        int window = (int)(end - from) + pattern.Length;
        bool inputEnded = !Source.Ensure(window + 2);
        ReadOnlySpan<byte> available = Source.Available;
        int searchEnd = Math.Min(available.Length, window);
        int start = 0;
        bool anyCandidate = false;
        while (start < searchEnd)
        {
            int index = available[start..searchEnd].IndexOf(pattern);
            if (index < 0)
            {
                break;
            }

            index += start;
            anyCandidate = true;
            int after = index + pattern.Length;
            bool endsInput = inputEnded && after == available.Length;
            bool nextMember = available.Length >= after + 2 && available[after] == 0x1F && available[after + 1] == 0x8B;
            if (endsInput || nextMember)
            {
                Source.Skip(after);
                return;
            }

            start = index + 1;
        }

        if (anyCandidate)
        {
            throw LarderErrors.CodecTrailingData(Codec);
        }

        // Fewer than 8 bytes after the point the inflater stopped reading: the input was cut inside the member.
        throw inputEnded && available.Length - (int)(end - from) < pattern.Length
            ? LarderErrors.CodecDataTruncated(Codec)
            : LarderErrors.CodecDataCorrupt(Codec, $"no member trailer matches the decompressed data (CRC-32 0x{_crc:x8}, {_size} bytes); the member is truncated or its data or trailer is damaged");
    }
}

/// <summary>
/// Decodes one zlib stream (RFC 1950): header checked here, deflate body inflated by <see cref="DeflateStream"/>, and the
/// Adler-32 trailer compared with the decompressed bytes; the trailer must be the last four bytes of the input, so a
/// stream cut short or followed by garbage is an error (<see cref="ZLibStream"/> accepts both silently). Preset
/// dictionaries are refused.
/// </summary>
internal sealed class ZlibDecoderStream : BufferedDecoderStream<DeflateStream>
{
    private const string Codec = CompressionCodecs.Zlib;

    private bool _done;
    private uint _adler = 1;
    private long _dataStart;

    public ZlibDecoderStream(Stream inner)
        : base(inner)
    {
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _done)
        {
            return 0;
        }

        if (Decoder is null)
        {
            ReadHeader();
            Decoder = new DeflateStream(Source, CompressionMode.Decompress, leaveOpen: true);
            _dataStart = Source.Offset;
        }

        int n = Decoder.Read(buffer);
        if (n > 0)
        {
            _adler = Adler32.Update(_adler, buffer[..n]);
            return n;
        }

        _done = true;
        Source.SkipToEnd();
        if (Source.Offset - _dataStart < 6)
        {
            throw LarderErrors.CodecDataTruncated(Codec);
        }

        uint stored = BinaryPrimitives.ReadUInt32BigEndian(Source.TailBytes(4));
        if (stored != _adler)
        {
            throw LarderErrors.CodecChecksumMismatch(Codec, "Adler-32 trailer (or the stream is truncated or followed by other bytes)", stored, _adler);
        }

        return 0;
    }

    private void ReadHeader()
    {
        if (!Source.Ensure(2))
        {
            throw LarderErrors.CodecDataTruncated(Codec);
        }

        byte cmf = Source.Available[0];
        byte flg = Source.Available[1];
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0)
        {
            throw LarderErrors.CodecDataCorrupt(Codec, "invalid zlib header");
        }

        if ((flg & 0x20) != 0)
        {
            throw LarderErrors.CodecFeatureNotSupported(Codec, "preset dictionary", "decompress it with the program and dictionary that wrote it");
        }

        Source.Skip(2);
    }
}
