using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Larder.Benchmarks;

/// <summary>Runs the reference programs in <c>bench/peers</c> and parses the one JSON line each prints.</summary>
internal sealed class Peers(string repoRoot)
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    /// <summary>Why each failed peer failed (peer name → message), for the report.</summary>
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary><c>bench/peers/memcpy.py SIZE_MIB</c>: numpy copy bandwidth.</summary>
    public JsonObject? NumpyMemcpy(long bytes) =>
        Run("memcpy.py", Python, Script("memcpy.py"), (bytes / (1024.0 * 1024.0)).ToString("R", CultureInfo.InvariantCulture));

    /// <summary><c>bench/peers/pandas_csv.py CSV_IN CSV_OUT</c>: pandas read_csv / to_csv, best of 3.</summary>
    public JsonObject? PandasCsv(string csvIn, string csvOut) => Run("pandas_csv.py", Python, Script("pandas_csv.py"), csvIn, csvOut);

    /// <summary><c>bench/peers/codec_cli.sh FILE</c>: zstd -b1, zstd -b3, lz4 -b1.</summary>
    public JsonObject? CodecCli(string file) => Run("codec_cli.sh", "bash", Script("codec_cli.sh"), file);

    /// <summary>
    /// <c>node bench/peers/duckdb_parquet.mjs</c>: loads <paramref name="input"/> into a DuckDB table, times <c>COPY … TO</c>
    /// per codec and full scans of its own files and of <paramref name="reads"/> (label → file), threads = 1 and default.
    /// </summary>
    public JsonObject? DuckDbParquet(string input, string outDir, IEnumerable<string> codecs, int runs, IEnumerable<(string Label, string File)> reads)
    {
        List<string> args = [Script("duckdb_parquet.mjs"), "--repo", repoRoot, "--input", input, "--out-dir", outDir,
            "--codecs", string.Join(',', codecs), "--runs", runs.ToString(CultureInfo.InvariantCulture)];
        foreach (var (label, file) in reads)
        {
            args.Add("--read");
            args.Add($"{label}={file}");
        }

        return Run("duckdb_parquet.mjs", "node", [.. args]);
    }

    /// <summary><c>bench/peers/vault_pandas.py CSV_IN WORK_DIR RUNS</c>: data_vault's store and import with pandas and zipfile, medians.</summary>
    public JsonObject? VaultPandas(string csvIn, string workDir, int runs) =>
        Run("vault_pandas.py", Python, Script("vault_pandas.py"), csvIn, workDir, runs.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>bench/peers/vault_dd.py OUT_FILE SIZE_MIB RUNS</c>: <c>dd … conv=fdatasync</c> of the same size, medians.</summary>
    public JsonObject? VaultDd(string outFile, long mib, int runs) =>
        Run("vault_dd.py", Python, Script("vault_dd.py"), outFile, mib.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture));

    private string Script(string name) => Path.Combine(repoRoot, "bench", "peers", name);

    private JsonObject? Run(string name, string program, params string[] args)
    {
        Console.WriteLine($"  peer: {program} {string.Join(' ', args.Select(Quote))}");
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repoRoot,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return Fail(name, $"timed out after {Timeout.TotalMinutes} minutes");
            }

            process.WaitForExit();
            string output = stdout.GetAwaiter().GetResult();
            string errors = stderr.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0)
            {
                return Fail(name, $"exit code {process.ExitCode}: {LastLine(errors)}");
            }

            string? line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (line is null || JsonNode.Parse(line) is not JsonObject json)
            {
                return Fail(name, $"no JSON object on stdout: {LastLine(output)} {LastLine(errors)}");
            }

            Console.WriteLine($"        {(line.Length > 400 ? line[..400] + " … (in results.json)" : line)}");
            return json;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or System.Text.Json.JsonException or IOException)
        {
            return Fail(name, ex.Message);
        }
    }

    private JsonObject? Fail(string name, string message)
    {
        Errors[name] = message;
        Console.WriteLine($"  peer {name} FAILED: {message}");
        return null;
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;

    private static string Quote(string arg) => arg.Contains(' ', StringComparison.Ordinal) ? $"'{arg}'" : arg;

    /// <summary>A number from a peer's JSON, or null when missing.</summary>
    public static double? Number(JsonObject? json, params string[] path)
    {
        JsonNode? node = json;
        foreach (string key in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : null;
        }

        return node is JsonValue value && value.TryGetValue(out double d) ? d : null;
    }
}
