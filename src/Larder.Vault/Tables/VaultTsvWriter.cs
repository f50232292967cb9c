using System.Globalization;
using System.Text;
using Larder.Columnar;

namespace Larder.Vault.Tables;

/// <summary>
/// Writes record batches as the tab-separated text that pandas <c>DataFrame.to_csv(f, sep='\t')</c> writes, which is
/// how data_vault stores tables: a header line of a tab followed by the column names, then one line per row holding the
/// row number (0, 1, … continuing across batches) and the values; <c>\n</c> line ends; UTF-8 without a byte-order mark.
/// </summary>
/// <remarks>
/// <para>Values, as pandas writes them:</para>
/// <list type="bullet">
/// <item>null (and a float NaN) → an empty field;</item>
/// <item>bool → <c>True</c>/<c>False</c>; integers → decimal digits;</item>
/// <item>float64 (and float32, float16) → Python's <c>repr</c> of the value: the shortest text that reads back as the same
/// value, in fixed notation with at least one fraction digit when the decimal exponent is in [-4, 16) (<c>1.0</c>,
/// <c>0.1</c>, <c>1000000000000000.0</c>) and otherwise in exponent notation (<c>1e-05</c>, <c>1.5e+16</c>); ±∞ →
/// <c>inf</c>/<c>-inf</c>;</item>
/// <item>timestamps without a time zone → one layout per column: <c>YYYY-MM-DD</c> when every value is a midnight,
/// otherwise <c>YYYY-MM-DD hh:mm:ss</c> followed by 3, 6 or 9 fraction digits when some value needs them. pandas
/// chooses the layout over the whole column; this writer streams, so it chooses it from the first batch and widens it
/// (never narrows it) when a later batch needs more digits. For a single batch the bytes equal pandas';</item>
/// <item>timestamps with a time zone → each value as its UTC wall time with a <c>+00:00</c> suffix, with 6 (or 9, when
/// needed) fraction digits only when the fraction is not zero (pandas writes the column's own offset; the instant is
/// the same);</item>
/// <item>date32/date64 → <c>YYYY-MM-DD</c>;</item>
/// <item>utf8 and dictionary-of-utf8 values → the text, in double quotes only when it contains a tab, a quote, CR or LF
/// (quotes inside doubled), as Python's <c>csv.QUOTE_MINIMAL</c>. Like pandas, an empty string is written as an empty
/// field and so reads back as null.</item>
/// </list>
/// <para>Other column types are rejected with <see cref="LarderNotSupportedException"/> when the writer is created.
/// Each batch is formatted in memory and then written, so memory grows with the batch size, not the table. <b>Ownership and threads:</b> the writer owns the stream unless <c>leaveOpen</c>; not thread safe.</para>
/// </remarks>
public sealed class VaultTsvWriter : IAsyncDisposable, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Utf8Sink _text = new(1 << 16);
    private readonly int[] _timestampLevels;
    private long _row;
    private bool _headerWritten;
    private bool _disposed;

    /// <summary>Creates a writer of <paramref name="schema"/>'s columns to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream, written forward only.</param>
    /// <param name="schema">The columns: bool, integers, floats, utf8/large_utf8, dictionary of utf8, timestamp, date32/date64.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the writer is disposed.</param>
    /// <exception cref="LarderNotSupportedException">A column has a type this format cannot hold.</exception>
    public VaultTsvWriter(Stream stream, Schema schema, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(schema);
        foreach (var field in schema.Fields)
        {
            if (!IsSupported(field.Type))
            {
                throw new LarderNotSupportedException($"Column '{field.Name}' has type {field.Type}, which a data_vault TSV table cannot hold; store the table as parquet or arrow instead.");
            }
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Schema = schema;
        _timestampLevels = new int[schema.Count];
    }

    /// <summary>The schema of the columns written.</summary>
    public Schema Schema { get; }

    /// <summary>Rows written so far (the next row's index).</summary>
    public long RowCount => _row;

    /// <summary>Writes the rows of <paramref name="batch"/> (and the header before the first batch).</summary>
    /// <exception cref="LarderUsageException">The batch's column types differ from the writer's schema.</exception>
    public async ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default)
    {
        AppendBatch(batch);
        await DrainAsync(async: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The synchronous twin of <see cref="WriteAsync"/>.</summary>
    public void Write(RecordBatch batch)
    {
        AppendBatch(batch);
        DrainAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Writes the header if no batch was written, and flushes the stream.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteHeaderIfNeeded();
        await DrainAsync(async: true, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The synchronous twin of <see cref="FlushAsync"/>.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteHeaderIfNeeded();
        DrainAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
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
            _text.Dispose();
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
            _text.Dispose();
            if (!_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool IsSupported(ArrowType type) => type.Id switch
    {
        ArrowTypeId.Null or ArrowTypeId.Boolean or ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
            or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64
            or ArrowTypeId.HalfFloat or ArrowTypeId.Float or ArrowTypeId.Double
            or ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Timestamp or ArrowTypeId.Date32 or ArrowTypeId.Date64 => true,
        ArrowTypeId.Dictionary => ((DictionaryType)type).ValueType.Id is ArrowTypeId.String or ArrowTypeId.LargeString,
        _ => false,
    };

    private async ValueTask DrainAsync(bool async, CancellationToken cancellationToken)
    {
        if (_text.Length == 0)
        {
            return;
        }

        if (async)
        {
            await _stream.WriteAsync(_text.Written, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _stream.Write(_text.Written.Span);
        }

        _text.Clear();
    }

    private void WriteHeaderIfNeeded()
    {
        if (_headerWritten)
        {
            return;
        }

        _headerWritten = true;
        var header = new StringBuilder();
        foreach (var field in Schema.Fields)
        {
            header.Append('\t');
            TsvValueText.AppendQuoted(header, field.Name);
        }

        header.Append('\n');
        _text.Write(Utf8.GetBytes(header.ToString()));
    }

    private void AppendBatch(RecordBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.ColumnCount != Schema.Count || !batch.Schema.Fields.Select(f => f.Type).SequenceEqual(Schema.Fields.Select(f => f.Type)))
        {
            throw new LarderUsageException($"The batch's columns ({string.Join(", ", batch.Schema.Fields.Select(f => f.Type))}) differ from the writer's ({string.Join(", ", Schema.Fields.Select(f => f.Type))}).");
        }

        WriteHeaderIfNeeded();
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            if (batch.Column(c) is TimestampArray ts && ts.Type.TimeZone is null)
            {
                _timestampLevels[c] = Math.Max(_timestampLevels[c], TsvValueText.TimestampLevel(ts));
            }
        }

        var cells = new TsvCellEncoder[batch.ColumnCount];
        for (int c = 0; c < cells.Length; c++)
        {
            cells[c] = TsvCellEncoder.Create(batch.Column(c), _timestampLevels[c]);
        }

        Utf8Sink text = _text;
        for (int r = 0; r < batch.Length; r++)
        {
            _row.TryFormat(text.GetSpan(24), out int written, default, CultureInfo.InvariantCulture);
            text.Advance(written);
            _row++;
            for (int c = 0; c < cells.Length; c++)
            {
                text.Write((byte)'\t');
                cells[c].Append(text, r);
            }

            text.Write((byte)'\n');
        }
    }
}
