using System.Globalization;
using System.Text;
using Larder.Columnar;
using Larder.Ipc;

namespace Larder.Benchmarks;

/// <summary>
/// Deterministic benchmark inputs (fixed seeds, no clock, no culture): the same arguments give the same bytes on every
/// machine and every run, so figures from different runs describe the same data.
/// </summary>
internal static class DataGen
{
    /// <summary>Seed of the IPC table.</summary>
    public const ulong IpcSeed = 20240101;

    /// <summary>Seed of the CSV table.</summary>
    public const ulong CsvSeed = 20240202;

    /// <summary>Seed of the Parquet table.</summary>
    public const ulong ParquetSeed = 20240303;

    /// <summary>Rows per record batch of the IPC table (and of the Parquet table).</summary>
    public const int IpcBatchRows = 1_000_000;

    /// <summary>The six distinct values of the string columns.</summary>
    public static readonly string[] Cities = ["Berlin", "London", "Paris", "Tokyo", "New York", "Sydney"];

    private static readonly byte[][] CityBytes = [.. Cities.Select(Encoding.UTF8.GetBytes)];

    /// <summary>2024-01-01T00:00:00Z in nanoseconds since the Unix epoch.</summary>
    private const long BaseNanos = 1_704_067_200L * 1_000_000_000L;

    /// <summary>2024-01-01T00:00:00 as a DateTime (the CSV timestamps are zone-less wall times).</summary>
    private static readonly DateTime BaseTime = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The schema of the IPC table: int64, float64, utf8 (6 values), timestamp[ns].</summary>
    public static Schema IpcSchema { get; } = new(
    [
        new Field("id", ArrowType.Int64, nullable: false),
        new Field("value", ArrowType.Double, nullable: false),
        new Field("city", ArrowType.String, nullable: false),
        new Field("ts", new TimestampType(TimeUnit.Nanosecond), nullable: false),
    ]);

    /// <summary>
    /// The schema of the Parquet table: the IPC table's columns, nullable (as a DuckDB table's columns are; no value is
    /// null), so both writers store the same OPTIONAL columns with definition levels.
    /// </summary>
    public static Schema ParquetSchema { get; } = new(
    [
        new Field("id", ArrowType.Int64),
        new Field("value", ArrowType.Double),
        new Field("city", ArrowType.String),
        new Field("ts", new TimestampType(TimeUnit.Nanosecond)),
    ]);

    /// <summary>
    /// Builds the Parquet table: <paramref name="rows"/> rows in batches of <see cref="IpcBatchRows"/>, generated like the IPC
    /// table (id i, value uniform in [0, 1000), one of six cities, ts 2024-01-01 + i s + random ns) from <see cref="ParquetSeed"/>.
    /// </summary>
    public static List<RecordBatch> BuildParquetBatches(long rows)
    {
        var rng = new SplitMix64(ParquetSeed);
        var batches = new List<RecordBatch>();
        for (long row = 0; row < rows; row += IpcBatchRows)
        {
            var batch = BuildIpcBatch(ref rng, row, (int)Math.Min(IpcBatchRows, rows - row));
            batches.Add(batch.WithSchema(ParquetSchema));
        }

        return batches;
    }

    /// <summary>
    /// Builds the IPC table in batches of <see cref="IpcBatchRows"/> rows until the Arrow buffers hold at least
    /// <paramref name="targetBytes"/> bytes (the last batch is cut to size). Row i has id i, a uniform value in [0, 1000),
    /// one of six cities and the timestamp 2024-01-01 + i seconds + a random sub-second part.
    /// </summary>
    public static List<RecordBatch> BuildIpcBatches(long targetBytes)
    {
        var rng = new SplitMix64(IpcSeed);
        var batches = new List<RecordBatch>();
        long bytes = 0;
        long row = 0;
        // First batch: measure bytes per row, then size the rest.
        while (bytes < targetBytes)
        {
            int rows = IpcBatchRows;
            if (batches.Count > 0)
            {
                double perRow = (double)bytes / row;
                long remaining = (long)Math.Ceiling((targetBytes - bytes) / perRow);
                rows = (int)Math.Clamp(remaining, 1, IpcBatchRows);
            }
            else if (targetBytes < 40L * IpcBatchRows)
            {
                rows = (int)Math.Max(1, targetBytes / 34);
            }

            var batch = BuildIpcBatch(ref rng, row, rows);
            batches.Add(batch);
            bytes += BufferBytes(batch);
            row += rows;
        }

        return batches;
    }

    private static RecordBatch BuildIpcBatch(ref SplitMix64 rng, long firstRow, int rows)
    {
        var ids = new PrimitiveArrayBuilder<long>(ArrowType.Int64, rows);
        var values = new PrimitiveArrayBuilder<double>(ArrowType.Double, rows);
        var cities = new BinaryArrayBuilder(ArrowType.String, rows);
        var ts = new PrimitiveArrayBuilder<long>(IpcSchema[3].Type, rows);
        for (int i = 0; i < rows; i++)
        {
            long id = firstRow + i;
            ids.Append(id);
            values.Append(rng.NextDouble() * 1000.0);
            cities.Append(CityBytes[rng.NextInt(CityBytes.Length)]);
            ts.Append(BaseNanos + (id * 1_000_000_000L) + rng.NextInt(1_000_000_000));
        }

        return new RecordBatch(IpcSchema, [ids.Build(), values.Build(), cities.Build(), ts.Build()], rows);
    }

    /// <summary>Bytes of all buffers of a batch (what the IPC body carries, before padding).</summary>
    public static long BufferBytes(RecordBatch batch)
    {
        long total = 0;
        foreach (var column in batch.Columns)
        {
            foreach (var buffer in ((ArrowArray)column).Data.Buffers)
            {
                total += buffer.Length;
            }
        }

        return total;
    }

    /// <summary>Writes <paramref name="batches"/> as an Arrow IPC file at <paramref name="path"/> (via a temp file and rename).</summary>
    public static void WriteIpcFile(string path, IReadOnlyList<RecordBatch> batches)
    {
        string temp = path + ".tmp";
        Workloads.WriteIpc(temp, batches);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Writes the CSV table: header <c>id,value,city,ts</c>, then <paramref name="rows"/> rows with id i, a value with up to
    /// four decimals in [0, 10000), one of six cities and an ISO-8601 timestamp (2024-01-01T00:00:00 + i seconds + jitter).
    /// Written directly as text (not with Larder's CSV writer) via a temp file and rename.
    /// </summary>
    public static void WriteCsvFile(string path, int rows)
    {
        var rng = new SplitMix64(CsvSeed);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
        {
            writer.NewLine = "\n";
            writer.WriteLine("id,value,city,ts");
            Span<char> buffer = stackalloc char[128];
            for (int i = 0; i < rows; i++)
            {
                double value = rng.NextInt(100_000_000) / 10_000.0;
                string city = Cities[rng.NextInt(Cities.Length)];
                DateTime t = BaseTime.AddSeconds(i + rng.NextInt(60));
                bool ok = buffer.TryWrite(CultureInfo.InvariantCulture, $"{i},{value:R},{city},{t:yyyy'-'MM'-'dd'T'HH':'mm':'ss}", out int written);
                if (!ok)
                {
                    throw new InvalidOperationException("CSV row buffer too small");
                }

                writer.Write(buffer[..written]);
                writer.Write('\n');
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a whole file into memory (the codec input).</summary>
    public static byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);
}

/// <summary>SplitMix64: a tiny, fast, fully specified generator (the same sequence everywhere for a seed).</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="bound"/>) (the modulo bias is negligible for small bounds).</summary>
    public int NextInt(int bound) => (int)(Next() % (ulong)bound);
}
