using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>The native libsnappy path and the managed IronSnappy path write and read the same format.</summary>
public sealed class SnappyNativeTests
{
    private static readonly SnappyCodec Native = new(new CompressionOptions(), native: true);
    private static readonly SnappyCodec Managed = new(new CompressionOptions(), native: false);

    [Fact]
    public void IsAvailable_AfterSetup_LoadsLibsnappy()
    {
        // scripts/setup.sh installs libsnappy1v5; the default codec then runs natively.
        Assert.True(SnappyNative.IsAvailable, $"{SnappyNative.Library} did not load; run scripts/setup.sh");
        Assert.True(((SnappyCodec)CompressionCodecs.Create(CompressionCodecs.Snappy)).IsNative);
    }

    public static TheoryData<int, int> Sizes() => new() { { 0, 1 }, { 1, 2 }, { 100, 3 }, { 65_536, 4 }, { 3_000_000, 5 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Compress_EitherImplementation_TheOtherDecodesEqual(int size, int seed)
    {
        var input = Data(size, seed);
        foreach (var (writer, reader) in new[] { (Native, Managed), (Managed, Native), (Native, Native) })
        {
            var compressed = new byte[writer.GetMaxCompressedLength(input.Length)];
            int n = writer.Compress(input, compressed);
            var output = new byte[input.Length];
            reader.Decompress(compressed.AsSpan(0, n), output);
            Assert.Equal(input, output);
        }
    }

    [Fact]
    public void Compress_DestinationTighterThanWorstCase_CompressesWhenItFits()
    {
        var input = new byte[100_000];
        var compressed = new byte[10_000];
        int n = Native.Compress(input, compressed);
        var output = new byte[input.Length];
        Managed.Decompress(compressed.AsSpan(0, n), output);
        Assert.Equal(input, output);
    }

    [Fact]
    public void Decompress_CorruptBlocks_ThrowFormatErrorOrDecode()
    {
        var input = Data(200_000, 7);
        var compressed = new byte[Native.GetMaxCompressedLength(input.Length)];
        int n = Native.Compress(input, compressed);
        var random = new Random(11);
        var output = new byte[input.Length];
        for (int k = 0; k < 500; k++)
        {
            var bad = compressed.AsSpan(0, n).ToArray();
            if (k % 2 == 0)
            {
                bad = bad[..random.Next(bad.Length)];
            }
            else
            {
                bad[random.Next(bad.Length)] ^= (byte)(1 << random.Next(8));
            }

            var e = Record.Exception(() => Native.Decompress(bad, output));
            Assert.True(e is null or LarderFormatException, $"case {k}: {e}");
        }
    }

    private static byte[] Data(int size, int seed)
    {
        var random = new Random(seed);
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(i % 97 < 40 ? random.Next(256) : (i / 13) & 0x7F);
        }

        return data;
    }
}
