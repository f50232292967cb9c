using System.IO.Compression;
using Larder.Storage.Zip;

namespace Larder.Vault.Tests.Zip;

public sealed class ParallelDeflateStreamTests
{
    private const int Chunk = 4096;

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(1, 2, false)]
    [InlineData(Chunk - 1, 2, true)]
    [InlineData(Chunk, 2, false)]
    [InlineData(Chunk + 1, 3, true)]
    [InlineData((Chunk * 7) + 123, 2, false)]
    [InlineData((Chunk * 7) + 123, 3, true)]
    [InlineData(Chunk * 40, 1, true)]
    public async Task Write_AnyLengthAndWorkers_InflatesToTheInput(int length, int workers, bool async)
    {
        byte[] input = ZipTestSupport.TextBytes(length, 11);
        var output = new MemoryStream();
        using (var deflate = new ParallelDeflateStream(output, CompressionLevel.Optimal, Chunk, workers))
        {
            // Odd write sizes cross chunk boundaries at every offset.
            int position = 0;
            var random = new Random(length);
            while (position < input.Length)
            {
                int n = Math.Min(input.Length - position, random.Next(1, 3 * Chunk));
                if (async)
                {
                    await deflate.WriteAsync(input.AsMemory(position, n));
                }
                else
                {
                    deflate.Write(input, position, n);
                }

                position += n;
            }

            await deflate.FinishAsync(async, CancellationToken.None);
        }

        Assert.Equal(input, Inflate(output.ToArray()));
        if (length >= Chunk * 4)
        {
            Assert.True(output.Length < length / 2, $"text compressed to {output.Length} of {length} bytes");
        }
    }

    [Fact]
    public async Task Finish_Empty_IsAValidEmptyDeflateStream()
    {
        var output = new MemoryStream();
        using (var deflate = new ParallelDeflateStream(output, CompressionLevel.Fastest, Chunk, 2))
        {
            await deflate.FinishAsync(async: true, CancellationToken.None);
        }

        Assert.Equal(new byte[] { 0x03, 0x00 }, output.ToArray());
        Assert.Empty(Inflate(output.ToArray()));
    }

    [Fact]
    public void Dispose_WithoutFinish_WritesNoFinalBlock()
    {
        var output = new MemoryStream();
        using (var deflate = new ParallelDeflateStream(output, CompressionLevel.Fastest, Chunk, 2))
        {
            deflate.Write(ZipTestSupport.TextBytes(Chunk * 3, 12));
        }

        // An abandoned stream is not a complete deflate stream: readers must not mistake it for one.
        Assert.ThrowsAny<Exception>(() => Inflate(output.ToArray(), expectEnd: true));
    }

    private static byte[] Inflate(byte[] deflated, bool expectEnd = false)
    {
        using var inflate = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        var result = new MemoryStream();
        inflate.CopyTo(result);
        if (expectEnd && deflated.Length > 0 && (deflated[^2] != 0x03 || deflated[^1] != 0x00))
        {
            throw new InvalidDataException("no final block");
        }

        return result.ToArray();
    }
}
