using System.Runtime.CompilerServices;
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
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string? _source;
    private readonly CsvReadOptions _options;
    private readonly CsvValueConfig _config;
    private readonly TextBlockReader _blocks;
    private readonly int _parallelism;
    private Schema? _schema;
    private BatchPipeline? _pipeline;
    private string[] _names = [];
    private int[] _outputColumns = [];
    private int? _inferredFromRows;
    private bool _enumerated;
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="stream"/>; nothing is read until the schema or batches are asked for.</summary>
    /// <param name="stream">UTF-8 text, read forward only (it need not be seekable).</param>
    /// <param name="options">Reading options; null for the defaults (comma separated, header, inference).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <param name="source">Name of the input in error messages (a file name); defaults to the file name of a <see cref="FileStream"/>.</param>
    /// <exception cref="LarderUsageException">An option is invalid.</exception>
    public CsvReader(Stream stream, CsvReadOptions? options = null, bool leaveOpen = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options ?? new CsvReadOptions();
        Validate(_options);
        _source = source ?? (stream as FileStream)?.Name;
        _config = new CsvValueConfig(_options);
        _parallelism = _options.MaxDegreeOfParallelism > 0 ? _options.MaxDegreeOfParallelism : Math.Clamp(Environment.ProcessorCount, 1, 8);
        var scanner = new CsvRecordScanner((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes, _options.MaxRowBytes);
        _blocks = new TextBlockReader(stream, scanner, _source, nameof(CsvReadOptions.MaxFieldBytes), _options.MaxFieldBytes, nameof(CsvReadOptions.MaxRowBytes), _options.MaxRowBytes);
    }

    /// <summary>
    /// The schema of the batches: the explicit schema (matched and projected), or the inferred one, which reads the header
    /// and the inference window (<see cref="CsvReadOptions.InferenceRows"/>) on the first call. An empty input has a schema
    /// without fields (or the explicit schema).
    /// </summary>
    /// <exception cref="LarderFormatException">The header or the inference window is malformed.</exception>
    /// <exception cref="LarderUsageException">A projected column does not exist, or the explicit schema does not match.</exception>
    public async ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(async: true, cancellationToken).ConfigureAwait(false);
        return _schema!;
    }

    /// <summary>The synchronous twin of <see cref="GetSchemaAsync"/>.</summary>
    public Schema GetSchema()
    {
        InitializeAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
        return _schema!;
    }

    /// <summary>
    /// The rows as record batches, in input order. Can be enumerated once per reader; stopping early is fine (the
    /// remaining input is not read).
    /// </summary>
    /// <exception cref="LarderFormatException">The input is malformed (raised when the affected batch is due).</exception>
    /// <exception cref="InvalidOperationException">The batches were already enumerated, or the reader is disposed.</exception>
    public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StartEnumeration();
        await InitializeAsync(async: true, cancellationToken).ConfigureAwait(false);
        try
        {
            while (await _pipeline!.NextAsync(async: true, cancellationToken).ConfigureAwait(false) is { } batch)
            {
                yield return batch;
            }
        }
        finally
        {
            _pipeline?.Abandon();
        }
    }

    /// <summary>The synchronous twin of <see cref="ReadBatchesAsync"/>.</summary>
    public IEnumerable<RecordBatch> ReadBatches()
    {
        StartEnumeration();
        return Enumerate();

        IEnumerable<RecordBatch> Enumerate()
        {
            InitializeAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
            try
            {
                while (_pipeline!.NextAsync(async: false, CancellationToken.None).GetAwaiter().GetResult() is { } batch)
                {
                    yield return batch;
                }
            }
            finally
            {
                _pipeline?.Abandon();
            }
        }
    }

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pipeline?.Abandon();
        _blocks.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream asynchronously. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pipeline?.Abandon();
        _blocks.Dispose();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void StartEnumeration()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_enumerated)
        {
            throw LarderErrors.TextReaderState("a CsvReader reads its input once and its batches were already enumerated; create a new reader to read again.");
        }

        _enumerated = true;
    }

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

    private async ValueTask InitializeAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_schema is not null)
        {
            return;
        }

        var pending = new List<TextBlock>();
        try
        {
            var explicitSchema = _options.Schema;
            bool infer = explicitSchema is null && _options.InferTypes;
            List<string>? header = null;
            bool empty = false;
            if (_options.HasHeader)
            {
                var headerBlock = await _blocks.ReadBlockAsync(async, 1, cancellationToken).ConfigureAwait(false);
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

                    _blocks.RestartRowNumbers();
                }
            }

            if (infer)
            {
                long rows = 0;
                while (rows < _options.InferenceRows
                    && await _blocks.ReadBlockAsync(async, _options.BatchSize, cancellationToken).ConfigureAwait(false) is { } block)
                {
                    pending.Add(block);
                    rows += block.RowCount;
                }
            }
            else if (header is null && explicitSchema is null
                && await _blocks.ReadBlockAsync(async, _options.BatchSize, cancellationToken).ConfigureAwait(false) is { } first)
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
                var states = new CsvColumnInference?[names.Length];
                foreach (int i in _outputColumns)
                {
                    states[i] = new CsvColumnInference();
                }

                await InferAsync(async, pending, states).ConfigureAwait(false);
                foreach (int i in _outputColumns)
                {
                    fileFields[i] = fileFields[i]!.WithType(states[i]!.Result());
                }

                _inferredFromRows = _options.InferenceRows;
            }

            _schema = new Schema(_outputColumns.Select(i => fileFields[i]!), explicitSchema?.Metadata);
            _pipeline = new BatchPipeline(_blocks, pending, ParseBlock, _parallelism, _options.BatchSize);
        }
        catch
        {
            foreach (var b in pending)
            {
                b.Release();
            }

            throw;
        }
    }

    private List<string> ReadHeader(TextBlock block)
    {
        var sink = new HeaderSink { Names = [] };
        var tokenizer = new CsvTokenizer((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes);
        tokenizer.Run(block.Span, 1, new CsvRowContext(block, _source, []), ref sink);
        if (sink.Invalid)
        {
            throw LarderErrors.TextHeaderInvalid(_source, "the header line is not valid UTF-8");
        }

        return sink.Names;
    }

    private int CountFields(TextBlock block)
    {
        var sink = new FieldCountSink();
        var tokenizer = new CsvTokenizer((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes);
        tokenizer.Run(block.Span, 1, new CsvRowContext(block, _source, []), ref sink);
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
        long budget = _options.InferenceRows;
        var work = new List<(TextBlock Block, int Rows)>();
        foreach (var b in blocks)
        {
            int rows = (int)Math.Min(b.RowCount, budget);
            if (rows <= 0)
            {
                break;
            }

            work.Add((b, rows));
            budget -= rows;
        }

        CsvColumnInference?[][] results;
        if (_parallelism == 1 || work.Count <= 1)
        {
            results = [.. work.Select(w => InferBlock(w.Block, w.Rows, states.Length))];
        }
        else
        {
            var tasks = work.Select(w => Task.Run(() => InferBlock(w.Block, w.Rows, states.Length))).ToArray();
            if (async)
            {
                results = await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            else
            {
                results = [.. tasks.Select(t => t.GetAwaiter().GetResult())];
            }
        }

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

    private CsvColumnInference?[] InferBlock(TextBlock block, int rows, int columnCount)
    {
        var states = new CsvColumnInference?[columnCount];
        foreach (int i in _outputColumns)
        {
            states[i] = new CsvColumnInference();
        }

        var context = new CsvRowContext(block, _source, _names);
        var sink = new InferenceSink(states, _config, context, _options.AllowRaggedRows);
        var tokenizer = new CsvTokenizer((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes);
        tokenizer.Run(block.Span, rows, context, ref sink);
        return states;
    }

    private RecordBatch ParseBlock(TextBlock block)
    {
        var span = block.Span;
        if (!System.Text.Unicode.Utf8.IsValid(span))
        {
            int bad = Utf8Validation.FirstInvalid(span);
            throw LarderErrors.TextInvalidUtf8(_source, null, block.LineAt(bad), block.StreamOffset + bad);
        }

        var schema = _schema!;
        var parsers = new CsvColumnParser?[_names.Length];
        for (int k = 0; k < _outputColumns.Length; k++)
        {
            parsers[_outputColumns[k]] = CsvColumnParser.Create(schema[k], _config, block.RowCount);
        }

        var context = new CsvRowContext(block, _source, _names);
        var sink = new BatchSink(parsers, context, _options.AllowRaggedRows, _inferredFromRows);
        var tokenizer = new CsvTokenizer((byte)_options.Delimiter, (byte)_options.Quote, _options.MaxFieldBytes);
        tokenizer.Run(span, block.RowCount, context, ref sink);
        var columns = new IArrowArray[_outputColumns.Length];
        for (int k = 0; k < columns.Length; k++)
        {
            columns[k] = parsers[_outputColumns[k]]!.Build();
        }

        return new RecordBatch(schema, columns, block.RowCount);
    }
}

/// <summary>Locates invalid UTF-8 (error path only).</summary>
internal static class Utf8Validation
{
    /// <summary>Index of the first byte that does not start a valid UTF-8 sequence, or the length when all is valid.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> span)
    {
        int pos = 0;
        while (pos < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[pos..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return pos;
            }

            pos += consumed;
        }

        return pos;
    }
}
