using System.Buffers;
using Larder.Checksums;
using Larder.Compression;
using Larder.Parquet.Dremel;
using Larder.Parquet.Encodings;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;

namespace Larder.Parquet.Write;

/// <summary>One encoded column chunk: its bytes (page headers and pages, to write at the offset given to Finish) and metadata.</summary>
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
/// Writes one column chunk of one row group: RLE_DICTIONARY (falling back to PLAIN once the dictionary passes
/// <see cref="ColumnWriteOptions.DictionaryPageSizeLimit"/>) or PLAIN data pages v1, RLE levels, page-level and chunk-level
/// statistics, optional page CRC32. Call <see cref="Write"/> any number of times (values append), then <see cref="Finish"/>
/// once. Not thread safe.
/// </summary>
internal sealed class ColumnChunkWriter : IDisposable
{
    private readonly ParquetColumnSchema _column;
    private readonly ColumnWriteOptions _options;
    private readonly ICompressionCodec _codec;
    private readonly CompressionCodec _codecKind;
    private readonly int _width;
    private readonly int _maxDef;
    private readonly int _maxRep;
    private readonly PhysicalValues _incoming;
    private readonly PhysicalValues _pageValues;
    private readonly List<short> _pageDef = [];
    private readonly List<short> _pageRep = [];
    private readonly ByteArrayDictionaryBuilder? _dictionary;
    private readonly StatisticsBuilder _pageStats;
    private readonly StatisticsBuilder _chunkStats;
    private readonly List<(PageHeader Header, byte[] Body)> _pages = [];
    private bool _dictionaryActive;
    private long _pageBytes;
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
        _width = PhysicalValues.WidthOf(column);
        _maxDef = column.MaxDefinitionLevel;
        _maxRep = column.MaxRepetitionLevel;
        _incoming = new PhysicalValues(_width);
        _pageValues = new PhysicalValues(_width);
        var order = StatisticsBuilder.OrderOf(column);
        _pageStats = new StatisticsBuilder(order, options.MaxStatisticsSize);
        _chunkStats = new StatisticsBuilder(order, options.MaxStatisticsSize);
        if (options.EnableDictionary && column.PhysicalType != PhysicalType.Boolean)
        {
            _dictionary = new ByteArrayDictionaryBuilder();
            _dictionaryActive = true;
        }
    }

    public ParquetColumnSchema Column => _column;

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

        _incoming.Clear();
        _incoming.AppendArrow(_column, leaf.Values);
        var def = leaf.DefinitionLevels;
        var rep = leaf.RepetitionLevels;
        int v = 0;
        for (int i = 0; i < leaf.LevelCount; i++)
        {
            bool rowStart = _maxRep == 0 || rep[i] == 0;
            if (rowStart && _pageBytes >= _options.DataPageSize && _pageDef.Count > 0)
            {
                FlushPage();
            }

            _pageDef.Add(_maxDef == 0 ? (short)0 : def[i]);
            _pageRep.Add(_maxRep == 0 ? (short)0 : rep[i]);
            if (_maxDef == 0 || def[i] == _maxDef)
            {
                if (v < _incoming.Count)
                {
                    var value = _incoming[v];
                    _pageValues.Append(value);
                    _pageStats.Add(value);
                    _pageBytes += _width == 1 && _column.PhysicalType == PhysicalType.Boolean ? 1 : _incoming.PlainSize(v);
                }

                v++;
            }
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

        if (_pageDef.Count > 0 || _pages.Count == 0)
        {
            FlushPage();
        }

        _finished = true;
        var segments = new List<ReadOnlyMemory<byte>>();
        long position = fileOffset;
        long uncompressed = 0;
        long compressed = 0;
        long? dictionaryOffset = null;
        var encodings = new List<Encoding>();
        var stats = new List<PageEncodingStats>();
        if (_dictionary is not null && _pages.Any(p => p.Header.DataPageHeader!.Encoding == Encoding.RleDictionary))
        {
            var body = new ArrayBufferWriter<byte>();
            if (_width > 0)
            {
                _dictionary.EncodeFixedLenDictionaryPage(body);
            }
            else
            {
                _dictionary.EncodeDictionaryPage(body);
            }

            var (header, stored) = MakePage(body.WrittenSpan, h => h with
            {
                Type = PageType.DictionaryPage,
                DictionaryPageHeader = new DictionaryPageHeader { NumValues = _dictionary.Count, Encoding = Encoding.Plain },
            });
            dictionaryOffset = position;
            Emit(header, stored);
            encodings.Add(Encoding.Plain);
            stats.Add(new PageEncodingStats(PageType.DictionaryPage, Encoding.Plain, 1));
        }

        long dataOffset = position;
        foreach (var (header, body) in _pages)
        {
            Emit(header, body);
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
        var meta = new ColumnMetaData
        {
            Type = _column.PhysicalType,
            Encodings = encodings,
            PathInSchema = [.. _column.ColumnPath],
            Codec = _codecKind,
            NumValues = _levels,
            TotalUncompressedSize = uncompressed,
            TotalCompressedSize = compressed,
            DataPageOffset = dataOffset,
            DictionaryPageOffset = dictionaryOffset,
            Statistics = _chunkStats.Build(_chunkNulls),
            EncodingStats = stats,
        };
        return new ColumnChunkResult(segments, position - fileOffset, meta);

        void Emit(PageHeader header, byte[] body)
        {
            var h = new ArrayBufferWriter<byte>();
            ParquetMetadataCodec.WritePageHeader(header, h);
            segments.Add(h.WrittenMemory);
            segments.Add(body);
            position += h.WrittenCount + body.Length;
            uncompressed += h.WrittenCount + header.UncompressedPageSize;
            compressed += h.WrittenCount + body.Length;
        }
    }

    public void Dispose() => _codec.Dispose();

    private void FlushPage()
    {
        int levelCount = _pageDef.Count;
        int valueCount = _pageValues.Count;
        var body = new ArrayBufferWriter<byte>();
        if (_maxRep > 0)
        {
            RleBitPackedHybridEncoder.EncodeWithLengthPrefix(ToInts(_pageRep), BitWidth(_maxRep), body);
        }

        if (_maxDef > 0)
        {
            RleBitPackedHybridEncoder.EncodeWithLengthPrefix(ToInts(_pageDef), BitWidth(_maxDef), body);
        }

        Encoding encoding;
        if (_dictionaryActive)
        {
            var indices = new int[valueCount];
            for (int i = 0; i < valueCount; i++)
            {
                indices[i] = _dictionary!.Add(_pageValues[i]);
            }

            RleBitPackedHybridEncoder.EncodeDictionaryIndices(indices, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(_dictionary!.Count), body);
            encoding = Encoding.RleDictionary;
            long plainSize = _width > 0 ? (long)_dictionary.Count * _width : _dictionary.PlainSize;
            if (plainSize > _options.DictionaryPageSizeLimit)
            {
                _dictionaryActive = false;
            }
        }
        else
        {
            EncodePlain(body);
            encoding = Encoding.Plain;
        }

        long nulls = levelCount - valueCount;
        var statistics = _pageStats.Build(nulls);
        _chunkStats.Merge(_pageStats);
        _chunkNulls += nulls;
        var page = MakePage(body.WrittenSpan, h => h with
        {
            DataPageHeader = new DataPageHeader
            {
                NumValues = levelCount,
                Encoding = encoding,
                DefinitionLevelEncoding = Encoding.Rle,
                RepetitionLevelEncoding = Encoding.Rle,
                Statistics = statistics,
            },
        });
        _pages.Add(page);
        _pageDef.Clear();
        _pageRep.Clear();
        _pageValues.Clear();
        _pageStats.Reset();
        _pageBytes = 0;
    }

    private void EncodePlain(IBufferWriter<byte> output)
    {
        switch (_column.PhysicalType)
        {
            case PhysicalType.Boolean:
            {
                var bools = new bool[_pageValues.Count];
                var data = _pageValues.Data;
                for (int i = 0; i < bools.Length; i++)
                {
                    bools[i] = data[i] != 0;
                }

                PlainEncoder.EncodeBoolean(bools, output);
                break;
            }

            case PhysicalType.ByteArray:
                PlainEncoder.EncodeByteArray(_pageValues.Offsets, _pageValues.Data, output);
                break;
            default:
                // Fixed width values are kept little-endian (numbers) or as their bytes (FLBA, INT96): PLAIN as they are.
                output.Write(_pageValues.Data);
                break;
        }
    }

    private (PageHeader Header, byte[] Body) MakePage(ReadOnlySpan<byte> body, Func<PageHeader, PageHeader> complete)
    {
        byte[] stored;
        if (_codecKind == CompressionCodec.Uncompressed)
        {
            stored = body.ToArray();
        }
        else
        {
            var buffer = new byte[_codec.GetMaxCompressedLength(body.Length)];
            int n = _codec.Compress(body, buffer);
            stored = buffer.AsSpan(0, n).ToArray();
        }

        var header = new PageHeader
        {
            Type = PageType.DataPage,
            UncompressedPageSize = body.Length,
            CompressedPageSize = stored.Length,
            Crc = _options.WritePageChecksums ? unchecked((int)Crc32.Compute(stored)) : null,
        };
        return (complete(header), stored);
    }

    private static int[] ToInts(List<short> levels)
    {
        var r = new int[levels.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = levels[i];
        }

        return r;
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
}
