using System.Text;
using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>Deterministic inputs and codec lists for the codec tests.</summary>
internal static class CodecTestData
{
    public static readonly string[] StreamingCodecs =
        [CompressionCodecs.None, CompressionCodecs.Gzip, CompressionCodecs.Zlib, CompressionCodecs.Deflate, CompressionCodecs.Brotli,
         CompressionCodecs.Bzip2, CompressionCodecs.Lz4, CompressionCodecs.Lz4Hadoop, CompressionCodecs.Zstd];

    public static TheoryData<string> AllCodecNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in CompressionCodecs.Names)
        {
            data.Add(name);
        }

        return data;
    }

    public static TheoryData<string> StreamingCodecNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in StreamingCodecs)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>
    /// Mixed content: runs of random bytes, CSV-like text, repeated bytes and copies of earlier data, so that every codec
    /// meets both compressible and incompressible stretches.
    /// </summary>
    public static byte[] Mixed(int length, int seed)
    {
        var rng = new Random(seed);
        byte[] data = new byte[length];
        int pos = 0;
        var line = new StringBuilder();
        while (pos < length)
        {
            int run = Math.Min(length - pos, rng.Next(1, 48 * 1024));
            Span<byte> target = data.AsSpan(pos, run);
            switch (rng.Next(4))
            {
                case 0:
                    rng.NextBytes(target);
                    break;
                case 1:
                    int filled = 0;
                    while (filled < run)
                    {
                        line.Clear();
                        line.Append(rng.Next(100000)).Append(',').Append("name_").Append(rng.Next(500)).Append(',')
                            .Append((rng.NextDouble() * 1000).ToString("F3")).Append(",2024-0").Append(rng.Next(1, 10)).Append('\n');
                        byte[] bytes = Encoding.ASCII.GetBytes(line.ToString());
                        int n = Math.Min(bytes.Length, run - filled);
                        bytes.AsSpan(0, n).CopyTo(target[filled..]);
                        filled += n;
                    }

                    break;
                case 2:
                    target.Fill((byte)rng.Next(256));
                    break;
                default:
                    if (pos == 0)
                    {
                        rng.NextBytes(target);
                    }
                    else
                    {
                        int from = rng.Next(pos);
                        int n = Math.Min(run, pos - from);
                        data.AsSpan(from, n).CopyTo(target);
                        target[n..].Fill(0x20);
                    }

                    break;
            }

            pos += run;
        }

        return data;
    }

    /// <summary>Compresses with the span API into an exact-size array.</summary>
    public static byte[] Compress(ICompressionCodec codec, ReadOnlySpan<byte> data)
    {
        byte[] buffer = new byte[codec.GetMaxCompressedLength(data.Length)];
        int n = codec.Compress(data, buffer);
        return buffer.AsSpan(0, n).ToArray();
    }

    /// <summary>Compresses with the stream API, writing in pieces of random size.</summary>
    public static byte[] CompressStreaming(ICompressionCodec codec, ReadOnlySpan<byte> data, int seed)
    {
        var rng = new Random(seed);
        var output = new MemoryStream();
        using (Stream compressor = codec.CreateCompressor(output, leaveOpen: true))
        {
            while (!data.IsEmpty)
            {
                int n = Math.Min(data.Length, rng.Next(1, 300_000));
                compressor.Write(data[..n]);
                data = data[n..];
            }
        }

        return output.ToArray();
    }

    /// <summary>Decompresses with the stream API, reading with buffers of random size.</summary>
    public static byte[] DecompressStreaming(ICompressionCodec codec, byte[] compressed, int seed)
    {
        var rng = new Random(seed);
        var output = new MemoryStream();
        using Stream decompressor = codec.CreateDecompressor(new MemoryStream(compressed), leaveOpen: false);
        byte[] buffer = new byte[200_000];
        while (true)
        {
            int n = decompressor.Read(buffer, 0, rng.Next(1, buffer.Length));
            if (n == 0)
            {
                return output.ToArray();
            }

            output.Write(buffer, 0, n);
        }
    }

    /// <summary>Runs <paramref name="action"/> and fails if it takes longer than <paramref name="timeout"/> (a hang).</summary>
    public static void WithTimeout(TimeSpan timeout, Action action)
    {
        Task task = Task.Run(action);
        if (!task.Wait(timeout))
        {
            Assert.Fail($"The operation did not finish within {timeout}; a decoder may hang.");
        }

        task.GetAwaiter().GetResult();
    }
}
