using System.Diagnostics;
using Larder.Columnar;
using Larder.TestKit;

namespace Larder.Core.Tests.Ipc;

public class IpcHostileInputTests
{
    public static TheoryData<string> FuzzFiles()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "arrow-ipc-file", "arrow-ipc-stream" })
        {
            foreach (var f in Directory.GetFiles(TestData.Path("arrow-ipc", "fuzz", dir)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.Combine(dir, Path.GetFileName(f)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FuzzFiles))]
    public async Task Read_FuzzCorpusFile_FailsWithFormatErrorQuickly(string name)
    {
        var bytes = File.ReadAllBytes(TestData.Path("arrow-ipc", "fuzz", name));
        var watch = Stopwatch.StartNew();

        // Each corpus file is tried as both formats: whichever it claims to be, the reader must refuse it cleanly.
        foreach (bool stream in new[] { false, true })
        {
            var error = await Task.Run(() => ReadFully(bytes, stream)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(error);
            Assert.IsAssignableFrom<LarderFormatException>(error);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{name} took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(false, null, 1)]
    [InlineData(true, null, 2)]
    [InlineData(false, "zstd", 3)]
    [InlineData(true, "lz4", 4)]
    public void Read_RandomlyCorruptedInput_ReadsOrThrowsFormatError(bool stream, string? codec, int seed)
    {
        var schema = RandomData.AllTypesSchema();
        var valid = IpcRoundTripTests.Write(schema, [RandomData.Batch(schema, 40, seed), RandomData.Batch(schema, 7, seed + 100)], stream, codec);
        var random = new Random(seed);
        int outcomes = 0;
        for (int i = 0; i < 500; i++)
        {
            var bytes = (byte[])valid.Clone();
            switch (random.Next(4))
            {
                case 0:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 1:
                    for (int k = random.Next(1, 4); k > 0; k--)
                    {
                        int at = random.Next(bytes.Length);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                default:
                    {
                        // Overwrite a 4-byte word with an extreme value (lengths, offsets, counts).
                        int at = random.Next(bytes.Length - 4);
                        BitConverter.TryWriteBytes(bytes.AsSpan(at), random.Next(3) switch { 0 => int.MaxValue, 1 => -1, _ => random.Next() });
                        break;
                    }
            }

            var error = ReadFully(bytes, stream);
            Assert.True(error is null or LarderFormatException, $"case {i}: {error}");
            outcomes++;
        }

        Assert.Equal(500, outcomes);
    }

    /// <summary>Reads everything, touching every value; returns the exception or null.</summary>
    private static Exception? ReadFully(byte[] bytes, bool stream)
    {
        try
        {
            var (_, batches) = IpcRoundTripTests.Read(bytes, stream);
            foreach (var batch in batches)
            {
                foreach (var column in batch.Columns)
                {
                    for (int i = 0; i < column.Length; i++)
                    {
                        _ = column.GetValue(i);
                    }
                }
            }

            return null;
        }
#pragma warning disable CA1031 // The test classifies whatever is thrown.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
