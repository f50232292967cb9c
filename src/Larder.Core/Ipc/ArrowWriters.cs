using Larder.Columnar;

namespace Larder.Ipc;

/// <summary>
/// Common surface of the two Arrow IPC writers. Not thread safe. Disposes the stream unless <c>leaveOpen</c>;
/// disposing without finishing still finishes (footer or end-of-stream marker), so what was written is complete.
/// </summary>
public abstract class ArrowIpcWriter : IDisposable, IAsyncDisposable
{
    private readonly IpcWriterCore _core;

    private protected ArrowIpcWriter(Stream stream, Schema schema, IpcWriteOptions? options, bool leaveOpen, bool fileFormat)
        => _core = new IpcWriterCore(stream, schema, options, leaveOpen, fileFormat);

    public Schema Schema => _core.Schema;

    /// <summary>Writes a batch (and any dictionary it needs first).</summary>
    /// <exception cref="ArgumentException">The batch's column types differ from <see cref="Schema"/>.</exception>
    public void Write(RecordBatch batch) => _core.WriteBatch(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => _core.WriteBatch(batch, async: true, cancellationToken);

    /// <summary>Completes the output and flushes. Further writes throw.</summary>
    public void Finish() => _core.Finish(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask FinishAsync(CancellationToken cancellationToken = default) => _core.Finish(async: true, cancellationToken);

    public void Dispose()
    {
        try
        {
            Finish();
        }
        finally
        {
            _core.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FinishAsync().ConfigureAwait(false);
        }
        finally
        {
            await _core.DisposeAsync().ConfigureAwait(false);
            GC.SuppressFinalize(this);
        }
    }
}

/// <summary>
/// Writes an Arrow IPC file (<c>.arrow</c>): magic, schema, dictionaries and batches, then the footer on finish.
/// Dictionaries that change between batches are merged into one per column (sent as deltas) because the file
/// format allows no replacement.
/// </summary>
public sealed class ArrowFileWriter : ArrowIpcWriter
{
    public ArrowFileWriter(Stream stream, Schema schema, IpcWriteOptions? options = null, bool leaveOpen = false)
        : base(stream, schema, options, leaveOpen, fileFormat: true)
    {
    }
}

/// <summary>
/// Writes an Arrow IPC stream (<c>.arrows</c>): schema, then dictionaries (replacements and deltas as they change)
/// and batches, then the end-of-stream marker on finish.
/// </summary>
public sealed class ArrowStreamWriter : ArrowIpcWriter
{
    public ArrowStreamWriter(Stream stream, Schema schema, IpcWriteOptions? options = null, bool leaveOpen = false)
        : base(stream, schema, options, leaveOpen, fileFormat: false)
    {
    }
}
