using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using Larder.Parquet.Read;
using Larder.Parquet.SchemaMapping;
using Microsoft.Win32.SafeHandles;

namespace Larder.Parquet.Files;

/// <summary>Options for reading Parquet files.</summary>
public sealed record ParquetReadOptions
{
    public static ParquetReadOptions Default { get; } = new();

    /// <summary>Verify page CRCs where the writer stored them (a mismatch is a <see cref="LarderChecksumException"/>). Default true.</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Validate every assembled column (offsets, lengths, dictionary indices) before handing it out. Default true.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>Largest footer accepted, in bytes. Default 256 MiB.</summary>
    public int MaxFooterLength { get; init; } = 256 << 20;
}

/// <summary>
/// Reads a Parquet file as Arrow record batches, one per row group. The footer is read first; each row group reads
/// only the byte ranges of the column chunks it needs (all, or a projection), so memory stays bounded by one row
/// group's chunks and their decoded columns. Not thread safe; disposes the file handle.
/// </summary>
public sealed class ParquetFileReader : IDisposable, IAsyncDisposable
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly SafeFileHandle _file;
    private readonly string? _source;
    private readonly ParquetReadOptions _options;
    private readonly ParquetReadSchema _schema;

    private ParquetFileReader(SafeFileHandle file, string? source, ParquetReadOptions options)
    {
        _file = file;
        _source = source;
        _options = options;
        long length = RandomAccess.GetLength(file);
        if (length < 12)
        {
            throw LarderErrors.Format(source, 0, $"{length} bytes is too short for a Parquet file (magic and footer need at least 12).");
        }

        Span<byte> tail = stackalloc byte[8];
        Span<byte> head = stackalloc byte[4];
        ReadExactly(head, 0);
        ReadExactly(tail, length - 8);
        if (!head.SequenceEqual(Magic) || !tail[4..].SequenceEqual(Magic))
        {
            throw LarderErrors.Format(source, 0, tail[4..].SequenceEqual("PARE"u8)
                ? "this Parquet file is encrypted; decrypt it with the tool that wrote it first."
                : "this is not a Parquet file: the PAR1 magic is missing at the start or end.");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        long footerStart = length - 8 - footerLength;
        if (footerLength <= 0 || footerLength > options.MaxFooterLength || footerStart < 4)
        {
            throw LarderErrors.Format(source, length - 8, $"the footer length {footerLength} does not fit in the file.");
        }

        var footer = new byte[footerLength];
        ReadExactly(footer, footerStart);
        Metadata = ParquetMetadataCodec.ReadFileMetaData(footer, source, footerStart);
        _schema = ParquetSchemaMapper.ToArrow(Metadata.Schema, Metadata.KeyValueMetadata, source);
        foreach (var rowGroup in Metadata.RowGroups)
        {
            CheckRowGroup(rowGroup, footerStart);
        }
    }

    /// <summary>Opens the file at <paramref name="path"/> and reads its footer.</summary>
    /// <exception cref="LarderNotFoundException">The file does not exist.</exception>
    /// <exception cref="LarderFormatException">The file is not a valid Parquet file.</exception>
    public static ParquetFileReader Open(string path, ParquetReadOptions? options = null)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (FileNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }

        try
        {
            return new ParquetFileReader(handle, path, options ?? ParquetReadOptions.Default);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The Arrow schema of the file (restored from <c>ARROW:schema</c> where present and compatible).</summary>
    public Schema Schema => _schema.Schema;

    /// <summary>The decoded footer.</summary>
    public FileMetaData Metadata { get; }

    public int RowGroupCount => Metadata.RowGroups.Count;

    /// <summary>Reads row group <paramref name="index"/> as one batch of all columns.</summary>
    public RecordBatch ReadRowGroup(int index) => ReadRowGroup(index, null);

    /// <summary>
    /// Reads row group <paramref name="index"/> with only <paramref name="columns"/> (top-level names, in that order;
    /// null for all). Only the chunks of those columns are read from the file.
    /// </summary>
    /// <exception cref="LarderNotFoundException">A column does not exist.</exception>
    public RecordBatch ReadRowGroup(int index, IReadOnlyList<string>? columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, RowGroupCount);
        var rowGroup = Metadata.RowGroups[index];
        int[] fields = columns is null
            ? [.. Enumerable.Range(0, Schema.Count)]
            : [.. columns.Select(c => Schema.GetFieldIndex(c) is int i and >= 0 ? i : throw LarderErrors.ColumnNotFound(c, Schema.Fields.Select(f => f.Name)))];
        if (rowGroup.NumRows > int.MaxValue)
        {
            throw LarderErrors.Format(_source, null, $"row group {index} has {rowGroup.NumRows} rows; at most {int.MaxValue} rows fit one batch.");
        }

        int rows = (int)rowGroup.NumRows;
        var arrays = new IArrowArray[fields.Length];
        var chunkOptions = new ColumnReadOptions { VerifyChecksums = _options.VerifyChecksums };
        for (int f = 0; f < fields.Length; f++)
        {
            var leaves = _schema.Columns.Where(c => c.FieldIndex == fields[f]).ToArray();
            var levels = new LeafLevels[leaves.Length];
            for (int l = 0; l < leaves.Length; l++)
            {
                var chunk = rowGroup.Columns[leaves[l].ColumnIndex];
                var meta = chunk.MetaData;
                if (chunk.FilePath is not null)
                {
                    throw LarderErrors.NotSupported(_source, $"a column chunk stored in another file ({chunk.FilePath})", "read the files of this dataset one by one.");
                }

                if (meta.NumValues == 0)
                {
                    // An empty chunk has nothing to read (some writers leave its page offsets at 0).
                    levels[l] = new LeafLevels(ReadOnlyMemory<short>.Empty, ReadOnlyMemory<short>.Empty, ArrayBuilderFactory.Create(leaves[l].ArrowType).Build().Data);
                    continue;
                }

                var bytes = BufferAllocator.Allocate(meta.TotalCompressedSize);
                ReadExactly(bytes.Span, meta.FirstPageOffset);
                levels[l] = ColumnChunkReader.ReadChunk(leaves[l], meta, bytes, meta.FirstPageOffset, _source, chunkOptions);
            }

            var field = Schema[fields[f]];
            var data = new LevelAssembler(leaves.Select(c => c.Path).ToArray()).Assemble(levels);
            if (data.Length != rows)
            {
                throw LarderErrors.Format(_source, null, $"column '{field.Name}' of row group {index} has {data.Length} rows, the row group {rows}.");
            }

            if (_options.Validate)
            {
                ArrayValidator.Validate(data, _source);
            }

            arrays[f] = ArrowArrayFactory.Create(data);
        }

        var schema = columns is null ? Schema : new Schema(fields.Select(i => Schema[i]), Schema.Metadata);
        return new RecordBatch(schema, arrays, rows);
    }

    /// <summary>All row groups in order, one batch each.</summary>
    public IEnumerable<RecordBatch> ReadAll(IReadOnlyList<string>? columns = null)
    {
        for (int i = 0; i < RowGroupCount; i++)
        {
            yield return ReadRowGroup(i, columns);
        }
    }

    /// <summary>All row groups in order, as an async stream (decoding is CPU-bound and runs on the caller's thread).</summary>
    public async IAsyncEnumerable<RecordBatch> ReadAllAsync(IReadOnlyList<string>? columns = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < RowGroupCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadRowGroup(i, columns);
            await Task.Yield();
        }
    }

    public void Dispose() => _file.Dispose();

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }

    private void CheckRowGroup(RowGroup rowGroup, long footerStart)
    {
        if (rowGroup.Columns.Count != _schema.Columns.Count)
        {
            throw LarderErrors.Format(_source, null, $"a row group has {rowGroup.Columns.Count} column chunks for a schema of {_schema.Columns.Count} leaf columns.");
        }

        if (rowGroup.NumRows < 0 || (rowGroup.NumRows > 0 && rowGroup.Columns.Any(c => c.MetaData.NumValues == 0)))
        {
            throw LarderErrors.Format(_source, null, $"a row group claims {rowGroup.NumRows} rows but has an empty column chunk, or a negative count.");
        }

        foreach (var chunk in rowGroup.Columns)
        {
            var meta = chunk.MetaData;
            long start = meta.FirstPageOffset;
            if (chunk.FilePath is null && meta.NumValues != 0
                && (start < 4 || meta.TotalCompressedSize < 0 || meta.TotalCompressedSize > BufferAllocator.MaxLength || start > footerStart - meta.TotalCompressedSize))
            {
                throw LarderErrors.Format(_source, start, $"column chunk {string.Join('.', meta.PathInSchema)} (offset {start}, {meta.TotalCompressedSize} bytes) lies outside the file's data.");
            }
        }
    }

    private void ReadExactly(Span<byte> destination, long offset)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int n = RandomAccess.Read(_file, destination[done..], offset + done);
            if (n == 0)
            {
                throw LarderErrors.Truncated(_source, offset + done, "a Parquet file");
            }

            done += n;
        }
    }
}
