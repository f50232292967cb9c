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
    private readonly TextWriterCore _core;
    private readonly CsvWriteOptions _options;
    private readonly CsvFormatConfig _config;
    private readonly byte[] _lineEnding;
    private bool _headerWritten;

    /// <summary>Creates a writer of <paramref name="schema"/>'s columns to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream; written forward only.</param>
    /// <param name="schema">The columns (names for the header, types that every batch must have).</param>
    /// <param name="options">Writing options; null for the defaults (comma separated, header, LF).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the writer is disposed.</param>
    /// <exception cref="LarderUsageException">An option is invalid.</exception>
    public CsvWriter(Stream stream, Schema schema, CsvWriteOptions? options = null, bool leaveOpen = false)
    {
        _core = new TextWriterCore(typeof(CsvWriter), stream, schema, leaveOpen, beforeFlush: WriteHeaderIfNeeded);
        _options = options ?? new CsvWriteOptions();
        Validate(_options);
        _config = new CsvFormatConfig(_options);
        _lineEnding = System.Text.Encoding.ASCII.GetBytes(_options.LineEnding);
    }

    /// <summary>The schema of the columns written.</summary>
    public Schema Schema => _core.Schema;

    /// <summary>Writes the rows of <paramref name="batch"/> (and the header before the first batch).</summary>
    /// <exception cref="LarderUsageException">The batch's column types differ from the writer's schema.</exception>
    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default)
        => WriteCoreAsync(batch, async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="WriteAsync"/>.</summary>
    public void Write(RecordBatch batch) => WriteCoreAsync(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Writes everything buffered (and the header, if not yet written) to the stream and flushes it.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _core.FlushAsync(async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="FlushAsync"/>.</summary>
    public void Flush() => _core.FlushAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Flushes, then disposes the stream unless <c>leaveOpen</c>. Idempotent.</summary>
    public void Dispose() => _core.DisposeAsync(async: false).GetAwaiter().GetResult();

    /// <summary>Flushes asynchronously, then disposes the stream unless <c>leaveOpen</c>. Idempotent.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync(async: true);

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

        var output = _core.Output;
        var schema = _core.Schema;
        for (int c = 0; c < schema.Count; c++)
        {
            if (c > 0)
            {
                output.Write(_config.Delimiter);
            }

            _config.WriteText(output, System.Text.Encoding.UTF8.GetBytes(schema[c].Name), header: true);
        }

        output.Write(_lineEnding);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private async ValueTask WriteCoreAsync(RecordBatch batch, bool async, CancellationToken cancellationToken)
    {
        _core.CheckBatch(batch);
        WriteHeaderIfNeeded();
        var formatters = new CsvCellFormatter[batch.ColumnCount];
        for (int c = 0; c < formatters.Length; c++)
        {
            formatters[c] = CsvCellFormatter.Create(batch.Column(c), _config);
        }

        var output = _core.Output;
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
                await _core.DrainAsync(async, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
