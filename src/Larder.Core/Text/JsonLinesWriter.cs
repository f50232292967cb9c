using System.Text.Json;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// Writes record batches as JSON lines: one object per row, keys in schema order, UTF-8 with non-ASCII text kept as is.
/// </summary>
/// <remarks>
/// <para>Values: bool → <c>true</c>/<c>false</c>; integers (int64 included) and durations → JSON numbers; decimals →
/// JSON numbers with their exact digits; floats → the shortest number that parses back to the same value, with
/// <c>.0</c> on whole numbers (so they read back as floats), and NaN/±∞ → the strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c>, which <see cref="JsonLinesReader"/> reads back into float columns; timestamps → ISO-8601 strings,
/// <c>2024-01-02T03:04:05.123Z</c> for a timestamp type with a time zone (the UTC instant), no suffix for one without,
/// fraction digits as the unit has and only when not zero; date32/date64 → <c>"YYYY-MM-DD"</c>; time32/time64 →
/// <c>"hh:mm:ss[.f…]"</c>; binary → base64 strings; lists → arrays; structs → objects; maps → objects when the keys are
/// strings, else arrays of <c>[key, value]</c> arrays; intervals → objects of their parts; dictionary columns → their
/// values; nulls → <c>null</c> (or left out, <see cref="JsonLinesWriteOptions.OmitNulls"/>).</para>
/// <para><b>Ownership and threads:</b> the writer owns the stream unless <c>leaveOpen</c> is true; disposal flushes and
/// then disposes the stream. Not thread safe.</para>
/// </remarks>
public sealed class JsonLinesWriter : IAsyncDisposable, IDisposable
{
    private readonly TextWriterCore _core;
    private readonly JsonLinesWriteOptions _options;
    private readonly Utf8JsonWriter _writer;
    private readonly JsonEncodedText[] _names;

    /// <summary>Creates a writer of <paramref name="schema"/>'s columns to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream; written forward only.</param>
    /// <param name="schema">The columns (key names, and the types every batch must have).</param>
    /// <param name="options">Writing options; null for the defaults.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the writer is disposed.</param>
    public JsonLinesWriter(Stream stream, Schema schema, JsonLinesWriteOptions? options = null, bool leaveOpen = false)
    {
        _core = new TextWriterCore(typeof(JsonLinesWriter), stream, schema, leaveOpen);
        _options = options ?? new JsonLinesWriteOptions();
        _writer = new Utf8JsonWriter(_core.Output, new JsonWriterOptions { Encoder = JsonColumnWriter.Encoder, SkipValidation = true });
        _core.DisposeWith(_writer);
        _names = [.. schema.Fields.Select(f => JsonEncodedText.Encode(f.Name, JsonColumnWriter.Encoder))];
    }

    /// <summary>The schema of the columns written.</summary>
    public Schema Schema => _core.Schema;

    /// <summary>Writes the rows of <paramref name="batch"/>, one line each.</summary>
    /// <exception cref="LarderUsageException">The batch's column types differ from the writer's schema.</exception>
    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default)
        => WriteCoreAsync(batch, async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="WriteAsync"/>.</summary>
    public void Write(RecordBatch batch) => WriteCoreAsync(batch, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Writes everything buffered to the stream and flushes it.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _core.FlushAsync(async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="FlushAsync"/>.</summary>
    public void Flush() => _core.FlushAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Flushes, then disposes the stream unless <c>leaveOpen</c>. Idempotent.</summary>
    public void Dispose() => _core.DisposeAsync(async: false).GetAwaiter().GetResult();

    /// <summary>Flushes asynchronously, then disposes the stream unless <c>leaveOpen</c>. Idempotent.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync(async: true);

    private async ValueTask WriteCoreAsync(RecordBatch batch, bool async, CancellationToken cancellationToken)
    {
        _core.CheckBatch(batch);
        var columns = new JsonColumnWriter[batch.ColumnCount];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = JsonColumnWriter.Create(batch.Column(c));
        }

        var output = _core.Output;
        bool omitNulls = _options.OmitNulls;
        for (int r = 0; r < batch.Length; r++)
        {
            _writer.WriteStartObject();
            for (int c = 0; c < columns.Length; c++)
            {
                if (omitNulls && columns[c].IsNull(r))
                {
                    continue;
                }

                _writer.WritePropertyName(_names[c]);
                columns[c].Write(_writer, r);
            }

            _writer.WriteEndObject();
            _writer.Flush();
            output.Write((byte)'\n');
            _writer.Reset();
            if (output.ShouldFlush)
            {
                await _core.DrainAsync(async, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
