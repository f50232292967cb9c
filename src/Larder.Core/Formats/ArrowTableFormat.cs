using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Ipc;

namespace Larder.Formats;

/// <summary>Arrow IPC as a table format: the file format (<c>.arrow</c>, <c>.feather</c>) or the stream format (<c>.arrows</c>).</summary>
public sealed class ArrowTableFormat : ITableFormat
{
    private readonly bool _stream;

    public ArrowTableFormat(bool stream) => _stream = stream;

    public string Name => _stream ? "arrows" : "arrow";

    public IReadOnlyList<string> Extensions => _stream ? [".arrows", ".stream"] : [".arrow", ".feather", ".arrow_file", ".ipc"];

    public IReadOnlyList<string> Compressions => ["lz4", "zstd"];

    public ITableReader OpenReader(string path, TableReadOptions options)
        => _stream ? new StreamReader(ArrowStreamReader.Open(path)) : new FileReader(ArrowFileReader.Open(path));

    public ITableReader OpenReader(Stream stream, TableReadOptions options, bool leaveOpen = false, string? source = null)
        => _stream
            ? new StreamReader(new ArrowStreamReader(stream, null, leaveOpen, source))
            : new FileReader(ArrowFileReader.Open(stream, null, leaveOpen, source));

    public ITableWriter CreateWriter(Stream stream, Schema schema, TableWriteOptions options, bool leaveOpen = false)
    {
        var ipc = new IpcWriteOptions { Compression = options.Compression, CompressionLevel = options.CompressionLevel };
        return _stream ? new StreamWriter(new ArrowStreamWriter(stream, schema, ipc, leaveOpen)) : new FileWriter(new ArrowFileWriter(stream, schema, ipc, leaveOpen));
    }

    private sealed class FileReader(ArrowFileReader reader) : ITableReader
    {
        public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(reader.Schema);

        public IAsyncEnumerable<RecordBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) => reader.ReadAllAsync(cancellationToken);

        public void Dispose() => reader.Dispose();

        public ValueTask DisposeAsync() => reader.DisposeAsync();
    }

    private sealed class StreamReader(ArrowStreamReader reader) : ITableReader
    {
        public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => reader.GetSchemaAsync(cancellationToken);

        public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var b in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return b;
            }
        }

        public void Dispose() => reader.Dispose();

        public ValueTask DisposeAsync() => reader.DisposeAsync();
    }

    private sealed class FileWriter(ArrowFileWriter writer) : ITableWriter
    {
        public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => writer.WriteAsync(batch, cancellationToken);

        public ValueTask FinishAsync(CancellationToken cancellationToken = default) => writer.FinishAsync(cancellationToken);

        public ValueTask DisposeAsync() => writer.DisposeAsync();
    }

    private sealed class StreamWriter(ArrowStreamWriter writer) : ITableWriter
    {
        public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => writer.WriteAsync(batch, cancellationToken);

        public ValueTask FinishAsync(CancellationToken cancellationToken = default) => writer.FinishAsync(cancellationToken);

        public ValueTask DisposeAsync() => writer.DisposeAsync();
    }
}
