using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Formats;

namespace Larder.Parquet.Files;

/// <summary>Parquet (<c>.parquet</c>) as a table format for <c>larder convert</c> and the other front ends.</summary>
public sealed class ParquetTableFormat : ITableFormat
{
    public string Name => "parquet";

    public IReadOnlyList<string> Extensions => [".parquet", ".pq"];

    public IReadOnlyList<string> Compressions => ["none", "snappy", "gzip", "zstd", "lz4_raw", "brotli"];

    public ITableReader OpenReader(string path, TableReadOptions options) => new Reader(ParquetFileReader.Open(path));

    /// <summary>Parquet is read footer first, so it needs a file: a <see cref="FileStream"/> is reopened by its path.</summary>
    /// <exception cref="LarderUsageException">The stream is not a file.</exception>
    public ITableReader OpenReader(Stream stream, TableReadOptions options, bool leaveOpen = false, string? source = null)
    {
        if (stream is not FileStream file)
        {
            throw LarderErrors.Usage($"{source ?? "this input"}: Parquet is read from its footer first and needs a file; save the data to a .parquet file first.");
        }

        var reader = new Reader(ParquetFileReader.Open(file.Name));
        if (!leaveOpen)
        {
            stream.Dispose();
        }

        return reader;
    }

    public ITableWriter CreateWriter(Stream stream, Schema schema, TableWriteOptions options, bool leaveOpen = false)
    {
        var parquet = new ParquetWriteOptions
        {
            Compression = options.Compression ?? ParquetWriteOptions.Default.Compression,
            CompressionLevel = options.CompressionLevel,
        };
        return new Writer(new ParquetFileWriter(stream, schema, parquet, leaveOpen));
    }

    private sealed class Reader(ParquetFileReader reader) : ITableReader
    {
        public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(reader.Schema);

        public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var b in reader.ReadAllAsync(null, cancellationToken).ConfigureAwait(false))
            {
                yield return b;
            }
        }

        public void Dispose() => reader.Dispose();

        public ValueTask DisposeAsync() => reader.DisposeAsync();
    }

    private sealed class Writer(ParquetFileWriter writer) : ITableWriter
    {
        public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => writer.WriteAsync(batch, cancellationToken);

        public ValueTask FinishAsync(CancellationToken cancellationToken = default) => writer.FinishAsync(cancellationToken);

        public ValueTask DisposeAsync() => writer.DisposeAsync();
    }
}
