using System.Buffers;
using System.Buffers.Binary;
using System.Reflection;
using Larder.Columnar;
using Larder.IO;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.Parquet.Write;

namespace Larder.Parquet.Files;

/// <summary>Options for writing Parquet files; every default is the one stated.</summary>
public sealed record ParquetWriteOptions
{
    public static ParquetWriteOptions Default { get; } = new();

    /// <summary>Codec: none, snappy, gzip, zstd (default), lz4_raw or brotli.</summary>
    public string Compression { get; init; } = "zstd";

    /// <summary>Codec level; null (default) uses the codec's default.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>A row group is closed once it holds this many rows. Default 1,000,000.</summary>
    public long RowGroupRows { get; init; } = 1_000_000;

    /// <summary>
    /// …or once its column chunks reach about this many uncompressed bytes (encoded pages before compression, what the
    /// footer's total_byte_size counts), however the input is batched. Default 128 MiB.
    /// </summary>
    public long RowGroupBytes { get; init; } = 128L << 20;

    /// <summary>Target encoded size of a data page. Default 1 MiB.</summary>
    public int DataPageSize { get; init; } = 1 << 20;

    /// <summary>
    /// A column chunk's dictionary stays within this PLAIN size: the page that would pass it, and every later page of the
    /// chunk, is written PLAIN. Default 1 MiB.
    /// </summary>
    public int DictionaryPageSizeLimit { get; init; } = 1 << 20;

    /// <summary>
    /// Dictionary-encode columns (RLE_DICTIONARY) while the dictionary stays small and pays (see
    /// <see cref="Write.ColumnWriteOptions.EnableDictionary"/>: unique values are written PLAIN after one page). Default true.
    /// </summary>
    public bool EnableDictionary { get; init; } = true;

    /// <summary>Store a CRC32 in every page header. Default true.</summary>
    public bool WritePageChecksums { get; init; } = true;
}

/// <summary>
/// Writes Arrow record batches as a Parquet file: row groups closed by row count or size, v1 data pages, dictionary
/// encoding with fallback, statistics, and the Arrow schema in <c>ARROW:schema</c> so types Parquet cannot express
/// survive a round trip. Memory holds at most one row group. Not thread safe. Created on a path, the file appears
/// complete on finish and an unfinished writer leaves nothing behind; on a stream, disposing finishes the file.
/// </summary>
public sealed class ParquetFileWriter : IDisposable, IAsyncDisposable
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly AtomicFile? _target;
    private readonly ParquetWriteOptions _options;
    private readonly ParquetWriteSchema _writeSchema;
    private readonly LevelShredder[] _shredders;
    private readonly List<RowGroup> _rowGroups = [];
    private ColumnChunkWriter[]? _chunks;
    private long _position;
    private long _groupRows;
    private long _groupBytes;

    /// <summary>Uncompressed bytes per row of the rows written so far (0 before any), used to size each step.</summary>
    private double _bytesPerRow;

    private const int FirstStepRows = 4096;
    private long _totalRows;
    private bool _started;
    private bool _finished;

    public ParquetFileWriter(Stream stream, Schema schema, ParquetWriteOptions? options = null, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        ArgumentNullException.ThrowIfNull(schema);
        _leaveOpen = leaveOpen;
        _options = options ?? ParquetWriteOptions.Default;
        Schema = schema;
        _writeSchema = ParquetSchemaMapper.ToParquet(schema);
        _shredders = [.. schema.Fields.Select(f => new LevelShredder(f))];
    }

    private ParquetFileWriter(AtomicFile target, Schema schema, ParquetWriteOptions? options)
        : this(target.Stream, schema, options, leaveOpen: true)
        => _target = target;

    /// <summary>Writes the file at <paramref name="path"/> atomically (it appears, complete, on <see cref="Finish"/>).</summary>
    public static ParquetFileWriter Create(string path, Schema schema, ParquetWriteOptions? options = null, bool durable = false)
    {
        var target = AtomicFile.Create(path, durable);
        try
        {
            return new ParquetFileWriter(target, schema, options);
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    public Schema Schema { get; }

    /// <summary>Adds a batch to the current row group, closing row groups as they fill.</summary>
    /// <exception cref="ArgumentException">The batch's column types differ from <see cref="Schema"/>.</exception>
    public void Write(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!batch.Schema.Fields.Select(f => f.Type).SequenceEqual(Schema.Fields.Select(f => f.Type)))
        {
            throw LarderErrors.SchemaMismatch($"the writer's schema is ({string.Join(", ", Schema.Fields)}) but the batch has ({string.Join(", ", batch.Schema.Fields)})");
        }

        Start();
        int offset = 0;
        while (offset < batch.Length)
        {
            long room = _options.RowGroupRows - _groupRows;
            int take = (int)Math.Min(batch.Length - offset, Math.Max(1, room));

            // Bound each step by the bytes left in the row group at the rate seen so far (a first step of a few
            // thousand rows sets the rate), so the byte limit holds whatever the batch sizes.
            take = _bytesPerRow > 0
                ? (int)Math.Clamp((_options.RowGroupBytes - _groupBytes) / _bytesPerRow, 1, take)
                : Math.Min(take, FirstStepRows);
            var part = offset == 0 && take == batch.Length ? batch : batch.Slice(offset, take);
            Append(part);
            offset += take;
            _groupBytes = _chunks!.Sum(c => c.BufferedBytes);
            _bytesPerRow = Math.Max(1.0, (double)_groupBytes / _groupRows);
            if (_groupRows >= _options.RowGroupRows || _groupBytes >= _options.RowGroupBytes)
            {
                FlushRowGroup();
            }
        }
    }

    public ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(batch);
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the last row group and writes the footer (for a writer created on a path: puts the file in place).</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        Start();
        if (_groupRows > 0)
        {
            FlushRowGroup();
        }

        var metadata = new FileMetaData
        {
            Version = 2,
            Schema = _writeSchema.Elements,
            NumRows = _totalRows,
            RowGroups = _rowGroups,
            KeyValueMetadata = _writeSchema.KeyValueMetadata,
            CreatedBy = CreatedBy,
            ColumnOrders = [.. _writeSchema.Columns.Select(_ => ColumnOrder.TypeDefined)],
        };
        var footer = new ArrayBufferWriter<byte>(4096);
        int length = ParquetMetadataCodec.WriteFileMetaData(metadata, footer);
        Write(footer.WrittenSpan);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, length);
        Magic.CopyTo(tail[4..]);
        Write(tail);
        _stream.Flush();
        _target?.Commit();
        _finished = true;
    }

    public ValueTask FinishAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Finish();
        return ValueTask.CompletedTask;
    }

    /// <summary>On a stream: finishes the file. Created on a path and not finished: discards the partial output.</summary>
    public void Dispose()
    {
        try
        {
            if (_target is null && !_finished)
            {
                Finish();
            }
        }
        finally
        {
            _finished = true;
            foreach (var c in _chunks ?? [])
            {
                c.Dispose();
            }

            _target?.Dispose();
            if (_target is null && !_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string CreatedBy { get; } =
        "larder version " + (typeof(ParquetFileWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");

    private void Start()
    {
        if (!_started)
        {
            _started = true;
            Write(Magic);
        }
    }

    private void Append(RecordBatch batch)
    {
        var columnOptions = new ColumnWriteOptions
        {
            Compression = _options.Compression,
            CompressionLevel = _options.CompressionLevel,
            DataPageSize = _options.DataPageSize,
            DictionaryPageSizeLimit = _options.DictionaryPageSizeLimit,
            EnableDictionary = _options.EnableDictionary,
            WritePageChecksums = _options.WritePageChecksums,
        };
        _chunks ??= [.. _writeSchema.Columns.Select(c => new ColumnChunkWriter(c, columnOptions))];
        int leaf = 0;
        for (int i = 0; i < batch.ColumnCount; i++)
        {
            var shredder = _shredders[i];
            shredder.Shred(batch.Column(i).Data);
            foreach (var result in shredder.Results)
            {
                _chunks[leaf++].Write(result);
            }

        }

        _groupRows += batch.Length;
    }

    private void FlushRowGroup()
    {
        if (_chunks is null)
        {
            return;
        }

        long groupStart = _position;
        long uncompressed = 0;
        var columns = new ColumnChunk[_chunks.Length];
        for (int i = 0; i < _chunks.Length; i++)
        {
            var result = _chunks[i].Finish(_position);
            foreach (var segment in result.Segments)
            {
                Write(segment.Span);
            }

            columns[i] = new ColumnChunk { FileOffset = result.MetaData.FirstPageOffset, MetaData = result.MetaData };
            uncompressed += result.MetaData.TotalUncompressedSize;
            _chunks[i].Reset();
        }

        _rowGroups.Add(new RowGroup
        {
            Columns = columns,
            NumRows = _groupRows,
            TotalByteSize = uncompressed,
            FileOffset = groupStart,
            TotalCompressedSize = _position - groupStart,
            Ordinal = _rowGroups.Count <= short.MaxValue ? (short)_rowGroups.Count : null,
        });
        _totalRows += _groupRows;
        _groupRows = 0;
        _groupBytes = 0;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _position += bytes.Length;
    }

}
