using System.Diagnostics;
using Larder.Parquet.Metadata;
using Larder.Parquet.Thrift;
using Xunit.Abstractions;

namespace Larder.Parquet.Tests.Metadata;

public class MetadataHostileInputTests(ITestOutputHelper output)
{
    private const int CasesPerKind = 2500;

    [Fact]
    public void ReadFileMetaData_MutatedRealFooters_DecodeOrThrowFormatErrorWithinBudget()
    {
        var footers = ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory)
            .Select(path =>
            {
                var bytes = File.ReadAllBytes(path);
                var (offset, length) = ParquetTestFiles.FindFooter(bytes, path);
                return bytes.AsSpan(offset, length).ToArray();
            })
            .ToList();

        var (decoded, failed) = Run(footers, seed: 20240611, bytes => ParquetMetadataCodec.ReadFileMetaData(bytes, "footer", 0));
        output.WriteLine($"footers: {decoded} decoded, {failed} rejected with LarderFormatException");
        Assert.Equal(CasesPerKind, decoded + failed);
        Assert.True(failed > CasesPerKind / 4, "too few mutations were caught: the mutator is not biting");
    }

    [Fact]
    public void ReadPageHeader_MutatedRealPageHeaders_DecodeOrThrowFormatErrorWithinBudget()
    {
        var headers = new List<byte[]>();
        foreach (var path in ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory))
        {
            var bytes = File.ReadAllBytes(path);
            var metadata = ParquetTestFiles.ReadMetadata(bytes, path);
            foreach (var chunk in metadata.RowGroups.SelectMany(g => g.Columns).Where(c => c.MetaData.NumValues > 0).Take(4))
            {
                long at = chunk.MetaData.FirstPageOffset;
                ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan((int)at), path, at, out int length);
                headers.Add(bytes.AsSpan((int)at, Math.Min(length + 16, bytes.Length - (int)at)).ToArray());
            }
        }

        var (decoded, failed) = Run(headers, seed: 77, bytes =>
        {
            ParquetMetadataCodec.TryReadPageHeader(bytes, "page", 0, out var header, out int length);
            Assert.InRange(length, 0, bytes.Length);
            return header;
        });
        output.WriteLine($"{headers.Count} page headers: {decoded} decoded, {failed} rejected with LarderFormatException");
        Assert.Equal(CasesPerKind, decoded + failed);
    }

    [Fact]
    public void ReadFileMetaData_RandomBytes_ThrowFormatErrorOnly()
    {
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            var error = Record.Exception(() => ParquetMetadataCodec.ReadFileMetaData(bytes, "random", 0));
            Assert.True(error is null or LarderFormatException, $"case {i}: {error}");
        }
    }

    [Fact]
    public void ReadFileMetaData_HugeListCount_FailsFastWithoutAllocating()
    {
        // FileMetaData { 1: version = 1, 2: schema = list<struct> of 2^31 - 1 elements } in 100 bytes.
        var bytes = new byte[100];
        new byte[] { 0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }.CopyTo(bytes, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<ThriftTruncatedException>(() => ParquetMetadataCodec.ReadFileMetaData(bytes, "f.parquet", 1000));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
        Assert.True(watch.ElapsedMilliseconds < 1000);
        Assert.Equal(1003, e.Offset);
        Assert.Contains("FileMetaData.schema", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFileMetaData_ManyTinyStructs_StaysWithinAllocationBudget()
    {
        // column_orders: a list of 100,000 empty unions (1 byte each): decodes, but allocation stays linear.
        var bytes = new List<byte> { 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x61, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x39, 0xFC };
        bytes.AddRange([0xA0, 0x8D, 0x06]);               // 100,000
        bytes.AddRange(new byte[100_000]);
        bytes.Add(0x00);
        var input = bytes.ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var metadata = ParquetMetadataCodec.ReadFileMetaData(input, "f", 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100_000, metadata.ColumnOrders!.Count);
        Assert.True(allocated < (64L * input.Length) + (1 << 20), $"allocated {allocated} bytes for {input.Length}");
    }

    private static (int Decoded, int Failed) Run(IReadOnlyList<byte[]> samples, int seed, Func<byte[], object?> decode)
    {
        var random = new Random(seed);
        int decoded = 0, failed = 0;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < CasesPerKind; i++)
        {
            var sample = samples[random.Next(samples.Count)];
            var bytes = Mutate(sample, random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            Exception? error = null;
            try
            {
                decode(bytes);
                decoded++;
            }
            catch (LarderFormatException e)
            {
                error = e;
                failed++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"case {i} ({bytes.Length} bytes) threw {e.GetType().Name}: {e}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long budget = (64L * bytes.Length) + (1 << 20);
            Assert.True(allocated <= budget, $"case {i}: {allocated} bytes allocated for {bytes.Length} bytes of input ({error?.Message})");
            Assert.True(watch.ElapsedMilliseconds < 2000, $"case {i} took {watch.ElapsedMilliseconds} ms");
        }

        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"{CasesPerKind} cases took {total.Elapsed}");
        return (decoded, failed);
    }

    private static byte[] Mutate(byte[] sample, Random random)
    {
        var bytes = (byte[])sample.Clone();
        switch (random.Next(5))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 2:
                for (int k = random.Next(1, 3); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 3:
                {
                    // A run of 0xFF (huge varints, long-form list sizes) or of 0x00 (stops, zero lengths).
                    int at = random.Next(bytes.Length);
                    byte fill = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    bytes.AsSpan(at, Math.Min(bytes.Length - at, random.Next(1, 12))).Fill(fill);
                    return bytes;
                }

            default:
                {
                    // Overwrite with a long-form list header claiming a huge count, or a deeply nested struct run.
                    int at = random.Next(bytes.Length);
                    byte[] patch = random.Next(2) == 0 ? [0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07] : [.. Enumerable.Repeat((byte)0x1C, 80)];
                    var span = bytes.AsSpan(at);
                    patch.AsSpan(0, Math.Min(patch.Length, span.Length)).CopyTo(span);
                    return bytes;
                }
        }
    }
}
