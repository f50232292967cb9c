using System.Buffers;
using Larder.Compression;

namespace Larder.Core.Tests.Compression;

/// <summary>
/// Damaged input must either decode to something or raise <see cref="LarderFormatException"/>: never another exception
/// type, never a hang, never unbounded output.
/// </summary>
public class CodecCorruptionTests
{
    private const int Cases = 300;
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(3);

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Decompress_TruncatedInput_ThrowsFormatExceptionOrDecodes(string name)
    {
        var rng = new Random(41);
        ForEachDamagedCopy(
            name,
            seed: 31,
            damage: (compressed, i) =>
            {
                int length = i < compressed.Length ? compressed.Length - 1 - i : rng.Next(compressed.Length);
                return compressed.AsSpan(0, Math.Max(0, length)).ToArray();
            },
            alsoCheck: (codec, damaged, originalLength) =>
            {
                if (name != "deflate")
                {
                    // Every format but raw deflate can tell a cut, when the caller knows the size.
                    Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(damaged, new byte[originalLength]));
                }
            });
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Decompress_BitFlippedInput_ThrowsFormatExceptionOrDecodes(string name)
    {
        var rng = new Random(43);
        ForEachDamagedCopy(name, seed: 37, damage: (compressed, _) =>
        {
            byte[] damaged = (byte[])compressed.Clone();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                // Favour the headers, where a flip changes the most.
                int at = rng.Next(2) == 0 ? rng.Next(Math.Min(32, damaged.Length)) : rng.Next(damaged.Length);
                damaged[at] ^= (byte)(1 << rng.Next(8));
            }

            return damaged;
        });
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Decompress_RandomGarbage_ThrowsFormatExceptionOrDecodes(string name)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        var rng = new Random(47);
        CodecTestData.WithTimeout(HangLimit, () =>
        {
            for (int i = 0; i < 100; i++)
            {
                byte[] garbage = new byte[rng.Next(0, 2000)];
                rng.NextBytes(garbage);
                ExpectFormatExceptionOrOutput(codec, garbage, 5000, i);
            }
        });
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Decompress_OutputLargerThanLimit_ThrowsFormatException(string name)
    {
        byte[] original = CodecTestData.Mixed(100_000, seed: 53);
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] compressed = CodecTestData.Compress(codec, original);

        var writer = new ArrayBufferWriter<byte>();
        var ex = Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(compressed, writer, 50_000));
        Assert.Contains("50000", ex.Message, StringComparison.Ordinal);
        Assert.True(writer.WrittenCount <= 50_000);

        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(compressed, new ArrayBufferWriter<byte>(), original.Length - 1));
        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(compressed, new ArrayBufferWriter<byte>(), 0));
        Assert.Equal(original.Length, codec.Decompress(compressed, new ArrayBufferWriter<byte>(), original.Length));
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Decompress_WrongExpectedSize_ThrowsFormatException(string name)
    {
        byte[] original = CodecTestData.Mixed(10_000, seed: 59);
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] compressed = CodecTestData.Compress(codec, original);
        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(compressed, new byte[original.Length - 1]));
        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(compressed, new byte[original.Length + 1]));
        Assert.ThrowsAny<LarderFormatException>(() => codec.Decompress(compressed, Span<byte>.Empty));
    }

    [Theory]
    [MemberData(nameof(CodecTestData.AllCodecNames), MemberType = typeof(CodecTestData))]
    public void Decompress_NegativeLimit_ThrowsArgumentOutOfRange(string name)
    {
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        Assert.Throws<ArgumentOutOfRangeException>(() => codec.Decompress([1], new ArrayBufferWriter<byte>(), -1));
    }

    [Theory]
    [MemberData(nameof(CodecTestData.StreamingCodecNames), MemberType = typeof(CodecTestData))]
    public void CreateDecompressor_DamagedInput_ThrowsFormatExceptionOrDecodes(string name)
    {
        byte[] original = CodecTestData.Mixed(12_000, seed: 61);
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] compressed = CodecTestData.CompressStreaming(codec, original, seed: 1);
        var rng = new Random(67);
        CodecTestData.WithTimeout(HangLimit, () =>
        {
            for (int i = 0; i < 150; i++)
            {
                byte[] damaged = (byte[])compressed.Clone();
                if (i % 2 == 0)
                {
                    damaged = damaged.AsSpan(0, rng.Next(damaged.Length)).ToArray();
                }
                else
                {
                    damaged[rng.Next(damaged.Length)] ^= (byte)(1 << rng.Next(8));
                }

                ExpectFormatExceptionOr($"{name} case {i}", () =>
                {
                    using Stream decompressor = codec.CreateDecompressor(new MemoryStream(damaged), leaveOpen: false);
                    byte[] buffer = new byte[4096];
                    long total = 0;
                    int n;
                    while ((n = decompressor.Read(buffer)) > 0)
                    {
                        total += n;
                        Assert.True(total < 100_000_000, "the stream decoder produced unbounded output");
                    }
                });
            }
        });
    }

    [Fact]
    public void CreateDecompressor_InnerStreamFails_PassesInnerExceptionThrough()
    {
        foreach (string name in CodecTestData.StreamingCodecs)
        {
            using ICompressionCodec codec = CompressionCodecs.Create(name);
            byte[] compressed = CodecTestData.Compress(codec, CodecTestData.Mixed(300_000, seed: 3));
            using Stream decompressor = codec.CreateDecompressor(new FailingStream(compressed, failAfter: compressed.Length / 2), leaveOpen: false);
            var ex = Assert.ThrowsAny<Exception>(() => decompressor.CopyTo(Stream.Null));
            Assert.True(ex is IOException { Message: FailingStream.Message }, $"{name}: got {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Compresses mixed test data (seed <paramref name="seed"/>) with <paramref name="name"/>'s codec, then, within the hang
    /// limit, decodes <see cref="Cases"/> damaged copies (<paramref name="damage"/> of the compressed bytes and the case
    /// number): <paramref name="alsoCheck"/> first when given, then both span methods must decode or raise
    /// <see cref="LarderFormatException"/>.
    /// </summary>
    private static void ForEachDamagedCopy(string name, int seed, Func<byte[], int, byte[]> damage, Action<ICompressionCodec, byte[], int>? alsoCheck = null)
    {
        byte[] original = CodecTestData.Mixed(12_000, seed);
        using ICompressionCodec codec = CompressionCodecs.Create(name);
        byte[] compressed = CodecTestData.Compress(codec, original);
        CodecTestData.WithTimeout(HangLimit, () =>
        {
            for (int i = 0; i < Cases; i++)
            {
                byte[] damaged = damage(compressed, i);
                alsoCheck?.Invoke(codec, damaged, original.Length);
                ExpectFormatExceptionOrOutput(codec, damaged, original.Length, i);
            }
        });
    }

    private static void ExpectFormatExceptionOrOutput(ICompressionCodec codec, byte[] damaged, int expectedLength, int index)
    {
        ExpectFormatExceptionOr($"{codec.Name} case {index} (known size)", () => codec.Decompress(damaged, new byte[expectedLength]));
        ExpectFormatExceptionOr($"{codec.Name} case {index} (unknown size)", () =>
        {
            var writer = new ArrayBufferWriter<byte>();
            codec.Decompress(damaged, writer, expectedLength * 2L);
            Assert.True(writer.WrittenCount <= expectedLength * 2L);
        });
    }

    /// <summary>Runs <paramref name="decode"/>: it may succeed or raise <see cref="LarderFormatException"/>, nothing else.</summary>
    private static void ExpectFormatExceptionOr(string what, Action decode)
    {
        try
        {
            decode();
        }
        catch (LarderFormatException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name} instead of LarderFormatException: {ex.Message}");
        }
    }

    /// <summary>Serves bytes, then throws an <see cref="IOException"/> as a broken network stream would.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public const string Message = "simulated network failure";

        public override int Read(byte[] buffer, int offset, int count)
            => Position >= failAfter ? throw new IOException(Message) : base.Read(buffer, offset, Math.Min(count, (int)(failAfter - Position)));

        public override int Read(Span<byte> buffer)
            => Position >= failAfter ? throw new IOException(Message) : base.Read(buffer[..Math.Min(buffer.Length, (int)(failAfter - Position))]);

        public override int ReadByte() => Position >= failAfter ? throw new IOException(Message) : base.ReadByte();
    }
}
