using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Text;

namespace Larder.Formats;

/// <summary>CSV (<c>.csv</c>) or TSV (<c>.tsv</c>, <c>.tab</c>) as a table format, with the readers' type inference.</summary>
public sealed class CsvTableFormat : ITableFormat
{
    private readonly bool _tab;

    public CsvTableFormat(bool tab) => _tab = tab;

    public string Name => _tab ? "tsv" : "csv";

    public IReadOnlyList<string> Extensions => _tab ? [".tsv", ".tab"] : [".csv"];

    public IReadOnlyList<string> Compressions => [];

    public ITableReader OpenReader(string path, TableReadOptions options)
        => OpenReader(TextFiles.OpenRead(path), options, leaveOpen: false, path);

    public ITableReader OpenReader(Stream stream, TableReadOptions options, bool leaveOpen = false, string? source = null)
    {
        var csv = (_tab ? CsvReadOptions.Tsv : new CsvReadOptions()) with { BatchSize = options.BatchSize };
        var reader = new CsvReader(stream, csv, leaveOpen, source);
        return new TextReader(reader.GetSchemaAsync, reader.ReadBatchesAsync, reader);
    }

    public ITableWriter CreateWriter(Stream stream, Schema schema, TableWriteOptions options, bool leaveOpen = false)
    {
        var writer = new CsvWriter(stream, schema, _tab ? CsvWriteOptions.Tsv : new CsvWriteOptions(), leaveOpen);
        return new TextWriter(writer.WriteAsync, writer.FlushAsync, writer);
    }
}

/// <summary>JSON lines (<c>.jsonl</c>, <c>.ndjson</c>): one object per row.</summary>
public sealed class JsonLinesTableFormat : ITableFormat
{
    public string Name => "jsonl";

    public IReadOnlyList<string> Extensions => [".jsonl", ".ndjson"];

    public IReadOnlyList<string> Compressions => [];

    public ITableReader OpenReader(string path, TableReadOptions options)
        => OpenReader(TextFiles.OpenRead(path), options, leaveOpen: false, path);

    public ITableReader OpenReader(Stream stream, TableReadOptions options, bool leaveOpen = false, string? source = null)
    {
        var reader = new JsonLinesReader(stream, new JsonLinesReadOptions { BatchSize = options.BatchSize }, leaveOpen, source);
        return new TextReader(reader.GetSchemaAsync, reader.ReadBatchesAsync, reader);
    }

    public ITableWriter CreateWriter(Stream stream, Schema schema, TableWriteOptions options, bool leaveOpen = false)
    {
        var writer = new JsonLinesWriter(stream, schema, null, leaveOpen);
        return new TextWriter(writer.WriteAsync, writer.FlushAsync, writer);
    }
}

internal static class TextFiles
{
    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
    }
}

/// <summary>Adapts a text reader (CSV or JSON lines) to <see cref="ITableReader"/>.</summary>
internal sealed class TextReader(
    Func<CancellationToken, ValueTask<Schema>> getSchema,
    Func<CancellationToken, IAsyncEnumerable<RecordBatch>> read,
    IAsyncDisposable owner) : ITableReader
{
    public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => getSchema(cancellationToken);

    public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var b in read(cancellationToken).ConfigureAwait(false))
        {
            yield return b;
        }
    }

    public void Dispose() => ((IDisposable)owner).Dispose();

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}

/// <summary>Adapts a text writer (CSV or JSON lines) to <see cref="ITableWriter"/>.</summary>
internal sealed class TextWriter(
    Func<RecordBatch, CancellationToken, ValueTask> write,
    Func<CancellationToken, ValueTask> flush,
    IAsyncDisposable owner) : ITableWriter
{
    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => write(batch, cancellationToken);

    public ValueTask FinishAsync(CancellationToken cancellationToken = default) => flush(cancellationToken);

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
