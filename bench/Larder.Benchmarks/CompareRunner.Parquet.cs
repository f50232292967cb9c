using System.Globalization;
using System.Text.Json.Nodes;
using Larder.Columnar;
using Larder.Ipc;

namespace Larder.Benchmarks;

/// <summary>The Parquet group of the <c>compare</c> mode: Larder's writer and reader next to DuckDB on one table.</summary>
internal sealed partial class CompareRunner
{
    /// <summary>The codecs compared: DuckDB's default (snappy) and zstd (both sides at zstd's default level 3).</summary>
    private static readonly string[] ParquetCodecs = ["snappy", "zstd"];

    private const int ParquetWriteRuns = 3;
    private const int ParquetReadRuns = 3;

    /// <summary>"Within 10%": our size at most 1.1 times DuckDB's, as a ratio DuckDB size / our size.</summary>
    private const double SizeTarget = 1 / 1.1;

    private sealed record OurParquetFile(string Codec, string Path, long Bytes, Measure.Timing Write);

    private void RunParquetGroup(Peers peers)
    {
        long rows = options.ParquetRows;
        string stem = string.Create(CultureInfo.InvariantCulture, $"pq_{rows}rows_v1");
        string ipcPath = Path.Combine(options.DataDir, stem + ".arrow");
        string inputPath = Path.Combine(options.DataDir, stem + "_input.parquet");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[4/5] Parquet: {rows:N0} rows (id int64, value float64, city utf8 x6, ts timestamp[ns]; nullable, no nulls), codecs {string.Join(", ", ParquetCodecs)}"));

        if (!File.Exists(ipcPath))
        {
            Console.WriteLine($"  writing the table {ipcPath}");
            DataGen.WriteIpcFile(ipcPath, DataGen.BuildParquetBatches(rows));
        }

        // The batches live in memory (no memory map): only the Parquet work is timed.
        List<RecordBatch> batches;
        using (var reader = ArrowFileReader.Open(ipcPath, new IpcReadOptions { UseMemoryMap = false }))
        {
            batches = [.. reader.ReadAll()];
        }

        Check(Workloads.Rows(batches) == rows, $"{ipcPath} holds {Workloads.Rows(batches)} rows, expected {rows}");
        var expected = batches.Aggregate(default(ParquetAggregates), (acc, b) => acc.Add(b));
        if (!File.Exists(inputPath))
        {
            // DuckDB's copy of the table: it loads this file (uncompressed, PLAIN) into a table before anything is timed.
            Console.WriteLine($"  writing DuckDB's input {inputPath}");
            using var writer = Larder.Parquet.Files.ParquetFileWriter.Create(inputPath, batches[0].Schema,
                new Larder.Parquet.Files.ParquetWriteOptions { Compression = "none", EnableDictionary = false });
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }

            writer.Finish();
        }

        // Our writes: each run writes a fresh file; the last one stays for the reads.
        var ours = new List<OurParquetFile>();
        foreach (string codec in ParquetCodecs)
        {
            string output = Path.Combine(options.DataDir, $"out_ours_{codec}.parquet");
            long bytes = 0;
            var write = Measure.Run($"parquet write {codec}", () => bytes = Workloads.WriteParquet(output, batches, codec),
                warmups: 1, minRuns: ParquetWriteRuns, maxRuns: ParquetWriteRuns, between: Measure.FullGc);
            ours.Add(new OurParquetFile(codec, output, bytes, write));
        }

        batches.Clear();
        Measure.FullGc();

        var duck = peers.DuckDbParquet(inputPath, options.DataDir, ParquetCodecs, ParquetWriteRuns,
            ours.Select(o => ($"ours_{o.Codec}", o.Path)));
        string threads = Peers.Number(duck, "threads_default") is { } t ? t.ToString(CultureInfo.InvariantCulture) : "default";

        // Our reads of both files, each checked against the table's aggregates.
        var raw = new JsonObject
        {
            ["rows"] = rows,
            ["table"] = ipcPath,
            ["duckdb_input"] = inputPath,
            ["expected"] = AggregatesJson(expected),
        };
        string label = string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows");
        foreach (var file in ours)
        {
            string codec = file.Codec;
            var duckWrite = duck?["write"]?[codec] as JsonObject;
            string? duckFile = duckWrite?["file"]?.GetValue<string>();
            var readOurs = ReadParquetChecked($"parquet read ours {codec}", file.Path, expected);
            var readDuck = duckFile is not null && File.Exists(duckFile)
                ? ReadParquetChecked($"parquet read duckdb {codec}", duckFile, expected)
                : null;
            CheckDuckScan(duck, $"ours_{codec}", expected);
            CheckDuckScan(duck, $"duckdb_{codec}", expected);

            double? duckBytes = Peers.Number(duck, "write", codec, "bytes");
            double mbs = file.Bytes / file.Write.BestSeconds / MB;
            _rows.Add(new ResultRow($"Parquet write, {codec} ({label})", file.Write.BestSeconds, "s", "DuckDB COPY threads=1",
                Best(duck, "write", codec, "threads1_s"), 1.0,
                string.Create(CultureInfo.InvariantCulture, $"ParquetFileWriter.Create, default options but the codec: {mbs:F0} MB/s of file")));
            _rows.Add(new ResultRow($"Parquet write, {codec}, vs DuckDB threads={threads}", file.Write.BestSeconds, "s", $"DuckDB COPY threads={threads}",
                Best(duck, "write", codec, "default_s"), null, "DuckDB with its default thread count"));
            _rows.Add(new ResultRow($"Parquet file size, {codec}", file.Bytes / (double)(1 << 20), "MiB", "DuckDB",
                duckBytes / (1 << 20), SizeTarget,
                string.Create(CultureInfo.InvariantCulture, $"{file.Bytes} vs {duckBytes?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a"} bytes"),
                "size <= 1.1x"));
            AddReadRows($"Parquet read, our {codec} file", readOurs, duck, $"ours_{codec}", threads);
            AddReadRows($"Parquet read, DuckDB's {codec} file", readDuck, duck, $"duckdb_{codec}", threads);
            raw[codec] = new JsonObject
            {
                ["our_file"] = file.Path,
                ["our_bytes"] = file.Bytes,
                ["duckdb_bytes"] = duckBytes,
                ["write_s"] = Samples(file.Write),
                ["read_ours_s"] = readOurs is null ? null : Samples(readOurs),
                ["read_duckdb_file_s"] = readDuck is null ? null : Samples(readDuck),
            };
        }

        raw["duckdb"] = duck?.DeepClone();
        _raw["parquet"] = raw;
    }

    private void AddReadRows(string workload, Measure.Timing? ours, JsonObject? duck, string key, string threads)
    {
        _rows.Add(new ResultRow(workload, ours?.BestSeconds, "s", "DuckDB scan threads=1", Best(duck, "read", key, "threads1_s"), 1.0,
            "ParquetFileReader.ReadAll (every column as Arrow arrays) vs SELECT sum(id), sum(value), sum(length(city)), bit_xor(epoch_ns(ts))"));
        _rows.Add(new ResultRow($"{workload}, vs DuckDB threads={threads}", ours?.BestSeconds, "s", $"DuckDB scan threads={threads}",
            Best(duck, "read", key, "default_s"), null, "DuckDB with its default thread count"));
    }

    /// <summary>Times our full read of <paramref name="path"/>; null (and a note) when it fails or reads wrong values.</summary>
    private Measure.Timing? ReadParquetChecked(string label, string path, ParquetAggregates expected)
    {
        try
        {
            var seen = default(ParquetAggregates);
            var timing = Measure.Run(label, () => seen = Workloads.ReadParquet(path), warmups: 1, minRuns: ParquetReadRuns,
                maxRuns: ParquetReadRuns, between: Measure.FullGc);
            if (!SameAggregates(seen, expected))
            {
                _notes.Add($"{label}: {Path.GetFileName(path)} read back as {seen}, expected {expected}");
                return null;
            }

            return timing;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string error = $"{label} failed on {Path.GetFileName(path)}: {ex.GetType().Name}: {ex.Message}";
            Console.WriteLine($"  {error}");
            _notes.Add(error);
            return null;
        }
    }

    /// <summary>Notes a DuckDB scan whose aggregates differ from the table's (the file or DuckDB's read of it is wrong).</summary>
    private void CheckDuckScan(JsonObject? duck, string key, ParquetAggregates expected)
    {
        if (duck?["read"]?[key]?["result"] is not JsonObject result)
        {
            return;
        }

        static long Long(JsonObject o, string name) => long.Parse(o[name]!.ToString(), CultureInfo.InvariantCulture);
        var seen = new ParquetAggregates(Long(result, "n"), Long(result, "sum_id"), result["sum_value"]!.GetValue<double>(),
            Long(result, "sum_city"), Long(result, "xor_ts"));
        if (!SameAggregates(seen, expected))
        {
            _notes.Add($"DuckDB's scan of {key} gave {seen}, expected {expected}");
        }
    }

    /// <summary>Exact for the integers; the float sum differs only by summation order.</summary>
    private static bool SameAggregates(ParquetAggregates a, ParquetAggregates b)
        => a.Rows == b.Rows && a.SumId == b.SumId && a.SumCityLength == b.SumCityLength && a.XorTs == b.XorTs
            && Math.Abs(a.SumValue - b.SumValue) <= 1e-9 * Math.Max(1, Math.Abs(b.SumValue));

    private static JsonObject AggregatesJson(ParquetAggregates a) => new()
    {
        ["n"] = a.Rows,
        ["sum_id"] = a.SumId,
        ["sum_value"] = a.SumValue,
        ["sum_city"] = a.SumCityLength,
        ["xor_ts"] = a.XorTs,
    };

    /// <summary>The smallest sample of a peer's sample array, or null.</summary>
    private static double? Best(JsonObject? json, params string[] path)
    {
        JsonNode? node = json;
        foreach (string key in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : null;
        }

        return node is JsonArray a && a.Count > 0 ? a.Min(x => x!.GetValue<double>()) : null;
    }
}
