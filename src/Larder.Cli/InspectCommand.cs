using System.CommandLine;
using System.Globalization;
using Larder.Columnar;

namespace Larder.Cli;

/// <summary><c>larder inspect FILE</c>: schema (types, nullability), metadata, batches, rows and sizes.</summary>
internal static class InspectCommand
{
    public static Command Build(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A table file (.csv .tsv .jsonl .arrow .arrows .parquet)." };
        var command = new Command("inspect", "Show a table file's schema, metadata, batches, rows and sizes.") { file };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse.GetValue(file)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        var format = context.Formats.ForPath(path);
        if (!File.Exists(path))
        {
            throw LarderErrors.FileNotFound(path);
        }

        var o = context.Console.Out;
        long fileBytes = new FileInfo(path).Length;
        await using var reader = format.OpenReader(path, Formats.TableReadOptions.Default);
        var schema = await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false);

        long rows = 0;
        int batches = 0;
        long memoryBytes = 0;
        var nulls = new long[schema.Count];
        var batchLines = new List<string>();
        await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            long bytes = batch.Columns.Sum(c => ArraySize(c.Data));
            if (batchLines.Count < 20)
            {
                batchLines.Add($"  batch {batches}: {batch.Length:N0} rows, {FormatBytes(bytes)}");
            }

            for (int i = 0; i < batch.ColumnCount; i++)
            {
                nulls[i] += batch.Column(i).NullCount;
            }

            rows += batch.Length;
            memoryBytes += bytes;
            batches++;
        }

        await o.WriteLineAsync($"file:    {path}").ConfigureAwait(false);
        await o.WriteLineAsync($"format:  {format.Name}").ConfigureAwait(false);
        await o.WriteLineAsync($"size:    {FormatBytes(fileBytes)} ({fileBytes:N0} bytes)").ConfigureAwait(false);
        await o.WriteLineAsync($"rows:    {rows:N0}").ConfigureAwait(false);
        await o.WriteLineAsync($"batches: {batches:N0}").ConfigureAwait(false);
        await o.WriteLineAsync($"memory:  {FormatBytes(memoryBytes)} as Arrow columns").ConfigureAwait(false);
        await o.WriteLineAsync($"columns: {schema.Count}").ConfigureAwait(false);
        int width = schema.Fields.Select(f => f.Name.Length).DefaultIfEmpty(4).Max();
        for (int i = 0; i < schema.Count; i++)
        {
            var f = schema[i];
            string nullability = f.Nullable ? "nullable" : "not null";
            await o.WriteLineAsync($"  {f.Name.PadRight(width)}  {f.Type}  {nullability}  nulls={nulls[i]:N0}").ConfigureAwait(false);
            foreach (var kv in f.Metadata)
            {
                await o.WriteLineAsync($"  {new string(' ', width)}    {kv.Key} = {Shorten(kv.Value)}").ConfigureAwait(false);
            }
        }

        if (schema.Metadata.Count > 0)
        {
            await o.WriteLineAsync("metadata:").ConfigureAwait(false);
            foreach (var kv in schema.Metadata)
            {
                await o.WriteLineAsync($"  {kv.Key} = {Shorten(kv.Value)}").ConfigureAwait(false);
            }
        }

        foreach (var line in batchLines)
        {
            await o.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (batches > batchLines.Count)
        {
            await o.WriteLineAsync($"  … {batches - batchLines.Count:N0} more batches").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Bytes referenced by the array's buffers (dictionaries included once per column).</summary>
    private static long ArraySize(ArrayData data)
    {
        long total = data.Buffers.Sum(b => (long)b.Length);
        foreach (var child in data.Children)
        {
            total += ArraySize(child);
        }

        if (data.Dictionary is not null)
        {
            total += ArraySize(data.Dictionary);
        }

        return total;
    }

    private static string Shorten(string value) => value.Length <= 120 ? value : value[..117] + "...";

    internal static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? $"{bytes} B" : v.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
