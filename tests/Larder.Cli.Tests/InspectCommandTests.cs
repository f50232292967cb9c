using Larder.Columnar;
using Larder.Ipc;

namespace Larder.Cli.Tests;

public class InspectCommandTests
{
    [Fact]
    public async Task Inspect_ArrowFile_ShowsSchemaMetadataBatchesAndRows()
    {
        using var dir = new TempDir();
        var schema = new Schema(
            [new Field("id", ArrowType.Int64, nullable: false), new Field("tag", ArrowType.String, metadata: KeyValueMetadata.Of("unit", "none"))],
            KeyValueMetadata.Of("origin", "test"));
        await using (var stream = File.Create(dir["t.arrow"]))
        await using (var writer = new ArrowFileWriter(stream, schema))
        {
            for (int b = 0; b < 3; b++)
            {
                var ids = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
                var tags = new BinaryArrayBuilder(ArrowType.String);
                for (int i = 0; i < 10; i++)
                {
                    ids.Append(i);
                    if (i % 5 == 0)
                    {
                        tags.AppendNull();
                    }
                    else
                    {
                        tags.Append("t" + i);
                    }
                }

                await writer.WriteAsync(new RecordBatch(schema, [ids.Build(), tags.Build()], 10));
            }
        }

        var r = await CliRunner.RunAsync("inspect", dir["t.arrow"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("rows:    30", r.Out, StringComparison.Ordinal);
        Assert.Contains("batches: 3", r.Out, StringComparison.Ordinal);
        Assert.Contains("id   int64  not null", r.Out, StringComparison.Ordinal);
        Assert.Contains("tag  utf8  nullable  nulls=6", r.Out, StringComparison.Ordinal);
        Assert.Contains("unit = none", r.Out, StringComparison.Ordinal);
        Assert.Contains("origin = test", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_CorruptFile_ExitsErrorNamingFile()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir["bad.arrow"], [.. "ARROW1"u8, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, .. "ARROW1"u8]);
        var r = await CliRunner.RunAsync("inspect", dir["bad.arrow"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.arrow", r.Error, StringComparison.Ordinal);
    }
}
