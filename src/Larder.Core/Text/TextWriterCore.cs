using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// The format-independent half of <see cref="CsvWriter"/> and <see cref="JsonLinesWriter"/>: owns the stream and the
/// pooled <see cref="Utf8Output"/> the rows are formatted into, checks each batch against the schema, and flushes and
/// disposes (sync and async twins). The format formats rows into <see cref="Output"/> and drains it with
/// <see cref="DrainAsync"/> when <see cref="Utf8Output.ShouldFlush"/>. Not thread safe.
/// </summary>
internal sealed class TextWriterCore
{
    private readonly Type _owner;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Action? _beforeFlush;
    private IDisposable? _formatter;
    private bool _disposed;

    /// <param name="owner">The public writer type (in disposal and schema mismatch messages).</param>
    /// <param name="stream">The destination; disposed with the writer unless <paramref name="leaveOpen"/>.</param>
    /// <param name="schema">The columns every batch must have.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on disposal.</param>
    /// <param name="beforeFlush">Called before buffered output is flushed (a header still to write); null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="schema"/> is null.</exception>
    public TextWriterCore(Type owner, Stream stream, Schema schema, bool leaveOpen, Action? beforeFlush = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        _owner = owner;
        _stream = stream;
        Schema = schema;
        _leaveOpen = leaveOpen;
        _beforeFlush = beforeFlush;
        Output = new Utf8Output();
    }

    /// <summary>The schema of the columns written.</summary>
    public Schema Schema { get; }

    /// <summary>The buffer rows are formatted into.</summary>
    public Utf8Output Output { get; }

    /// <summary>
    /// A formatter writing into <see cref="Output"/> (such as a <see cref="System.Text.Json.Utf8JsonWriter"/>), disposed
    /// (asynchronously when it can be) after the final flush and before the output buffer is released.
    /// </summary>
    public void DisposeWith(IDisposable formatter) => _formatter = formatter;

    /// <summary>Checks that the writer is usable and that <paramref name="batch"/> has the schema's column types.</summary>
    /// <exception cref="LarderUsageException">The batch's column types differ from the schema.</exception>
    public void CheckBatch(RecordBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.ColumnCount != Schema.Count || !batch.Schema.Fields.Select(f => f.Type).SequenceEqual(Schema.Fields.Select(f => f.Type)))
        {
            throw LarderErrors.TextBatchSchemaMismatch(_owner.Name, Schema, batch.Schema);
        }
    }

    /// <summary>Writes the buffered output to the stream (without flushing the stream).</summary>
    public ValueTask DrainAsync(bool async, CancellationToken cancellationToken) => Output.DrainAsync(_stream, async, cancellationToken);

    /// <summary>Writes everything buffered to the stream and flushes it.</summary>
    public async ValueTask FlushAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        _beforeFlush?.Invoke();
        await Output.DrainAsync(_stream, async, cancellationToken).ConfigureAwait(false);
        if (async)
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _stream.Flush();
        }
    }

    /// <summary>Flushes, then releases the buffer and, unless leaveOpen, disposes the stream. Idempotent.</summary>
    public async ValueTask DisposeAsync(bool async)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await FlushAsync(async, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _disposed = true;
            if (async && _formatter is IAsyncDisposable asyncFormatter)
            {
                await asyncFormatter.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _formatter?.Dispose();
            }

            Output.Dispose();
            await OwnedStream.ReleaseAsync(_stream, _leaveOpen, async).ConfigureAwait(false);
        }
    }
}
