using System.Collections.Concurrent;
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
/// Reads one column chunk: walks its pages (dictionary, data v1 / v2; index and unknown pages skipped), verifies CRCs,
/// decompresses, decodes levels and values, and converts the values from the leaf's storage type to its Arrow type.
/// Stateless and thread safe. Hostile input raises <see cref="LarderFormatException"/> (or a subclass) only.
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
        options ??= ColumnReadOptions.Default;
        var state = new ChunkState(column, meta, source, options, chunkFileOffset);
        var data = chunk.Span;
        string path = state.Path;
        if (meta.NumValues < 0)
        {
            throw ReadErrors.Chunk(source, path, chunkFileOffset, $"num_values {meta.NumValues} is negative");
        }

        int position = 0;
        int pageIndex = 0;
        while (state.ValuesSeen < meta.NumValues)
        {
            long pageOffset = chunkFileOffset + position;
            if (position >= data.Length)
            {
                throw ReadErrors.Page(source, path, pageIndex, pageOffset, $"the chunk ends after {state.ValuesSeen} of its {meta.NumValues} values");
            }

            PageHeader header;
            int headerLength;
            try
            {
                header = ParquetMetadataCodec.ReadPageHeader(data[position..], source, pageOffset, out headerLength);
            }
            catch (LarderFormatException e) when (e is not LarderNotSupportedException)
            {
                throw ReadErrors.Page(source, path, pageIndex, pageOffset, $"invalid page header: {e.Message}", e);
            }

            int bodyStart = position + headerLength;
            if (header.CompressedPageSize > data.Length - bodyStart)
            {
                throw ReadErrors.Page(source, path, pageIndex, pageOffset, $"compressed_page_size {header.CompressedPageSize} runs past the chunk end ({data.Length - bodyStart} bytes left)");
            }

            if (header.UncompressedPageSize > options.MaxPageSize || header.CompressedPageSize > options.MaxPageSize)
            {
                throw ReadErrors.Page(source, path, pageIndex, pageOffset, $"page size {Math.Max(header.UncompressedPageSize, header.CompressedPageSize)} exceeds the limit of {options.MaxPageSize} bytes");
            }

            var body = chunk.Slice(bodyStart, header.CompressedPageSize);
            if (header.Type is PageType.DataPage or PageType.DataPageV2 or PageType.DictionaryPage
                && header.Crc is int crc && options.VerifyChecksums)
            {
                uint computed = Crc32.Compute(body.Span);
                if (computed != (uint)crc)
                {
                    throw ReadErrors.Checksum(source, path, pageIndex, pageOffset, (uint)crc, computed);
                }
            }

            state.PageIndex = pageIndex;
            state.PageOffset = pageOffset;
            try
            {
                switch (header.Type)
                {
                    case PageType.DictionaryPage:
                        state.ReadDictionaryPage(header, body.Span);
                        break;
                    case PageType.DataPage:
                        state.ReadDataPageV1(header, body.Span);
                        break;
                    case PageType.DataPageV2:
                        state.ReadDataPageV2(header, body.Span);
                        break;
                    default:
                        break; // index pages and unknown page types are skipped
                }
            }
            catch (LarderFormatException e) when (e is not LarderChecksumException and not LarderNotSupportedException && e.Source != source)
            {
                throw ReadErrors.Page(source, path, pageIndex, pageOffset, e.Message, e);
            }
            catch (Exception e) when (e is ArgumentException or OverflowException or InvalidOperationException)
            {
                throw ReadErrors.Page(source, path, pageIndex, pageOffset, $"malformed page ({e.Message})", e);
            }

            position = bodyStart + header.CompressedPageSize;
            pageIndex++;
        }

        ArrayData values;
        try
        {
            values = ValueConversions.ToArrow(state.Values, column);
        }
        catch (LarderFormatException e) when (e is not LarderNotSupportedException && e.Source != source)
        {
            throw ReadErrors.Chunk(source, path, chunkFileOffset, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw ReadErrors.Chunk(source, path, chunkFileOffset, $"values cannot be converted to {column.ArrowType} ({e.Message})");
        }

        return new LeafLevels(state.Definition(), state.Repetition(), values);
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

        public ChunkState(ParquetColumnSchema column, ColumnMetaData meta, string? source, ColumnReadOptions options, long chunkOffset)
        {
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
            Values = new PhysicalValues(column.PhysicalType, column.TypeLength);
        }

        public string Path { get; }

        public long ValuesSeen { get; private set; }

        public int PageIndex { get; set; }

        public long PageOffset { get; set; }

        public PhysicalValues Values { get; }

        public ReadOnlyMemory<short> Definition() => _column.MaxDefinitionLevel == 0 ? ReadOnlyMemory<short>.Empty : MemoryMarshal.Cast<byte, short>(_def.Written).ToArray();

        public ReadOnlyMemory<short> Repetition() => _column.MaxRepetitionLevel == 0 ? ReadOnlyMemory<short>.Empty : MemoryMarshal.Cast<byte, short>(_rep.Written).ToArray();

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

            byte[] page = Decompress(body, header.UncompressedPageSize);
            var dict = new PhysicalValues(_column.PhysicalType, _column.TypeLength);
            CheckPlainFits(page.Length, dh.NumValues);
            dict.AppendPlain(page, dh.NumValues);
            _dictionary = dict;
        }

        public void ReadDataPageV1(PageHeader header, ReadOnlySpan<byte> body)
        {
            var dh = header.DataPageHeader ?? throw Error("data page without a data_page_header");
            int n = CheckNumValues(dh.NumValues);
            byte[] page = Decompress(body, header.UncompressedPageSize);
            ReadOnlySpan<byte> rest = page;
            int pos = 0;
            if (_column.MaxRepetitionLevel > 0)
            {
                pos += DecodeLevelsV1(rest, dh.RepetitionLevelEncoding, _column.MaxRepetitionLevel, n, _rep, out _);
            }

            int present = n;
            if (_column.MaxDefinitionLevel > 0)
            {
                pos += DecodeLevelsV1(rest[pos..], dh.DefinitionLevelEncoding, _column.MaxDefinitionLevel, n, _def, out present);
            }

            DecodeValues(dh.Encoding, rest[pos..], present);
            ValuesSeen += n;
        }

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

            DecodeValues(dh.Encoding, values, present);
            ValuesSeen += n;
        }

        private int CheckNumValues(int numValues)
        {
            if (numValues < 0 || numValues > _meta.NumValues - ValuesSeen)
            {
                throw Error($"num_values {numValues} is negative or exceeds the chunk's remaining {_meta.NumValues - ValuesSeen} values");
            }

            return numValues;
        }

        private byte[] Decompress(ReadOnlySpan<byte> stored, int uncompressedSize)
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

                return stored.ToArray();
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

            var output = GC.AllocateUninitializedArray<byte>(uncompressedSize);
            try
            {
                _codec.Decompress(stored, output);
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

            return output;
        }

        private int[] Scratch(int n)
        {
            if (_levelScratch.Length < n)
            {
                _levelScratch = new int[Math.Max(n, 1024)];
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

            atMax = StoreLevels(levels, max, output);
            return consumed;
        }

        private void DecodeRle(ReadOnlySpan<byte> data, int max, int n, BufferBuilder output, out int atMax)
        {
            var levels = Scratch(n).AsSpan(0, n);
            var decoder = new RleBitPackedHybridDecoder(data, BitPacking.BitWidthOf((ulong)max));
            decoder.ReadExactly(levels);
            atMax = StoreLevels(levels, max, output);
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

                        var indices = new int[n];
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

    /// <summary>Decoded values in their physical form (INT96 already as Unix nanoseconds; BOOLEAN one byte per value).</summary>
    internal sealed class PhysicalValues
    {
        public PhysicalValues(PhysicalType type, int typeLength)
        {
            Type = type;
            TypeLength = typeLength;
            StoredWidth = type switch
            {
                PhysicalType.Boolean => 1,
                PhysicalType.Int32 or PhysicalType.Float => 4,
                PhysicalType.Int64 or PhysicalType.Double or PhysicalType.Int96 => 8,
                PhysicalType.FixedLenByteArray => typeLength,
                _ => 0,
            };
            if (type == PhysicalType.ByteArray)
            {
                Offsets.Append(0);
            }
        }

        public PhysicalType Type { get; }

        public int TypeLength { get; }

        /// <summary>Bytes per value in <see cref="Fixed"/> (0 for BYTE_ARRAY).</summary>
        public int StoredWidth { get; }

        public int Count { get; set; }

        public BufferBuilder Fixed { get; } = new();

        public BufferBuilder Offsets { get; } = new();

        public BufferBuilder Data { get; } = new();

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
                    {
                        // As Arrow C++ does: days and nanoseconds combined with wrapping 64-bit arithmetic (Spark writes
                        // instants outside the nanosecond range; they wrap rather than fail).
                        var raw = new Int96[n];
                        PlainDecoder.DecodeInt96(src, raw);
                        var dst = MemoryMarshal.Cast<byte, long>(Fixed.Extend(checked(n * 8)));
                        for (int i = 0; i < n; i++)
                        {
                            dst[i] = unchecked(((long)raw[i].JulianDay - Int96.UnixEpochJulianDay) * Int96.NanosPerDay + (long)raw[i].NanosOfDay);
                        }
                    }


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
                var offsets = new int[n + 1];
                DictionaryGather.GatherByteArray(indices, dict.Offsets.WrittenAs<int>(), dict.Data.Written, offsets, Data);
                Offsets.AppendRange<int>(offsets.AsSpan(1));
            }
            else
            {
                DictionaryGather.GatherFixedLen(indices, dict.Fixed.Written, StoredWidth, Fixed.Extend(checked(n * StoredWidth)));
            }

            Count += n;
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
