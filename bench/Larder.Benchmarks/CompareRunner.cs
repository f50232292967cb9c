using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Columnar;
using Larder.Ipc;

namespace Larder.Benchmarks;

/// <summary>Options of the <c>compare</c> mode.</summary>
internal sealed record CompareOptions
{
    public required string DataDir { get; init; }

    public required string RepoRoot { get; init; }

    /// <summary>Size of the IPC table's Arrow buffers in GiB (the file is that plus metadata and padding).</summary>
    public double IpcGib { get; init; } = 1.0;

    public int CsvRows { get; init; } = 1_000_000;

    /// <summary>Also time one read after dropping the page cache (needs root); a context row only.</summary>
    public bool Cold { get; init; } = true;

    /// <summary>Rows of the Parquet table.</summary>
    public long ParquetRows { get; init; } = 10_000_000;

    /// <summary>Rows of the table stored into and imported from a vault.</summary>
    public int VaultRows { get; init; } = 1_000_000;

    /// <summary>Size of the float64 array stored into a vault, in MiB.</summary>
    public long VaultArrayMib { get; init; } = 1024;

    /// <summary>The workload groups to run (<see cref="Groups"/>); all by default.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(Groups);

    /// <summary>The workload groups, in run order.</summary>
    public static readonly string[] Groups = ["ipc", "csv", "codecs", "parquet", "vault"];

    public bool Runs(string group) => Only.Contains(group);

    public static string Usage =>
        "usage: Larder.Benchmarks compare --data DIR [--ipc-gib 1] [--csv-rows 1000000] [--pq-rows 10000000] [--no-cold]\n" +
        "                                 [--vault-rows 1000000] [--vault-array-mib 1024] [--only ipc,csv,codecs,parquet,vault] [--repo DIR]";

    public static CompareOptions Parse(IReadOnlyList<string> args)
    {
        string? data = null;
        string? repo = null;
        double ipcGib = 1.0;
        int csvRows = 1_000_000;
        long pqRows = 10_000_000;
        int vaultRows = 1_000_000;
        long vaultArrayMib = 1024;
        bool cold = true;
        HashSet<string> only = [.. Groups];
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--repo": repo = Value(); break;
                case "--ipc-gib": ipcGib = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--csv-rows": csvRows = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--pq-rows": pqRows = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--vault-rows": vaultRows = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--vault-array-mib": vaultArrayMib = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--no-cold": cold = false; break;
                case "--only":
                    only = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (only.Count == 0 || only.Any(g => !Groups.Contains(g)))
                    {
                        throw new ArgumentException($"--only takes a comma-separated list of {string.Join(", ", Groups)}");
                    }

                    break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        if (data is null)
        {
            throw new ArgumentException("--data DIR is required");
        }

        if (ipcGib <= 0 || csvRows <= 0 || pqRows <= 0 || vaultRows <= 0 || vaultArrayMib <= 0)
        {
            throw new ArgumentException("--ipc-gib, --csv-rows, --pq-rows, --vault-rows and --vault-array-mib must be positive");
        }

        return new CompareOptions
        {
            DataDir = Path.GetFullPath(data),
            RepoRoot = repo is null ? RepoLocator.Find() : Path.GetFullPath(repo),
            IpcGib = ipcGib,
            CsvRows = csvRows,
            ParquetRows = pqRows,
            VaultRows = vaultRows,
            VaultArrayMib = vaultArrayMib,
            Cold = cold,
            Only = only,
        };
    }
}

/// <summary>
/// The <c>compare</c> mode: runs each workload with a Stopwatch (warm-up, best of N), runs the reference programs, and
/// prints one table (workload, ours, reference, ratio, target, met?) that it also writes to <c>DIR/results.json</c>.
/// </summary>
internal sealed partial class CompareRunner(CompareOptions options)
{
    private const double GB = 1e9;
    private const double MB = 1e6;

    private readonly List<ResultRow> _rows = [];
    private readonly JsonObject _raw = [];
    private readonly List<string> _notes = [];

    public int Run()
    {
        Directory.CreateDirectory(options.DataDir);
        string load0 = LoadAverage();
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"Larder benchmarks, compare mode: data in {options.DataDir}");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, load average {load0}");

        var peers = new Peers(options.RepoRoot);

        // --- 1. Arrow IPC vs memcpy -------------------------------------------------------------------------------------
        if (options.Runs("ipc"))
        {
            RunIpcGroup(peers);
        }

        // --- 2. CSV vs pandas, 3. codecs vs the command-line tools --------------------------------------------------------
        if (options.Runs("csv") || options.Runs("codecs"))
        {
            string csvPath = EnsureCsv();
            if (options.Runs("csv"))
            {
                RunCsvGroup(peers, csvPath);
            }

            if (options.Runs("codecs"))
            {
                RunCodecGroup(peers, csvPath);
            }
        }

        // --- 4. Parquet vs DuckDB -----------------------------------------------------------------------------------------
        if (options.Runs("parquet"))
        {
            RunParquetGroup(peers);
        }

        // --- 5. Vault vs data_vault's pandas + zipfile, and vs dd -------------------------------------------------------
        if (options.Runs("vault"))
        {
            RunVaultGroup(peers);
        }

        // --- Report -------------------------------------------------------------------------------------------------------------
        string load1 = LoadAverage();
        Console.WriteLine();
        Console.WriteLine("Results (ratio = ours relative to the reference, higher is better; for times: reference time / our time; for sizes: reference size / our size)");
        Console.WriteLine();
        Console.Write(ResultTable.Render(_rows));
        Console.WriteLine();
        int met = _rows.Count(r => r.Met == true);
        int targets = _rows.Count(r => r.TargetRatio is not null);
        Console.WriteLine($"Targets met: {met} of {targets}. Load average before {load0}, after {load1}.");
        foreach (var (peer, error) in peers.Errors)
        {
            Console.WriteLine($"Peer {peer} failed: {error}");
        }

        foreach (string note in _notes)
        {
            Console.WriteLine(note);
        }

        string jsonPath = Path.Combine(options.DataDir, "results.json");
        WriteJson(jsonPath, started, load0, load1, peers.Errors);
        Console.WriteLine($"Written {jsonPath}");
        return 0;
    }

    private void RunIpcGroup(Peers peers)
    {
        var ipc = RunIpc();
        var numpy = peers.NumpyMemcpy(ipc.FileBytes);
        _raw["numpy_memcpy"] = numpy?.DeepClone();
        double? numpyGbs = Peers.Number(numpy, "memcpy_gbs");
        string size = FormatBytes(ipc.FileBytes);
        _rows.Add(new ResultRow($"IPC read, warm cache ({size})", ipc.ReadGbs, "GB/s", "memcpy C#", ipc.MemcpyGbs, 0.5,
            "ArrowFileReader.Open(path) (memory-mapped, validated) + read all batches, every buffer byte summed"));
        _rows.Add(new ResultRow($"IPC write ({size})", ipc.WriteGbs, "GB/s", "memcpy C#", ipc.MemcpyGbs, 0.25,
            "ArrowFileWriter.Create(path): atomic temp file with blocks reserved ahead, footer + rename (page cache, no fsync)"));
        _rows.Add(new ResultRow("IPC write to a plain FileStream", ipc.WriteStreamGbs, "GB/s", "memcpy C#", ipc.MemcpyGbs, null,
            "new ArrowFileWriter(FileStream) on a caller-made FileStream: the file system allocates blocks write by write"));
        _rows.Add(new ResultRow("IPC write vs raw file write", ipc.WriteGbs, "GB/s", "FileStream.Write", ipc.RawWriteGbs, null,
            "the same bytes written with plain 8 MiB FileStream writes, no reservation"));
        _rows.Add(new ResultRow("IPC write, FileStream preallocated to size", ipc.WritePreallocatedGbs, "GB/s", "memcpy C#", ipc.MemcpyGbs, null,
            "the IPC write with FileStreamOptions.PreallocationSize = the file size (fallocate): no block allocation during the writes"));
        _rows.Add(new ResultRow("IPC read, warm, Validate=false", ipc.ReadNoValidateGbs, "GB/s", "memcpy C#", ipc.MemcpyGbs, null,
            "same as the warm read with IpcReadOptions.Validate = false"));
        if (ipc.ColdGbs is not null)
        {
            _rows.Add(new ResultRow("IPC read, cold cache (1 run)", ipc.ColdGbs, "GB/s", "memcpy C#", ipc.MemcpyGbs, null,
                "after sync + drop_caches: includes reading the file from disk"));
        }

        _rows.Add(new ResultRow($"memcpy C# vs numpy ({size})", ipc.MemcpyGbs, "GB/s", "numpy copyto", numpyGbs, null,
            "Buffer.MemoryCopy (best of 10) vs bench/peers/memcpy.py (best of 5); both on huge-page-advised buffers"));
    }

    private void RunCsvGroup(Peers peers, string csvPath)
    {
        var csv = RunCsv(csvPath);
        var pandas = peers.PandasCsv(csvPath, Path.Combine(options.DataDir, "out_pandas.csv"));
        _raw["pandas_csv"] = pandas?.DeepClone();
        string csvLabel = string.Create(CultureInfo.InvariantCulture, $"{options.CsvRows:N0} rows, {FormatBytes(csv.InputBytes)}");
        if (csv.Error is null)
        {
            _rows.Add(new ResultRow($"CSV read ({csvLabel})", csv.ReadSeconds, "s", "pandas read_csv", Peers.Number(pandas, "read_csv_s"), 2.0,
                string.Create(CultureInfo.InvariantCulture, $"CsvReader defaults (inference, parallel parse): {csv.InputBytes / csv.ReadSeconds / MB:F0} MB/s; pandas leaves ts as strings")));
            _rows.Add(new ResultRow($"CSV write ({csvLabel})", csv.WriteSeconds, "s", "pandas to_csv", Peers.Number(pandas, "to_csv_s"), 3.0,
                string.Create(CultureInfo.InvariantCulture, $"CsvWriter defaults to a new file: {csv.OutputBytes / csv.WriteSeconds / MB:F0} MB/s")));
        }
        else
        {
            _rows.Add(new ResultRow($"CSV read ({csvLabel})", null, "s", "pandas read_csv", Peers.Number(pandas, "read_csv_s"), 2.0, csv.Error));
            _rows.Add(new ResultRow($"CSV write ({csvLabel})", null, "s", "pandas to_csv", Peers.Number(pandas, "to_csv_s"), 3.0, csv.Error));
        }
    }

    private void RunCodecGroup(Peers peers, string csvPath)
    {
        var codecs = RunCodecs(csvPath);
        var cli = peers.CodecCli(csvPath);
        _raw["codec_cli"] = cli?.DeepClone();
        foreach (var (c, result) in codecs)
        {
            string ratioNote = string.Create(CultureInfo.InvariantCulture, $"ratio {result.Ratio:F3} (cli {Peers.Number(cli, c.CliKey, "ratio")?.ToString("F3", CultureInfo.InvariantCulture) ?? "n/a"})");
            _rows.Add(new ResultRow($"{c.Key} compress", result.CompressMbs, "MB/s", c.CliCommand, Peers.Number(cli, c.CliKey, "c_mbs"), 0.8, ratioNote));
            _rows.Add(new ResultRow($"{c.Key} decompress", result.DecompressMbs, "MB/s", c.CliCommand, Peers.Number(cli, c.CliKey, "d_mbs"), 0.8, ratioNote));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------------
    private sealed record IpcResult(long FileBytes, double MemcpyGbs, double WriteGbs, double ReadGbs, double ReadNoValidateGbs, double? ColdGbs, double RawWriteGbs, double WritePreallocatedGbs, double WriteStreamGbs);

    private IpcResult RunIpc()
    {
        long targetBytes = (long)(options.IpcGib * (1L << 30));
        string mib = (targetBytes / (1L << 20)).ToString(CultureInfo.InvariantCulture);
        string input = Path.Combine(options.DataDir, $"ipc_{mib}mib_v1.arrow");
        string output = Path.Combine(options.DataDir, "out_ours.arrow");

        Console.WriteLine();
        Console.WriteLine($"[1/5] Arrow IPC: building a {FormatBytes(targetBytes)} table (int64, float64, utf8 x6, timestamp[ns]) in {DataGen.IpcBatchRows:N0}-row batches");
        var sw = Stopwatch.StartNew();
        var batches = DataGen.BuildIpcBatches(targetBytes);
        long rows = Workloads.Rows(batches);
        long bufferBytes = batches.Sum(DataGen.BufferBytes);
        int batchCount = batches.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rows:N0} rows in {batches.Count} batches, {FormatBytes(bufferBytes)} of buffers, built in {sw.Elapsed.TotalSeconds:F1} s"));
        if (!File.Exists(input))
        {
            Console.WriteLine($"  writing the read input {input}");
            DataGen.WriteIpcFile(input, batches);
        }

        long fileBytes = new FileInfo(input).Length;

        // Write: the batches stay in memory; each run writes a fresh file.
        long written = 0;
        var write = Measure.Run("ipc write", () => written = Workloads.WriteIpc(output, batches), minRuns: 5, maxRuns: 5,
            between: () => { File.Delete(output); Measure.FullGc(); });
        File.Delete(output);
        var writeStream = Measure.Run("ipc write (plain FileStream)", () => Workloads.WriteIpcToFileStream(output, batches), minRuns: 5, maxRuns: 5,
            between: () => { File.Delete(output); Measure.FullGc(); });
        File.Delete(output);
        var writePre = Measure.Run("ipc write (preallocated file)", () => Workloads.WriteIpcToFileStream(output, batches, preallocate: fileBytes),
            minRuns: 5, maxRuns: 5, between: () => { File.Delete(output); Measure.FullGc(); });
        File.Delete(output);

        // Read: warm cache (the warm-up run pages the file in).
        (long Rows, ulong Checksum) seen = default;
        var read = Measure.Run("ipc read (warm)", () => seen = Workloads.ReadIpc(input), minRuns: 7, maxRuns: 7, between: Measure.FullGc);
        Check(seen.Rows == rows, $"IPC read returned {seen.Rows} rows, expected {rows}");
        var readNoValidate = Measure.Run("ipc read (warm, Validate=false)",
            () => seen = Workloads.ReadIpc(input, new IpcReadOptions { Validate = false }), minRuns: 7, maxRuns: 7, between: Measure.FullGc);

        double? coldGbs = null;
        if (options.Cold)
        {
            Measure.FullGc();
            if (DropPageCache(out string why))
            {
                long start = Stopwatch.GetTimestamp();
                Workloads.ReadIpc(input);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                coldGbs = fileBytes / seconds / GB;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"ipc read (cold, 1 run)",-34} {seconds * 1000,14:F1} ms"));
            }
            else
            {
                _notes.Add($"Cold-cache IPC read skipped: {why}");
            }
        }

        batches.Clear();
        Measure.FullGc();

        // memcpy of the same number of bytes.
        // memcpy of the same number of bytes, and a plain FileStream write of them (the file-write ceiling).
        double memcpySeconds;
        Measure.Timing rawWrite;
        using (var buffers = new NativeBuffers(fileBytes))
        {
            memcpySeconds = Measure.Run("memcpy C# (Buffer.MemoryCopy)", buffers.Copy, warmups: 1, minRuns: 10, maxRuns: 10).BestSeconds;
            Check(buffers.Check(), "memcpy check failed");
            rawWrite = Measure.Run("raw FileStream.Write, same bytes", () => buffers.WriteSourceTo(output), minRuns: 5, maxRuns: 5,
                between: () => File.Delete(output));
            File.Delete(output);
        }

        _raw["ipc"] = new JsonObject
        {
            ["rows"] = rows,
            ["batches"] = batchCount,
            ["buffer_bytes"] = bufferBytes,
            ["file_bytes"] = fileBytes,
            ["written_bytes"] = written,
            ["write_s"] = Samples(write),
            ["write_preallocated_s"] = Samples(writePre),
            ["write_plain_filestream_s"] = Samples(writeStream),
            ["read_warm_s"] = Samples(read),
            ["read_warm_novalidate_s"] = Samples(readNoValidate),
            ["memcpy_best_s"] = memcpySeconds,
            ["raw_write_s"] = Samples(rawWrite),
        };
        return new IpcResult(fileBytes, fileBytes / memcpySeconds / GB, written / write.BestSeconds / GB,
            fileBytes / read.BestSeconds / GB, fileBytes / readNoValidate.BestSeconds / GB, coldGbs, fileBytes / rawWrite.BestSeconds / GB,
            written / writePre.BestSeconds / GB, written / writeStream.BestSeconds / GB);
    }

    // ---------------------------------------------------------------------------------------------------------------------
    private string EnsureCsv(int? rows = null)
    {
        int count = rows ?? options.CsvRows;
        string path = Path.Combine(options.DataDir, $"csv_{count}rows_v1.csv");
        if (!File.Exists(path))
        {
            Console.WriteLine($"  writing the CSV input {path}");
            DataGen.WriteCsvFile(path, count);
        }

        return path;
    }

    private sealed record CsvResult(long InputBytes, double ReadSeconds, double WriteSeconds, long OutputBytes, string? Error);

    private CsvResult RunCsv(string path)
    {
        Console.WriteLine();
        Console.WriteLine($"[2/5] CSV: {options.CsvRows:N0} rows (id int64, value float64, city utf8 x6, ts ISO-8601) from {path}");
        long inputBytes = new FileInfo(path).Length;
        string output = Path.Combine(options.DataDir, "out_ours.csv");
        try
        {
            List<RecordBatch> batches = [];
            var read = Measure.Run("csv read", () => batches = Workloads.ReadCsv(path), warmups: 1, minRuns: 5, maxRuns: 5, between: Measure.FullGc);
            Check(Workloads.Rows(batches) == options.CsvRows, $"CSV read returned {Workloads.Rows(batches)} rows, expected {options.CsvRows}");
            Console.WriteLine($"  schema: {string.Join(", ", batches[0].Schema.Fields.Select(f => $"{f.Name} {f.Type}"))}");
            long outputBytes = 0;
            var write = Measure.Run("csv write", () => outputBytes = Workloads.WriteCsv(output, batches), warmups: 1, minRuns: 5, maxRuns: 5,
                between: () => { File.Delete(output); Measure.FullGc(); });
            _raw["csv"] = new JsonObject
            {
                ["rows"] = options.CsvRows,
                ["input_bytes"] = inputBytes,
                ["output_bytes"] = outputBytes,
                ["schema"] = string.Join(", ", batches[0].Schema.Fields.Select(f => $"{f.Name} {f.Type}")),
                ["read_s"] = Samples(read),
                ["write_s"] = Samples(write),
            };
            return new CsvResult(inputBytes, read.BestSeconds, write.BestSeconds, outputBytes, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The CSV API is young: report the failure in the table and carry on with the other workloads.
            string error = $"our CSV workload failed: {ex.GetType().Name}: {ex.Message}";
            Console.WriteLine($"  {error}");
            _notes.Add(error);
            return new CsvResult(inputBytes, double.NaN, double.NaN, 0, error);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------------
    private sealed record CodecResult(double CompressMbs, double DecompressMbs, double Ratio);

    private List<(CodecCase Case, CodecResult Result)> RunCodecs(string path)
    {
        byte[] input = DataGen.ReadAllBytes(path);
        Console.WriteLine();
        Console.WriteLine($"[3/5] Codecs: {FormatBytes(input.Length)} ({Path.GetFileName(path)}), whole buffer per call (lz4 frames use 4 MiB blocks, as lz4 -b does); samples of >= 0.25 s of back-to-back calls, best of 8");
        var results = new List<(CodecCase, CodecResult)>();
        var raw = new JsonObject();
        byte[] restored = new byte[input.Length];
        foreach (var c in CodecCase.All)
        {
            using var codec = c.Create();
            byte[] compressed = new byte[codec.GetMaxCompressedLength(input.Length)];
            int size = 0;
            var compress = Measure.Run($"{c.Key} compress", () => size = codec.Compress(input, compressed),
                warmups: 1, minRuns: 8, maxRuns: 8, minSampleSeconds: 0.25);
            var decompress = Measure.Run($"{c.Key} decompress", () => codec.Decompress(compressed.AsSpan(0, size), restored),
                warmups: 1, minRuns: 8, maxRuns: 8, minSampleSeconds: 0.25);
            Check(restored.AsSpan().SequenceEqual(input), $"{c.Key} round trip differs");
            var result = new CodecResult(input.Length / compress.BestSeconds / MB, input.Length / decompress.BestSeconds / MB, (double)input.Length / size);
            results.Add((c, result));
            raw[c.Key] = new JsonObject
            {
                ["input_bytes"] = input.Length,
                ["compressed_bytes"] = size,
                ["compress_s"] = Samples(compress),
                ["decompress_s"] = Samples(decompress),
            };
        }

        _raw["codecs"] = raw;
        return results;
    }

    // ---------------------------------------------------------------------------------------------------------------------
    private void WriteJson(string path, DateTimeOffset started, string load0, string load1, Dictionary<string, string> peerErrors)
    {
        var json = new JsonObject
        {
            ["started_utc"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["finished_utc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["git_commit"] = GitCommit(),
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["cpu"] = CpuModel(),
                ["memory_bytes"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
                ["os"] = RuntimeInformation.OSDescription,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["load_average_before"] = load0,
                ["load_average_after"] = load1,
            },
            ["parameters"] = new JsonObject
            {
                ["data_dir"] = options.DataDir,
                ["ipc_gib"] = options.IpcGib,
                ["csv_rows"] = options.CsvRows,
                ["parquet_rows"] = options.ParquetRows,
                ["vault_rows"] = options.VaultRows,
                ["vault_array_mib"] = options.VaultArrayMib,
                ["cold"] = options.Cold,
                ["only"] = string.Join(",", CompareOptions.Groups.Where(options.Runs)),
            },
            ["rows"] = new JsonArray([.. _rows.Select(r => (JsonNode)r.ToJson())]),
            ["targets_met"] = _rows.Count(r => r.Met == true),
            ["targets_total"] = _rows.Count(r => r.TargetRatio is not null),
            ["raw"] = _raw,
            ["peer_errors"] = new JsonObject([.. peerErrors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
            ["notes"] = new JsonArray([.. _notes.Select(n => (JsonNode)n)]),
        };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static JsonArray Samples(Measure.Timing timing) => new([.. timing.Samples.Select(s => (JsonNode)Math.Round(s, 6))]);

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    /// <summary><c>sync; echo 3 &gt; /proc/sys/vm/drop_caches</c> when running as root; otherwise false with the reason.</summary>
    private static bool DropPageCache(out string why)
    {
        const string control = "/proc/sys/vm/drop_caches";
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            why = "dropping the page cache needs root on Linux";
            return false;
        }

        try
        {
            using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false }))
            {
                sync?.WaitForExit();
            }

            File.WriteAllText(control, "3\n");
            why = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            why = $"cannot write {control}: {ex.Message}";
            return false;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", options.RepoRoot, "rev-parse", "--short", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return "n/a";
            }

            string commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : "n/a";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "n/a";
        }
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
    };
}

/// <summary>Finds the repository root (the folder holding <c>Larder.slnx</c>).</summary>
internal static class RepoLocator
{
    public static string Find()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Larder.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Larder.slnx); pass --repo DIR");
    }
}
