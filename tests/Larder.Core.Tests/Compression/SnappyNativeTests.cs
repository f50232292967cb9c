using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>
/// The three snappy implementations agree: Larder's decoder (the default), libsnappy (encoding when installed; decoding
/// for comparison) and IronSnappy (encoding when libsnappy is missing; decoding for comparison).
/// </summary>
public sealed class SnappyNativeTests
{
    private static readonly SnappyCodec NativeEncoder = new(new CompressionOptions(), native: true);
    private static readonly SnappyCodec IronEncoder = new(new CompressionOptions(), native: false);
    private static readonly SnappyCodec OurDecoder = new(new CompressionOptions(), native: false);
    private static readonly SnappyCodec NativeDecoder = new(new CompressionOptions(), native: true) { UseManagedDecoder = false };
    private static readonly SnappyCodec IronDecoder = new(new CompressionOptions(), native: false) { UseManagedDecoder = false };

    [Fact]
    public void IsAvailable_AfterSetup_LoadsLibsnappy()
    {
        // scripts/setup.sh installs libsnappy1v5; the default codec then encodes natively.
        Assert.True(SnappyNative.IsAvailable, $"{SnappyNative.Library} did not load; run scripts/setup.sh");
        Assert.True(((SnappyCodec)CompressionCodecs.Create(CompressionCodecs.Snappy)).IsNative);
    }

    public static TheoryData<int, int> Sizes() => new() { { 0, 1 }, { 1, 2 }, { 17, 3 }, { 100, 4 }, { 65_536, 5 }, { 3_000_000, 6 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Compress_EitherEncoder_EveryDecoderDecodesEqual(int size, int seed)
    {
        foreach (var kind in new[] { "mixed", "ints", "runs" })
        {
            var input = Data(size, seed, kind);
            foreach (var encoder in new[] { NativeEncoder, IronEncoder })
            {
                var compressed = new byte[encoder.GetMaxCompressedLength(input.Length)];
                int n = encoder.Compress(input, compressed);
                foreach (var decoder in new[] { OurDecoder, NativeDecoder, IronDecoder })
                {
                    var output = new byte[input.Length];
                    decoder.Decompress(compressed.AsSpan(0, n), output);
                    Assert.Equal(input, output);
                }
            }
        }
    }

    [Fact]
    public void Compress_DestinationTighterThanWorstCase_CompressesWhenItFits()
    {
        var input = new byte[100_000];
        var compressed = new byte[10_000];
        int n = NativeEncoder.Compress(input, compressed);
        var output = new byte[input.Length];
        OurDecoder.Decompress(compressed.AsSpan(0, n), output);
        Assert.Equal(input, output);
    }

    [Fact]
    public void Decompress_CorruptBlocks_OursAndLibsnappyThrowFormatErrorOrAgree()
    {
        var input = Data(200_000, 7, "mixed");
        var compressed = new byte[NativeEncoder.GetMaxCompressedLength(input.Length)];
        int n = NativeEncoder.Compress(input, compressed);
        var random = new Random(11);
        var ours = new byte[input.Length];
        var theirs = new byte[input.Length];
        for (int k = 0; k < 2000; k++)
        {
            var bad = compressed.AsSpan(0, n).ToArray();
            switch (k % 3)
            {
                case 0:
                    bad = bad[..random.Next(bad.Length)];
                    break;
                case 1:
                    bad[random.Next(bad.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                default:
                    bad[random.Next(Math.Min(bad.Length, 64))] = (byte)random.Next(256);
                    break;
            }

            var e = Record.Exception(() => OurDecoder.Decompress(bad, ours));
            Assert.True(e is null or LarderFormatException, $"case {k}: {e}");
            var f = Record.Exception(() => NativeDecoder.Decompress(bad, theirs));
            Assert.True(f is null or LarderFormatException, $"case {k}: {f}");
            if (e is null && f is null)
            {
                Assert.Equal(theirs, ours);
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 5, 0x08, 1, 2, 3 }, "literal longer than the input")]
    [InlineData(new byte[] { 4, 0x00, 9, 0x01, 0x00 }, "copy with offset 0")]
    [InlineData(new byte[] { 4, 0x00, 9, 0x01, 0x05 }, "copy from before the start")]
    [InlineData(new byte[] { 2, 0x00, 9, 0x01, 0x01 }, "copy past the declared length")]
    [InlineData(new byte[] { 3, 0x00, 9 }, "ends before the declared length")]
    public void Decompress_HandMadeCorruptBlock_ThrowsFormatError(byte[] block, string what)
    {
        var e = Record.Exception(() => OurDecoder.Decompress(block, new byte[block[0]]));
        Assert.True(e is LarderFormatException, $"{what}: {e}");
    }

    private static byte[] Data(int size, int seed, string kind)
    {
        var random = new Random(seed);
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = kind switch
            {
                "ints" => (byte)(i % 8 == 0 ? i / 8 : i % 8 == 1 ? i / 2048 : 0),
                "runs" => (byte)(i / 37 % 3),
                _ => (byte)(i % 97 < 40 ? random.Next(256) : (i / 13) & 0x7F),
            };
        }

        return data;
    }
}
