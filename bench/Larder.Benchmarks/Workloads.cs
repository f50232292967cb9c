using System.Numerics;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Compression;
using Larder.Ipc;
using Larder.Parquet.Files;
using Larder.Text;

namespace Larder.Benchmarks;

/// <summary>
/// The measured operations, shared by the Stopwatch comparison (<see cref="CompareRunner"/>) and the BenchmarkDotNet
/// classes, so both time exactly the same code.
/// </summary>
internal static class Workloads
{
    private const int FileBufferSize = 1 << 16;

    /// <summary>
    /// Writes all batches to an Arrow IPC file the way Larder writes files (<see cref="ArrowFileWriter.Create"/>: a
    /// temporary file with disk blocks reserved ahead, renamed into place on finish; no fsync). Returns the file size.
    /// </summary>
    public static long WriteIpc(string path, IReadOnlyList<RecordBatch> batches)
    {
        using (var writer = ArrowFileWriter.Create(path, batches[0].Schema))
        {
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }

            writer.Finish();
        }

        return new FileInfo(path).Length;
    }

    /// <summary>
    /// Writes all batches with an <see cref="ArrowFileWriter"/> over a caller-made FileStream, footer and flush included.
    /// Returns the file size. <paramref name="preallocate"/> &gt; 0 reserves that many bytes up front
    /// (<see cref="FileStreamOptions.PreallocationSize"/>, fallocate on Linux).
    /// </summary>
    public static long WriteIpcToFileStream(string path, IReadOnlyList<RecordBatch> batches, long preallocate = 0)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = FileBufferSize,
            PreallocationSize = preallocate,
        });
        using (var writer = new ArrowFileWriter(stream, batches[0].Schema, leaveOpen: true))
        {
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }

            writer.Finish();
        }

        stream.Flush();
        return stream.Length;
    }

    /// <summary>
    /// Opens an Arrow IPC file by path (memory-mapped, default options: full validation) and reads every batch, touching
    /// every byte of every buffer so the lazily mapped pages are actually read. Returns the rows read and a checksum.
    /// </summary>
    public static (long Rows, ulong Checksum) ReadIpc(string path, IpcReadOptions? options = null)
    {
        long rows = 0;
        ulong checksum = 0;
        using var reader = ArrowFileReader.Open(path, options);
        foreach (var batch in reader.ReadAll())
        {
            rows += batch.Length;
            checksum += Touch(batch);
        }

        return (rows, checksum);
    }

    /// <summary>
    /// Reads every byte of a batch: sums the int64, float64 (as bits) and timestamp values, the string offsets (so the
    /// string lengths) and folds the string bytes and any validity bitmap.
    /// </summary>
    public static ulong Touch(RecordBatch batch)
    {
        ulong acc = 0;
        foreach (var column in batch.Columns)
        {
            foreach (var buffer in ((ArrowArray)column).Data.Buffers)
            {
                acc += Fold(buffer.Span);
            }
        }

        return acc;
    }

    /// <summary>Adds up all 8-byte words of <paramref name="bytes"/> (vectorised), plus the tail bytes.</summary>
    public static ulong Fold(ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        var vectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(words);
        Vector<ulong> v0 = Vector<ulong>.Zero, v1 = Vector<ulong>.Zero;
        int i = 0;
        for (; i + 1 < vectors.Length; i += 2)
        {
            v0 += vectors[i];
            v1 += vectors[i + 1];
        }

        if (i < vectors.Length)
        {
            v0 += vectors[i];
        }

        ulong acc = Vector.Sum(v0 + v1);
        for (int w = vectors.Length * Vector<ulong>.Count; w < words.Length; w++)
        {
            acc += words[w];
        }

        for (int b = words.Length * sizeof(ulong); b < bytes.Length; b++)
        {
            acc += bytes[b];
        }

        return acc;
    }

    /// <summary>Reads a CSV file with default options (type inference, parallel parsing). Returns all batches.</summary>
    public static List<RecordBatch> ReadCsv(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var reader = new CsvReader(stream, null, leaveOpen: false, source: path);
        var batches = new List<RecordBatch>();
        foreach (var batch in reader.ReadBatches())
        {
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>Writes batches as CSV with default options to a new file, flush included. Returns the file size.</summary>
    public static long WriteCsv(string path, IReadOnlyList<RecordBatch> batches)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, FileBufferSize);
        using (var writer = new CsvWriter(stream, batches[0].Schema, null, leaveOpen: true))
        {
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }

            writer.Flush();
        }

        stream.Flush();
        return stream.Length;
    }

    /// <summary>
    /// Writes all batches to a Parquet file with <see cref="ParquetFileWriter.Create"/> and default options except the
    /// codec (atomic temp file, renamed on finish; no fsync). Returns the file size.
    /// </summary>
    public static long WriteParquet(string path, IReadOnlyList<RecordBatch> batches, string codec)
    {
        using (var writer = ParquetFileWriter.Create(path, batches[0].Schema, new ParquetWriteOptions { Compression = codec }))
        {
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }

            writer.Finish();
        }

        return new FileInfo(path).Length;
    }

    /// <summary>
    /// Reads a whole Parquet file of the benchmark table with <see cref="ParquetFileReader.ReadAll"/> (every column
    /// materialised as Arrow arrays) and folds it into the aggregates DuckDB's full scan computes.
    /// </summary>
    public static ParquetAggregates ReadParquet(string path)
    {
        var acc = default(ParquetAggregates);
        // Each batch is folded in before the next is asked for, so the reader may reuse its buffers (as DuckDB's
        // vectors are reused by its scan).
        using var reader = ParquetFileReader.Open(path, new ParquetReadOptions { ReuseBuffers = true });
        foreach (var batch in reader.ReadAll())
        {
            acc = acc.Add(batch);
        }

        return acc;
    }

    /// <summary>Row count of a list of batches.</summary>
    public static long Rows(IReadOnlyList<RecordBatch> batches) => batches.Sum(b => (long)b.Length);
}

/// <summary>
/// What the Parquet full scans compute, ours and DuckDB's alike: <c>count(*), sum(id), sum(value), sum(length(city)),
/// bit_xor(ts)</c> (ts as its stored integer, nanoseconds since the epoch). Reading every value of every column is needed.
/// </summary>
internal readonly record struct ParquetAggregates(long Rows, long SumId, double SumValue, long SumCityLength, long XorTs)
{
    public ParquetAggregates Add(RecordBatch batch)
    {
        long sumId = SumId;
        double sumValue = SumValue;
        long sumCity = SumCityLength;
        long xorTs = XorTs;
        foreach (long v in Values<long>(batch, "id"))
        {
            sumId += v;
        }

        foreach (double v in Values<double>(batch, "value"))
        {
            sumValue += v;
        }

        var city = Column(batch, "city");
        if (city.Type.Id == ArrowTypeId.String)
        {
            var offsets = city.Buffers[1].As<int>().Slice(city.Offset, city.Length + 1);
            sumCity += offsets[^1] - offsets[0];
        }
        else if (city.Type.Id == ArrowTypeId.LargeString)
        {
            var offsets = city.Buffers[1].As<long>().Slice(city.Offset, city.Length + 1);
            sumCity += offsets[^1] - offsets[0];
        }
        else
        {
            throw new InvalidOperationException($"city is {city.Type}, expected a string column");
        }

        foreach (long v in Values<long>(batch, "ts"))
        {
            xorTs ^= v;
        }

        return new ParquetAggregates(Rows + batch.Length, sumId, sumValue, sumCity, xorTs);
    }

    private static ArrayData Column(RecordBatch batch, string name)
    {
        var data = batch.Column(name).Data;
        if (data.NullCount != 0)
        {
            throw new InvalidOperationException($"column {name} has {data.NullCount} nulls; the benchmark table has none");
        }

        return data;
    }

    private static ReadOnlySpan<T> Values<T>(RecordBatch batch, string name)
        where T : unmanaged
    {
        var data = Column(batch, name);
        return data.Buffers[1].As<T>().Slice(data.Offset, data.Length);
    }
}

/// <summary>One codec configuration as the comparison names it ("zstd-1", "zstd-3", "lz4-1").</summary>
internal sealed record CodecCase(string Key, string Codec, int Level, string CliKey, string CliCommand)
{
    public static readonly IReadOnlyList<CodecCase> All =
    [
        new("zstd-1", CompressionCodecs.Zstd, 1, "zstd1", "zstd -b1"),
        new("zstd-3", CompressionCodecs.Zstd, 3, "zstd3", "zstd -b3"),
        new("lz4-1", CompressionCodecs.Lz4, 1, "lz4_1", "lz4 -b1"),
    ];

    public static CodecCase Get(string key) => All.FirstOrDefault(c => c.Key == key)
        ?? throw new ArgumentException($"unknown codec case '{key}'", nameof(key));

    public ICompressionCodec Create() => CompressionCodecs.Create(Codec, new CompressionOptions { Level = Level });
}

/// <summary>
/// Unmanaged buffers for the memcpy reference (any size, including above 2 GiB), 2 MiB aligned and advised for
/// transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>), as numpy does for arrays of 4 MiB and more, so that the C#
/// and the numpy reference measure the same thing: the machine's copy bandwidth.
/// </summary>
internal sealed unsafe partial class NativeBuffers : IDisposable
{
    private const nuint HugePageSize = 2 << 20;
    private const int MadvHugePage = 14;

    public NativeBuffers(long length)
    {
        Length = length;
        Source = Allocate(length);
        Destination = Allocate(length);
        // Fill the source with a pattern and write every destination page, so no timed copy page-faults.
        var rng = new SplitMix64(7);
        for (long i = 0; i + 8 <= length; i += 8)
        {
            *(ulong*)(Source + i) = rng.Next();
        }

        for (long i = 0; i < length; i += 4096)
        {
            Destination[i] = 1;
        }
    }

    public long Length { get; }

    public byte* Source { get; private set; }

    public byte* Destination { get; private set; }

    /// <summary>Copies <see cref="Length"/> bytes from source to destination with <see cref="Buffer.MemoryCopy"/>.</summary>
    public void Copy() => Buffer.MemoryCopy(Source, Destination, Length, Length);

    /// <summary>
    /// Writes the source bytes to a new file with a FileStream in 8 MiB writes (about the size of one IPC column buffer),
    /// flush included: the ceiling of any file writer on this machine. Returns the file size.
    /// </summary>
    public long WriteSourceTo(string path)
    {
        const int chunk = 8 << 20;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        for (long offset = 0; offset < Length; offset += chunk)
        {
            stream.Write(new ReadOnlySpan<byte>(Source + offset, (int)Math.Min(chunk, Length - offset)));
        }

        stream.Flush();
        return stream.Length;
    }

    public bool Check() => new ReadOnlySpan<byte>(Source, (int)Math.Min(Length, int.MaxValue))
        .SequenceEqual(new ReadOnlySpan<byte>(Destination, (int)Math.Min(Length, int.MaxValue)));

    public void Dispose()
    {
        NativeMemory.AlignedFree(Source);
        NativeMemory.AlignedFree(Destination);
        Source = null;
        Destination = null;
    }

    private static byte* Allocate(long length)
    {
        nuint size = ((nuint)length + HugePageSize - 1) & ~(HugePageSize - 1);
        byte* p = (byte*)NativeMemory.AlignedAlloc(size, HugePageSize);
        if (OperatingSystem.IsLinux())
        {
            // Advice only: without THP support the copy simply runs on 4 KiB pages.
            _ = Madvise(p, size, MadvHugePage);
        }

        return p;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
