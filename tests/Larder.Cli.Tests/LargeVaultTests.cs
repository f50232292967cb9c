using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Cli.Tests;

/// <summary>Heavy vault checks: run with <c>bash scripts/test-slow.sh</c>.</summary>
public class LargeVaultTests
{
    private readonly ITestOutputHelper _output;

    public LargeVaultTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// A 5 GiB CSV stored as a TSV entry (more than 4 GiB: ZIP64 sizes) and imported back to Arrow: both commands stream,
    /// so each stays under 1 GiB of memory; 7-Zip tests the archive, and the imported table has every row.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task VaultStoreImport_FiveGibCsv_PeakRssUnderOneGibAndZip64Entry()
    {
        using var dir = new TempDir();
        string csv = dir["big.csv"];
        long written = LargeConvertTests.WriteCsv(csv, 5L << 30, out long rows);
        _output.WriteLine($"generated {written:N0} bytes of CSV, {rows:N0} rows");
        string vault = dir["storage.zip"];

        var store = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(30), "vault", "store", "big", csv, "in", "m", "--vault", vault, "--secure", "false");
        _output.WriteLine($"store: exit {store.ExitCode}, peak RSS {store.PeakRssBytes / (1 << 20):N0} MiB, out: {store.Out.Trim()}, stderr: {store.Error}");
        Assert.Equal(0, store.ExitCode);
        Assert.InRange(store.PeakRssBytes, 1, 1L << 30);
        File.Delete(csv);

        var list = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(5), "vault", "list", "--json", "--vault", vault);
        _output.WriteLine(list.Out.Trim());
        Assert.Equal(0, list.ExitCode);
        using (var listed = System.Text.Json.JsonDocument.Parse(list.Out.Trim()))
        {
            Assert.True(listed.RootElement.GetProperty("size").GetInt64() > uint.MaxValue, "the entry should need ZIP64 sizes");
        }

        var test = await ChildProcess.RunAsync("7z", ["t", vault], dir.Root, TimeSpan.FromMinutes(20));
        _output.WriteLine(test.Stdout.Trim().Split('\n')[^1]);
        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr);
        Assert.Contains("Everything is Ok", test.Stdout, StringComparison.Ordinal);

        var import = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(30), "vault", "import", "big", "from", "m", "-o", dir["big.arrow"], "--vault", vault, "--secure", "false");
        _output.WriteLine($"import: exit {import.ExitCode}, peak RSS {import.PeakRssBytes / (1 << 20):N0} MiB, out: {import.Out.Trim()}, stderr: {import.Error}");
        Assert.Equal(0, import.ExitCode);
        Assert.InRange(import.PeakRssBytes, 1, 1L << 30);
        Assert.Contains("Reduced memory usage by", import.Out, StringComparison.Ordinal);

        var inspect = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(10), "inspect", dir["big.arrow"]);
        Assert.Equal(0, inspect.ExitCode);
        _output.WriteLine(inspect.Out);
        Assert.Contains($"{rows:N0}", inspect.Out, StringComparison.Ordinal);
        Assert.Contains("dictionary", inspect.Out, StringComparison.Ordinal);
    }
}
