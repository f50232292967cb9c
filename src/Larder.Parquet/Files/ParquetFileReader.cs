using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using Larder.Parquet.Read;
using Larder.Parquet.SchemaMapping;
using Larder.IO;

namespace Larder.Parquet.Files;

/// <summary>Options for reading Parquet files. Immutable.</summary>
public sealed record ParquetReadOptions
{
    public static ParquetReadOptions Default { get; } = new();

    /// <summary>Verify page CRCs where the writer stored them (a mismatch is a <see cref="LarderChecksumException"/>). Default true.</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Validate every assembled column (offsets, lengths, dictionary indices) before handing it out. Default true.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>Largest footer accepted, in bytes. Default 256 MiB.</summary>
    public int MaxFooterLength { get; init; } = 256 << 20;

    /// <summary>Most rows in one batch. Default 65,536. A batch never spans row groups.</summary>
    public int BatchRows { get; init; } = 65_536;

    /// <summary>
    /// Decoded bytes of one leaf column at which a batch ends early (with at least one row). Default 256 MiB. This bounds
    /// memory whatever the row group size and keeps every array within 32-bit offsets (a row group whose strings exceed
    /// 2 GiB reads as several batches).
    /// </summary>
    public long BatchBytes { get; init; } = 256L << 20;

    /// <summary>Bytes fetched per read of a column chunk whose pages are smaller. Default 1 MiB (one buffer per column read).</summary>
    public int ReadBlockSize { get; init; } = 1 << 20;

    /// <summary>
    /// Reuse the memory of earlier batches for later ones. A batch is then valid only until the next batch is asked
    /// of this reader (by any of its read methods): consume it, or copy what must outlive it, before asking for more.
    /// Saves allocating, and faulting in, fresh memory for every batch, which matters for scans that fold each batch
    /// into a result or write it out. Default false: every batch is independent and immutable.
    /// </summary>
    public bool ReuseBuffers { get; init; }
}

/// <summary>
/// Reads a Parquet file as Arrow record batches. The footer is read first (one read of the file's tail when it fits in
/// 64 KiB); then each row group is read column chunk by column chunk, page by page, through an <see cref="IRangeSource"/>
/// (a local file, a seekable stream, memory, or an object store's ranged reads). Only the selected columns' chunks are
/// read, nothing is buffered whole, and batches hold at most <see cref="ParquetReadOptions.BatchRows"/> rows, so memory
/// stays bounded by one batch plus one read block per column. Not thread safe; disposing disposes the source unless it
/// was opened with <c>leaveOpen</c>.
/// </summary>
public sealed class ParquetFileReader : IDisposable, IAsyncDisposable
{
    private const int TailProbe = 64 * 1024;

    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly IRangeSource _file;
    private readonly bool _leaveOpen;
    private readonly string? _source;
    private readonly ParquetReadOptions _options;
    private readonly ParquetReadSchema _schema;

    /// <summary>Work buffers reused across chunks and row groups (reading is single-threaded: one reader, one thread).</summary>
    private readonly ReadBufferPool _buffers;

    private ParquetFileReader(IRangeSource file, bool leaveOpen, FileMetaData metadata, ParquetReadSchema schema, ParquetReadOptions options)
    {
        _file = file;
        _leaveOpen = leaveOpen;
        _source = file.Name;
        _options = options;
        Metadata = metadata;
        _schema = schema;
        _buffers = new ReadBufferPool { Recycler = options.ReuseBuffers ? new BufferRecycler() : null };
    }

    /// <summary>Opens the file at <paramref name="path"/> and reads its footer.</summary>
    /// <exception cref="LarderNotFoundException">The file does not exist.</exception>
    /// <exception cref="LarderFormatException">The file is not a valid Parquet file.</exception>
    public static ParquetFileReader Open(string path, ParquetReadOptions? options = null)
        => Open(RangeSource.FromFile(path), leaveOpen: false, options);

    /// <summary>Reads the footer of the Parquet data in a seekable <paramref name="stream"/>.</summary>
    /// <exception cref="LarderFormatException">The data is not a valid Parquet file.</exception>
    public static ParquetFileReader Open(Stream stream, bool leaveOpen = false, ParquetReadOptions? options = null)
        => Open(RangeSource.FromStream(stream, leaveOpen, (stream as FileStream)?.Name), leaveOpen: false, options);

    /// <summary>Reads the footer of the Parquet file <paramref name="source"/> holds.</summary>
    /// <exception cref="LarderFormatException">The data is not a valid Parquet file.</exception>
    public static ParquetFileReader Open(IRangeSource source, bool leaveOpen = false, ParquetReadOptions? options = null)
        => OpenCoreAsync(source, leaveOpen, options ?? ParquetReadOptions.Default, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The asynchronous twin of <see cref="Open(string, ParquetReadOptions?)"/>.</summary>
    public static async Task<ParquetFileReader> OpenAsync(string path, ParquetReadOptions? options = null, CancellationToken cancellationToken = default)
        => await OpenCoreAsync(RangeSource.FromFile(path), leaveOpen: false, options ?? ParquetReadOptions.Default, async: true, cancellationToken).ConfigureAwait(false);

    /// <summary>The asynchronous twin of <see cref="Open(IRangeSource, bool, ParquetReadOptions?)"/>.</summary>
    public static async Task<ParquetFileReader> OpenAsync(IRangeSource source, bool leaveOpen = false, ParquetReadOptions? options = null, CancellationToken cancellationToken = default)
        => await OpenCoreAsync(source, leaveOpen, options ?? ParquetReadOptions.Default, async: true, cancellationToken).ConfigureAwait(false);

    /// <summary>The Arrow schema of the file (restored from <c>ARROW:schema</c> where present and compatible).</summary>
    public Schema Schema => _schema.Schema;

    /// <summary>The decoded footer.</summary>
    public FileMetaData Metadata { get; }

    public int RowGroupCount => Metadata.RowGroups.Count;

    /// <summary>Reads row group <paramref name="index"/> as one batch of all columns.</summary>
    public RecordBatch ReadRowGroup(int index) => ReadRowGroup(index, null);

    /// <summary>
    /// Reads row group <paramref name="index"/> as one batch with only <paramref name="columns"/> (top-level names, in
    /// that order; null for all). Only the chunks of those columns are read from the file.
    /// </summary>
    /// <exception cref="LarderNotFoundException">A column does not exist.</exception>
    /// <exception cref="LarderNotSupportedException">
    /// The row group does not fit one batch (more than 2^31 rows, or a column needing more than 2 GiB); <see cref="Read"/>
    /// reads it as several.
    /// </exception>
    public RecordBatch ReadRowGroup(int index, IReadOnlyList<string>? columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, RowGroupCount);
        var options = _options with { BatchRows = int.MaxValue, BatchBytes = int.MaxValue - 64 };
        using var batches = new RowGroupBatches(this, index, Select(columns), options);
        var batch = batches.NextAsync(async: false, CancellationToken.None).GetAwaiter().GetResult()!;
        if (batches.NextAsync(async: false, CancellationToken.None).GetAwaiter().GetResult() is not null)
        {
            throw LarderErrors.NotSupported(_source, $"reading row group {index} as one batch (it holds {Metadata.RowGroups[index].NumRows} rows, or a column needs more than 2 GiB)", "read it with Read or ReadAll, which split it into batches.");
        }

        return batch;
    }

    /// <summary>All row groups in order, as batches of at most <see cref="ParquetReadOptions.BatchRows"/> rows.</summary>
    public IEnumerable<RecordBatch> ReadAll(IReadOnlyList<string>? columns = null) => Read(columns, null);

    /// <summary>
    /// The row groups <paramref name="rowGroups"/> (null for all; in the order given) with only <paramref name="columns"/>
    /// (top-level names in that order; null for all), as batches of at most <see cref="ParquetReadOptions.BatchRows"/> rows.
    /// A row group with no rows gives one empty batch. Reading is lazy: each batch is decoded when it is asked for.
    /// </summary>
    /// <exception cref="LarderNotFoundException">A column does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row group index is out of range.</exception>
    public IEnumerable<RecordBatch> Read(IReadOnlyList<string>? columns = null, IReadOnlyList<int>? rowGroups = null)
    {
        var selection = Select(columns);
        var groups = SelectRowGroups(rowGroups);
        return Iterate();

        IEnumerable<RecordBatch> Iterate()
        {
            foreach (int g in groups)
            {
                using var batches = new RowGroupBatches(this, g, selection, _options);
                while (batches.NextAsync(async: false, CancellationToken.None).GetAwaiter().GetResult() is { } batch)
                {
                    yield return batch;
                }
            }
        }
    }

    /// <summary>The asynchronous twin of <see cref="ReadAll"/>.</summary>
    public IAsyncEnumerable<RecordBatch> ReadAllAsync(IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default)
        => ReadAsync(columns, null, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="Read"/>: file reads are asynchronous, decoding runs on the caller.</summary>
    public IAsyncEnumerable<RecordBatch> ReadAsync(IReadOnlyList<string>? columns = null, IReadOnlyList<int>? rowGroups = null, CancellationToken cancellationToken = default)
    {
        var selection = Select(columns);
        var groups = SelectRowGroups(rowGroups);
        return Iterate(cancellationToken);

        async IAsyncEnumerable<RecordBatch> Iterate([EnumeratorCancellation] CancellationToken ct)
        {
            foreach (int g in groups)
            {
                using var batches = new RowGroupBatches(this, g, selection, _options);
                while (await batches.NextAsync(async: true, ct).ConfigureAwait(false) is { } batch)
                {
                    yield return batch;
                }
            }
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _file.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static async ValueTask<ParquetFileReader> OpenCoreAsync(IRangeSource file, bool leaveOpen, ParquetReadOptions options, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            string? source = file.Name;
            long length = file.Length;
            if (length < 12)
            {
                throw LarderErrors.Format(source, 0, $"{length} bytes is too short for a Parquet file (magic and footer need at least 12).");
            }

            // One read of the tail usually holds the whole footer, so a remote source answers in one request.
            int tailLength = (int)Math.Min(length, TailProbe);
            var tail = new byte[tailLength];
            await ReadAsync(file, length - tailLength, tail, "a Parquet footer", async, cancellationToken).ConfigureAwait(false);
            var head = new byte[4];
            if (tailLength == length)
            {
                tail.AsSpan(0, 4).CopyTo(head);
            }
            else
            {
                await ReadAsync(file, 0, head, "a Parquet file", async, cancellationToken).ConfigureAwait(false);
            }

            var end = tail.AsSpan(tailLength - 8);
            if (!head.AsSpan().SequenceEqual(Magic) || !end[4..].SequenceEqual(Magic))
            {
                throw LarderErrors.Format(source, 0, end[4..].SequenceEqual("PARE"u8)
                    ? "this Parquet file is encrypted; decrypt it with the tool that wrote it first."
                    : "this is not a Parquet file: the PAR1 magic is missing at the start or end.");
            }

            int footerLength = BinaryPrimitives.ReadInt32LittleEndian(end);
            long footerStart = length - 8 - footerLength;
            if (footerLength <= 0 || footerLength > options.MaxFooterLength || footerStart < 4)
            {
                throw LarderErrors.Format(source, length - 8, $"the footer length {footerLength} does not fit in the file.");
            }

            byte[] footer;
            if (footerLength <= tailLength - 8)
            {
                footer = tail.AsSpan(tailLength - 8 - footerLength, footerLength).ToArray();
            }
            else
            {
                footer = new byte[footerLength];
                await ReadAsync(file, footerStart, footer, "a Parquet footer", async, cancellationToken).ConfigureAwait(false);
            }

            var metadata = ParquetMetadataCodec.ReadFileMetaData(footer, source, footerStart);
            var schema = ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, source);
            foreach (var rowGroup in metadata.RowGroups)
            {
                CheckRowGroup(rowGroup, schema, footerStart, source);
            }

            return new ParquetFileReader(file, leaveOpen, metadata, schema, options);
        }
        catch
        {
            if (!leaveOpen)
            {
                file.Dispose();
            }

            throw;
        }
    }

    private static async ValueTask ReadAsync(IRangeSource file, long offset, byte[] destination, string what, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await file.ReadExactlyAsync(offset, destination, what, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            file.ReadExactly(offset, destination, what);
        }
    }

    private static void CheckRowGroup(RowGroup rowGroup, ParquetReadSchema schema, long footerStart, string? source)
    {
        if (rowGroup.Columns.Count != schema.Columns.Count)
        {
            throw LarderErrors.Format(source, null, $"a row group has {rowGroup.Columns.Count} column chunks for a schema of {schema.Columns.Count} leaf columns.");
        }

        if (rowGroup.NumRows < 0 || (rowGroup.NumRows > 0 && rowGroup.Columns.Any(c => c.MetaData.NumValues == 0)))
        {
            throw LarderErrors.Format(source, null, $"a row group claims {rowGroup.NumRows} rows but has an empty column chunk, or a negative count.");
        }

        foreach (var chunk in rowGroup.Columns)
        {
            var meta = chunk.MetaData;
            long start = meta.FirstPageOffset;
            if (chunk.FilePath is null && meta.NumValues != 0
                && (start < 4 || meta.TotalCompressedSize < 0 || start > footerStart - meta.TotalCompressedSize))
            {
                throw LarderErrors.Format(source, start, $"column chunk {string.Join('.', meta.PathInSchema)} (offset {start}, {meta.TotalCompressedSize} bytes) lies outside the file's data.");
            }
        }
    }

    private int[] Select(IReadOnlyList<string>? columns)
        => columns is null
            ? [.. Enumerable.Range(0, Schema.Count)]
            : [.. columns.Select(c => Schema.GetFieldIndex(c) is int i and >= 0 ? i : throw LarderErrors.ColumnNotFound(c, Schema.Fields.Select(f => f.Name)))];

    private int[] SelectRowGroups(IReadOnlyList<int>? rowGroups)
    {
        if (rowGroups is null)
        {
            return [.. Enumerable.Range(0, RowGroupCount)];
        }

        foreach (int g in rowGroups)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(g, nameof(rowGroups));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(g, RowGroupCount, nameof(rowGroups));
        }

        return [.. rowGroups];
    }

    /// <summary>
    /// The batches of one row group: a cursor per selected leaf, advanced together so that every batch holds the same
    /// whole records of every column. Disposing releases the cursors' buffers.
    /// </summary>
    private sealed class RowGroupBatches : IDisposable
    {
        private readonly ParquetFileReader _reader;
        private readonly int _index;
        private readonly int[] _fields;
        private readonly ParquetReadOptions _options;
        private readonly Schema _schema;
        private readonly ColumnChunkCursor?[][] _cursors;
        private readonly ParquetColumnSchema[][] _leaves;
        private readonly LevelAssembler[] _assemblers;
        private readonly long _rows;
        private long _done;
        private bool _started;

        public RowGroupBatches(ParquetFileReader reader, int index, int[] fields, ParquetReadOptions options)
        {
            _reader = reader;
            _index = index;
            _fields = fields;
            _options = options;
            var rowGroup = reader.Metadata.RowGroups[index];
            _rows = rowGroup.NumRows;
            _schema = fields.Length == reader.Schema.Count && fields.SequenceEqual(Enumerable.Range(0, fields.Length))
                ? reader.Schema
                : new Schema(fields.Select(i => reader.Schema[i]), reader.Schema.Metadata);
            var chunkOptions = new ColumnReadOptions { VerifyChecksums = options.VerifyChecksums, ReadBlockSize = options.ReadBlockSize };
            _cursors = new ColumnChunkCursor?[fields.Length][];
            _leaves = new ParquetColumnSchema[fields.Length][];
            _assemblers = new LevelAssembler[fields.Length];
            try
            {
                for (int f = 0; f < fields.Length; f++)
                {
                    var leaves = reader._schema.Columns.Where(c => c.FieldIndex == fields[f]).ToArray();
                    _leaves[f] = leaves;
                    _assemblers[f] = new LevelAssembler(leaves.Select(c => c.Path).ToArray());
                    _cursors[f] = new ColumnChunkCursor?[leaves.Length];
                    for (int l = 0; l < leaves.Length; l++)
                    {
                        var chunk = rowGroup.Columns[leaves[l].ColumnIndex];
                        var meta = chunk.MetaData;
                        if (chunk.FilePath is not null)
                        {
                            throw LarderErrors.NotSupported(reader._source, $"a column chunk stored in another file ({chunk.FilePath})", "read the files of this dataset one by one.");
                        }

                        // An empty chunk has nothing to read (some writers leave its page offsets at 0).
                        _cursors[f][l] = meta.NumValues == 0
                            ? null
                            : new ColumnChunkCursor(leaves[l], meta, reader._file, meta.FirstPageOffset, meta.TotalCompressedSize, chunkOptions, reader._buffers);
                    }
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>The next batch, or null after the last (a row group without rows gives one empty batch).</summary>
        public async ValueTask<RecordBatch?> NextAsync(bool async, CancellationToken cancellationToken)
        {
            if (_started && _done == _rows)
            {
                CheckExhausted();
                return null;
            }

            _started = true;
            int want = (int)Math.Min(_rows - _done, _options.BatchRows);
            int take = want;
            foreach (var cursors in _cursors)
            {
                foreach (var cursor in cursors)
                {
                    if (cursor is not null)
                    {
                        int available = await cursor.FillAsync(want, _options.BatchBytes, async, cancellationToken).ConfigureAwait(false);
                        if (available == 0 && want > 0)
                        {
                            throw LarderErrors.Format(_reader._source, null, $"column {cursor.Path} of row group {_index} ends after {_done} rows; the row group has {_rows}.");
                        }

                        take = Math.Min(take, available);
                    }
                }
            }

            var arrays = new IArrowArray[_fields.Length];
            var levels = new List<LeafLevels>();
            for (int f = 0; f < _fields.Length; f++)
            {
                levels.Clear();
                for (int l = 0; l < _cursors[f].Length; l++)
                {
                    levels.Add(_cursors[f][l] is { } cursor
                        ? cursor.Take(take)
                        : new LeafLevels(ReadOnlyMemory<short>.Empty, ReadOnlyMemory<short>.Empty, ArrayBuilderFactory.Create(_leaves[f][l].ArrowType).Build().Data));
                }

                var field = _schema[f];
                var data = _assemblers[f].Assemble(levels);
                if (data.Length != take)
                {
                    throw LarderErrors.Format(_reader._source, null, $"column '{field.Name}' of row group {_index} has {data.Length} rows where the other columns have {take}.");
                }

                if (_options.Validate)
                {
                    ArrayValidator.Validate(data, _reader._source);
                }

                arrays[f] = ArrowArrayFactory.Create(data);
            }

            _done += take;
            return new RecordBatch(_schema, arrays, take);
        }

        public void Dispose()
        {
            foreach (var cursors in _cursors)
            {
                foreach (var cursor in cursors ?? [])
                {
                    cursor?.Dispose();
                }
            }
        }

        private void CheckExhausted()
        {
            for (int f = 0; f < _fields.Length; f++)
            {
                foreach (var cursor in _cursors[f])
                {
                    if (cursor is not null && (!cursor.Exhausted || cursor.BufferedRecords > 0))
                    {
                        throw LarderErrors.Format(_reader._source, null, $"column {cursor.Path} of row group {_index} holds more than the row group's {_rows} rows.");
                    }
                }
            }
        }
    }
}
