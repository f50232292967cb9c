using System.Text.Json;
using System.Text;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// Streams JSON lines (one JSON object per line, UTF-8) as record batches, inferring the schema from the first lines or
/// using an explicit one (rules: <see cref="JsonLinesReadOptions"/>).
/// </summary>
/// <remarks>
/// <para><b>Memory</b> is bounded by the batch size and the inference window, not by the input.</para>
/// <para><b>Use:</b> a reader reads its input once: call <see cref="GetSchemaAsync"/> (optional), then enumerate
/// <see cref="ReadBatchesAsync"/> or <see cref="ReadBatches"/> once. Batches come in input order; every batch but the
/// last has <see cref="JsonLinesReadOptions.BatchSize"/> rows; batches stay valid after the reader is disposed. Malformed
/// input fails with <see cref="LarderFormatException"/> naming the source and line.</para>
/// <para><b>Ownership and threads:</b> the reader owns the stream unless <c>leaveOpen</c> is true. Instances are not
/// thread safe; batches are parsed in parallel internally (<see cref="JsonLinesReadOptions.MaxDegreeOfParallelism"/>).</para>
/// </remarks>
public sealed class JsonLinesReader : IAsyncDisposable, IDisposable
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private readonly TextBatchReaderCore _core;
    private readonly string? _source;
    private readonly JsonLinesReadOptions _options;
    private Schema? _schema;
    private byte[][] _keys = [];
    private int _knownKeys;
    private bool _strictKeys;
    private int? _inferredFromRows;

    /// <summary>Creates a reader over <paramref name="stream"/>; nothing is read until the schema or batches are asked for.</summary>
    /// <param name="stream">UTF-8 JSON lines, read forward only.</param>
    /// <param name="options">Reading options; null for the defaults.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <param name="source">Name of the input in error messages; defaults to the file name of a <see cref="FileStream"/>.</param>
    /// <exception cref="LarderUsageException">An option is invalid.</exception>
    public JsonLinesReader(Stream stream, JsonLinesReadOptions? options = null, bool leaveOpen = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _options = options ?? new JsonLinesReadOptions();
        if (_options.BatchSize < 1 || _options.InferenceRows < 1 || _options.MaxLineBytes < 1 || _options.MaxDegreeOfParallelism < 0)
        {
            throw LarderErrors.TextOptionInvalid("JsonLinesReadOptions", "BatchSize, InferenceRows and MaxLineBytes must be positive and MaxDegreeOfParallelism must not be negative");
        }

        _source = TextBatchReaderCore.SourceName(stream, source);
        var blocks = new TextBlockReader(stream, new JsonLinesRecordScanner(_options.MaxLineBytes), _source, nameof(JsonLinesReadOptions.MaxLineBytes), _options.MaxLineBytes, nameof(JsonLinesReadOptions.MaxLineBytes), _options.MaxLineBytes);
        _core = new TextBatchReaderCore(typeof(JsonLinesReader), stream, leaveOpen, blocks, _options.MaxDegreeOfParallelism, _options.BatchSize, InitializeAsync, ParseBlock);
    }

    /// <summary>The schema of the batches (explicit, or inferred from the first lines on the first call).</summary>
    /// <exception cref="LarderFormatException">A line of the inference window is malformed.</exception>
    /// <exception cref="LarderUsageException">A projected key does not exist.</exception>
    public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => _core.GetSchemaAsync(async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="GetSchemaAsync"/>.</summary>
    public Schema GetSchema() => _core.GetSchemaAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The rows as record batches, in input order; enumerable once per reader.</summary>
    /// <exception cref="LarderFormatException">The input is malformed (raised when the affected batch is due).</exception>
    /// <exception cref="InvalidOperationException">The batches were already enumerated, or the reader is disposed.</exception>
    public IAsyncEnumerable<RecordBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) => _core.ReadBatchesAsync(cancellationToken);

    /// <summary>The synchronous twin of <see cref="ReadBatchesAsync"/>.</summary>
    public IEnumerable<RecordBatch> ReadBatches() => _core.ReadBatches();

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream. Idempotent.</summary>
    public void Dispose() => _core.DisposeAsync(async: false).GetAwaiter().GetResult();

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream asynchronously. Idempotent.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync(async: true);

    /// <summary>The schema step: explicit or inferred (from the window read into <paramref name="pending"/>), then projected.</summary>
    private async ValueTask<Schema> InitializeAsync(bool async, List<TextBlock> pending, CancellationToken cancellationToken)
    {
        IReadOnlyList<Field> available;
        KeyValueMetadata? metadata = null;
        if (_options.Schema is { } schema)
        {
            foreach (var f in schema.Fields)
            {
                if (!JsonValueAppender.IsSupported(f.Type))
                {
                    throw LarderErrors.TextTypeNotSupported(f.Name, f.Type, "JSON lines");
                }
            }

            available = schema.Fields;
            metadata = schema.Metadata;
        }
        else
        {
            await _core.ReadWindowAsync(async, pending, _options.InferenceRows, cancellationToken).ConfigureAwait(false);
            var root = await InferAsync(async, pending).ConfigureAwait(false);
            available = [.. root.Children.Select(c => new Field(c.Name, c.Node.Result(), nullable: true))];
            _inferredFromRows = _options.InferenceRows;
        }

        // Output fields first (in output order), then the other known keys, which are skipped.
        var output = new List<Field>();
        if (_options.Columns is { } columns)
        {
            foreach (var name in columns)
            {
                var f = available.FirstOrDefault(x => x.Name == name)
                    ?? throw LarderErrors.TextColumnNotFound(_source, name, available.Select(x => x.Name));
                if (output.Contains(f))
                {
                    throw LarderErrors.TextOptionInvalid(nameof(JsonLinesReadOptions.Columns), $"key '{name}' is listed twice");
                }

                output.Add(f);
            }
        }
        else
        {
            output.AddRange(available);
        }

        var keys = output.Select(f => f.Name).Concat(available.Select(f => f.Name).Except(output.Select(f => f.Name), StringComparer.Ordinal));
        _keys = [.. keys.Select(Encoding.UTF8.GetBytes)];
        _knownKeys = _keys.Length;
        _strictKeys = _options.Schema is null && _options.Columns is null;
        _schema = new Schema(output, metadata);
        return _schema;
    }

    private async ValueTask<JsonTypeNode> InferAsync(bool async, List<TextBlock> blocks)
    {
        var parts = await _core.InferWindowAsync(async, blocks, _options.InferenceRows, InferBlock).ConfigureAwait(false);
        var root = new JsonTypeNode();
        foreach (var p in parts)
        {
            root.Merge(p);
        }

        return root;
    }

    private JsonTypeNode InferBlock(TextBlock block, int rows)
    {
        var root = new JsonTypeNode();
        var context = new JsonAppendContext(strictKeys: false);
        var span = block.Span;
        Utf8Validation.ThrowIfInvalid(block, _source);
        int pos = 0;
        long line = block.FirstLine;
        int done = 0;
        while (done < rows && pos < span.Length)
        {
            int lineStart = pos;
            var text = NextLine(span, ref pos);
            if (!JsonLinesRecordScanner.IsBlank(text))
            {
                try
                {
                    var reader = new Utf8JsonReader(text, ReaderOptions);
                    StartObject(ref reader, line, block.StreamOffset + lineStart);
                    root.ObserveObject(ref reader, context, 0);
                    EndLine(ref reader, line, block.StreamOffset + lineStart);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    throw LarderErrors.JsonLineMalformed(_source, line, block.StreamOffset + lineStart, TrimJsonMessage(e), e);
                }

                done++;
            }

            line++;
        }

        return root;
    }

    private RecordBatch ParseBlock(TextBlock block)
    {
        Utf8Validation.ThrowIfInvalid(block, _source);
        var schema = _schema!;
        var builders = new IArrayBuilder[schema.Count];
        for (int i = 0; i < builders.Length; i++)
        {
            builders[i] = ArrayBuilderFactory.Create(schema[i].Type, block.RowCount);
        }

        var context = new JsonAppendContext(_strictKeys);
        Span<bool> seen = builders.Length <= 1024 ? stackalloc bool[builders.Length] : new bool[builders.Length];
        var span = block.Span;
        int pos = 0;
        long line = block.FirstLine;
        int rows = 0;
        while (rows < block.RowCount && pos < span.Length)
        {
            int lineStart = pos;
            var text = NextLine(span, ref pos);
            if (!JsonLinesRecordScanner.IsBlank(text))
            {
                long offset = block.StreamOffset + lineStart;
                try
                {
                    ParseLine(text, builders, seen, context, line, offset);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    throw LarderErrors.JsonLineMalformed(_source, line, offset, TrimJsonMessage(e), e);
                }

                rows++;
            }

            line++;
        }

        var columns = new IArrowArray[builders.Length];
        for (int i = 0; i < builders.Length; i++)
        {
            columns[i] = builders[i].Build();
        }

        return new RecordBatch(schema, columns, rows);
    }

    private void ParseLine(ReadOnlySpan<byte> text, IArrayBuilder[] builders, Span<bool> seen, JsonAppendContext context, long line, long offset)
    {
        var reader = new Utf8JsonReader(text, ReaderOptions);
        StartObject(ref reader, line, offset);
        seen.Clear();
        int next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = JsonValueAppender.FindName(ref reader, _keys, next);
            if (index < 0 && _strictKeys)
            {
                throw LarderErrors.JsonLineUnexpectedKey(_source, line, offset, reader.GetString() ?? string.Empty, _inferredFromRows ?? 0);
            }

            reader.Read();
            if (index < 0 || index >= builders.Length)
            {
                reader.Skip();
                next = index < 0 ? next : index + 1;
                continue;
            }

            if (seen[index])
            {
                throw LarderErrors.JsonLineDuplicateKey(_source, line, offset, _schema![index].Name);
            }

            seen[index] = true;
            next = index + 1;
            var field = _schema![index];
            if (reader.TokenType == JsonTokenType.Null && !field.Nullable)
            {
                throw LarderErrors.JsonLineNullNotAllowed(_source, line, offset, field.Name);
            }

            int start = (int)reader.TokenStartIndex;
            if (!JsonValueAppender.TryAppend(ref reader, text, builders[index], context))
            {
                throw LarderErrors.JsonLineValueMismatch(_source, line, offset, field.Name, ValueText(text, start), field.Type, _inferredFromRows);
            }
        }

        EndLine(ref reader, line, offset);
        for (int i = 0; i < builders.Length; i++)
        {
            if (!seen[i])
            {
                if (!_schema![i].Nullable)
                {
                    throw LarderErrors.JsonLineNullNotAllowed(_source, line, offset, _schema[i].Name);
                }

                builders[i].AppendNull();
            }
        }
    }

    /// <summary>The JSON text of the value starting at <paramref name="start"/> (error messages only).</summary>
    private static string ValueText(ReadOnlySpan<byte> text, int start)
    {
        var rest = text[start..];
        var probe = new Utf8JsonReader(rest, ReaderOptions);
        probe.Read();
        probe.Skip();
        return Encoding.UTF8.GetString(rest[..(int)probe.BytesConsumed]);
    }

    private void StartObject(ref Utf8JsonReader reader, long line, long offset)
    {
        if (!reader.Read())
        {
            throw LarderErrors.JsonLineMalformed(_source, line, offset, "the line ends before a value");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw LarderErrors.JsonLineNotObject(_source, line, offset, reader.TokenType switch
            {
                JsonTokenType.StartArray => "array",
                JsonTokenType.String => "string",
                JsonTokenType.Number => "number",
                JsonTokenType.Null => "null",
                _ => "boolean",
            });
        }
    }

    private void EndLine(ref Utf8JsonReader reader, long line, long offset)
    {
        // The object must be complete and nothing but white space may follow it.
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0)
        {
            throw LarderErrors.JsonLineMalformed(_source, line, offset, "the object is not complete");
        }

        if (reader.Read())
        {
            throw LarderErrors.JsonLineMalformed(_source, line, offset, "more than one value on the line");
        }
    }

    private static ReadOnlySpan<byte> NextLine(ReadOnlySpan<byte> span, ref int pos)
    {
        int i = span[pos..].IndexOf((byte)'\n');
        int end = i < 0 ? span.Length : pos + i;
        var text = span[pos..end];
        pos = i < 0 ? span.Length : end + 1;
        return text;
    }

    private static string TrimJsonMessage(Exception e)
    {
        string m = e.Message;
        int cut = m.IndexOf(" Path:", StringComparison.Ordinal);
        m = cut > 0 ? m[..cut] : m;
        return m.TrimEnd('.', ' ');
    }
}
