using Larder.Columnar;
using Larder.IO;

namespace Larder.Ipc;

/// <summary>
/// Common surface of the two Arrow IPC writers. Not thread safe. Disposes the stream unless <c>leaveOpen</c>;
/// disposing without finishing still finishes (footer or end-of-stream marker), so what was written is complete.
/// </summary>
public abstract class ArrowIpcWriter : IDisposable, IAsyncDisposable
{
    private readonly IpcWriterCore _core;

    // Set when the writer was created for a path: finishing commits the file, disposing unfinished discards it.
    private readonly AtomicFile? _target;
    private bool _finished;

    private protected ArrowIpcWriter(Stream stream, Schema schema, IpcWriteOptions? options, bool leaveOpen, bool fileFormat)
        => _core = new IpcWriterCore(stream, schema, options, leaveOpen, fileFormat);

    private protected ArrowIpcWriter(AtomicFile target, Schema schema, IpcWriteOptions? options, bool fileFormat)
    {
        _target = target;
        try
        {
            _core = new IpcWriterCore(target.Stream, schema, options, leaveOpen: true, fileFormat);
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    public Schema Schema => _core.Schema;

    /// <summary>Writes a batch (and any dictionary it needs first).</summary>
    /// <exception cref="ArgumentException">The batch's column types differ from <see cref="Schema"/>.</exception>
    public void Write(RecordBatch batch) => _core.WriteBatch(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default) => _core.WriteBatch(batch, async: true, cancellationToken);

    /// <summary>Completes the output and flushes (for a writer created on a path: and puts the file in place). Further writes throw.</summary>
    public void Finish() => FinishCore(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask FinishAsync(CancellationToken cancellationToken = default) => FinishCore(async: true, cancellationToken);

    /// <summary>
    /// Finishes when writing to a stream. A writer created on a path that was not finished discards its partial
    /// output instead, so an error while writing never leaves a file behind.
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (_target is null)
            {
                Finish();
            }
        }
        finally
        {
            _core.Dispose();
            _target?.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_target is null)
            {
                await FinishAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _core.DisposeAsync().ConfigureAwait(false);
            if (_target is not null)
            {
                await _target.DisposeAsync().ConfigureAwait(false);
            }

            GC.SuppressFinalize(this);
        }
    }

    private async ValueTask FinishCore(bool async, CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        await _core.Finish(async, cancellationToken).ConfigureAwait(false);
        if (_target is not null)
        {
            await _target.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _finished = true;
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

    private ArrowFileWriter(AtomicFile target, Schema schema, IpcWriteOptions? options)
        : base(target, schema, options, fileFormat: true)
    {
    }

    /// <summary>
    /// Writes the file at <paramref name="path"/> atomically: the file appears, complete, when the writer finishes;
    /// disposing an unfinished writer leaves any previous file untouched. Disk blocks are reserved ahead of the writes.
    /// </summary>
    /// <param name="durable">Wait for the bytes to reach the device before the file appears (fsync). Default false.</param>
    public static ArrowFileWriter Create(string path, Schema schema, IpcWriteOptions? options = null, bool durable = false)
        => new(AtomicFile.Create(path, durable), schema, options);
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

    private ArrowStreamWriter(AtomicFile target, Schema schema, IpcWriteOptions? options)
        : base(target, schema, options, fileFormat: false)
    {
    }

    /// <summary>Writes the stream file at <paramref name="path"/> atomically, as <see cref="ArrowFileWriter.Create"/> does.</summary>
    public static ArrowStreamWriter Create(string path, Schema schema, IpcWriteOptions? options = null, bool durable = false)
        => new(AtomicFile.Create(path, durable), schema, options);
}
