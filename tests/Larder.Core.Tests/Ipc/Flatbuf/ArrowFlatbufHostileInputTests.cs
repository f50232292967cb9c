using System.Buffers.Binary;
using System.Diagnostics;
using Larder.Ipc.Flatbuf;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>Hostile input: the fuzz corpus and seeded mutations either decode or throw LarderFormatException, quickly.</summary>
public class ArrowFlatbufHostileInputTests
{
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(1);

    private readonly ITestOutputHelper _output;

    public ArrowFlatbufHostileInputTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> FuzzFiles()
    {
        var data = new TheoryData<string>();
        foreach (string directory in new[] { "arrow-ipc/fuzz/arrow-ipc-file", "arrow-ipc/fuzz/arrow-ipc-stream" })
        {
            foreach (string file in FlatbufTestData.Files(directory))
            {
                data.Add(Path.Combine(directory, Path.GetFileName(file)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FuzzFiles))]
    public void WalkMessages_FuzzCorpusFile_DecodesOrThrowsFormat(string relative)
    {
        string path = FlatbufTestData.PathOf(relative);
        byte[] data = File.ReadAllBytes(path);
        var watch = Stopwatch.StartNew();
        string outcome = "ok";
        try
        {
            if (relative.Contains("arrow-ipc-file", StringComparison.Ordinal) && IpcMessageWalker.IsFile(data))
            {
                try
                {
                    IpcMessageWalker.WalkFile(data, path);
                }
                finally
                {
                    // Also walk the file's message stream from byte 8, as a reader without the footer would.
                    WalkQuietly(() => IpcMessageWalker.WalkStream(data, path, 8));
                }
            }
            else
            {
                IpcMessageWalker.WalkStream(data, path);
            }
        }
        catch (LarderFormatException e)
        {
            outcome = e.GetType().Name + ": " + e.Message;
        }

        watch.Stop();
        _output.WriteLine($"{relative}: {outcome} ({watch.Elapsed.TotalMilliseconds:F2} ms)");
        Assert.True(watch.Elapsed < PerInputLimit, $"{relative} took {watch.Elapsed}");
    }

    private static void WalkQuietly(Action walk)
    {
        try
        {
            walk();
        }
        catch (LarderFormatException)
        {
        }
    }

    [Fact]
    public void ReadMessage_SeededMutationsOfValidMessages_DecodeOrThrowFormat()
    {
        List<(byte[] Bytes, bool IsFooter)> corpus = ValidCorpus();
        Assert.True(corpus.Count > 50, $"corpus of {corpus.Count}");

        var random = new Random(0x5eed);
        int succeeded = 0;
        int rejected = 0;
        TimeSpan slowest = TimeSpan.Zero;
        for (int i = 0; i < 5000; i++)
        {
            (byte[] original, bool isFooter) = corpus[random.Next(corpus.Count)];
            byte[] mutated = Mutate(random, original);
            var watch = Stopwatch.StartNew();
            try
            {
                if (isFooter)
                {
                    ArrowFlatbuf.ReadFooter(mutated, "mutant", 1000);
                }
                else
                {
                    ArrowFlatbuf.ReadMessage(mutated, "mutant", 1000);
                }

                succeeded++;
            }
            catch (LarderFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.Equal("mutant", e.Source);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} of a {original.Length}-byte {(isFooter ? "footer" : "message")} threw {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(mutated)}\n{e.StackTrace}");
            }

            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
        }

        _output.WriteLine($"5000 mutations: {succeeded} decoded, {rejected} rejected; slowest {slowest.TotalMilliseconds:F2} ms");
        Assert.True(slowest < PerInputLimit, $"slowest input took {slowest}");
        Assert.True(rejected > 1000, $"only {rejected} mutations were rejected");
    }

    /// <summary>Message and footer flatbuffers from the integration files plus our own encodings.</summary>
    private static List<(byte[] Bytes, bool IsFooter)> ValidCorpus()
    {
        var corpus = new List<(byte[] Bytes, bool IsFooter)>();
        foreach (string directory in new[] { "arrow-ipc/integration/1.0.0-littleendian", "arrow-ipc/integration/2.0.0-compression", "arrow-ipc/integration/4.0.0-shareddict" })
        {
            foreach (string file in FlatbufTestData.Files(directory, "*.stream"))
            {
                byte[] data = File.ReadAllBytes(file);
                foreach (var framed in IpcMessageWalker.WalkStream(data, file))
                {
                    corpus.Add((data.AsSpan(framed.MetadataOffset, framed.MetadataLength).ToArray(), false));
                }
            }

            foreach (string file in FlatbufTestData.Files(directory, "*.arrow_file"))
            {
                byte[] data = File.ReadAllBytes(file);
                int length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(data.Length - 10));
                corpus.Add((data.AsSpan(data.Length - 10 - length, length).ToArray(), true));
            }
        }

        var random = new Random(7);
        corpus.Add((ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, FbModelSamples.EveryKindSchema(), 0, FbModelSamples.Metadata)), false));
        for (int i = 0; i < 20; i++)
        {
            corpus.Add((ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, FbModelSamples.RandomSchema(random, 5), 0)), false));
            FbRecordBatch batch = FbModelSamples.RandomBatch(random, random.Next(0, 8), out long body, i % 2 == 0 ? new FbBodyCompression(FbCompressionCodec.Zstd) : null, i % 3 == 0 ? [1, 2] : null);
            corpus.Add((ArrowFlatbuf.EncodeMessage(new FbMessage(MetadataVersion.V5, i % 4 == 0 ? new FbDictionaryBatch(i, batch, true) : batch, body)), false));
        }

        corpus.Add((ArrowFlatbuf.EncodeFooter(new FbFooter(MetadataVersion.V5, FbModelSamples.EveryKindSchema(), new[] { new Block(8, 100, 64) }, new[] { new Block(200, 100, 64) }, FbModelSamples.Metadata)), true));
        return corpus;
    }

    private static readonly int[] InterestingInt32 = [0, 1, 2, 3, 4, 8, -1, -4, -8, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x10000, int.MaxValue, int.MinValue, int.MaxValue - 3];
    private static readonly long[] InterestingInt64 = [0, -1, long.MaxValue, long.MinValue, 1L << 32, 1L << 62, -(1L << 40)];

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        int rounds = random.Next(4) == 0 ? random.Next(2, 6) : 1;
        for (int r = 0; r < rounds && bytes.Length > 0; r++)
        {
            switch (random.Next(7))
            {
                case 0:
                    return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray(); // truncation
                case 1:
                    for (int flips = random.Next(1, 9); flips > 0; flips--)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 3 when bytes.Length >= 4:
                    {
                        int at = random.Next(bytes.Length / 4) * 4;
                        int value = random.Next(3) == 0 ? random.Next(-bytes.Length, bytes.Length * 2) : InterestingInt32[random.Next(InterestingInt32.Length)];
                        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at, 4), value);
                        break;
                    }

                case 4 when bytes.Length >= 2:
                    {
                        int at = random.Next(bytes.Length / 2) * 2;
                        ushort value = (ushort)(random.Next(2) == 0 ? random.Next(0, 64) : InterestingInt32[random.Next(InterestingInt32.Length)]);
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at, 2), value);
                        break;
                    }

                case 5 when bytes.Length >= 8:
                    {
                        int at = random.Next(bytes.Length / 8) * 8;
                        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at, 8), InterestingInt64[random.Next(InterestingInt64.Length)]);
                        break;
                    }

                default:
                    {
                        // Copy a random run of bytes over another place (splices offsets into wrong contexts).
                        int length = random.Next(1, Math.Min(16, bytes.Length) + 1);
                        int from = random.Next(bytes.Length - length + 1);
                        int to = random.Next(bytes.Length - length + 1);
                        bytes.AsSpan(from, length).ToArray().CopyTo(bytes.AsSpan(to));
                        break;
                    }
            }
        }

        return bytes;
    }
}
