using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Larder.Checksums;
using Larder.Columnar;
using Larder.Compression;
using Larder.Memory;
using Larder.Parquet.Dremel;
using Larder.Parquet.Encodings;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using ParquetEncoding = Larder.Parquet.Metadata.Encoding;

namespace Larder.Parquet.Read;

/// <summary>
/// Decodes column chunks: <see cref="ReadChunk"/> reads a whole chunk held in memory; <see cref="ColumnChunkCursor"/>
/// reads one page by page from a file. Holds the per-chunk decoding state (<see cref="ChunkState"/>) and decoded values
/// (<see cref="PhysicalValues"/>). Stateless and thread safe. Hostile input raises <see cref="LarderFormatException"/>
/// (or a subclass) only.
/// </summary>
internal static class ColumnChunkReader
{
    private static readonly ConcurrentDictionary<string, ICompressionCodec> Codecs = new();

    /// <summary>
    /// Decodes the chunk <paramref name="chunk"/> (the <see cref="ColumnMetaData.TotalCompressedSize"/> bytes from
    /// <see cref="ColumnMetaData.FirstPageOffset"/>, which is <paramref name="chunkFileOffset"/> in the file) into the
    /// levels and present values <see cref="LevelAssembler"/> takes: definition levels (empty when the maximum is 0),
    /// repetition levels (empty when the maximum is 0) and the non-null values as one array of
    /// <see cref="ParquetColumnSchema.ArrowType"/>.
    /// </summary>
    /// <exception cref="LarderChecksumException">A page CRC does not match (with <see cref="ColumnReadOptions.VerifyChecksums"/>).</exception>
    /// <exception cref="LarderNotSupportedException">LZO, an unknown encoding, or a type conversion this version lacks.</exception>
    /// <exception cref="LarderFormatException">Any malformed page, size, count or encoded data.</exception>
    public static LeafLevels ReadChunk(ParquetColumnSchema column, ColumnMetaData meta, ReadOnlyMemory<byte> chunk, long chunkFileOffset, string? source, ColumnReadOptions? options = null)
    {
        using var file = new ShiftedMemorySource(chunk, chunkFileOffset, source);
        using var cursor = new ColumnChunkCursor(column, meta, file, chunkFileOffset, chunk.Length, options ?? ColumnReadOptions.Default, new ReadBufferPool());
        int records = cursor.FillAsync(int.MaxValue, long.MaxValue, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return cursor.Take(records);
    }

    internal static ICompressionCodec? CodecFor(CompressionCodec codec, string? source, string path, long offset) => codec switch
    {
        CompressionCodec.Uncompressed => null,
        CompressionCodec.Snappy => Get(CompressionCodecs.Snappy),
        CompressionCodec.Gzip => Get(CompressionCodecs.Gzip),
        CompressionCodec.Brotli => Get(CompressionCodecs.Brotli),
        CompressionCodec.Zstd => Get(CompressionCodecs.Zstd),
        CompressionCodec.Lz4 => Get(CompressionCodecs.Lz4Hadoop),
        CompressionCodec.Lz4Raw => Get(CompressionCodecs.Lz4Raw),
        _ => throw ReadErrors.NotSupported(source, path, offset, $"the compression codec {codec}"),
    };

    private static ICompressionCodec Get(string name) => Codecs.GetOrAdd(name, n => CompressionCodecs.Create(n));

    /// <summary>Per-chunk decoding state.</summary>
    internal sealed class ChunkState
    {
        private readonly ParquetColumnSchema _column;
        private readonly ColumnMetaData _meta;
        private readonly string? _source;
        private readonly ColumnReadOptions _options;
        private readonly ICompressionCodec? _codec;
        private readonly BufferBuilder _def = new();
        private readonly BufferBuilder _rep = new();
        private PhysicalValues? _dictionary;
        private int[] _levelScratch = [];
        private int[] _indexScratch = [];
        private bool _defVirtual;
        private byte[] _pageBuffer = [];

        /// <summary>Uncompressed sizes above this, claimed by a much smaller zstd or brotli page, are not trusted up front.</summary>
        private const int GrowingThreshold = 16 << 20;

        private readonly ReadBufferPool _pool;

        public ChunkState(ParquetColumnSchema column, ColumnMetaData meta, string? source, ColumnReadOptions options, long chunkOffset, ReadBufferPool pool)
        {
            _pool = pool;
            _column = column;
            _meta = meta;
            _source = source;
            _options = options;
            Path = string.Join('.', column.ColumnPath);
            if (meta.Type != column.PhysicalType)
            {
                throw ReadErrors.Chunk(source, Path, chunkOffset, $"the chunk's physical type {meta.Type} differs from the schema's {column.PhysicalType}");
            }

            _codec = CodecFor(meta.Codec, source, Path, chunkOffset);
            _defVirtual = column.Path.IsFlat && column.MaxDefinitionLevel > 0 && column.ArrowType.Id != ArrowTypeId.Null;
            Values = new PhysicalValues(column.PhysicalType, column.TypeLength, recycler: pool.Recycler);
        }

        public string Path { get; }

        public long ValuesSeen { get; private set; }

        public int PageIndex { get; set; }

        public long PageOffset { get; set; }

        public PhysicalValues Values { get; }

        /// <summary>Level entries (values and nulls, one per leaf slot) decoded and not yet taken.</summary>
        public int LevelCount { get; private set; }

        /// <summary>Bytes of decoded values not yet taken.</summary>
        public long BufferedBytes => (long)Values.Fixed.Length + Values.Data.Length;

        /// <summary>Repetition level 0 entries (record starts) among the buffered levels.</summary>
        private int _recordStarts;

        /// <summary>
        /// Whole records among the buffered levels: the last one is whole only when <paramref name="chunkDone"/> (otherwise
        /// the next page may continue it).
        /// </summary>
        public int CompleteRecords(bool chunkDone)
            => _column.MaxRepetitionLevel == 0 ? LevelCount
                : _pending is { } p ? p.StartsBefore
                : chunkDone ? _recordStarts : Math.Max(0, _recordStarts - 1);

        /// <summary>How many leading whole records have values that fit in <paramref name="budget"/> bytes.</summary>
        public int RecordsWithin(long budget)
        {
            long valueLimit;
            if (Values.Type == PhysicalType.ByteArray)
            {
                var offsets = Values.Offsets.WrittenAs<int>();
                int lo = 0, hi = Values.Count;
                while (lo < hi)
                {
                    int mid = (int)(((uint)lo + (uint)hi + 1) >> 1);
                    if (offsets[mid] <= budget)
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid - 1;
                    }
                }

                valueLimit = lo;
            }
            else
            {
                valueLimit = budget / Math.Max(1, Values.StoredWidth);
            }

            int maxDef = _column.MaxDefinitionLevel;
            bool repeated = _column.MaxRepetitionLevel > 0;
            if (_defVirtual)
            {
                maxDef = 0; // every buffered level is the maximum
            }

            var def = maxDef == 0 ? default : MemoryMarshal.Cast<byte, short>(_def.Written);
            var rep = repeated ? MemoryMarshal.Cast<byte, short>(_rep.Written) : default;
            long values = 0;
            int records = 0;
            for (int i = 0; i < LevelCount; i++)
            {
                if (i > 0 && (!repeated || rep[i] == 0))
                {
                    if (values > valueLimit)
                    {
                        return records;
                    }

                    records++;
                }

                if (maxDef == 0 || def[i] == maxDef)
                {
                    values++;
                }
            }

            return values <= valueLimit ? records + 1 : records;
        }

        /// <summary>
        /// Removes the first <paramref name="records"/> whole records from the buffers and returns their levels and values
        /// (values as <see cref="PhysicalValues"/>; the rest stays buffered for the next take).
        /// </summary>
        public (short[] Definition, short[] Repetition, PhysicalValues Values, bool AllDefined) Take(int records)
        {
            bool allDefined = _defVirtual;
            int maxDef = allDefined ? 0 : _column.MaxDefinitionLevel;
            bool repeated = _column.MaxRepetitionLevel > 0;
            int levelCut = records;
            if (repeated)
            {
                var rep = MemoryMarshal.Cast<byte, short>(_rep.Written);
                levelCut = LevelCount;
                int seen = 0;
                for (int i = 0; i < rep.Length; i++)
                {
                    if (rep[i] == 0 && seen++ == records)
                    {
                        levelCut = i;
                        break;
                    }
                }
            }

            int valueCut = levelCut;
            short[] definition = [];
            short[] repetition = [];
            if (maxDef > 0)
            {
                var def = MemoryMarshal.Cast<byte, short>(_def.Written);
                definition = def[..levelCut].ToArray();
                valueCut = CountAtMax(definition, maxDef);
                def[levelCut..].CopyTo(def);
                _def.Truncate((LevelCount - levelCut) * 2);
            }

            if (repeated)
            {
                var rep = MemoryMarshal.Cast<byte, short>(_rep.Written);
                repetition = rep[..levelCut].ToArray();
                rep[levelCut..].CopyTo(rep);
                _rep.Truncate((LevelCount - levelCut) * 2);
                _recordStarts = MemoryMarshal.Cast<byte, short>(_rep.Written).Count((short)0);
            }

            LevelCount -= levelCut;
            if (_pending is { } p)
            {
                _pending = p with { StartsBefore = p.StartsBefore - records };
            }

            return (definition, repetition, Values.SplitFront(valueCut), allDefined);
        }

        private static int CountAtMax(ReadOnlySpan<short> levels, int max) => levels.Count((short)max);

        private LarderFormatException Error(string what) => ReadErrors.Page(_source, Path, PageIndex, PageOffset, what);

        public void ReadDictionaryPage(PageHeader header, ReadOnlySpan<byte> body)
        {
            var dh = header.DictionaryPageHeader ?? throw Error("dictionary page without a dictionary_page_header");
            if (_dictionary is not null)
            {
                throw Error("a second dictionary page");
            }

            if (ValuesSeen > 0)
            {
                throw Error("the dictionary page follows data pages");
            }

            if (dh.Encoding is not (ParquetEncoding.Plain or ParquetEncoding.PlainDictionary))
            {
                throw Error($"dictionary page encoding {dh.Encoding} (only PLAIN / PLAIN_DICTIONARY are valid)");
            }

            if (dh.NumValues < 0)
            {
                throw Error($"dictionary num_values {dh.NumValues} is negative");
            }

            var page = Decompress(body, header.UncompressedPageSize);
            var dict = new PhysicalValues(_column.PhysicalType, _column.TypeLength);
            CheckPlainFits(page.Length, dh.NumValues);
            dict.AppendPlain(page, dh.NumValues);
            _dictionary = dict;
        }

        public void ReadDataPageV1(PageHeader header, ReadOnlySpan<byte> body)
        {
            var dh = header.DataPageHeader ?? throw Error("data page without a data_page_header");
            int n = CheckNumValues(dh.NumValues);
            if (dh.Encoding == ParquetEncoding.Plain && _column.MaxRepetitionLevel == 0 && Values.Type is PhysicalType.Int32 or PhysicalType.Int64
                    or PhysicalType.Float or PhysicalType.Double or PhysicalType.FixedLenByteArray
                && CanDecompressInPlace(body.Length, header.UncompressedPageSize))
            {
                ReadPlainPageInPlace(header.UncompressedPageSize, dh, body, n);
                return;
            }

            var rest = Decompress(body, header.UncompressedPageSize);
            int pos = 0;
            if (_column.MaxRepetitionLevel > 0)
            {
                pos += DecodeLevelsV1(rest, dh.RepetitionLevelEncoding, _column.MaxRepetitionLevel, n, _rep, out _);
                CountRecordStarts(n);
            }

            int present = n;
            if (_column.MaxDefinitionLevel > 0)
            {
                pos += DecodeLevelsV1(rest[pos..], dh.DefinitionLevelEncoding, _column.MaxDefinitionLevel, n, _def, out present);
            }

            if (ShouldDefer(n))
            {
                Pend(n, dh.Encoding, rest[pos..].ToArray(), present);
            }
            else
            {
                DecodeValues(dh.Encoding, rest[pos..], present);
            }

            ValuesSeen += n;
            LevelCount += n;
            _lastPageValues = n;
        }

        /// <summary>
        /// A compressed PLAIN page of fixed-width values of a column without repetition, decompressed straight into the
        /// values buffer: the (few) level bytes in front are decoded from there and the values moved down over them, so
        /// the page is written once instead of decompressed to a work buffer and copied.
        /// </summary>
        private void ReadPlainPageInPlace(int size, DataPageHeader dh, ReadOnlySpan<byte> body, int n)
        {
            // The level bytes in front of the values are usually as long as on the previous page: decompress that far
            // before the end of the buffered values (saving the bytes it covers), so the values land where they belong
            // and need no move; the saved bytes are put back once the levels are decoded.
            var buffer = Values.Fixed;
            int back = Math.Min(_levelBytesGuess, buffer.Length);
            Span<byte> saved = stackalloc byte[MaxLevelGuess];
            var room = buffer.GetSpan(size);
            buffer.Written[^back..].CopyTo(saved);
            var region = MemoryMarshal.CreateSpan(ref Unsafe.Subtract(ref MemoryMarshal.GetReference(room), back), back + size);
            var target = region[..size];
            DecompressInto(body, target);
            int pos = 0;
            int present = n;
            if (_column.MaxDefinitionLevel > 0)
            {
                pos = DecodeLevelsV1(target, dh.DefinitionLevelEncoding, _column.MaxDefinitionLevel, n, _def, out present);
            }

            long bytes = (long)present * Values.StoredWidth;
            if (bytes > size - pos)
            {
                throw Error($"{present} PLAIN values need {bytes} bytes, the page holds {size - pos}");
            }

            if (pos != back)
            {
                target.Slice(pos, (int)bytes).CopyTo(region[back..]);
            }

            saved[..back].CopyTo(region);
            buffer.Advance((int)bytes);
            _levelBytesGuess = pos <= MaxLevelGuess ? pos : 0;
            Values.Count += present;
            ValuesSeen += n;
            LevelCount += n;
            _lastPageValues = n;
            _lastPageInPlace = true;
        }

        /// <summary>Level bytes before the values of the last page decompressed in place (a guess for the next).</summary>
        private int _levelBytesGuess;

        private const int MaxLevelGuess = 64;

        public void ReadDataPageV2(PageHeader header, ReadOnlySpan<byte> body)
        {
            var dh = header.DataPageHeaderV2 ?? throw Error("data page v2 without a data_page_header_v2");
            int n = CheckNumValues(dh.NumValues);
            int rl = dh.RepetitionLevelsByteLength;
            int dl = dh.DefinitionLevelsByteLength;
            if (rl < 0 || dl < 0 || (long)rl + dl > body.Length || (long)rl + dl > header.UncompressedPageSize)
            {
                throw Error($"level lengths {rl} + {dl} do not fit the page ({body.Length} bytes stored, {header.UncompressedPageSize} uncompressed)");
            }

            if (_column.MaxRepetitionLevel > 0)
            {
                DecodeRle(body.Slice(0, rl), _column.MaxRepetitionLevel, n, _rep, out _);
                CountRecordStarts(n);
            }
            else if (rl != 0)
            {
                throw Error($"repetition levels of {rl} bytes in a column without repetition");
            }

            int present = n;
            if (_column.MaxDefinitionLevel > 0)
            {
                DecodeRle(body.Slice(rl, dl), _column.MaxDefinitionLevel, n, _def, out present);
            }

            if (dh.NumNulls != n - present)
            {
                throw Error($"num_nulls {dh.NumNulls} disagrees with the definition levels ({n - present} nulls)");
            }

            var valuesStored = body[(rl + dl)..];
            int valuesSize = header.UncompressedPageSize - rl - dl;
            ReadOnlySpan<byte> values;
            if (dh.IsCompressed && _codec is not null)
            {
                values = valuesSize == 0 && valuesStored.Length <= 1 ? [] : Decompress(valuesStored, valuesSize);
            }
            else
            {
                if (valuesStored.Length != valuesSize)
                {
                    throw Error($"uncompressed values section holds {valuesStored.Length} bytes, the header says {valuesSize}");
                }

                values = valuesStored;
            }

            if (ShouldDefer(n))
            {
                Pend(n, dh.Encoding, values.ToArray(), present);
            }
            else
            {
                DecodeValues(dh.Encoding, values, present);
            }

            ValuesSeen += n;
            LevelCount += n;
            _lastPageValues = n;
        }

        /// <summary>
        /// Set by the reader when it reads a page only to learn where the buffered last record ends: a page that starts
        /// a new record then keeps its values encoded (<see cref="HasPending"/>) until the records before it are taken,
        /// so one huge value does not have to sit next to another in memory.
        /// </summary>
        public bool DeferValues { get; set; }

        /// <summary>A page's levels are buffered but its values are not decoded yet; see <see cref="DeferValues"/>.</summary>
        public bool HasPending => _pending is not null;

        private (ParquetEncoding Encoding, ReadOnlyMemory<byte> Data, int Present, int StartsBefore)? _pending;

        /// <summary>Decodes the values of the deferred page (after the records before it were taken).</summary>
        public void ResolvePending()
        {
            if (_pending is { } p)
            {
                _pending = null;
                DecodeValues(p.Encoding, p.Data.Span, p.Present);
            }
        }

        private bool ShouldDefer(int n)
            => DeferValues && n > 0 && _column.MaxRepetitionLevel > 0 && MemoryMarshal.Cast<byte, short>(_rep.Written)[^n] == 0;

        private void Pend(int n, ParquetEncoding encoding, ReadOnlyMemory<byte> data, int present)
        {
            int startsInPage = MemoryMarshal.Cast<byte, short>(_rep.Written)[^n..].Count((short)0);
            _pending = (encoding, data, present, _recordStarts - startsInPage);
        }

        private void CountRecordStarts(int n) => _recordStarts += MemoryMarshal.Cast<byte, short>(_rep.Written)[^n..].Count((short)0);

        private int CheckNumValues(int numValues)
        {
            if (numValues < 0 || numValues > _meta.NumValues - ValuesSeen)
            {
                throw Error($"num_values {numValues} is negative or exceeds the chunk's remaining {_meta.NumValues - ValuesSeen} values");
            }

            return numValues;
        }

        /// <summary>
        /// The page's uncompressed bytes: <paramref name="stored"/> itself when the chunk is not compressed, else a buffer
        /// of this state reused by the next page (callers copy what they keep).
        /// </summary>
        private ReadOnlySpan<byte> Decompress(ReadOnlySpan<byte> stored, int uncompressedSize)
        {
            if (uncompressedSize < 0 || uncompressedSize > _options.MaxPageSize)
            {
                throw Error($"uncompressed_page_size {uncompressedSize} is out of range");
            }

            if (_codec is null)
            {
                if (stored.Length != uncompressedSize)
                {
                    throw Error($"uncompressed page holds {stored.Length} bytes, uncompressed_page_size says {uncompressedSize}");
                }

                return stored;
            }

            // Bound what a hostile size can make us allocate: snappy, lz4 and deflate have a maximum expansion ratio.
            long maxRatio = _meta.Codec switch
            {
                CompressionCodec.Snappy => 64,
                CompressionCodec.Lz4 or CompressionCodec.Lz4Raw => 256,
                CompressionCodec.Gzip => 1100,
                _ => long.MaxValue / 4, // brotli and zstd can expand almost without bound; MaxPageSize caps them
            };
            if (uncompressedSize > 0 && maxRatio < long.MaxValue / 4 && ((long)stored.Length + 64) * maxRatio < uncompressedSize)
            {
                throw Error($"uncompressed_page_size {uncompressedSize} is implausible for {stored.Length} compressed bytes");
            }

            if (maxRatio == long.MaxValue / 4 && uncompressedSize > GrowingThreshold && (long)stored.Length * 64 < uncompressedSize)
            {
                // A large size from a small page: let the output grow with what the data really decodes to, so a
                // hostile header cannot make us allocate what it claims.
                return DecompressGrowing(stored, uncompressedSize);
            }

            var output = PageBuffer(uncompressedSize);
            DecompressInto(stored, output);
            return output;
        }

        /// <summary>
        /// Whether a compressed page of <paramref name="uncompressedSize"/> bytes may be decompressed straight into a
        /// buffer of that size (false when the size is out of range or not plausible, which <see cref="Decompress"/> reports).
        /// </summary>
        private bool CanDecompressInPlace(int storedLength, int uncompressedSize)
            => _codec is not null && uncompressedSize >= 0 && uncompressedSize <= _options.MaxPageSize
                && (long)storedLength * 64 >= uncompressedSize - 4096;

        /// <summary>Decompresses <paramref name="stored"/> into exactly <paramref name="output"/>.</summary>
        private void DecompressInto(ReadOnlySpan<byte> stored, Span<byte> output)
        {
            try
            {
                _codec!.Decompress(stored, output);
            }
            catch (LarderFormatException e) when (_meta.Codec == CompressionCodec.Lz4)
            {
                // Legacy LZ4 is ambiguous: Hadoop-framed blocks or raw blocks, as Arrow C++ falls back.
                try
                {
                    Get(CompressionCodecs.Lz4Raw).Decompress(stored, output);
                }
                catch (LarderFormatException)
                {
                    throw Error($"LZ4 data is neither Hadoop-framed nor raw LZ4 ({e.Message})");
                }
            }
            catch (LarderFormatException e) when (e is not LarderNotSupportedException)
            {
                throw Error($"decompression failed: {e.Message}");
            }
        }

        private ReadOnlySpan<byte> DecompressGrowing(ReadOnlySpan<byte> stored, int uncompressedSize)
        {
            var writer = new ArrayBufferWriter<byte>(GrowingThreshold);
            long produced;
            try
            {
                produced = _codec!.Decompress(stored, writer, uncompressedSize);
            }
            catch (LarderFormatException e) when (e is not LarderNotSupportedException)
            {
                throw Error($"decompression failed: {e.Message}");
            }

            if (produced != uncompressedSize)
            {
                throw Error($"the page decompresses to {produced} bytes, uncompressed_page_size says {uncompressedSize}");
            }

            return writer.WrittenSpan;
        }

        private Span<byte> PageBuffer(int size)
        {
            if (_pageBuffer.Length < size)
            {
                // Pages are usually about 1 MiB; keep the buffer pooled unless a page is unusually large.
                ReturnPage();
                _pageBuffer = _pool.RentBytes(size);
            }

            return _pageBuffer.AsSpan(0, size);
        }

        private int[] Rent(int[] previous, int n)
        {
            _pool.Return(previous);
            return _pool.RentInts(Math.Max(n, 1024));
        }

        /// <summary>Gives the page buffer and scratch arrays back to the pool (the state must not decode further pages).</summary>
        public void ReturnBuffers()
        {
            _pool.Return(_levelScratch);
            _pool.Return(_indexScratch);
            _levelScratch = [];
            _indexScratch = [];
            ReturnPage();

            // With a recycler, the chunk's value blocks serve the next chunks: the reader only disposes a chunk when the
            // next batch is asked for, by which time the batches made from these blocks are no longer valid.
            if (_pool.Recycler is not null)
            {
                Values.Fixed.Release();
                Values.Offsets.Release();
                Values.Data.Release();
            }
        }

        private void ReturnPage()
        {
            _pool.Return(_pageBuffer);
            _pageBuffer = [];
        }

        /// <summary>
        /// Capacity for <paramref name="values"/> more values, so a batch's buffers grow once: fixed-width values (unless
        /// pages are decompressed in place, which sizes the buffer by the page), or byte-array offsets and, at the
        /// average length seen so far, their bytes.
        /// </summary>
        public void Reserve(int values)
        {
            // A page as large as the batch sizes the buffers itself when it is decoded; reserving first would waste.
            if (_lastPageValues >= values)
            {
                return;
            }

            // Only a hint: never more than a small multiple of the chunk's stored bytes (a hostile type length or count
            // must not make us allocate; decoding checks every size against the data).
            long cap = (8 * Math.Max(0, _meta.TotalCompressedSize)) + (64 * 1024);
            values = (int)Math.Min(values, cap / Math.Max(1, Values.StoredWidth > 0 ? Values.StoredWidth : 4));

            if (Values.StoredWidth > 0)
            {
                if (!_lastPageInPlace)
                {
                    Values.Fixed.EnsureCapacity((int)Math.Min(BufferAllocator.MaxLength, Values.Fixed.Length + ((long)values * Values.StoredWidth)));
                }
            }
            else
            {
                Values.Offsets.EnsureCapacity((int)Math.Min(BufferAllocator.MaxLength, Values.Offsets.Length + ((long)values * 4)));
                if (_valuesDecoded > 0)
                {
                    long average = (_bytesDecoded + _valuesDecoded - 1) / _valuesDecoded;
                    Values.Data.EnsureCapacity((int)Math.Min(Math.Min(BufferAllocator.MaxLength - 64, cap), Values.Data.Length + (values * average) + 16));
                }
            }
        }

        /// <summary>Whether the last data page went straight into the values buffer (<see cref="ReadPlainPageInPlace"/>).</summary>
        private bool _lastPageInPlace;

        /// <summary>Values (levels) of the last data page.</summary>
        private int _lastPageValues;

        /// <summary>Byte-array values decoded so far and their bytes (for <see cref="Reserve"/>'s estimate).</summary>
        private long _valuesDecoded;
        private long _bytesDecoded;

        private int[] Scratch(int n)
        {
            if (_levelScratch.Length < n)
            {
                _levelScratch = Rent(_levelScratch, n);
            }

            return _levelScratch;
        }

        private int DecodeLevelsV1(ReadOnlySpan<byte> data, ParquetEncoding encoding, int max, int n, BufferBuilder output, out int atMax)
        {
            int bitWidth = BitPacking.BitWidthOf((ulong)max);
            var levels = Scratch(n).AsSpan(0, n);
            int consumed;
            switch (encoding)
            {
                case ParquetEncoding.Rle:
                    var decoder = RleBitPackedHybridDecoder.CreateWithLengthPrefix(data, bitWidth, out consumed);
                    decoder.ReadExactly(levels);
                    break;
                case ParquetEncoding.BitPacked:
                    if (BitPackedLevelDecoder.EncodedLength(n, bitWidth) > data.Length)
                    {
                        throw Error($"BIT_PACKED levels need {BitPackedLevelDecoder.EncodedLength(n, bitWidth)} bytes, {data.Length} left");
                    }

                    consumed = BitPackedLevelDecoder.Decode(data, bitWidth, levels);
                    break;
                default:
                    throw Error($"level encoding {encoding} (only RLE and BIT_PACKED are valid)");
            }

            atMax = ReferenceEquals(output, _def) ? StoreDefinition(levels, max) : StoreLevels(levels, max, output);
            return consumed;
        }

        private void DecodeRle(ReadOnlySpan<byte> data, int max, int n, BufferBuilder output, out int atMax)
        {
            var levels = Scratch(n).AsSpan(0, n);
            var decoder = new RleBitPackedHybridDecoder(data, BitPacking.BitWidthOf((ulong)max));
            decoder.ReadExactly(levels);
            atMax = ReferenceEquals(output, _def) ? StoreDefinition(levels, max) : StoreLevels(levels, max, output);
        }

        /// <summary>
        /// Stores definition levels. A flat column keeps none while every level is the maximum (no nulls, the common
        /// case): <see cref="_defVirtual"/> then stands for <see cref="LevelCount"/> maximum levels, written out only when
        /// the first null arrives.
        /// </summary>
        private int StoreDefinition(ReadOnlySpan<int> levels, int max)
        {
            if (_defVirtual)
            {
                if (levels.IndexOfAnyExcept(max) < 0)
                {
                    return levels.Length;
                }

                MemoryMarshal.Cast<byte, short>(_def.Extend(checked(LevelCount * 2))).Fill((short)max);
                _defVirtual = false;
            }

            return StoreLevels(levels, max, _def);
        }

        private int StoreLevels(ReadOnlySpan<int> levels, int max, BufferBuilder output)
        {
            var dst = MemoryMarshal.Cast<byte, short>(output.Extend(checked(levels.Length * 2)));
            int atMax = 0;
            for (int i = 0; i < levels.Length; i++)
            {
                int l = levels[i];
                if ((uint)l > (uint)max)
                {
                    throw Error($"level {l} at position {i} exceeds the maximum {max}");
                }

                dst[i] = (short)l;
                atMax += l == max ? 1 : 0;
            }

            return atMax;
        }

        private void CheckPlainFits(int bytes, int count)
        {
            long need = _column.PhysicalType switch
            {
                PhysicalType.Boolean => ((long)count + 7) / 8,
                PhysicalType.ByteArray => (long)count * 4,
                _ => (long)count * Values.StoredWidth,
            };
            if (need > bytes)
            {
                throw Error($"{count} PLAIN values need at least {need} bytes, the page holds {bytes}");
            }
        }

        private void DecodeValues(ParquetEncoding encoding, ReadOnlySpan<byte> data, int n)
        {
            _lastPageInPlace = false;
            int bytesBefore = Values.Data.Length;
            DecodeValuesCore(encoding, data, n);
            if (Values.Type == PhysicalType.ByteArray)
            {
                _valuesDecoded += n;
                _bytesDecoded += Values.Data.Length - bytesBefore;
            }
        }

        private void DecodeValuesCore(ParquetEncoding encoding, ReadOnlySpan<byte> data, int n)
        {
            var physical = _column.PhysicalType;
            switch (encoding)
            {
                case ParquetEncoding.Plain:
                    CheckPlainFits(data.Length, n);
                    Values.AppendPlain(data, n);
                    break;
                case ParquetEncoding.PlainDictionary or ParquetEncoding.RleDictionary:
                    {
                        var dict = _dictionary ?? throw Error($"{encoding} data page without a dictionary page");
                        if (n == 0)
                        {
                            break;
                        }

                        if (_indexScratch.Length < n)
                        {
                            _indexScratch = Rent(_indexScratch, n);
                        }

                        var indices = _indexScratch.AsSpan(0, n);
                        var decoder = RleBitPackedHybridDecoder.CreateForDictionaryIndices(data);
                        decoder.ReadExactly(indices);
                        Values.AppendGather(indices, dict);
                        break;
                    }

                case ParquetEncoding.Rle when physical == PhysicalType.Boolean:
                    {
                        var bits = new int[n];
                        var decoder = RleBitPackedHybridDecoder.CreateWithLengthPrefix(data, 1, out _);
                        decoder.ReadExactly(bits);
                        Values.AppendBooleans(bits);
                        break;
                    }

                case ParquetEncoding.DeltaBinaryPacked when physical is PhysicalType.Int32 or PhysicalType.Int64:
                    {
                        var decoder = new DeltaBinaryPackedDecoder(data);
                        if (decoder.TotalCount != n)
                        {
                            throw Error($"DELTA_BINARY_PACKED holds {decoder.TotalCount} values, the levels say {n}");
                        }

                        var dst = Values.Fixed.Extend(checked(n * Values.StoredWidth));
                        if (physical == PhysicalType.Int32)
                        {
                            decoder.ReadExactly(MemoryMarshal.Cast<byte, int>(dst));
                        }
                        else
                        {
                            decoder.ReadExactly(MemoryMarshal.Cast<byte, long>(dst));
                        }

                        Values.Count += n;
                        break;
                    }

                case ParquetEncoding.DeltaLengthByteArray or ParquetEncoding.DeltaByteArray
                    when physical is PhysicalType.ByteArray or PhysicalType.FixedLenByteArray:
                    Values.AppendDeltaBytes(encoding, data, n, this);
                    break;
                case ParquetEncoding.ByteStreamSplit
                    when physical is PhysicalType.Float or PhysicalType.Double or PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.FixedLenByteArray:
                    {
                        int width = Values.StoredWidth;
                        int count = ByteStreamSplitDecoder.ValueCount(data.Length, width);
                        if (count != n)
                        {
                            throw Error($"BYTE_STREAM_SPLIT holds {count} values, the levels say {n}");
                        }

                        if (n > 0)
                        {
                            ByteStreamSplitDecoder.Decode(data, width, 0, Values.Fixed.Extend(checked(n * width)));
                        }

                        Values.Count += n;
                        break;
                    }

                default:
                    throw Enum.IsDefined(encoding) && encoding != ParquetEncoding.BitPacked
                        ? Error($"encoding {encoding} is not valid for {physical} values")
                        : ReadErrors.NotSupported(_source, Path, PageOffset, $"the value encoding {encoding}");
            }
        }

        internal LarderFormatException Fail(string what) => Error(what);
    }

    /// <summary>Decoded values in their physical form (INT96 as its 12 stored bytes; BOOLEAN one byte per value).</summary>
    internal sealed class PhysicalValues
    {
        public PhysicalValues(PhysicalType type, int typeLength, bool emptyOffsets = false, BufferRecycler? recycler = null)
        {
            if (recycler is not null)
            {
                Fixed = new BufferBuilder { Recycler = recycler };
                Offsets = new BufferBuilder { Recycler = recycler };
                Data = new BufferBuilder { Recycler = recycler };
            }

            Type = type;
            TypeLength = typeLength;
            StoredWidth = type switch
            {
                PhysicalType.Boolean => 1,
                PhysicalType.Int32 or PhysicalType.Float => 4,
                PhysicalType.Int64 or PhysicalType.Double => 8,
                PhysicalType.Int96 => 12, // kept as stored; converted to the leaf's timestamp unit at the end
                PhysicalType.FixedLenByteArray => typeLength,
                _ => 0,
            };
            if (type == PhysicalType.ByteArray && !emptyOffsets)
            {
                Offsets.Append(0);
            }
        }

        public PhysicalType Type { get; }

        public int TypeLength { get; }

        /// <summary>Bytes per value in <see cref="Fixed"/> (0 for BYTE_ARRAY).</summary>
        public int StoredWidth { get; }

        public int Count { get; set; }

        public BufferBuilder Fixed { get; private set; } = new();

        public BufferBuilder Offsets { get; private set; } = new();

        public BufferBuilder Data { get; private set; } = new();

        /// <summary>
        /// Moves the first <paramref name="count"/> values into a new instance, which it returns; this one keeps the rest.
        /// Value bytes move without a copy (<see cref="BufferBuilder.SplitFront"/>); byte-array offsets are copied for the
        /// moved values and rebased for the kept ones.
        /// </summary>
        public PhysicalValues SplitFront(int count)
        {
            var front = new PhysicalValues(Type, TypeLength, emptyOffsets: true);
            if (Type == PhysicalType.ByteArray)
            {
                var offsets = Offsets.WrittenAs<int>();
                int cut = offsets[count];
                front.Offsets.EnsureCapacity((count + 1) * 4);
                front.Offsets.AppendRange<int>(offsets[..(count + 1)]);
                front.Data = Data.SplitFront(cut);
                _ = Offsets.SplitFront(count * 4);
                var kept = Offsets.WrittenAs<int>();
                for (int i = 0; i < kept.Length; i++)
                {
                    kept[i] -= cut;
                }
            }
            else
            {
                front.Fixed = Fixed.SplitFront(count * StoredWidth);
            }

            front.Count = count;
            Count -= count;
            return front;
        }

        public void AppendPlain(ReadOnlySpan<byte> src, int n)
        {
            if (n == 0)
            {
                return;
            }

            switch (Type)
            {
                case PhysicalType.Boolean:
                    PlainDecoder.DecodeBoolean(src, 0, MemoryMarshal.Cast<byte, bool>(Fixed.Extend(n)));
                    break;
                case PhysicalType.Int32:
                    PlainDecoder.DecodeInt32(src, MemoryMarshal.Cast<byte, int>(Fixed.Extend(checked(n * 4))));
                    break;
                case PhysicalType.Int64:
                    PlainDecoder.DecodeInt64(src, MemoryMarshal.Cast<byte, long>(Fixed.Extend(checked(n * 8))));
                    break;
                case PhysicalType.Float:
                    PlainDecoder.DecodeFloat(src, MemoryMarshal.Cast<byte, float>(Fixed.Extend(checked(n * 4))));
                    break;
                case PhysicalType.Double:
                    PlainDecoder.DecodeDouble(src, MemoryMarshal.Cast<byte, double>(Fixed.Extend(checked(n * 8))));
                    break;
                case PhysicalType.Int96:
                    PlainDecoder.DecodeFixedLenByteArray(src, 12, Fixed.Extend(checked(n * 12)));
                    break;
                case PhysicalType.FixedLenByteArray:
                    PlainDecoder.DecodeFixedLenByteArray(src, TypeLength, Fixed.Extend(checked(n * TypeLength)));
                    break;
                default:
                    {
                        var offsets = new int[n + 1];
                        PlainDecoder.DecodeByteArray(src, offsets, Data);
                        Offsets.AppendRange<int>(offsets.AsSpan(1));
                        break;
                    }
            }

            Count += n;
        }

        public void AppendBooleans(ReadOnlySpan<int> bits)
        {
            var dst = Fixed.Extend(bits.Length);
            for (int i = 0; i < bits.Length; i++)
            {
                dst[i] = (byte)(bits[i] & 1);
            }

            Count += bits.Length;
        }

        public void AppendGather(ReadOnlySpan<int> indices, PhysicalValues dict)
        {
            int n = indices.Length;
            if (Type == PhysicalType.ByteArray)
            {
                GatherByteArray(indices, dict);
            }
            else
            {
                DictionaryGather.GatherFixedLen(indices, dict.Fixed.Written, StoredWidth, Fixed.Extend(checked(n * StoredWidth)));
            }

            Count += n;
        }

        /// <summary>Appends the dictionary values <paramref name="indices"/> name.</summary>
        private void GatherByteArray(ReadOnlySpan<int> indices, PhysicalValues dict)
        {
            // The last offset already written is the data length, which the gather writes first: it overwrites it with
            // the same value and appends one offset per index after it.
            int n = indices.Length;
            Offsets.Extend(checked(n * 4));
            var (padded, longest) = dict.PaddedBytes();
            DictionaryGather.GatherByteArray(indices, dict.Offsets.WrittenAs<int>(), padded, Offsets.WrittenAs<int>()[^(n + 1)..], Data, longest);
        }

        private (byte[] Bytes, int Longest)? _padded;

        /// <summary>The values' bytes followed by 16 zero bytes, and the longest value's length (computed once, for a dictionary).</summary>
        private (byte[] Bytes, int Longest) PaddedBytes()
        {
            if (_padded is { } p)
            {
                return p;
            }

            var data = Data.Written;
            var bytes = new byte[data.Length + 16];
            data.CopyTo(bytes);
            var offsets = Offsets.WrittenAs<int>();
            int longest = 0;
            for (int i = 0; i + 1 < offsets.Length; i++)
            {
                longest = Math.Max(longest, offsets[i + 1] - offsets[i]);
            }

            _padded = (bytes, longest);
            return _padded.Value;
        }

        public void AppendDeltaBytes(ParquetEncoding encoding, ReadOnlySpan<byte> src, int n, ChunkState state)
        {
            var offsets = new int[n + 1];
            var target = Type == PhysicalType.ByteArray ? Data : new BufferBuilder();
            if (encoding == ParquetEncoding.DeltaLengthByteArray)
            {
                DeltaLengthByteArrayDecoder.Decode(src, offsets, target);
            }
            else
            {
                DeltaByteArrayDecoder.Decode(src, offsets, target, 0, Type == PhysicalType.ByteArray ? BufferAllocator.MaxLength : (long)n * TypeLength);
            }

            if (Type == PhysicalType.ByteArray)
            {
                Offsets.AppendRange<int>(offsets.AsSpan(1));
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    if (offsets[i + 1] - offsets[i] != TypeLength)
                    {
                        throw state.Fail($"{encoding} value {i} has {offsets[i + 1] - offsets[i]} bytes, FIXED_LEN_BYTE_ARRAY({TypeLength}) needs {TypeLength}");
                    }
                }

                Fixed.AppendRange<byte>(target.Written);
            }

            Count += n;
        }
    }
}
