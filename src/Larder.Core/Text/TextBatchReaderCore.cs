using System.Runtime.CompilerServices;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// The format-independent half of <see cref="CsvReader"/> and <see cref="JsonLinesReader"/>: owns the stream and the
/// block reader, runs the format's schema step once, then pumps blocks through a <see cref="BatchPipeline"/> (sync and
/// async twins), enforces the read-once rule and disposes. The format supplies the schema step (which may read blocks
/// ahead into the pending list: the inference window, handed to the pipeline afterwards) and the block parser.
/// Not thread safe: one consumer.
/// </summary>
internal sealed class TextBatchReaderCore
{
    private readonly Type _owner;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _batchSize;
    private readonly Func<bool, List<TextBlock>, CancellationToken, ValueTask<Schema>> _initialize;
    private readonly Func<TextBlock, RecordBatch> _parse;
    private Schema? _schema;
    private BatchPipeline? _pipeline;
    private bool _enumerated;
    private bool _disposed;

    /// <param name="owner">The public reader type (in disposal and read-once messages).</param>
    /// <param name="stream">The input, disposed with the reader unless <paramref name="leaveOpen"/>.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on disposal.</param>
    /// <param name="blocks">The block reader over <paramref name="stream"/>; disposed with the reader.</param>
    /// <param name="maxDegreeOfParallelism">The option value: 0 for the default (processor count, 1 to 8).</param>
    /// <param name="batchSize">Rows per block (and so per batch).</param>
    /// <param name="initialize">The schema step: may add blocks to the pending list; returns the batches' schema.</param>
    /// <param name="parse">Parses one block into a batch (on the thread pool when parallel).</param>
    public TextBatchReaderCore(
        Type owner,
        Stream stream,
        bool leaveOpen,
        TextBlockReader blocks,
        int maxDegreeOfParallelism,
        int batchSize,
        Func<bool, List<TextBlock>, CancellationToken, ValueTask<Schema>> initialize,
        Func<TextBlock, RecordBatch> parse)
    {
        _owner = owner;
        _stream = stream;
        _leaveOpen = leaveOpen;
        Blocks = blocks;
        Parallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Math.Clamp(Environment.ProcessorCount, 1, 8);
        _batchSize = batchSize;
        _initialize = initialize;
        _parse = parse;
    }

    /// <summary>The block reader over the input.</summary>
    public TextBlockReader Blocks { get; }

    /// <summary>How many blocks are parsed (or inferred) at once.</summary>
    public int Parallelism { get; }

    /// <summary>The name of the input in messages: <paramref name="source"/>, else the file name of a <see cref="FileStream"/>.</summary>
    public static string? SourceName(Stream stream, string? source) => source ?? (stream as FileStream)?.Name;

    /// <summary>The schema, running the schema step on the first call.</summary>
    public async ValueTask<Schema> GetSchemaAsync(bool async, CancellationToken cancellationToken)
    {
        await InitializeAsync(async, cancellationToken).ConfigureAwait(false);
        return _schema!;
    }

    /// <summary>The batches (async); the read-once check runs when enumeration starts.</summary>
    public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
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

    /// <summary>The batches (sync); the read-once check runs at the call, the reading when enumerated.</summary>
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

    /// <summary>Releases buffers and, unless leaveOpen, disposes the stream. Idempotent.</summary>
    public async ValueTask DisposeAsync(bool async)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pipeline?.Abandon();
        Blocks.Dispose();
        await OwnedStream.ReleaseAsync(_stream, _leaveOpen, async).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads blocks into <paramref name="pending"/> until they hold at least <paramref name="rows"/> rows or the input
    /// ends: the inference window.
    /// </summary>
    public async ValueTask ReadWindowAsync(bool async, List<TextBlock> pending, long rows, CancellationToken cancellationToken)
    {
        long read = 0;
        while (read < rows
            && await Blocks.ReadBlockAsync(async, _batchSize, cancellationToken).ConfigureAwait(false) is { } block)
        {
            pending.Add(block);
            read += block.RowCount;
        }
    }

    /// <summary>
    /// Runs <paramref name="inferBlock"/> over the first <paramref name="rows"/> rows of <paramref name="blocks"/> (block,
    /// rows of it), in parallel on the thread pool unless parallelism is 1; the results in block order.
    /// </summary>
    public async ValueTask<T[]> InferWindowAsync<T>(bool async, List<TextBlock> blocks, long rows, Func<TextBlock, int, T> inferBlock)
    {
        long budget = rows;
        var work = new List<(TextBlock Block, int Rows)>();
        foreach (var b in blocks)
        {
            int take = (int)Math.Min(b.RowCount, budget);
            if (take <= 0)
            {
                break;
            }

            work.Add((b, take));
            budget -= take;
        }

        if (Parallelism == 1 || work.Count <= 1)
        {
            return [.. work.Select(w => inferBlock(w.Block, w.Rows))];
        }

        var tasks = work.Select(w => Task.Run(() => inferBlock(w.Block, w.Rows))).ToArray();
        return async ? await Task.WhenAll(tasks).ConfigureAwait(false) : [.. tasks.Select(t => t.GetAwaiter().GetResult())];
    }

    private void StartEnumeration()
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        if (_enumerated)
        {
            throw LarderErrors.TextReaderState($"a {_owner.Name} reads its input once and its batches were already enumerated; create a new reader to read again.");
        }

        _enumerated = true;
    }

    private async ValueTask InitializeAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        if (_schema is not null)
        {
            return;
        }

        var pending = new List<TextBlock>();
        try
        {
            _schema = await _initialize(async, pending, cancellationToken).ConfigureAwait(false);
            _pipeline = new BatchPipeline(Blocks, pending, _parse, Parallelism, _batchSize);
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
}

/// <summary>The end of a stream the text readers and writers were given.</summary>
internal static class OwnedStream
{
    /// <summary>Disposes <paramref name="stream"/> (asynchronously when <paramref name="async"/>) unless <paramref name="leaveOpen"/>.</summary>
    public static ValueTask ReleaseAsync(Stream stream, bool leaveOpen, bool async)
    {
        if (leaveOpen)
        {
            return default;
        }

        if (async)
        {
            return stream.DisposeAsync();
        }

        stream.Dispose();
        return default;
    }
}

/// <summary>Checks and locates invalid UTF-8 (the locating is the error path only).</summary>
internal static class Utf8Validation
{
    /// <summary>Throws <see cref="LarderFormatException"/> at the first invalid UTF-8 in <paramref name="block"/>.</summary>
    public static void ThrowIfInvalid(TextBlock block, string? source)
    {
        var span = block.Span;
        if (!System.Text.Unicode.Utf8.IsValid(span))
        {
            int bad = FirstInvalid(span);
            throw LarderErrors.TextInvalidUtf8(source, null, block.LineAt(bad), block.StreamOffset + bad);
        }
    }

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
