using Larder.TestKit;
using Xunit.Abstractions;
using System.Text;

namespace Larder.Cli.Tests;

/// <summary>Heavy checks: run with <c>bash scripts/test-slow.sh</c>.</summary>
public class LargeConvertTests
{
    private readonly ITestOutputHelper _output;

    public LargeConvertTests(ITestOutputHelper output) => _output = output;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Convert_FiveGibCsvToArrow_PeakRssUnderOneGib()
    {
        using var dir = new TempDir();
        string csv = dir["big.csv"];
        long target = 5L << 30;
        long written = WriteCsv(csv, target);
        _output.WriteLine($"generated {written:N0} bytes of CSV");

        var r = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(30), "convert", csv, dir["big.arrow"]);
        _output.WriteLine($"exit {r.ExitCode}, peak RSS {r.PeakRssBytes / (1 << 20):N0} MiB, stderr: {r.Error}");
        Assert.Equal(0, r.ExitCode);
        Assert.InRange(r.PeakRssBytes, 1, 1L << 30);

        File.Delete(csv);
        var inspect = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(10), "inspect", dir["big.arrow"]);
        Assert.Equal(0, inspect.ExitCode);
        _output.WriteLine(inspect.Out);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Convert_FiveGibCsvThroughParquet_PeakRssUnderOneGibAndDuckDbAgrees()
    {
        using var dir = new TempDir();
        string csv = dir["big.csv"];
        long written = WriteCsv(csv, 5L << 30, out long rows);
        _output.WriteLine($"generated {written:N0} bytes of CSV, {rows:N0} rows");

        var toParquet = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(30), "convert", csv, dir["big.parquet"]);
        _output.WriteLine($"csv -> parquet: exit {toParquet.ExitCode}, peak RSS {toParquet.PeakRssBytes / (1 << 20):N0} MiB, stderr: {toParquet.Error}");
        Assert.Equal(0, toParquet.ExitCode);
        Assert.InRange(toParquet.PeakRssBytes, 1, 1L << 30);
        File.Delete(csv);
        _output.WriteLine($"parquet file: {new FileInfo(dir["big.parquet"]).Length:N0} bytes");

        // DuckDB reads the whole file: every row, the ids in order, the other columns as written.
        var run = await PeerProcess.RunCheckedAsync("@duckdb/node-api", "duckdb/query.mjs",
            ["--sql", $"SELECT count(*), sum(id), count(DISTINCT city), sum(CASE WHEN flag THEN 1 ELSE 0 END), count(ts) FROM read_parquet('{dir["big.parquet"]}')"],
            TimeSpan.FromMinutes(10));
        string answer = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
        _output.WriteLine($"DuckDB: {answer}");
        Assert.Equal($"[\"{rows}\",\"{(System.Numerics.BigInteger)rows * (rows - 1) / 2}\",\"6\",\"{(rows + 2) / 3}\",\"{rows}\"]", answer);

        var toArrow = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(30), "convert", dir["big.parquet"], dir["big.arrow"]);
        _output.WriteLine($"parquet -> arrow: exit {toArrow.ExitCode}, peak RSS {toArrow.PeakRssBytes / (1 << 20):N0} MiB, stderr: {toArrow.Error}");
        Assert.Equal(0, toArrow.ExitCode);
        Assert.InRange(toArrow.PeakRssBytes, 1, 1L << 30);
        var inspect = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(10), "inspect", dir["big.arrow"]);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains($"{rows:N0}", inspect.Out, StringComparison.Ordinal);
        _output.WriteLine(inspect.Out);
    }

    private static long WriteCsv(string path, long bytes) => WriteCsv(path, bytes, out _);

    /// <summary>Writes about <paramref name="bytes"/> of CSV: id, value, city (6 values), ts, flag; row i has id i.</summary>
    internal static long WriteCsv(string path, long bytes, out long rows)
    {
        string[] cities = ["Berlin", "Paris", "Lagos", "Lima", "Osaka", "Perth"];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        w.Write("id,value,city,ts,flag\n");
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        long i = 0;
        while (stream.Position < bytes)
        {
            for (int k = 0; k < 10_000; k++, i++)
            {
                w.Write(i);
                w.Write(',');
                w.Write((i % 1000) * 0.25);
                w.Write(',');
                w.Write(cities[i % 6]);
                w.Write(',');
                w.Write(t0.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
                w.Write(',');
                w.Write(i % 3 == 0 ? "true\n" : "false\n");
            }

            w.Flush();
        }

        rows = i;
        return stream.Length;
    }
}
