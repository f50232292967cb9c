using Larder.Checksums;
using Larder.Columnar;
using Larder.IO;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;

namespace Larder.Parquet.Read;

/// <summary>
/// Reads one column chunk page by page and hands out its records in runs: <see cref="FillAsync"/> decodes pages until
/// enough whole records are buffered, <see cref="Take"/> removes them as <see cref="LeafLevels"/>. Only the pages not
/// yet taken and one read block are held, so a chunk of any size is read in bounded memory. Verifies page CRCs,
/// decompresses, decodes levels and values and converts values to the leaf's Arrow type. Not thread safe; disposing
/// releases the read buffer (the file is not disposed).
/// </summary>
internal sealed class ColumnChunkCursor : IDisposable
{
    private readonly ParquetColumnSchema _column;
    private readonly ColumnMetaData _meta;
    private readonly string? _source;
    private readonly ColumnReadOptions _options;
    private readonly ColumnChunkReader.ChunkState _state;
    private readonly PageStream _pages;
    private int _pageIndex;

    /// <param name="column">The leaf.</param>
    /// <param name="meta">The chunk's metadata (type, codec, value count).</param>
    /// <param name="file">The file holding the chunk.</param>
    /// <param name="start">File offset of the chunk's first page.</param>
    /// <param name="length">The chunk's length in bytes.</param>
    /// <param name="options">Checksums, page size limit, read block size.</param>
    /// <param name="buffers">The reader's work buffers (borrowed, given back on dispose).</param>
    /// <exception cref="LarderFormatException">The metadata contradicts the schema.</exception>
    public ColumnChunkCursor(ParquetColumnSchema column, ColumnMetaData meta, IRangeSource file, long start, long length, ColumnReadOptions options, ReadBufferPool buffers)
    {
        _column = column;
        _meta = meta;
        _source = file.Name;
        _options = options;
        if (meta.NumValues < 0)
        {
            throw ReadErrors.Chunk(_source, string.Join('.', column.ColumnPath), start, $"num_values {meta.NumValues} is negative");
        }

        _state = new ColumnChunkReader.ChunkState(column, meta, _source, options, start, buffers);
        _pages = new PageStream(file, start, length, options.ReadBlockSize, buffers);
    }

    /// <summary>Every value of the chunk has been decoded (pages after the last data page are never read).</summary>
    public bool Exhausted => _state.ValuesSeen >= _meta.NumValues;

    /// <summary>The leaf's dotted path (for messages).</summary>
    public string Path => _state.Path;

    /// <summary>Whole records decoded and not yet taken.</summary>
    public int BufferedRecords => _state.CompleteRecords(Exhausted);

    /// <summary>
    /// Decodes pages until at least <paramref name="records"/> whole records are buffered, the buffered values reach
    /// <paramref name="byteBudget"/> bytes, or the chunk ends; returns how many records the next <see cref="Take"/> may
    /// take: at most <paramref name="records"/>, only as many as fit in the budget (but at least one when any is
    /// buffered), and 0 only when the chunk is exhausted.
    /// </summary>
    /// <exception cref="LarderChecksumException">A page CRC does not match.</exception>
    /// <exception cref="LarderFormatException">A malformed page or a chunk that ends before its values do.</exception>
    public async ValueTask<int> FillAsync(int records, long byteBudget, bool async, CancellationToken cancellationToken)
    {
        _state.ResolvePending();
        if (_column.MaxRepetitionLevel == 0 && records > _state.LevelCount)
        {
            _state.Reserve((int)Math.Min(records - _state.LevelCount, _meta.NumValues - _state.ValuesSeen));
        }

        // Past the budget, keep reading until one record is whole: a record may span pages. A page read only to find
        // where the last record ends keeps its values encoded until that record has been taken.
        while (!Exhausted && !_state.HasPending && _state.CompleteRecords(false) is var whole && whole < records && (_state.BufferedBytes < byteBudget || whole == 0))
        {
            _state.DeferValues = _state.BufferedBytes >= byteBudget;
            await ReadPageAsync(async, cancellationToken).ConfigureAwait(false);
        }

        _state.DeferValues = false;

        int available = Math.Min(records, _state.CompleteRecords(Exhausted));
        if (_state.BufferedBytes > byteBudget)
        {
            available = Math.Min(available, Math.Max(1, _state.RecordsWithin(byteBudget)));
        }

        return available;
    }

    /// <summary>Removes the next <paramref name="records"/> whole records (at most what <see cref="FillAsync"/> returned).</summary>
    /// <exception cref="LarderFormatException">The values cannot be converted to the leaf's Arrow type.</exception>
    public LeafLevels Take(int records)
    {
        var (definition, repetition, values, allDefined) = _state.Take(records);
        ArrayData data;
        try
        {
            data = ValueConversions.ToArrow(values, _column);
        }
        catch (LarderFormatException e) when (e is not LarderNotSupportedException && e.Source != _source)
        {
            throw ReadErrors.Chunk(_source, _state.Path, _meta.FirstPageOffset, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw ReadErrors.Chunk(_source, _state.Path, _meta.FirstPageOffset, $"values cannot be converted to {_column.ArrowType} ({e.Message})");
        }

        return new LeafLevels(definition, repetition, data, allDefined);
    }

    public void Dispose()
    {
        _pages.Dispose();
        _state.ReturnBuffers();
    }

    private async ValueTask ReadPageAsync(bool async, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = _state.Path;
        long pageOffset = _pages.Position;
        var header = await _pages.NextAsync(async, _source, path, _pageIndex, cancellationToken).ConfigureAwait(false)
            ?? throw ReadErrors.Page(_source, path, _pageIndex, pageOffset, $"the chunk ends after {_state.ValuesSeen} of its {_meta.NumValues} values");
        if (header.UncompressedPageSize > _options.MaxPageSize || header.CompressedPageSize > _options.MaxPageSize)
        {
            throw ReadErrors.Page(_source, path, _pageIndex, pageOffset, $"page size {Math.Max(header.UncompressedPageSize, header.CompressedPageSize)} exceeds the limit of {_options.MaxPageSize} bytes");
        }

        var body = _pages.Body.Span;
        if (header.Type is PageType.DataPage or PageType.DataPageV2 or PageType.DictionaryPage
            && header.Crc is int crc && _options.VerifyChecksums)
        {
            uint computed = Crc32.Compute(body);
            if (computed != (uint)crc)
            {
                throw ReadErrors.Checksum(_source, path, _pageIndex, pageOffset, (uint)crc, computed);
            }
        }

        _state.PageIndex = _pageIndex;
        _state.PageOffset = pageOffset;
        try
        {
            switch (header.Type)
            {
                case PageType.DictionaryPage:
                    _state.ReadDictionaryPage(header, body);
                    break;
                case PageType.DataPage:
                    _state.ReadDataPageV1(header, body);
                    break;
                case PageType.DataPageV2:
                    _state.ReadDataPageV2(header, body);
                    break;
                default:
                    break; // index pages and unknown page types are skipped
            }
        }
        catch (LarderFormatException e) when (e is not LarderChecksumException and not LarderNotSupportedException && e.Source != _source)
        {
            throw ReadErrors.Page(_source, path, _pageIndex, pageOffset, e.Message, e);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or InvalidOperationException)
        {
            throw ReadErrors.Page(_source, path, _pageIndex, pageOffset, $"malformed page ({e.Message})", e);
        }

        _pageIndex++;
    }
}

/// <summary>A chunk held in memory, addressed by the file offsets it came from (so messages name file offsets).</summary>
internal sealed class ShiftedMemorySource(ReadOnlyMemory<byte> bytes, long baseOffset, string? name) : IRangeSource
{
    public long Length => baseOffset + bytes.Length;

    public string? Name => name;

    public int Read(long offset, Span<byte> destination)
    {
        long at = offset - baseOffset;
        if (at < 0 || at >= bytes.Length)
        {
            return 0;
        }

        int n = (int)Math.Min(destination.Length, bytes.Length - at);
        bytes.Span.Slice((int)at, n).CopyTo(destination);
        return n;
    }

    public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(offset, destination.Span));

    public void Dispose()
    {
    }
}
