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

    private static long WriteCsv(string path, long bytes)
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

        return stream.Length;
    }
}
