using Larder.Columnar;
using Larder.Formats;
using Larder.Parquet.Files;
using Larder.TestKit;

namespace Larder.Cli.Tests;

public class ParquetConvertTests
{
    private const string Csv =
        "id,name,score,active,seen\n" +
        "1,alice,1.5,true,2024-01-02T03:04:05\n" +
        "2,\"bob, jr\",,false,2024-01-02T03:04:06.250\n" +
        "3,,-2.25e3,true,\n" +
        "4,dan,NaN,,2024-02-29T23:59:59.999999\n";

    private static async Task<Table> ReadAsync(string path)
    {
        var format = TableFormatRegistry.CreateDefault().With(new ParquetTableFormat()).ForPath(path);
        await using var reader = format.OpenReader(path, TableReadOptions.Default);
        var schema = await reader.GetSchemaAsync();
        var batches = new List<RecordBatch>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            batches.Add(b);
        }

        return new Table(schema, batches);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("snappy")]
    [InlineData("gzip")]
    [InlineData("none")]
    public async Task Convert_CsvToParquetToArrow_KeepsEveryValue(string? codec)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], Csv);
        string[] toParquet = codec is null ? ["convert", dir["x.csv"], dir["x.parquet"]] : ["convert", dir["x.csv"], dir["x.parquet"], "--compression", codec];
        var r = await CliRunner.RunAsync(toParquet);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(0, (await CliRunner.RunAsync("convert", dir["x.parquet"], dir["x.arrow"])).ExitCode);
        var fromCsv = await ReadAsync(dir["x.csv"]);
        ArrowAssert.Equal(fromCsv, await ReadAsync(dir["x.parquet"]), ignoreBatchBoundaries: true);
        ArrowAssert.Equal(fromCsv, await ReadAsync(dir["x.arrow"]), ignoreBatchBoundaries: true);
    }

    [Fact]
    public async Task Convert_ParquetWithArrowCodec_ExitsUsage()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], Csv);
        var r = await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.parquet"], "--compression", "lz4");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("lz4_raw", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_ParquetFile_ShowsRowsAndColumns()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], Csv);
        Assert.Equal(0, (await CliRunner.RunAsync("convert", dir["x.csv"], dir["x.parquet"])).ExitCode);
        var r = await CliRunner.RunAsync("inspect", dir["x.parquet"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("format:  parquet", r.Out, StringComparison.Ordinal);
        Assert.Contains("rows:    4", r.Out, StringComparison.Ordinal);
        Assert.Contains("seen", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ConvertParquetConformanceFile_Works()
    {
        using var dir = new TempDir();
        string source = TestData.Path("parquet", "data", "alltypes_plain.snappy.parquet");
        var r = await CliRunner.RunProcessAsync(TimeSpan.FromMinutes(2), "convert", source, dir["x.jsonl"]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(2, (await File.ReadAllLinesAsync(dir["x.jsonl"])).Length);
    }
}
