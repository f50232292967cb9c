using System.Runtime.CompilerServices;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// Writes record batches as CSV or TSV text (UTF-8; formats: <see cref="CsvWriteOptions"/>), streaming: text is
/// formatted into a pooled buffer and written to the stream about every megabyte.
/// </summary>
/// <remarks>
/// The header line is written with the first batch, or on flush or disposal when no batch was written. Every batch must
/// have the writer's column types. <b>Ownership and threads:</b> the writer owns the stream unless <c>leaveOpen</c> is
/// true; disposal flushes and then disposes the stream. Not thread safe: write from one thread at a time.
/// </remarks>
public sealed class CsvWriter : IAsyncDisposable, IDisposable
{
    private readonly Stream _stream;
    private readonly Schema _schema;
    private readonly bool _leaveOpen;
    private readonly CsvWriteOptions _options;
    private readonly CsvFormatConfig _config;
    private readonly byte[] _lineEnding;
    private readonly Utf8Output _output = new();
    private bool _headerWritten;
    private bool _disposed;

    /// <summary>Creates a writer of <paramref name="schema"/>'s columns to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream; written forward only.</param>
    /// <param name="schema">The columns (names for the header, types that every batch must have).</param>
    /// <param name="options">Writing options; null for the defaults (comma separated, header, LF).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the writer is disposed.</param>
    /// <exception cref="LarderUsageException">An option is invalid.</exception>
    public CsvWriter(Stream stream, Schema schema, CsvWriteOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        _stream = stream;
        _schema = schema;
        _leaveOpen = leaveOpen;
        _options = options ?? new CsvWriteOptions();
        Validate(_options);
        _config = new CsvFormatConfig(_options);
        _lineEnding = System.Text.Encoding.ASCII.GetBytes(_options.LineEnding);
    }

    /// <summary>The schema of the columns written.</summary>
    public Schema Schema => _schema;

    /// <summary>Writes the rows of <paramref name="batch"/> (and the header before the first batch).</summary>
    /// <exception cref="LarderUsageException">The batch's column types differ from the writer's schema.</exception>
    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default)
        => WriteCoreAsync(batch, async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="WriteAsync"/>.</summary>
    public void Write(RecordBatch batch) => WriteCoreAsync(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Writes everything buffered (and the header, if not yet written) to the stream and flushes it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteHeaderIfNeeded();
        await _output.DrainAsync(_stream, async: true, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The synchronous twin of <see cref="FlushAsync"/>.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteHeaderIfNeeded();
        _output.DrainAsync(_stream, async: false, CancellationToken.None).GetAwaiter().GetResult();
        _stream.Flush();
    }

    /// <summary>Flushes, then disposes the stream unless <c>leaveOpen</c>. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            Flush();
        }
        finally
        {
            _disposed = true;
            _output.Dispose();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>Flushes asynchronously, then disposes the stream unless <c>leaveOpen</c>. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposed = true;
            _output.Dispose();
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Validate(CsvWriteOptions o)
    {
        if (o.Delimiter > 127 || o.Delimiter is '\r' or '\n')
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvWriteOptions.Delimiter), "the delimiter must be an ASCII character other than CR and LF");
        }

        if (o.Quote > 127 || o.Quote is '\r' or '\n' || o.Quote == o.Delimiter)
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvWriteOptions.Quote), "the quote must be an ASCII character other than CR, LF and the delimiter");
        }

        if (o.LineEnding is not ("\n" or "\r\n" or "\r"))
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvWriteOptions.LineEnding), "the line ending must be \"\\n\", \"\\r\\n\" or \"\\r\"");
        }

        if (o.TimestampSeparator is not (' ' or 'T'))
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvWriteOptions.TimestampSeparator), "the separator must be ' ' or 'T'");
        }

        if (o.NullText is null || o.TrueText is null || o.FalseText is null
            || o.NullText.Contains(o.Delimiter, StringComparison.Ordinal) || o.NullText.Contains(o.Quote, StringComparison.Ordinal)
            || o.NullText.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvWriteOptions.NullText), "NullText, TrueText and FalseText must not be null, and NullText must not contain the delimiter, the quote, CR or LF");
        }
    }

    private void WriteHeaderIfNeeded()
    {
        if (_headerWritten)
        {
            return;
        }

        _headerWritten = true;
        if (!_options.Header)
        {
            return;
        }

        for (int c = 0; c < _schema.Count; c++)
        {
            if (c > 0)
            {
                _output.Write(_config.Delimiter);
            }

            _config.WriteText(_output, System.Text.Encoding.UTF8.GetBytes(_schema[c].Name), header: true);
        }

        _output.Write(_lineEnding);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private async ValueTask WriteCoreAsync(RecordBatch batch, bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.ColumnCount != _schema.Count || !batch.Schema.Fields.Select(f => f.Type).SequenceEqual(_schema.Fields.Select(f => f.Type)))
        {
            throw LarderErrors.TextBatchSchemaMismatch(nameof(CsvWriter), _schema, batch.Schema);
        }

        WriteHeaderIfNeeded();
        var formatters = new CsvCellFormatter[batch.ColumnCount];
        for (int c = 0; c < formatters.Length; c++)
        {
            formatters[c] = CsvCellFormatter.Create(batch.Column(c), _config);
        }

        var output = _output;
        byte delimiter = _config.Delimiter;
        var lineEnding = _lineEnding;
        int rows = batch.Length;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < formatters.Length; c++)
            {
                if (c > 0)
                {
                    output.Write(delimiter);
                }

                formatters[c].Write(r, output);
            }

            output.Write(lineEnding);
            if (output.ShouldFlush)
            {
                await output.DrainAsync(_stream, async, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
