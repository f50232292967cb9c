using Larder.Checksums;
using Larder.Compression;
using Larder.Parquet.Dremel;
using Larder.Parquet.Encodings;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;

namespace Larder.Parquet.Write;

/// <summary>
/// One encoded column chunk: its bytes (page headers and pages, to write at the offset given to Finish) and metadata.
/// The segments stay readable after the writer is disposed, but not after its <see cref="ColumnChunkWriter.Reset"/>.
/// </summary>
internal sealed record ColumnChunkResult(IReadOnlyList<ReadOnlyMemory<byte>> Segments, long Length, ColumnMetaData MetaData)
{
    public void WriteTo(Stream stream)
    {
        foreach (var s in Segments)
        {
            stream.Write(s.Span);
        }
    }
}

/// <summary>
/// Writes one column chunk of one row group: RLE_DICTIONARY or PLAIN data pages v1 (see <see cref="ValueWriter"/> for
/// when the dictionary is dropped), RLE levels, page-level and chunk-level statistics, optional page CRC32. Call
/// <see cref="Write"/> any number of times (values append), then <see cref="Finish"/> once; <see cref="Reset"/> starts the
/// next chunk with the same buffers, so a file writer allocates per column, not per row group or page. Pages are
/// compressed as they fill, into one buffer that holds the chunk until <see cref="Finish"/> (memory: one row group).
/// Not thread safe (distinct writers may run on distinct threads).
/// </summary>
internal sealed class ColumnChunkWriter : IDisposable
{
    private readonly ParquetColumnSchema _column;
    private readonly ColumnWriteOptions _options;
    private readonly ICompressionCodec _codec;
    private readonly CompressionCodec _codecKind;
    private readonly int _maxDef;
    private readonly int _maxRep;
    private readonly ValueWriter _values;
    private readonly StatisticsBuilder _pageStats;
    private readonly StatisticsBuilder _chunkStats;
    private readonly PageBuffer _body = new(1 << 16);
    private readonly PageBuffer _store = new(1 << 16);
    private readonly PageBuffer _headers = new(1024);
    private readonly List<StoredPage> _pages = [];
    private short[] _pageDef = [];
    private short[] _pageRep = [];
    private int _pageLevels;

    /// <summary>Every definition level of the page so far is the maximum; while true they are counted, not stored.</summary>
    private bool _pageDefUniform = true;
    private long _pageBytes;
    private long _storedBytes;
    private long _chunkNulls;
    private long _levels;
    private bool _finished;

    public ColumnChunkWriter(ParquetColumnSchema column, ColumnWriteOptions options)
    {
        _column = column ?? throw new ArgumentNullException(nameof(column));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.DataPageSize <= 0)
        {
            throw WriteErrors.BadOption(nameof(options.DataPageSize), "must be positive");
        }

        if (options.MaxStatisticsSize < 0)
        {
            throw WriteErrors.BadOption(nameof(options.MaxStatisticsSize), "must not be negative");
        }

        (string name, _codecKind) = CodecOf(options.Compression);
        _codec = CompressionCodecs.Create(name, new CompressionOptions { Level = options.CompressionLevel });
        _maxDef = column.MaxDefinitionLevel;
        _maxRep = column.MaxRepetitionLevel;
        _values = ValueWriter.Create(column, options);
        var order = StatisticsBuilder.OrderOf(column);
        _pageStats = new StatisticsBuilder(order, options.MaxStatisticsSize);
        _chunkStats = new StatisticsBuilder(order, options.MaxStatisticsSize);
    }

    public ParquetColumnSchema Column => _column;

    /// <summary>Uncompressed bytes of the chunk so far: the data pages stored and the page being filled.</summary>
    public long BufferedBytes => _storedBytes + _pageBytes;

    /// <summary>Appends the leaf's levels and values (the shredded output of this column for one batch).</summary>
    public void Write(ShreddedLeaf leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (_finished)
        {
            throw WriteErrors.Finished();
        }

        if (leaf.Path.MaxDefinitionLevel != _maxDef || leaf.Path.MaxRepetitionLevel != _maxRep)
        {
            throw WriteErrors.WrongLeaf(string.Join('.', _column.ColumnPath));
        }

        _values.SetIncoming(leaf.Values);
        if (_maxRep == 0)
        {
            WriteFlat(leaf.AllDefined ? default : leaf.DefinitionLevels, leaf.AllDefined, leaf.LevelCount);
        }
        else
        {
            WriteNested(leaf.DefinitionLevels, leaf.RepetitionLevels, leaf.LevelCount);
        }

        _levels += leaf.LevelCount;
    }

    /// <summary>Flushes the last page and returns the chunk, whose first byte will sit at <paramref name="fileOffset"/>.</summary>
    public ColumnChunkResult Finish(long fileOffset)
    {
        if (_finished)
        {
            throw WriteErrors.Finished();
        }

        if (_pageLevels > 0 || _pages.Count == 0)
        {
            FlushPage();
        }

        _finished = true;
        var encodings = new List<Encoding>();
        var stats = new List<PageEncodingStats>();
        StoredPage? dictionaryPage = null;
        if (_values.DictionaryUsed)
        {
            _body.Clear();
            _values.EncodeDictionaryPage(_body);
            dictionaryPage = StorePage(_body.WrittenSpan, PageType.DictionaryPage, h => h with
            {
                DictionaryPageHeader = new DictionaryPageHeader { NumValues = _values.DictionaryCount, Encoding = Encoding.Plain },
            });
            encodings.Add(Encoding.Plain);
            stats.Add(new PageEncodingStats(PageType.DictionaryPage, Encoding.Plain, 1));
        }

        foreach (var g in _pages.GroupBy(p => p.Header.DataPageHeader!.Encoding))
        {
            stats.Add(new PageEncodingStats(PageType.DataPage, g.Key, g.Count()));
            if (!encodings.Contains(g.Key))
            {
                encodings.Add(g.Key);
            }
        }

        encodings.Add(Encoding.Rle);

        // Headers first (their sizes place the pages), then the segments over the final buffers.
        _headers.Clear();
        var placed = new List<(int HeaderStart, int HeaderLength, StoredPage Page)>(_pages.Count + 1);
        foreach (var page in dictionaryPage is null ? _pages : _pages.Prepend(dictionaryPage.Value))
        {
            int start = _headers.Length;
            ParquetMetadataCodec.WritePageHeader(page.Header, _headers);
            placed.Add((start, _headers.Length - start, page));
        }

        var segments = new List<ReadOnlyMemory<byte>>(placed.Count * 2);
        long position = fileOffset;
        long uncompressed = 0;
        long? dictionaryOffset = null;
        long dataOffset = fileOffset;
        foreach (var (headerStart, headerLength, page) in placed)
        {
            if (page.Header.Type == PageType.DictionaryPage)
            {
                dictionaryOffset = position;
            }
            else if (ReferenceEquals(page.Header, _pages[0].Header))
            {
                dataOffset = position;
            }

            segments.Add(_headers.Slice(headerStart, headerLength));
            segments.Add(_store.Slice(page.Offset, page.Length));
            position += headerLength + page.Length;
            uncompressed += headerLength + page.Header.UncompressedPageSize;
        }

        var meta = new ColumnMetaData
        {
            Type = _column.PhysicalType,
            Encodings = encodings,
            PathInSchema = [.. _column.ColumnPath],
            Codec = _codecKind,
            NumValues = _levels,
            TotalUncompressedSize = uncompressed,
            TotalCompressedSize = position - fileOffset,
            DataPageOffset = dataOffset,
            DictionaryPageOffset = dictionaryOffset,
            Statistics = _chunkStats.Build(_chunkNulls),
            EncodingStats = stats,
        };
        return new ColumnChunkResult(segments, position - fileOffset, meta);
    }

    /// <summary>
    /// Starts the next column chunk (of the next row group) with the same options and buffers. The previous
    /// <see cref="Finish"/> result must have been written: its segments are reused.
    /// </summary>
    public void Reset()
    {
        _values.Reset();
        _pageStats.Reset();
        _chunkStats.Reset();
        _pages.Clear();
        _store.Clear();
        _headers.Clear();
        _body.Clear();
        _pageLevels = 0;
        _pageDefUniform = true;
        _pageBytes = 0;
        _storedBytes = 0;
        _chunkNulls = 0;
        _levels = 0;
        _finished = false;
    }

    public void Dispose() => _codec.Dispose();

    /// <summary>
    /// A column without repetition: every level starts a row, so pages are cut by value budget, in bulk.
    /// <paramref name="allDefined"/>: every level is the maximum (<paramref name="def"/> is then not read).
    /// </summary>
    private void WriteFlat(ReadOnlySpan<short> def, bool allDefined, int levelCount)
    {
        int level = 0;
        int value = 0;
        int valueCount = _values.IncomingCount;
        while (level < levelCount)
        {
            if (_pageBytes >= _options.DataPageSize && _pageLevels > 0)
            {
                FlushPage();
            }

            long budget = _options.DataPageSize - _pageBytes;
            int take = _values.Take(value, valueCount - value, budget, out long bytes);
            int levels = levelCount - level;
            if (bytes >= budget)
            {
                // The page fills with the take-th value: it ends at that value's level.
                levels = _maxDef == 0 || allDefined ? take : LevelsCovering(def.Slice(level, levels), take);
            }

            AppendLevels(_maxDef == 0 || allDefined ? default : def.Slice(level, levels), default, levels, allDefined);
            _values.Append(value, take);
            value += take;
            level += levels;
            _pageBytes += bytes;
        }
    }

    /// <summary>A repeated column: pages may only end before a level with repetition level 0 (a row start).</summary>
    private void WriteNested(ReadOnlySpan<short> def, ReadOnlySpan<short> rep, int levelCount)
    {
        int levelStart = 0;
        int valueStart = 0;
        int value = 0;
        for (int i = 0; i < levelCount; i++)
        {
            if (rep[i] == 0 && _pageBytes >= _options.DataPageSize && _pageLevels + (i - levelStart) > 0)
            {
                AppendLevels(def[levelStart..i], rep[levelStart..i], i - levelStart, allDefined: false);
                _values.Append(valueStart, value - valueStart);
                levelStart = i;
                valueStart = value;
                FlushPage();
            }

            if (_maxDef == 0 || def[i] == _maxDef)
            {
                _pageBytes += _values.PlainSize(value);
                value++;
            }
        }

        AppendLevels(def[levelStart..levelCount], rep[levelStart..levelCount], levelCount - levelStart, allDefined: false);
        _values.Append(valueStart, value - valueStart);
    }

    /// <summary>How many of <paramref name="def"/>'s levels hold the first <paramref name="values"/> present values.</summary>
    private int LevelsCovering(ReadOnlySpan<short> def, int values)
    {
        short present = (short)_maxDef;
        if (def[..values].IndexOfAnyExcept(present) < 0)
        {
            return values;
        }

        int seen = 0;
        for (int i = 0; i < def.Length; i++)
        {
            if (def[i] == present && ++seen == values)
            {
                return i + 1;
            }
        }

        return def.Length;
    }

    private void AppendLevels(ReadOnlySpan<short> def, ReadOnlySpan<short> rep, int count, bool allDefined)
    {
        int needed = _pageLevels + count;
        if (_maxDef > 0 && !(allDefined && _pageDefUniform))
        {
            Grow(ref _pageDef, needed);
            if (_pageDefUniform)
            {
                _pageDef.AsSpan(0, _pageLevels).Fill((short)_maxDef);
                _pageDefUniform = false;
            }

            if (allDefined)
            {
                _pageDef.AsSpan(_pageLevels, count).Fill((short)_maxDef);
            }
            else
            {
                def.CopyTo(_pageDef.AsSpan(_pageLevels));
            }
        }

        if (_maxRep > 0)
        {
            Grow(ref _pageRep, needed);
            rep.CopyTo(_pageRep.AsSpan(_pageLevels));
        }

        _pageLevels = needed;
    }

    private static void Grow(ref short[] levels, int needed)
    {
        if (needed > levels.Length)
        {
            Array.Resize(ref levels, (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(1024L, levels.Length * 2L))));
        }
    }

    private void FlushPage()
    {
        int levelCount = _pageLevels;
        int valueCount = _values.PageCount;
        _body.Clear();
        if (_maxRep > 0)
        {
            RleBitPackedHybridEncoder.EncodeWithLengthPrefix(_pageRep.AsSpan(0, levelCount), BitWidth(_maxRep), _body);
        }

        if (_maxDef > 0 && _pageDefUniform)
        {
            RleBitPackedHybridEncoder.EncodeRunWithLengthPrefix(_maxDef, levelCount, BitWidth(_maxDef), _body);
        }
        else if (_maxDef > 0)
        {
            RleBitPackedHybridEncoder.EncodeWithLengthPrefix(_pageDef.AsSpan(0, levelCount), BitWidth(_maxDef), _body);
        }

        var encoding = _values.FlushPage(_body, _pageStats, out var page);
        long nulls = levelCount - valueCount;
        var statistics = _pageStats.Build(nulls);
        _chunkStats.Merge(_pageStats);
        _chunkNulls += nulls;
        _pages.Add(StorePage(page, PageType.DataPage, h => h with
        {
            DataPageHeader = new DataPageHeader
            {
                NumValues = levelCount,
                Encoding = encoding,
                DefinitionLevelEncoding = Encoding.Rle,
                RepetitionLevelEncoding = Encoding.Rle,
                Statistics = statistics,
            },
        }));
        _pageLevels = 0;
        _pageDefUniform = true;
        _pageStats.Reset();
        _pageBytes = 0;
    }

    /// <summary>Compresses a page body onto the end of the chunk buffer; returns the page's header and place.</summary>
    private StoredPage StorePage(ReadOnlySpan<byte> body, PageType type, Func<PageHeader, PageHeader> complete)
    {
        int offset = _store.Length;
        int length;
        if (_codecKind == CompressionCodec.Uncompressed)
        {
            _store.Write(body);
            length = body.Length;
        }
        else
        {
            var destination = _store.GetSpan(_codec.GetMaxCompressedLength(body.Length));
            length = _codec.Compress(body, destination);
            _store.Advance(length);
        }

        _storedBytes += body.Length;
        var header = new PageHeader
        {
            Type = type,
            UncompressedPageSize = body.Length,
            CompressedPageSize = length,
            Crc = _options.WritePageChecksums ? unchecked((int)Crc32.Compute(_store.WrittenSpan.Slice(offset, length))) : null,
        };
        return new StoredPage(complete(header), offset, length);
    }

    private static int BitWidth(int max) => BitPacking.BitWidthOf((ulong)max);

    internal static (string Name, CompressionCodec Kind) CodecOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "none" or "uncompressed" => (CompressionCodecs.None, CompressionCodec.Uncompressed),
            "snappy" => (CompressionCodecs.Snappy, CompressionCodec.Snappy),
            "gzip" => (CompressionCodecs.Gzip, CompressionCodec.Gzip),
            "zstd" => (CompressionCodecs.Zstd, CompressionCodec.Zstd),
            "lz4_raw" or "lz4raw" => (CompressionCodecs.Lz4Raw, CompressionCodec.Lz4Raw),
            "brotli" => (CompressionCodecs.Brotli, CompressionCodec.Brotli),
            _ => throw WriteErrors.UnknownCodec(name),
        };
    }

    /// <summary>A page in the chunk buffer: its header and where its stored (compressed) bytes are.</summary>
    private readonly record struct StoredPage(PageHeader Header, int Offset, int Length);
}
