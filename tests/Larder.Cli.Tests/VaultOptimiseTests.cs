using Larder.Columnar;
using Xunit.Abstractions;
using static Larder.Cli.Tests.VaultTestSupport;

namespace Larder.Cli.Tests;

/// <summary><c>vault import … -o out.arrow</c> memory optimisation: a few-valued string column becomes a dictionary.</summary>
public class VaultOptimiseTests
{
    private const int Rows = 1_000_000;

    private readonly ITestOutputHelper _output;

    public VaultOptimiseTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Import_MillionRowsToArrow_PrintsReductionAndWritesSixValueDictionary()
    {
        using var dir = new TempDir();
        string[] cities = WriteCityCsv(dir["big.csv"], Rows, seed: 42);
        string v = dir["v.zip"];
        var store = await CliRunner.RunAsync("vault", "store", "big", dir["big.csv"], "in", "data", "--vault", v, "--secure", "false");
        Assert.True(store.ExitCode == 0, store.Error);

        var optimised = await CliRunner.RunAsync("vault", "import", "big", "from", "data", "-o", dir["out.arrow"], "--vault", v, "--secure", "false", "--timestamp", "false");
        var plain = await CliRunner.RunAsync("vault", "import", "big", "from", "data", "-o", dir["plain.arrow"], "--vault", v, "--secure", "false", "--optimise", "false", "--timestamp", "false");

        _output.WriteLine(optimised.Out);
        Assert.True(optimised.ExitCode == 0, optimised.Error);
        string[] lines = optimised.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^Reduced memory usage by \d+\.\d\d%, from \d+\.\d\d MB to \d+\.\d\d MB\.$", lines[0]);
        Assert.StartsWith("Imported big (", lines[1], StringComparison.Ordinal);

        var batches = await ReadTableAsync(dir["out.arrow"]);
        Assert.Equal(Rows, batches.Sum(b => b.Length));
        var dictionaryValues = new HashSet<string>(StringComparer.Ordinal);
        var values = new List<string?>(Rows);
        foreach (RecordBatch batch in batches)
        {
            var city = Assert.IsType<DictionaryArray>(batch.Column("city"));
            Assert.Equal(6, city.Dictionary.Length);
            for (int i = 0; i < city.Dictionary.Length; i++)
            {
                dictionaryValues.Add((string)city.Dictionary.GetValue(i)!);
            }

            for (int i = 0; i < batch.Length; i++)
            {
                values.Add((string?)city.GetValue(i));
            }
        }

        Assert.Equal(["Berlin", "Lagos", "Lima", "Osaka", "Paris", "Perth"], dictionaryValues.Order(StringComparer.Ordinal));
        Assert.Equal(cities, values);

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.DoesNotContain("Reduced memory usage", plain.Out, StringComparison.Ordinal);
        var plainBatches = await ReadTableAsync(dir["plain.arrow"]);
        Assert.IsType<StringArray>(plainBatches[0].Column("city"));
    }
}
