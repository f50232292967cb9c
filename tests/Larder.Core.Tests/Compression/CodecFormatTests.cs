using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Larder.Checksums;
using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>Format details: concatenation, headers, trailers, fallbacks and known byte sequences.</summary>
public class CodecFormatTests
{
    public static TheoryData<string> ConcatenatingCodecs() => new() { "gzip", "bzip2", "zstd", "lz4", "lz4_hadoop" };

    [Theory]
    [MemberData(nameof(ConcatenatingCodecs))]
    public void Decompress_ConcatenatedUnits_DecodesAllOfThem(string name)
    {
        byte[] a = CodecTestData.Mixed(70_000, seed: 1);
        byte[] b = CodecTestData.Mixed(30_000, seed: 2);
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] both = [.. CodecTestData.Compress(codec, a), .. CodecTestData.CompressStreaming(codec, b, seed: 9)];
        byte[] expected = [.. a, .. b];

        Assert.Equal(expected, codec.DecompressToArray(both, expected.Length));
        Assert.Equal(expected, codec.DecompressUnknownSizeToArray(both, expected.Length));
        Assert.Equal(expected, CodecTestData.DecompressStreaming(codec, both, seed: 1));
    }

    [Theory]
    [InlineData("none", true)]
    [InlineData("gzip", true)]
    [InlineData("bzip2", true)]
    [InlineData("zstd", true)]
    [InlineData("lz4", true)]
    [InlineData("lz4_hadoop", true)]
    [InlineData("deflate", true)]
    [InlineData("zlib", false)]
    [InlineData("brotli", false)]
    [InlineData("snappy", false)]
    [InlineData("lz4_raw", false)]
    public void Decompress_EmptyInput_IsZeroUnitsOrAnError(string name, bool emptyIsValid)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        if (emptyIsValid)
        {
            Assert.Equal(0, codec.Decompress([], Span<byte>.Empty));
            Assert.Equal(0, codec.Decompress([], new ArrayBufferWriter<byte>(), 100));
        }
        else
        {
            Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress([], Span<byte>.Empty));
            Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress([], new ArrayBufferWriter<byte>(), 100));
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("brotli")]
    [InlineData("bzip2")]
    [InlineData("zstd")]
    [InlineData("lz4")]
    public void Decompress_TrailingGarbage_ThrowsFormatException(string name)
    {
        byte[] original = CodecTestData.Mixed(5000, seed: 4);
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] damaged = [.. CodecTestData.Compress(codec, original), 0x42, 0x13, 0x37, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05];
        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(damaged, new byte[original.Length]));
        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(damaged, new ArrayBufferWriter<byte>(), 100_000));
        if (codec.SupportsStreaming)
        {
            Assert.ThrowsAny<LarderFormatException>(() => CodecTestData.DecompressStreaming(codec, damaged, seed: 1));
        }
    }

    [Fact]
    public void Gzip_HeaderWithAllOptionalFields_Decodes()
    {
        byte[] original = Encoding.ASCII.GetBytes("id,value\n1,2\n3,4\n");
        using ICompressionCodec deflate = CompressionCodecs.Create("deflate");
        byte[] body = CodecTestData.Compress(deflate, original);

        var member = new List<byte> { 0x1F, 0x8B, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3 };
        member.AddRange([4, 0, (byte)'L', (byte)'d', 0, 0]);     // FEXTRA: subfield "Ld", length 0
        member.AddRange(Encoding.ASCII.GetBytes("data.csv\0"));  // FNAME
        member.AddRange(Encoding.ASCII.GetBytes("a comment\0")); // FCOMMENT
        uint headerCrc = Crc32.Compute(member.ToArray());
        member.AddRange([(byte)headerCrc, (byte)(headerCrc >> 8)]);
        member.AddRange(body);
        byte[] trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Compute(original));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)original.Length);
        member.AddRange(trailer);

        using ICompressionCodec gzip = CompressionCodecs.Create("gzip");
        Assert.Equal(original, gzip.DecompressToArray(member.ToArray(), original.Length));

        byte[] badHeaderCrc = member.ToArray();
        badHeaderCrc[10 + 6 + 9 + 10] ^= 1;
        Assert.Throws<LarderChecksumException>(() => gzip.DecompressToArray(badHeaderCrc, original.Length));
    }

    [Fact]
    public void Gzip_WrongTrailerCrc_ThrowsFormatException()
    {
        byte[] original = CodecTestData.Mixed(50_000, seed: 5);
        using ICompressionCodec gzip = CompressionCodecs.Create("gzip");
        byte[] compressed = CodecTestData.Compress(gzip, original);
        compressed[^6] ^= 0x01;
        Assert.ThrowsAny<LarderFormatException>(() => gzip.DecompressToArray(compressed, original.Length));
        Assert.ThrowsAny<LarderFormatException>(() => gzip.DecompressUnknownSizeToArray(compressed, original.Length));
    }

    [Fact]
    public void Gzip_TrailerStoresOurCrc32_MatchesFrameworkEncoder()
    {
        // The framework's gzip encoder (zlib-ng) computes the CRC-32 independently of Larder.Checksums.
        byte[] original = CodecTestData.Mixed(123_457, seed: 6);
        using ICompressionCodec gzip = CompressionCodecs.Create("gzip");
        byte[] compressed = CodecTestData.Compress(gzip, original);
        Assert.Equal(Crc32.Compute(original), BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8)));
    }

    [Fact]
    public void Zlib_PresetDictionary_ThrowsNotSupported()
    {
        byte[] withDictionary = [0x78, 0xBB, 0, 0, 0, 1, 0x03, 0x00, 0, 0, 0, 1];
        using ICompressionCodec zlib = CompressionCodecs.Create("zlib");
        Assert.Throws<LarderNotSupportedException>(() => zlib.DecompressUnknownSizeToArray(withDictionary, 100));
    }

    [Fact]
    public void Zstd_SkippableFrameBetweenFrames_IsIgnored()
    {
        byte[] a = CodecTestData.Mixed(10_000, seed: 7);
        byte[] b = CodecTestData.Mixed(10_000, seed: 8);
        using ICompressionCodec zstd = CompressionCodecs.Create("zstd");
        byte[] skippable = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9];
        byte[] data = [.. CodecTestData.Compress(zstd, a), .. skippable, .. CodecTestData.Compress(zstd, b)];
        byte[] expected = [.. a, .. b];
        Assert.Equal(expected, zstd.DecompressToArray(data, expected.Length));
        Assert.Equal(expected, zstd.DecompressUnknownSizeToArray(data, expected.Length));
        Assert.Equal(expected, CodecTestData.DecompressStreaming(zstd, data, seed: 2));
    }

    [Fact]
    public void Lz4Raw_KnownBlock_Decodes()
    {
        using ICompressionCodec codec = CompressionCodecs.Create("lz4_raw");
        Assert.Equal("a"u8.ToArray(), codec.DecompressToArray([0x10, 0x61], 1));
        Assert.Equal([], codec.DecompressToArray([0x00], 0));
    }

    [Fact]
    public void Snappy_KnownBlock_Decodes()
    {
        using ICompressionCodec codec = CompressionCodecs.Create("snappy");
        Assert.Equal("a"u8.ToArray(), codec.DecompressToArray([0x01, 0x00, 0x61], 1));
        Assert.Equal("a"u8.ToArray(), codec.DecompressUnknownSizeToArray([0x01, 0x00, 0x61], 1));
        Assert.Throws<LarderFormatException>(() => codec.DecompressUnknownSizeToArray([0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x61], 1 << 20));
    }

    [Fact]
    public void Lz4Hadoop_Compress_WritesHadoopBlocksOf256KiB()
    {
        byte[] original = CodecTestData.Mixed(600_000, seed: 9);
        using ICompressionCodec codec = CompressionCodecs.Create("lz4_hadoop");
        byte[] compressed = CodecTestData.Compress(codec, original);

        int pos = 0;
        var sizes = new List<int>();
        using ICompressionCodec raw = CompressionCodecs.Create("lz4_raw");
        var restored = new List<byte>();
        while (pos < compressed.Length)
        {
            int size = (int)BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(pos));
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(pos + 4));
            restored.AddRange(raw.DecompressToArray(compressed.AsSpan(pos + 8, length), size));
            sizes.Add(size);
            pos += 8 + length;
        }

        Assert.Equal([262_144, 262_144, 75_712], sizes);
        Assert.Equal(original, restored.ToArray());
    }

    [Fact]
    public void Lz4Hadoop_ArrowStyleSingleLargeBlock_Decodes()
    {
        byte[] original = CodecTestData.Mixed(1_000_000, seed: 10);
        using ICompressionCodec raw = CompressionCodecs.Create("lz4_raw");
        byte[] block = CodecTestData.Compress(raw, original);
        byte[] framed = new byte[8 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)original.Length);
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(4), (uint)block.Length);
        block.CopyTo(framed, 8);

        using ICompressionCodec hadoop = CompressionCodecs.Create("lz4_hadoop");
        Assert.Equal(original, hadoop.DecompressToArray(framed, original.Length));
        Assert.Equal(original, hadoop.DecompressUnknownSizeToArray(framed, original.Length));
        Assert.Equal(original, CodecTestData.DecompressStreaming(hadoop, framed, seed: 3));
    }

    [Fact]
    public void Lz4Hadoop_BlockWithSeveralChunks_Decodes()
    {
        // Hadoop's BlockCompressorStream: one uncompressed size, then several [compressed size][block] chunks.
        byte[] first = CodecTestData.Mixed(100_000, seed: 11);
        byte[] second = CodecTestData.Mixed(50_000, seed: 12);
        using ICompressionCodec raw = CompressionCodecs.Create("lz4_raw");
        byte[] c1 = CodecTestData.Compress(raw, first);
        byte[] c2 = CodecTestData.Compress(raw, second);
        byte[] framed = new byte[12 + c1.Length + c2.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)(first.Length + second.Length));
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(4), (uint)c1.Length);
        c1.CopyTo(framed, 8);
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(8 + c1.Length), (uint)c2.Length);
        c2.CopyTo(framed, 12 + c1.Length);
        byte[] expected = [.. first, .. second];

        using ICompressionCodec hadoop = CompressionCodecs.Create("lz4_hadoop");
        Assert.Equal(expected, hadoop.DecompressToArray(framed, expected.Length));
        Assert.Equal(expected, hadoop.DecompressUnknownSizeToArray(framed, expected.Length));
        Assert.Equal(expected, CodecTestData.DecompressStreaming(hadoop, framed, seed: 4));
    }

    [Fact]
    public void Lz4Hadoop_PlainRawBlockWithKnownSize_FallsBackToRaw()
    {
        byte[] original = CodecTestData.Mixed(40_000, seed: 13);
        using ICompressionCodec raw = CompressionCodecs.Create("lz4_raw");
        using ICompressionCodec hadoop = CompressionCodecs.Create("lz4_hadoop");
        Assert.Equal(original, hadoop.DecompressToArray(CodecTestData.Compress(raw, original), original.Length));
    }

    [Fact]
    public void Lz4Hadoop_HostileBlockSize_DoesNotAllocateIt()
    {
        byte[] hostile = [0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0];
        using ICompressionCodec hadoop = CompressionCodecs.Create("lz4_hadoop");
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsAny<LarderFormatException>(() => hadoop.Decompress(hostile, writer, long.MaxValue));
        Assert.True(writer.Capacity < 1 << 20);
        Assert.ThrowsAny<LarderFormatException>(() => CodecTestData.DecompressStreaming(hadoop, hostile, seed: 1));
    }

    [Fact]
    public void Zstd_HostileContentSize_RespectsLimit()
    {
        using ICompressionCodec zstd = CompressionCodecs.Create("zstd");
        byte[] frame = CodecTestData.Compress(zstd, new byte[1_000_000]);
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsAny<LarderFormatException>(() => zstd.Decompress(frame, writer, 1000));
        Assert.True(writer.Capacity < 1 << 20);
    }
}
