using System.Buffers;
using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>64 MiB of mixed content, generated once for the class.</summary>
public sealed class LargeInputFixture
{
    public const int Size = 64 * 1024 * 1024;

    public byte[] Data { get; } = CodecTestData.Mixed(Size, seed: 2024);
}

public class CodecLargeInputTests : IClassFixture<LargeInputFixture>
{
    private readonly byte[] _data;

    public CodecLargeInputTests(LargeInputFixture fixture)
    {
        _data = fixture.Data;
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void SpanApi_64MiB_RoundTrips(string name)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] compressed = CodecTestData.Compress(codec, _data);

        byte[] restored = new byte[_data.Length];
        codec.Decompress(compressed, restored);
        Assert.True(_data.AsSpan().SequenceEqual(restored), $"{name}: known-size decompression differs");

        var writer = new ArrayBufferWriter<byte>(_data.Length);
        codec.Decompress(compressed, writer, _data.Length);
        Assert.True(_data.AsSpan().SequenceEqual(writer.WrittenSpan), $"{name}: unknown-size decompression differs");
    }

    [Theory]
    [MemberData(nameof(CodecTestData.StreamingCodecNames), MemberType = typeof(CodecTestData))]
    public void StreamApi_64MiB_RoundTrips(string name)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] compressed = CodecTestData.CompressStreaming(codec, _data, seed: 6);
        byte[] restored = CodecTestData.DecompressStreaming(codec, compressed, seed: 7);
        Assert.True(_data.AsSpan().SequenceEqual(restored), $"{name}: streamed round trip differs");
    }
}
