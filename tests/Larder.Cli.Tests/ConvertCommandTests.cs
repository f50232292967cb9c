using Larder.Columnar;
using Larder.Formats;
using Larder.TestKit;

namespace Larder.Cli.Tests;

public class ConvertCommandTests
{
    private const string Csv =
        "id,name,score,active,seen,note\n" +
        "1,alice,1.5,true,2024-01-02T03:04:05,\"says \"\"hi\"\", twice\"\n" +
        "2,bob,,false,2024-01-02T03:04:06.250,\n" +
        "3,\"carol, jr\",-2.25e3,true,,\"\"\n" +
        "4,dan,NaN,,2024-02-29T23:59:59.999999,line1\nline2\n";

    private static async Task<List<RecordBatch>> ReadAllAsync(string path)
    {
        var format = TableFormatRegistry.CreateDefault().ForPath(path);
        await using var reader = format.OpenReader(path, TableReadOptions.Default);
        var list = new List<RecordBatch>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            list.Add(b);
        }

        return list;
    }

    [Fact]
    public async Task Convert_CsvToArrowToJsonl_KeepsEveryValue()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], Csv.Replace("line1\nline2", "\"line1\nline2\"", StringComparison.Ordinal));
        Assert.Equal(0, (await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.arrow"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("convert", dir["x.arrow"], dir["x.jsonl"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("convert", dir["x.jsonl"], dir["back.arrow"])).ExitCode);

        var fromCsv = await ReadAllAsync(dir["x.csv"]);
        var fromArrow = await ReadAllAsync(dir["x.arrow"]);
        var fromJsonl = await ReadAllAsync(dir["back.arrow"]);
        ArrowAssert.Equal(new Table(fromCsv[0].Schema, fromCsv), new Table(fromArrow[0].Schema, fromArrow));
        ArrowAssert.Equal(new Table(fromCsv[0].Schema, fromCsv), new Table(fromJsonl[0].Schema, fromJsonl), ignoreBatchBoundaries: true);
        Assert.Equal(4, fromArrow.Sum(b => b.Length));
        Assert.Equal("says \"hi\", twice", ((StringArray)fromArrow[0].Column("note")).GetString(0));
        Assert.Equal(string.Empty, ((StringArray)fromArrow[0].Column("note")).GetString(2));
        Assert.True(fromArrow[0].Column("note").IsNull(1));
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("lz4")]
    public async Task Convert_ArrowWithCompression_ReadsBackEqual(string codec)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], Csv.Replace("line1\nline2", "x", StringComparison.Ordinal));
        Assert.Equal(0, (await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.arrows"], "--compression", codec)).ExitCode);
        ArrowAssert.Equal(new Table((await ReadAllAsync(dir["x.csv"]))[0].Schema, await ReadAllAsync(dir["x.csv"])), new Table((await ReadAllAsync(dir["x.arrows"]))[0].Schema, await ReadAllAsync(dir["x.arrows"])));
    }

    [Fact]
    public async Task Convert_SelectAndLimit_KeepsThoseColumnsAndRows()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], Csv.Replace("line1\nline2", "x", StringComparison.Ordinal));
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir["y.tsv"], "--select", "name,id", "--limit", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("name\tid\nalice\t1\nbob\t2\n", await File.ReadAllTextAsync(dir["y.tsv"]));
    }

    [Fact]
    public async Task Convert_MissingInput_ExitsNotFoundWithOneLine()
    {
        using var dir = new TempDir();
        var r = await CliRunner.RunAsync("convert", dir["nope.csv"], dir["x.arrow"]);
        Assert.Equal(3, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains("nope.csv", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["x.arrow"]));
    }

    [Fact]
    public async Task Convert_UnknownColumn_ExitsNotFound()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,2\n");
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.arrow"], "--select", "c");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("'c'", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.parquetish")]
    [InlineData("x.txt")]
    public async Task Convert_UnknownExtension_ExitsUsage(string output)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a\n1\n");
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir[output]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(".arrow", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_CompressionForCsv_ExitsUsage()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a\n1\n");
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir["y.csv"], "--compression", "zstd");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public async Task Convert_MalformedInputMidway_ExitsErrorAndLeavesNoOutput()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "a,b" };
        for (int i = 0; i < 200_000; i++)
        {
            lines.Add($"{i},{i * 2}");
        }

        lines.Add("1,2,3,4"); // ragged row long after the first batch was written
        await File.WriteAllLinesAsync(dir["x.csv"], lines);
        File.WriteAllText(dir["x.arrow"], "previous content");
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.arrow"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        Assert.Equal("previous content", await File.ReadAllTextAsync(dir["x.arrow"]));
        Assert.Equal(["x.arrow", "x.csv"], Directory.GetFiles(dir.Root).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Convert_MalformedInputVerbose_PrintsStackTrace()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,2,3\n");
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.arrow"], "--verbose");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_MissingArgument_ExitsUsage()
    {
        var r = await CliRunner.RunAsync("convert", "only-one.csv");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public async Task Process_ConvertAndInspect_ExitCodesAndOutput()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,x\n2,y\n");
        var ok = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(2), "convert", dir["x.csv"], dir["x.arrow"]);
        Assert.Equal(0, ok.ExitCode);
        var inspect = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(2), "inspect", dir["x.arrow"]);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("rows:    2", inspect.Out, StringComparison.Ordinal);
        var missing = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(2), "inspect", dir["missing.arrow"]);
        Assert.Equal(3, missing.ExitCode);
        Assert.Single(missing.Error.TrimEnd().Split('\n'));
    }
}
