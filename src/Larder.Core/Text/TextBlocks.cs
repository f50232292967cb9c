using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// A run of whole records (rows) of the input in a pooled buffer: the unit that is parsed into one record batch.
/// Owns its buffer until <see cref="Release"/>; not thread safe (handed from the reading thread to one parsing task).
/// </summary>
internal sealed class TextBlock
{
    private byte[]? _buffer;

    public TextBlock(byte[] buffer, int length, int rowCount, long firstRow, long firstLine, long streamOffset)
    {
        _buffer = buffer;
        Length = length;
        RowCount = rowCount;
        FirstRow = firstRow;
        FirstLine = firstLine;
        StreamOffset = streamOffset;
    }

    /// <summary>Bytes of the block (starting at a record start, ending after a record's line end or at the end of input).</summary>
    public int Length { get; }

    /// <summary>Non-blank records in the block.</summary>
    public int RowCount { get; }

    /// <summary>Records before this block (its first record is row <c>FirstRow + 1</c> in 1-based numbering).</summary>
    public long FirstRow { get; }

    /// <summary>1-based line number of the block's first byte.</summary>
    public long FirstLine { get; }

    /// <summary>Offset of the block's first byte in the input stream.</summary>
    public long StreamOffset { get; }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw LarderErrors.TextReaderState("the text block was already released")).AsSpan(0, Length);

    /// <summary>Returns the buffer to the pool; the block is unusable afterwards. Idempotent.</summary>
    public void Release()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    /// <summary>1-based line number of byte <paramref name="position"/> of the block.</summary>
    public long LineAt(int position) => FirstLine + TextBlockReader.CountLineBreaks(Span[..Math.Min(position, Length)]);
}

/// <summary>Result of one <see cref="RecordScanner.Scan"/> call.</summary>
internal enum ScanStatus
{
    /// <summary>The block is complete: the requested records were found, or the input ended.</summary>
    Complete,

    /// <summary>More input is needed to finish the block.</summary>
    NeedMore,

    /// <summary>A field exceeds the field limit (<see cref="RecordScanner.ErrorPosition"/> is its record's start).</summary>
    FieldTooLong,

    /// <summary>A record exceeds the row limit.</summary>
    RowTooLong,

    /// <summary>The input ended inside a quoted field.</summary>
    UnterminatedQuote,
}

/// <summary>
/// Finds record boundaries in raw input, resumably: each call continues where the previous one stopped, over a buffer that
/// starts at the beginning of the block in progress and has grown since. Not thread safe; one per reader.
/// </summary>
internal abstract class RecordScanner
{
    /// <summary>Start of the record in progress when a scan failed.</summary>
    public int ErrorPosition { get; protected set; }

    /// <summary>Records completed in the block in progress when a scan failed.</summary>
    public int ErrorRecords { get; protected set; }

    /// <param name="data">The block in progress: all bytes read since its start.</param>
    /// <param name="isFinal">No more input will follow.</param>
    /// <param name="maxRecords">Records per block.</param>
    /// <param name="blockEnd">When complete: bytes of the block.</param>
    /// <param name="records">When complete: non-blank records in the block.</param>
    public abstract ScanStatus Scan(ReadOnlySpan<byte> data, bool isFinal, int maxRecords, out int blockEnd, out int records);

    /// <summary>Starts a new block at position 0 of the next buffer.</summary>
    public abstract void Reset();
}

/// <summary>RFC 4180 record boundaries: line ends outside quoted fields; a quote opens a quoted field only at a field's start.</summary>
internal sealed class CsvRecordScanner : RecordScanner
{
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly int _maxField;
    private readonly int _maxRow;
    private int _pos;
    private int _recordStart;
    private int _quoteStart;
    private int _records;
    private bool _inQuotes;

    public CsvRecordScanner(byte delimiter, byte quote, int maxFieldBytes, int maxRowBytes)
    {
        _delimiter = delimiter;
        _quote = quote;
        _maxField = maxFieldBytes;
        _maxRow = maxRowBytes;
    }

    public override void Reset()
    {
        _pos = 0;
        _recordStart = 0;
        _quoteStart = 0;
        _records = 0;
        _inQuotes = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ScanStatus Scan(ReadOnlySpan<byte> data, bool isFinal, int maxRecords, out int blockEnd, out int records)
    {
        int p = _pos;
        int end = data.Length;
        blockEnd = 0;
        records = 0;
        while (true)
        {
            if (_inQuotes)
            {
                int i = data[p..].IndexOf(_quote);
                if (i < 0)
                {
                    p = end;
                    if (p - _quoteStart - 1 > _maxField)
                    {
                        return Fail(ScanStatus.FieldTooLong);
                    }

                    if (p - _recordStart > _maxRow)
                    {
                        return Fail(ScanStatus.RowTooLong);
                    }

                    if (isFinal)
                    {
                        return Fail(ScanStatus.UnterminatedQuote);
                    }

                    _pos = p;
                    return ScanStatus.NeedMore;
                }

                p += i;
                if (p + 1 >= end && !isFinal)
                {
                    // A quote as the last byte read: escaped or closing depends on the next byte.
                    _pos = p;
                    return ScanStatus.NeedMore;
                }

                if (p + 1 < end && data[p + 1] == _quote)
                {
                    p += 2;
                    continue;
                }

                _inQuotes = false;
                p++;
                continue;
            }

            int j = IndexOfStop(data[p..], _quote);
            if (j < 0)
            {
                p = end;
                if (p - _recordStart > _maxRow)
                {
                    return Fail(ScanStatus.RowTooLong);
                }

                if (!isFinal)
                {
                    _pos = p;
                    return ScanStatus.NeedMore;
                }

                if (p > _recordStart)
                {
                    _records++;
                }

                blockEnd = end;
                records = _records;
                return ScanStatus.Complete;
            }

            p += j;
            byte b = data[p];
            if (b == _quote)
            {
                if (p == _recordStart || data[p - 1] == _delimiter)
                {
                    _inQuotes = true;
                    _quoteStart = p;
                }

                p++;
                continue;
            }

            int next = p + 1;
            if (b == (byte)'\r')
            {
                if (next >= end && !isFinal)
                {
                    _pos = p;
                    return ScanStatus.NeedMore;
                }

                if (next < end && data[next] == (byte)'\n')
                {
                    next++;
                }
            }

            if (p - _recordStart > _maxRow)
            {
                return Fail(ScanStatus.RowTooLong);
            }

            if (p > _recordStart)
            {
                _records++;
            }

            _recordStart = next;
            p = next;
            if (_records == maxRecords)
            {
                blockEnd = next;
                records = _records;
                return ScanStatus.Complete;
            }
        }
    }

    /// <summary>Index of the first quote, CR or LF in <paramref name="data"/>, or -1 (vectorised; compiled optimised up front).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int IndexOfStop(ReadOnlySpan<byte> data, byte quote)
    {
        int i = 0;
        int len = data.Length;
        ref byte start = ref MemoryMarshal.GetReference(data);
        if (Vector256.IsHardwareAccelerated && len >= Vector256<byte>.Count)
        {
            var vq = Vector256.Create(quote);
            var vlf = Vector256.Create((byte)'\n');
            var vcr = Vector256.Create((byte)'\r');
            for (; i <= len - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                uint bits = (Vector256.Equals(v, vq) | Vector256.Equals(v, vlf) | Vector256.Equals(v, vcr)).ExtractMostSignificantBits();
                if (bits != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bits);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated && len >= Vector128<byte>.Count)
        {
            var vq = Vector128.Create(quote);
            var vlf = Vector128.Create((byte)'\n');
            var vcr = Vector128.Create((byte)'\r');
            for (; i <= len - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var v = Vector128.LoadUnsafe(ref start, (nuint)i);
                uint bits = (Vector128.Equals(v, vq) | Vector128.Equals(v, vlf) | Vector128.Equals(v, vcr)).ExtractMostSignificantBits();
                if (bits != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bits);
                }
            }
        }

        for (; i < len; i++)
        {
            byte b = data[i];
            if (b == quote || b is (byte)'\n' or (byte)'\r')
            {
                return i;
            }
        }

        return -1;
    }

    private ScanStatus Fail(ScanStatus status)
    {
        ErrorPosition = _recordStart;
        ErrorRecords = _records;
        return status;
    }
}

/// <summary>JSON-lines record boundaries: LF; lines holding only white space are blank.</summary>
internal sealed class JsonLinesRecordScanner : RecordScanner
{
    private readonly int _maxLine;
    private int _pos;
    private int _recordStart;
    private int _records;

    public JsonLinesRecordScanner(int maxLineBytes) => _maxLine = maxLineBytes;

    public override void Reset()
    {
        _pos = 0;
        _recordStart = 0;
        _records = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ScanStatus Scan(ReadOnlySpan<byte> data, bool isFinal, int maxRecords, out int blockEnd, out int records)
    {
        int p = _pos;
        int end = data.Length;
        blockEnd = 0;
        records = 0;
        while (true)
        {
            int i = data[p..].IndexOf((byte)'\n');
            if (i < 0)
            {
                p = end;
                if (p - _recordStart > _maxLine)
                {
                    ErrorPosition = _recordStart;
                    ErrorRecords = _records;
                    return ScanStatus.RowTooLong;
                }

                if (!isFinal)
                {
                    _pos = p;
                    return ScanStatus.NeedMore;
                }

                if (!IsBlank(data[_recordStart..end]))
                {
                    _records++;
                }

                blockEnd = end;
                records = _records;
                return ScanStatus.Complete;
            }

            p += i;
            if (p - _recordStart > _maxLine)
            {
                ErrorPosition = _recordStart;
                ErrorRecords = _records;
                return ScanStatus.RowTooLong;
            }

            if (!IsBlank(data[_recordStart..p]))
            {
                _records++;
            }

            p++;
            _recordStart = p;
            if (_records == maxRecords)
            {
                blockEnd = p;
                records = _records;
                return ScanStatus.Complete;
            }
        }
    }

    /// <summary>True when the line holds only spaces, tabs and CRs.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;
}

/// <summary>
/// Reads an input stream into <see cref="TextBlock"/>s of a given number of records, with bounded buffering: at most one
/// block plus one read chunk is held (the scanner's limits bound a single record). Skips a UTF-8 byte-order mark. One core
/// implementation serves the synchronous and asynchronous paths (the <c>async</c> flag). Not thread safe.
/// </summary>
internal sealed class TextBlockReader : IDisposable
{
    private const int ReadChunk = 1 << 20;
    private const int MinBuffer = ReadChunk + (64 * 1024);

    private readonly Stream _stream;
    private readonly RecordScanner _scanner;
    private readonly string? _source;
    private readonly string _fieldOption;
    private readonly string _rowOption;
    private readonly long _fieldLimit;
    private readonly long _rowLimit;
    private byte[] _buffer;
    private int _length;
    private bool _eof;
    private bool _started;
    private bool _finished;
    private long _offset;
    private long _rows;
    private long _lines = 1;
    private int _preferred = MinBuffer;

    public TextBlockReader(Stream stream, RecordScanner scanner, string? source, string fieldOption, long fieldLimit, string rowOption, long rowLimit)
    {
        _stream = stream;
        _scanner = scanner;
        _source = source;
        _fieldOption = fieldOption;
        _fieldLimit = fieldLimit;
        _rowOption = rowOption;
        _rowLimit = rowLimit;
        _buffer = ArrayPool<byte>.Shared.Rent(MinBuffer);
    }

    /// <summary>Numbers the following records from row 1 again (after a header, which is not a data row).</summary>
    public void RestartRowNumbers() => _rows = 0;

    /// <summary>The next block of up to <paramref name="maxRecords"/> records, or null at the end of the input.</summary>
    public async ValueTask<TextBlock?> ReadBlockAsync(bool async, int maxRecords, CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return null;
        }

        if (!_started)
        {
            await StartAsync(async, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            var status = _scanner.Scan(_buffer.AsSpan(0, _length), _eof, maxRecords, out int blockEnd, out int records);
            switch (status)
            {
                case ScanStatus.Complete:
                    if (records == 0)
                    {
                        // Only blank lines remain.
                        _finished = true;
                        return null;
                    }

                    return TakeBlock(blockEnd, records, maxRecords);
                case ScanStatus.NeedMore:
                    await FillAsync(async, maxRecords, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw ScanError(status);
            }
        }
    }

    private TextBlock TakeBlock(int blockEnd, int records, int maxRecords)
    {
        var block = new TextBlock(_buffer, blockEnd, records, _rows, _lines, _offset);
        _rows += records;
        _lines += CountLineBreaks(_buffer.AsSpan(0, blockEnd));
        _offset += blockEnd;
        if (maxRecords > 1)
        {
            _preferred = (int)Math.Clamp(blockEnd + (blockEnd / 4L) + ReadChunk, MinBuffer, Array.MaxLength);
        }

        int rest = _length - blockEnd;
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_preferred, rest + ReadChunk));
        _buffer.AsSpan(blockEnd, rest).CopyTo(next);
        _buffer = next;
        _length = rest;
        _scanner.Reset();
        if (_eof && rest == 0)
        {
            _finished = true;
        }

        return block;
    }

    private async ValueTask StartAsync(bool async, CancellationToken cancellationToken)
    {
        _started = true;
        while (_length < 4 && !_eof)
        {
            await ReadSomeAsync(async, cancellationToken).ConfigureAwait(false);
        }

        var head = _buffer.AsSpan(0, _length);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _buffer.AsSpan(3, _length - 3).CopyTo(_buffer);
            _length -= 3;
            _offset = 3;
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw LarderErrors.TextUtf16(_source);
        }
    }

    private async ValueTask FillAsync(bool async, int maxRecords, CancellationToken cancellationToken)
    {
        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= Array.MaxLength)
            {
                throw LarderErrors.TextBlockTooLarge(_source, _rows + 1, maxRecords);
            }

            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(_buffer.Length * 2L, Array.MaxLength));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        await ReadSomeAsync(async, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReadSomeAsync(bool async, CancellationToken cancellationToken)
    {
        int count = Math.Min(_buffer.Length - _length, ReadChunk);
        int n = async
            ? await _stream.ReadAsync(_buffer.AsMemory(_length, count), cancellationToken).ConfigureAwait(false)
            : _stream.Read(_buffer, _length, count);
        if (n == 0)
        {
            _eof = true;
        }
        else
        {
            _length += n;
        }
    }

    private LarderFormatException ScanError(ScanStatus status)
    {
        int pos = _scanner.ErrorPosition;
        long row = _rows + _scanner.ErrorRecords + 1;
        long line = _lines + CountLineBreaks(_buffer.AsSpan(0, Math.Min(pos, _length)));
        long offset = _offset + pos;
        return status switch
        {
            ScanStatus.FieldTooLong => LarderErrors.TextFieldTooLong(_source, row, line, offset, _fieldLimit, _fieldOption),
            ScanStatus.RowTooLong => LarderErrors.TextRowTooLong(_source, row, line, offset, _rowLimit, _rowOption),
            _ => LarderErrors.CsvUnterminatedQuote(_source, row, line, offset),
        };
    }

    /// <summary>Line ends in <paramref name="span"/>: LF, CRLF and lone CR each count once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CountLineBreaks(ReadOnlySpan<byte> span)
    {
        long lf = span.Count((byte)'\n');
        if (span.IndexOf((byte)'\r') < 0)
        {
            return lf;
        }

        long cr = span.Count((byte)'\r');
        long crlf = span.Count("\r\n"u8);
        return lf + cr - crlf;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _length = 0;
        _finished = true;
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}

/// <summary>
/// Turns blocks into record batches in input order, parsing up to a given number of blocks in parallel on the thread pool
/// while the caller's thread reads ahead. Holds the blocks read before parsing starts (the inference window).
/// Not thread safe: one consumer.
/// </summary>
internal sealed class BatchPipeline
{
    private readonly TextBlockReader _reader;
    private readonly Func<TextBlock, RecordBatch> _parse;
    private readonly int _parallelism;
    private readonly int _batchSize;
    private readonly Queue<TextBlock> _pending;
    private readonly Queue<Task<RecordBatch>> _inflight = new();
    private bool _sourceDone;

    public BatchPipeline(TextBlockReader reader, IEnumerable<TextBlock> pending, Func<TextBlock, RecordBatch> parse, int parallelism, int batchSize)
    {
        _reader = reader;
        _pending = new Queue<TextBlock>(pending);
        _parse = parse;
        _parallelism = parallelism;
        _batchSize = batchSize;
    }

    /// <summary>The next batch, or null at the end. Exceptions of a block surface when its batch is due, in order.</summary>
    public async ValueTask<RecordBatch?> NextAsync(bool async, CancellationToken cancellationToken)
    {
        while (_inflight.Count < _parallelism && !_sourceDone)
        {
            var block = _pending.Count > 0 ? _pending.Dequeue() : await _reader.ReadBlockAsync(async, _batchSize, cancellationToken).ConfigureAwait(false);
            if (block is null)
            {
                _sourceDone = true;
                break;
            }

            if (_parallelism == 1)
            {
                return ParseAndRelease(block);
            }

            _inflight.Enqueue(Task.Run(() => ParseAndRelease(block), CancellationToken.None));
        }

        if (_inflight.Count == 0)
        {
            return null;
        }

        var task = _inflight.Dequeue();
        return async ? await task.ConfigureAwait(false) : task.GetAwaiter().GetResult();
    }

    private RecordBatch ParseAndRelease(TextBlock block)
    {
        try
        {
            return _parse(block);
        }
        finally
        {
            block.Release();
        }
    }

    /// <summary>Releases unparsed blocks; parses in flight finish on their own (their errors are observed and dropped).</summary>
    public void Abandon()
    {
        _sourceDone = true;
        while (_pending.Count > 0)
        {
            _pending.Dequeue().Release();
        }

        while (_inflight.Count > 0)
        {
            _inflight.Dequeue().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
