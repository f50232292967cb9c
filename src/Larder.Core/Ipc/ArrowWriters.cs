using Larder.Columnar;

namespace Larder.Ipc;

/// <summary>
/// Writes an Arrow IPC file (<c>.arrow</c>): magic, schema, dictionaries and batches, then the footer on
/// <see cref="FinishAsync"/> or dispose. Not thread safe. Disposes the stream unless <c>leaveOpen</c>; dispose without
/// finishing still writes the footer so the file is complete.
/// </summary>
public sealed class ArrowFileWriter : IDisposable, IAsyncDisposable
{
    private readonly IpcWriterCore _core;

    public ArrowFileWriter(Stream stream, Schema schema, IpcWriteOptions? options = null, bool leaveOpen = false)
        => _core = new IpcWriterCore(stream, schema, options, leaveOpen, fileFormat: true);

    public Schema Schema => _core.Schema;

    public void Write(RecordBatch batch) => _core.WriteBatch(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => _core.WriteBatch(batch, async: true, cancellationToken);

    /// <summary>Writes the footer. Further writes throw.</summary>
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
        }
    }
}

/// <summary>
/// Writes an Arrow IPC stream (<c>.arrows</c>): schema, then dictionaries (replacements and deltas as they change) and
/// batches, then the end-of-stream marker on <see cref="FinishAsync"/> or dispose. Not thread safe. Disposes the
/// stream unless <c>leaveOpen</c>.
/// </summary>
public sealed class ArrowStreamWriter : IDisposable, IAsyncDisposable
{
    private readonly IpcWriterCore _core;

    public ArrowStreamWriter(Stream stream, Schema schema, IpcWriteOptions? options = null, bool leaveOpen = false)
        => _core = new IpcWriterCore(stream, schema, options, leaveOpen, fileFormat: false);

    public Schema Schema => _core.Schema;

    public void Write(RecordBatch batch) => _core.WriteBatch(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => _core.WriteBatch(batch, async: true, cancellationToken);

    /// <summary>Writes the end-of-stream marker and flushes. Further writes throw.</summary>
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
        }
    }
}
