using Larder.Columnar;

namespace Larder.Formats;

/// <summary>
/// A file format that holds tables (CSV, Arrow, Parquet…): opens readers and creates writers over streams or paths.
/// Implementations are stateless and thread safe.
/// </summary>
public interface ITableFormat
{
    /// <summary>Short lower-case name, e.g. <c>csv</c>, <c>arrow</c>.</summary>
    string Name { get; }

    /// <summary>File extensions (with the dot, lower case) that select this format.</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>Codec names <see cref="TableWriteOptions.Compression"/> accepts for this format; empty when it does not compress.</summary>
    IReadOnlyList<string> Compressions { get; }

    /// <summary>Opens <paramref name="path"/> for reading. The reader owns the file.</summary>
    ITableReader OpenReader(string path, TableReadOptions options);

    /// <summary>Reads from <paramref name="stream"/>; disposes it with the reader unless <paramref name="leaveOpen"/>.</summary>
    ITableReader OpenReader(Stream stream, TableReadOptions options, bool leaveOpen = false, string? source = null);

    /// <summary>Writes to <paramref name="stream"/>; disposes it with the writer unless <paramref name="leaveOpen"/>.</summary>
    ITableWriter CreateWriter(Stream stream, Schema schema, TableWriteOptions options, bool leaveOpen = false);
}

/// <summary>A table being read as a stream of record batches. Not thread safe.</summary>
public interface ITableReader : IAsyncDisposable, IDisposable
{
    ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>The batches, once, in order. Memory stays bounded by a few batches.</summary>
    IAsyncEnumerable<RecordBatch> ReadBatchesAsync(CancellationToken cancellationToken = default);
}

/// <summary>A table being written batch by batch. <see cref="FinishAsync"/> completes the file (footer, flush). Not thread safe.</summary>
public interface ITableWriter : IAsyncDisposable
{
    ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default);

    ValueTask FinishAsync(CancellationToken cancellationToken = default);
}

/// <summary>Options every table reader understands; formats ignore what does not apply to them.</summary>
public sealed record TableReadOptions
{
    public static TableReadOptions Default { get; } = new();

    /// <summary>Rows per batch for formats that choose their own batching (CSV, JSON lines). Default 65,536.</summary>
    public int BatchSize { get; init; } = 65_536;
}

/// <summary>Options every table writer understands; formats ignore what does not apply to them.</summary>
public sealed record TableWriteOptions
{
    public static TableWriteOptions Default { get; } = new();

    /// <summary>Codec name for formats that compress (Arrow IPC: lz4 or zstd; Parquet later). Default null: the format's default.</summary>
    public string? Compression { get; init; }

    /// <summary>Codec level; null uses the codec's default.</summary>
    public int? CompressionLevel { get; init; }
}
