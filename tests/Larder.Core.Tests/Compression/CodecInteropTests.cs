using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>
/// Interop with the reference command-line tools (DESIGN §3, §14): what we write they read, what they write we read.
/// The tools must be installed (zstd, lz4, gzip, bzip2, python3); a missing tool fails the test with the install command.
/// </summary>
public class CodecInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly byte[] _data = CodecTestData.Mixed(3_000_000, seed: 99);
    private readonly byte[] _other = CodecTestData.Mixed(700_000, seed: 98);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    [InlineData(19, false)]
    [InlineData(-3, false)]
    public void Zstd_OurOutput_IsDecodedByZstdTool(int level, bool checksum)
    {
        using ICompressionCodec codec = CompressionCodecs.Create("zstd", new CompressionOptions { Level = level, ContentChecksum = checksum });
        string file = _temp.File("ours.zst", CodecTestData.Compress(codec, _data));
        AssertEqualBytes(_data, CliTool.Run("zstd", "zstd", ["-d", "-c", file]));

        string streamed = _temp.File("streamed.zst", CodecTestData.CompressStreaming(codec, _data, seed: 1));
        AssertEqualBytes(_data, CliTool.Run("zstd", "zstd", ["-d", "-c", streamed]));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-19")]
    [InlineData("--fast=5")]
    public void Zstd_ToolOutput_IsDecodedByUs(string level)
    {
        string input = _temp.File("input", _data);
        byte[] fromFile = CliTool.Run("zstd", "zstd", [level, "-c", input]);                  // records the content size
        byte[] fromPipe = CliTool.Run("zstd", "zstd", [level, "-c"], stdin: _data);          // no content size
        using ICompressionCodec codec = CompressionCodecs.Create("zstd");
        foreach (byte[] compressed in new[] { fromFile, fromPipe })
        {
            AssertDecodesEverywhere(codec, compressed, _data);
        }
    }

    [Fact]
    public void Zstd_ToolConcatenatedTwoFrameFile_IsDecodedByUs()
    {
        byte[] first = CliTool.Run("zstd", "zstd", ["-3", "-c"], stdin: _data);
        byte[] second = CliTool.Run("zstd", "zstd", ["-1", "-c", _temp.File("other", _other)]);
        string joined = _temp.File("joined.zst", [.. first, .. second]);
        byte[] expected = [.. _data, .. _other];
        AssertEqualBytes(expected, CliTool.Run("zstd", "zstd", ["-d", "-c", joined]));

        using ICompressionCodec codec = CompressionCodecs.Create("zstd");
        AssertDecodesEverywhere(codec, File.ReadAllBytes(joined), expected);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(9, false)]
    [InlineData(-5, false)]
    public void Lz4_OurFrameOutput_IsDecodedByLz4Tool(int level, bool checksum)
    {
        using ICompressionCodec codec = CompressionCodecs.Create("lz4", new CompressionOptions { Level = level, ContentChecksum = checksum });
        string file = _temp.File("ours.lz4", CodecTestData.Compress(codec, _data));
        AssertEqualBytes(_data, CliTool.Run("lz4", "lz4", ["-d", "-c", file]));

        string streamed = _temp.File("streamed.lz4", CodecTestData.CompressStreaming(codec, _data, seed: 2));
        AssertEqualBytes(_data, CliTool.Run("lz4", "lz4", ["-d", "-c", streamed]));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-9")]
    [InlineData("--fast=3")]
    public void Lz4_ToolOutput_IsDecodedByUs(string level)
    {
        string input = _temp.File("input", _data);
        byte[] plain = CliTool.Run("lz4", "lz4", [level, "-c", input]);
        byte[] withSize = CliTool.Run("lz4", "lz4", [level, "--content-size", "-c", input]);
        byte[] linkedSmallBlocks = CliTool.Run("lz4", "lz4", [level, "-BD", "-B4", "-c"], stdin: _data);
        using ICompressionCodec codec = CompressionCodecs.Create("lz4");
        foreach (byte[] compressed in new[] { plain, withSize, linkedSmallBlocks })
        {
            AssertDecodesEverywhere(codec, compressed, _data);
        }
    }

    [Fact]
    public void Lz4_ToolConcatenatedFrames_AreDecodedByUs()
    {
        byte[] first = CliTool.Run("lz4", "lz4", ["-1", "-c"], stdin: _data);
        byte[] second = CliTool.Run("lz4", "lz4", ["-9", "-c"], stdin: _other);
        using ICompressionCodec codec = CompressionCodecs.Create("lz4");
        AssertDecodesEverywhere(codec, [.. first, .. second], [.. _data, .. _other]);
    }

    [Fact]
    public void Gzip_ToolOutputAndTwoMemberFile_AreDecodedByUs()
    {
        byte[] single = CliTool.Run("gzip", "gzip", ["-c", "-6", _temp.File("data.csv", _data)]);   // FNAME set
        byte[] second = CliTool.Run("gzip", "gzip", ["-c", "-1"], stdin: _other);
        using ICompressionCodec codec = CompressionCodecs.Create("gzip");
        AssertDecodesEverywhere(codec, single, _data);
        AssertDecodesEverywhere(codec, [.. single, .. second], [.. _data, .. _other]);
    }

    [Fact]
    public void Gzip_OurOutputAndTwoMembers_AreDecodedByGzipTool()
    {
        using ICompressionCodec codec = CompressionCodecs.Create("gzip");
        byte[] joined = [.. CodecTestData.Compress(codec, _data), .. CodecTestData.CompressStreaming(codec, _other, seed: 3)];
        AssertEqualBytes([.. _data, .. _other], CliTool.Run("gzip", "gzip", ["-d", "-c", _temp.File("ours.gz", joined)]));
    }

    [Fact]
    public void Bzip2_ToolOutputAndConcatenatedStreams_AreDecodedByUs()
    {
        byte[] first = CliTool.Run("bzip2", "bzip2", ["-c", "-9"], stdin: _data);
        byte[] second = CliTool.Run("bzip2", "bzip2", ["-c", "-1"], stdin: _other);
        using ICompressionCodec codec = CompressionCodecs.Create("bzip2");
        AssertDecodesEverywhere(codec, first, _data);
        AssertDecodesEverywhere(codec, [.. first, .. second], [.. _data, .. _other]);
    }

    [Fact]
    public void Bzip2_OurOutput_IsDecodedByBzip2Tool()
    {
        using ICompressionCodec codec = CompressionCodecs.Create("bzip2");
        AssertEqualBytes(_data, CliTool.Run("bzip2", "bzip2", ["-d", "-c", _temp.File("ours.bz2", CodecTestData.Compress(codec, _data))]));
        AssertEqualBytes([], CliTool.Run("bzip2", "bzip2", ["-d", "-c", _temp.File("empty.bz2", CodecTestData.Compress(codec, []))]));
    }

    [Theory]
    [InlineData("zlib", "zlib.decompress(data)", "zlib.compress(data, 6)")]
    [InlineData("deflate", "zlib.decompress(data, -15)", "zlib.compress(data, 6)[2:-4]")]
    [InlineData("gzip", "gzip.decompress(data)", "gzip.compress(data)")]
    public void DeflateFamily_InteropWithPythonZlib(string name, string decode, string encode)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] ours = CodecTestData.Compress(codec, _other);
        AssertEqualBytes(_other, Python($"import sys, zlib, gzip; data = sys.stdin.buffer.read(); sys.stdout.buffer.write({decode})", ours));

        byte[] theirs = Python($"import sys, zlib, gzip; data = sys.stdin.buffer.read(); sys.stdout.buffer.write({encode})", _other);
        AssertDecodesEverywhere(codec, theirs, _other);
    }

    private static byte[] Python(string script, byte[] stdin)
        => CliTool.Run("python3", "python3", ["-c", script], stdin);

    private static void AssertDecodesEverywhere(ICompressionCodec codec, byte[] compressed, byte[] expected)
    {
        AssertEqualBytes(expected, codec.DecompressToArray(compressed, expected.Length));
        AssertEqualBytes(expected, codec.DecompressUnknownSizeToArray(compressed, expected.Length));
        AssertEqualBytes(expected, CodecTestData.DecompressStreaming(codec, compressed, seed: 12));
    }

    private static void AssertEqualBytes(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "decoded bytes differ from the original");
    }
}
