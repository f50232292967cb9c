using System.CommandLine;
using Larder.Columnar;
using Larder.Formats;
using Larder.IO;

namespace Larder.Cli;

/// <summary><c>larder convert IN OUT [--compression C] [--select a,b] [--limit N]</c>: formats from the extensions.</summary>
internal static class ConvertCommand
{
    public static Command Build(CliContext context)
    {
        var input = new Argument<string>("IN") { Description = "Input file (.csv .tsv .jsonl .arrow .arrows .parquet)." };
        var output = new Argument<string>("OUT") { Description = "Output file; its extension picks the format." };
        var compression = new Option<string?>("--compression") { Description = "Codec for formats that compress (Arrow: lz4 or zstd; Parquet: none, snappy, gzip, zstd, lz4_raw, brotli)." };
        var select = new Option<string?>("--select") { Description = "Comma-separated columns to keep, in that order." };
        var limit = new Option<long?>("--limit") { Description = "Keep at most N rows." };
        var command = new Command("convert", "Convert a table between formats, streaming batch by batch.") { input, output, compression, select, limit };
        command.SetAction((parse, cancellationToken) => RunAsync(
            context,
            parse.GetValue(input)!,
            parse.GetValue(output)!,
            parse.GetValue(compression),
            parse.GetValue(select),
            parse.GetValue(limit),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string inPath, string outPath, string? compression, string? select, long? limit, CancellationToken cancellationToken)
    {
        if (limit < 0)
        {
            throw LarderErrors.Usage($"--limit must be 0 or more, not {limit}.");
        }

        var inFormat = context.Formats.ForPath(inPath);
        var outFormat = context.Formats.ForPath(outPath);
        if (compression is not null && !outFormat.Compressions.Contains(compression.ToLowerInvariant()))
        {
            throw LarderErrors.Usage(outFormat.Compressions.Count == 0
                ? $"{outFormat.Name} output is not compressed; drop --compression."
                : $"{outFormat.Name} output can be compressed with {string.Join(" or ", outFormat.Compressions)}, not '{compression}'.");
        }

        if (!File.Exists(inPath))
        {
            throw LarderErrors.FileNotFound(inPath);
        }

        if (Path.GetFullPath(inPath) == Path.GetFullPath(outPath))
        {
            throw LarderErrors.Usage($"{outPath} is also the input; write to another file.");
        }

        await using var reader = inFormat.OpenReader(inPath, TableReadOptions.Default);
        var schema = await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        var batches = reader.ReadBatchesAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(select))
        {
            var columns = select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            batches = BatchStreams.Select(batches, schema, columns, cancellationToken);
            schema = BatchStreams.Select(schema, columns);
        }

        if (limit is long n)
        {
            batches = BatchStreams.Limit(batches, n, cancellationToken);
        }

        long rows = 0;
        await using (var target = AtomicFile.Create(outPath))
        {
            var options = new TableWriteOptions { Compression = compression?.ToLowerInvariant() };
            await using (var writer = outFormat.CreateWriter(target.Stream, schema, options, leaveOpen: true))
            {
                await foreach (var batch in batches.ConfigureAwait(false))
                {
                    await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    rows += batch.Length;
                }

                await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
            }

            await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (context.Console.CanShowProgress)
        {
            await context.Console.Error.WriteLineAsync($"wrote {rows:N0} rows to {outPath} ({outFormat.Name})").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
