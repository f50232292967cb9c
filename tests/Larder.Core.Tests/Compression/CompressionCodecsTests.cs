using Larder.Compression;

namespace Larder.Core.Tests.Compression;

public class CompressionCodecsTests
{
    [Fact]
    public void Names_Always_ListsTheElevenCanonicalNames()
    {
        Assert.Equal(
            ["none", "gzip", "zlib", "deflate", "brotli", "bzip2", "snappy", "lz4", "lz4_raw", "lz4_hadoop", "zstd"],
            CompressionCodecs.Names);
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Create_CanonicalName_ReturnsCodecWithThatName(string name)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        Assert.Equal(name, codec.Name);
    }

    [Theory]
    [InlineData("uncompressed", "none")]
    [InlineData("UNCOMPRESSED", "none")]
    [InlineData("lz4_frame", "lz4")]
    [InlineData("LZ4_FRAME", "lz4")]
    [InlineData("gz", "gzip")]
    [InlineData("GZIP", "gzip")]
    [InlineData("zst", "zstd")]
    [InlineData("ZSTD", "zstd")]
    [InlineData("zstandard", "zstd")]
    [InlineData("bz2", "bzip2")]
    [InlineData("br", "brotli")]
    [InlineData("LZ4_RAW", "lz4_raw")]
    [InlineData("lz4-raw", "lz4_raw")]
    [InlineData("Snappy", "snappy")]
    [InlineData(" lz4_hadoop ", "lz4_hadoop")]
    public void Create_AliasOrOtherCase_ReturnsCanonicalCodec(string alias, string canonical)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(alias);
        Assert.Equal(canonical, codec.Name);
        Assert.True(CompressionCodecs.TryGetCanonicalName(alias, out string found));
        Assert.Equal(canonical, found);
    }

    [Fact]
    public void Create_UnknownName_ThrowsUsageExceptionListingValidNames()
    {
        var ex = Assert.Throws<LarderUsageException>(() => CompressionCodecs.Create("lzo"));
        Assert.Contains("'lzo'", ex.Message, StringComparison.Ordinal);
        foreach (string name in CompressionCodecs.Names)
        {
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, ex.ExitCode);
    }

    [Fact]
    public void Create_CalledTwice_ReturnsDistinctInstances()
    {
        using ICompressionCodec first = CompressionCodecs.Create("zstd");
        using ICompressionCodec second = CompressionCodecs.Create("zstd");
        Assert.NotSame(first, second);
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("snappy", null)]
    [InlineData("gzip", 6)]
    [InlineData("zlib", 6)]
    [InlineData("deflate", 6)]
    [InlineData("brotli", 4)]
    [InlineData("bzip2", 9)]
    [InlineData("lz4", 1)]
    [InlineData("lz4_raw", 1)]
    [InlineData("lz4_hadoop", 1)]
    [InlineData("zstd", 3)]
    public void Create_NoLevel_UsesDocumentedDefault(string name, int? expected)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        Assert.Equal(expected, codec.Level);
    }

    [Theory]
    [InlineData("gzip", 10)]
    [InlineData("gzip", -1)]
    [InlineData("brotli", 12)]
    [InlineData("bzip2", 0)]
    [InlineData("lz4", 13)]
    [InlineData("lz4", -70000)]
    [InlineData("zstd", 23)]
    [InlineData("zstd", -200000)]
    public void Create_LevelOutOfRange_ThrowsUsageException(string name, int level)
    {
        var ex = Assert.Throws<LarderUsageException>(() => CompressionCodecs.Create(name, new CompressionOptions { Level = level }));
        Assert.Contains(level.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("snappy")]
    public void Create_LevelForCodecWithoutLevels_ThrowsUsageException(string name)
    {
        Assert.Throws<LarderUsageException>(() => CompressionCodecs.Create(name, new CompressionOptions { Level = 1 }));
    }

    [Theory]
    [InlineData("zstd", 0, 3)]
    [InlineData("lz4", 0, 1)]
    [InlineData("zstd", -5, -5)]
    [InlineData("lz4", -3, -3)]
    [InlineData("lz4", 9, 9)]
    public void Create_SpecialLevels_ResolveAsDocumented(string name, int level, int effective)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name, new CompressionOptions { Level = level });
        Assert.Equal(effective, codec.Level);
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("lz4_raw")]
    public void CreateCompressor_UnframedFormat_ThrowsNotSupported(string name)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        Assert.False(codec.SupportsStreaming);
        Assert.Throws<LarderNotSupportedException>(() => codec.CreateCompressor(new MemoryStream(), leaveOpen: false));
        Assert.Throws<LarderNotSupportedException>(() => codec.CreateDecompressor(new MemoryStream(), leaveOpen: false));
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Compress_AfterDispose_ThrowsObjectDisposed(string name)
    {
        ICompressionCodec codec = CompressionCodecs.Create(name);
        codec.Dispose();
        codec.Dispose();
        Assert.Throws<ObjectDisposedException>(() => codec.Compress([1, 2, 3], new byte[100]));
        Assert.Equal(name, codec.Name);
    }
}
