using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Larder.Columnar;
using Larder.Parquet.Files;

namespace Larder.Cli;

/// <summary>
/// <c>larder inspect FILE [--json] [--row-groups R] [--columns a,b]</c>: schema (types, nullability), metadata, batches,
/// rows and sizes of any table file; for Parquet also the footer (writer, schema, row groups, column chunks with codecs,
/// encodings, sizes, offsets, statistics and index locations). Text by default, one JSON document with <c>--json</c>.
/// </summary>
internal static class InspectCommand
{
    /// <summary>Batches listed one per line in the text output.</summary>
    private const int MaxBatchLines = 20;

    public static Command Build(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A table file (.csv .tsv .jsonl .arrow .arrows .parquet)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of text (for scripts)." };
        var rowGroups = new Option<string?>("--row-groups")
        {
            Description = $"Parquet: which row groups to detail: all, none, or indexes and ranges such as 0,3,5-7. Text shows the first {ParquetInspectSelection.DefaultTextRowGroups} by default, --json all.",
        };
        var columns = new Option<string?>("--columns") { Description = "Parquet: detail only these comma-separated columns (leaf paths such as a.b, or their top-level names)." };
        var command = new Command(
            "inspect",
            "Show a table file's schema, metadata, batches, rows and sizes; for Parquet also its footer: row groups, and per column chunk the codec, encodings, sizes, offsets and statistics.")
        {
            file, json, rowGroups, columns,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            context,
            parse.GetValue(file)!,
            parse.GetValue(json),
            parse.GetValue(rowGroups),
            parse.GetValue(columns),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, bool json, string? rowGroups, string? columns, CancellationToken cancellationToken)
    {
        var format = context.Formats.ForPath(path);
        bool parquet = format is ParquetTableFormat;
        if (!parquet && (rowGroups is not null || columns is not null))
        {
            throw LarderErrors.Usage($"--row-groups and --columns apply to Parquet files; {path} is {format.Name}.");
        }

        var selection = new ParquetInspectSelection(
            ParquetInspectSelection.ParseRowGroups(rowGroups),
            columns?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        if (!File.Exists(path))
        {
            throw LarderErrors.FileNotFound(path);
        }

        ParquetInspector? footer = null;
        if (parquet)
        {
            // The footer alone; the summary below reads the batches as for every format.
            using var file = ParquetFileReader.Open(path);
            footer = new ParquetInspector(file.Metadata, selection, forText: !json);
        }

        var o = context.Console.Out;
        long fileBytes = new FileInfo(path).Length;
        await using var reader = format.OpenReader(path, Formats.TableReadOptions.Default);
        var schema = await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false);

        long rows = 0;
        int batches = 0;
        long memoryBytes = 0;
        var nulls = new long[schema.Count];
        var batchSizes = new List<(int Length, long Bytes)>();
        await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            long bytes = batch.Columns.Sum(c => ArraySize(c.Data));
            if (json || batchSizes.Count < MaxBatchLines)
            {
                batchSizes.Add((batch.Length, bytes));
            }

            for (int i = 0; i < batch.ColumnCount; i++)
            {
                nulls[i] += batch.Column(i).NullCount;
            }

            rows += batch.Length;
            memoryBytes += bytes;
            batches++;
        }

        if (json)
        {
            await o.WriteLineAsync(Json(path, format.Name, fileBytes, rows, batches, memoryBytes, schema, nulls, batchSizes, footer)).ConfigureAwait(false);
            return ExitCodes.Ok;
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

        foreach (var (b, (length, bytes)) in batchSizes.Take(MaxBatchLines).Index())
        {
            await o.WriteLineAsync($"  batch {b}: {length:N0} rows, {FormatBytes(bytes)}").ConfigureAwait(false);
        }

        if (batches > MaxBatchLines)
        {
            await o.WriteLineAsync($"  … {batches - MaxBatchLines:N0} more batches").ConfigureAwait(false);
        }

        if (footer is not null)
        {
            await o.WriteAsync(footer.ToText()).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The same facts as the text, as one JSON document; a Parquet file's footer under <c>parquet</c>.</summary>
    private static string Json(string path, string format, long fileBytes, long rows, int batches, long memoryBytes, Schema schema, long[] nulls, List<(int Length, long Bytes)> batchSizes, ParquetInspector? footer)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteString("format", format);
            w.WriteNumber("sizeBytes", fileBytes);
            w.WriteNumber("rows", rows);
            w.WriteNumber("batchCount", batches);
            w.WriteNumber("memoryBytes", memoryBytes);
            w.WriteStartArray("columns");
            for (int i = 0; i < schema.Count; i++)
            {
                var f = schema[i];
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("type", f.Type.ToString());
                w.WriteBoolean("nullable", f.Nullable);
                w.WriteNumber("nulls", nulls[i]);
                WriteMetadata(w, f.Metadata);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteMetadata(w, schema.Metadata);
            w.WriteStartArray("batches");
            foreach (var (length, bytes) in batchSizes)
            {
                w.WriteStartObject();
                w.WriteNumber("rows", length);
                w.WriteNumber("memoryBytes", bytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (footer is not null)
            {
                w.WritePropertyName("parquet");
                footer.WriteJson(w);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteMetadata(Utf8JsonWriter w, KeyValueMetadata metadata)
    {
        w.WriteStartObject("metadata");
        foreach (var kv in metadata)
        {
            w.WriteString(kv.Key, kv.Value);
        }

        w.WriteEndObject();
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
