using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// Streams CSV or TSV text (UTF-8, RFC 4180) as record batches, inferring column types from the first rows or using an
/// explicit schema (rules: <see cref="CsvReadOptions"/>).
/// </summary>
/// <remarks>
/// <para><b>Memory</b> is bounded by the batch size and the inference window, not by the input: the reader holds the
/// inference window's rows, and then at most a few batches' worth of text (one per parallel parse plus one being read).</para>
/// <para><b>Use:</b> a reader reads its input once: call <see cref="GetSchemaAsync"/> (optional) and then enumerate
/// <see cref="ReadBatchesAsync"/> or <see cref="ReadBatches"/> once. Batches are returned in input order; every batch but
/// the last has <see cref="CsvReadOptions.BatchSize"/> rows; batches are immutable and stay valid after the reader is
/// disposed. Malformed input fails with <see cref="LarderFormatException"/> naming the source, row, line, column and what
/// to do; errors in a batch surface when that batch is due, after all earlier batches.</para>
/// <para><b>Ownership and threads:</b> the reader owns the stream unless <c>leaveOpen</c> is true, and disposes it with
/// itself. Instances are not thread safe (use one reader from one consumer at a time); internally, batches are parsed in
/// parallel on the thread pool (<see cref="CsvReadOptions.MaxDegreeOfParallelism"/>).</para>
/// </remarks>
public sealed class CsvReader : IAsyncDisposable, IDisposable
{
    private readonly TextBatchReaderCore _core;
    private readonly string? _source;
    private readonly CsvReadOptions _options;
    private readonly CsvValueConfig _config;
    private Schema? _schema;
    private string[] _names = [];
    private int[] _outputColumns = [];
    private int? _inferredFromRows;

    /// <summary>Creates a reader over <paramref name="stream"/>; nothing is read until the schema or batches are asked for.</summary>
    /// <param name="stream">UTF-8 text, read forward only (it need not be seekable).</param>
    /// <param name="options">Reading options; null for the defaults (comma separated, header, inference).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <param name="source">Name of the input in error messages (a file name); defaults to the file name of a <see cref="FileStream"/>.</param>
    /// <exception cref="LarderUsageException">An option is invalid.</exception>
    public CsvReader(Stream stream, CsvReadOptions? options = null, bool leaveOpen = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _options = options ?? new CsvReadOptions();
        Validate(_options);
        _source = TextBatchReaderCore.SourceName(stream, source);
        _config = new CsvValueConfig(_options);
        var scanner = new CsvRecordScanner((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes, _options.MaxRowBytes);
        var blocks = new TextBlockReader(stream, scanner, _source, nameof(CsvReadOptions.MaxFieldBytes), _options.MaxFieldBytes, nameof(CsvReadOptions.MaxRowBytes), _options.MaxRowBytes);
        _core = new TextBatchReaderCore(typeof(CsvReader), stream, leaveOpen, blocks, _options.MaxDegreeOfParallelism, _options.BatchSize, InitializeAsync, ParseBlock);
    }

    /// <summary>
    /// The schema of the batches: the explicit schema (matched and projected), or the inferred one, which reads the header
    /// and the inference window (<see cref="CsvReadOptions.InferenceRows"/>) on the first call. An empty input has a schema
    /// without fields (or the explicit schema).
    /// </summary>
    /// <exception cref="LarderFormatException">The header or the inference window is malformed.</exception>
    /// <exception cref="LarderUsageException">A projected column does not exist, or the explicit schema does not match.</exception>
    public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => _core.GetSchemaAsync(async: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="GetSchemaAsync"/>.</summary>
    public Schema GetSchema() => _core.GetSchemaAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The rows as record batches, in input order. Can be enumerated once per reader; stopping early is fine (the
    /// remaining input is not read).
    /// </summary>
    /// <exception cref="LarderFormatException">The input is malformed (raised when the affected batch is due).</exception>
    /// <exception cref="InvalidOperationException">The batches were already enumerated, or the reader is disposed.</exception>
    public IAsyncEnumerable<RecordBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) => _core.ReadBatchesAsync(cancellationToken);

    /// <summary>The synchronous twin of <see cref="ReadBatchesAsync"/>.</summary>
    public IEnumerable<RecordBatch> ReadBatches() => _core.ReadBatches();

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream. Idempotent.</summary>
    public void Dispose() => _core.DisposeAsync(async: false).GetAwaiter().GetResult();

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream asynchronously. Idempotent.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync(async: true);

    private static void Validate(CsvReadOptions o)
    {
        if (o.Delimiter > 127 || o.Delimiter is '\r' or '\n')
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvReadOptions.Delimiter), "the delimiter must be an ASCII character other than CR and LF");
        }

        if (o.Quote > 127 || o.Quote is '\r' or '\n' || o.Quote == o.Delimiter)
        {
            throw LarderErrors.TextOptionInvalid(nameof(CsvReadOptions.Quote), "the quote must be an ASCII character other than CR, LF and the delimiter");
        }

        if (o.BatchSize < 1 || o.InferenceRows < 1 || o.MaxFieldBytes < 1 || o.MaxRowBytes < 1 || o.MaxDegreeOfParallelism < 0)
        {
            throw LarderErrors.TextOptionInvalid("CsvReadOptions", "BatchSize, InferenceRows, MaxFieldBytes and MaxRowBytes must be positive and MaxDegreeOfParallelism must not be negative");
        }

        if (o.NullValues is null || o.TrueValues is null || o.FalseValues is null)
        {
            throw LarderErrors.TextOptionInvalid("CsvReadOptions", "NullValues, TrueValues and FalseValues must not be null (use an empty list)");
        }
    }

    /// <summary>The schema step: header, inference window (into <paramref name="pending"/>), matching and projection.</summary>
    private async ValueTask<Schema> InitializeAsync(bool async, List<TextBlock> pending, CancellationToken cancellationToken)
    {
        var blocks = _core.Blocks;
        var explicitSchema = _options.Schema;
        bool infer = explicitSchema is null && _options.InferTypes;
        List<string>? header = null;
        bool empty = false;
        if (_options.HasHeader)
        {
            var headerBlock = await blocks.ReadBlockAsync(async, 1, cancellationToken).ConfigureAwait(false);
            if (headerBlock is null)
            {
                empty = true;
                header = [];
            }
            else
            {
                try
                {
                    header = ReadHeader(headerBlock);
                }
                finally
                {
                    headerBlock.Release();
                }

                blocks.RestartRowNumbers();
            }
        }

        if (infer)
        {
            await _core.ReadWindowAsync(async, pending, _options.InferenceRows, cancellationToken).ConfigureAwait(false);
        }
        else if (header is null && explicitSchema is null
            && await blocks.ReadBlockAsync(async, _options.BatchSize, cancellationToken).ConfigureAwait(false) is { } first)
        {
            pending.Add(first);
        }

        string[] names;
        if (explicitSchema is not null && (header is null || empty))
        {
            names = [.. explicitSchema.Fields.Select(f => f.Name)];
        }
        else if (header is not null)
        {
            names = [.. header];
        }
        else
        {
            int count = pending.Count > 0 ? CountFields(pending[0]) : 0;
            names = [.. Enumerable.Range(0, count).Select(i => "f" + i)];
        }

        var fileFields = MatchSchema(names, explicitSchema, header is not null && !empty, out int[]? schemaOrder);
        _outputColumns = Project(fileFields, schemaOrder);
        _names = names;
        if (infer)
        {
            var states = NewInferenceStates(names.Length);
            await InferAsync(async, pending, states).ConfigureAwait(false);
            foreach (int i in _outputColumns)
            {
                fileFields[i] = fileFields[i]!.WithType(states[i]!.Result());
            }

            _inferredFromRows = _options.InferenceRows;
        }

        _schema = new Schema(_outputColumns.Select(i => fileFields[i]!), explicitSchema?.Metadata);
        return _schema;
    }

    private List<string> ReadHeader(TextBlock block)
    {
        var sink = new HeaderSink { Names = [] };
        NewTokenizer().Run(block.Span, 1, new CsvRowContext(block, _source, []), ref sink);
        if (sink.Invalid)
        {
            throw LarderErrors.TextHeaderInvalid(_source, "the header line is not valid UTF-8");
        }

        return sink.Names;
    }

    private int CountFields(TextBlock block)
    {
        var sink = new FieldCountSink();
        NewTokenizer().Run(block.Span, 1, new CsvRowContext(block, _source, []), ref sink);
        return sink.Count;
    }

    /// <summary>
    /// Per input column, the output field (type still to infer when there is no schema), or null when skipped; and, when
    /// matched by name, the input columns in the schema's order.
    /// </summary>
    private Field?[] MatchSchema(string[] names, Schema? schema, bool hasHeader, out int[]? schemaOrder)
    {
        schemaOrder = null;
        var fields = new Field?[names.Length];
        if (schema is null)
        {
            for (int i = 0; i < names.Length; i++)
            {
                fields[i] = new Field(names[i], ArrowType.String, nullable: true);
            }

            return fields;
        }

        foreach (var f in schema.Fields)
        {
            if (!CsvColumnParser.IsSupported(f.Type))
            {
                throw LarderErrors.TextTypeNotSupported(f.Name, f.Type, "CSV");
            }
        }

        if (hasHeader && schema.Fields.All(f => names.Contains(f.Name, StringComparer.Ordinal)))
        {
            var order = new int[schema.Count];
            var used = new bool[schema.Count];
            for (int i = 0; i < names.Length; i++)
            {
                int k = schema.GetFieldIndex(names[i]);
                if (k >= 0 && !used[k])
                {
                    used[k] = true;
                    fields[i] = schema[k];
                    order[k] = i;
                }
            }

            schemaOrder = order;
            return fields;
        }

        if (names.Length == schema.Count)
        {
            for (int i = 0; i < names.Length; i++)
            {
                fields[i] = schema[i];
            }

            return fields;
        }

        throw LarderErrors.CsvSchemaDoesNotMatch(_source, schema.Fields.Select(f => f.Name), names);
    }

    /// <summary>The input columns to materialise, in output order.</summary>
    private int[] Project(Field?[] fields, int[]? schemaOrder)
    {
        if (_options.Columns is null)
        {
            return schemaOrder ?? [.. Enumerable.Range(0, fields.Length).Where(i => fields[i] is not null)];
        }

        var result = new List<int>();
        foreach (var name in _options.Columns)
        {
            int index = Array.FindIndex(fields, f => f is not null && f.Name == name);
            if (index < 0)
            {
                throw LarderErrors.TextColumnNotFound(_source, name, fields.Where(f => f is not null).Select(f => f!.Name));
            }

            if (result.Contains(index))
            {
                throw LarderErrors.TextOptionInvalid(nameof(CsvReadOptions.Columns), $"column '{name}' is listed twice");
            }

            result.Add(index);
        }

        return [.. result];
    }

    private async ValueTask InferAsync(bool async, List<TextBlock> blocks, CsvColumnInference?[] states)
    {
        var results = await _core.InferWindowAsync(async, blocks, _options.InferenceRows, (block, rows) => InferBlock(block, rows, states.Length)).ConfigureAwait(false);
        foreach (var r in results)
        {
            for (int i = 0; i < states.Length; i++)
            {
                if (states[i] is { } s && r[i] is { } part)
                {
                    s.Merge(part);
                }
            }
        }
    }

    /// <summary>Fresh inference states for the output columns; null for the skipped ones.</summary>
    private CsvColumnInference?[] NewInferenceStates(int columnCount)
    {
        var states = new CsvColumnInference?[columnCount];
        foreach (int i in _outputColumns)
        {
            states[i] = new CsvColumnInference();
        }

        return states;
    }

    private CsvColumnInference?[] InferBlock(TextBlock block, int rows, int columnCount)
    {
        var states = NewInferenceStates(columnCount);
        var context = new CsvRowContext(block, _source, _names);
        var sink = new InferenceSink(states, _config, context, _options.AllowRaggedRows);
        NewTokenizer().Run(block.Span, rows, context, ref sink);
        return states;
    }

    private CsvTokenizer NewTokenizer() => new((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes);

    private RecordBatch ParseBlock(TextBlock block)
    {
        Utf8Validation.ThrowIfInvalid(block, _source);
        var schema = _schema!;
        var parsers = new CsvColumnParser?[_names.Length];
        for (int k = 0; k < _outputColumns.Length; k++)
        {
            parsers[_outputColumns[k]] = CsvColumnParser.Create(schema[k], _config, block.RowCount);
        }

        var context = new CsvRowContext(block, _source, _names);
        var sink = new BatchSink(parsers, context, _options.AllowRaggedRows, _inferredFromRows);
        NewTokenizer().Run(block.Span, block.RowCount, context, ref sink);
        var columns = new IArrowArray[_outputColumns.Length];
        for (int k = 0; k < columns.Length; k++)
        {
            columns[k] = parsers[_outputColumns[k]]!.Build();
        }

        return new RecordBatch(schema, columns, block.RowCount);
    }
}
