using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Encodings;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;

namespace Larder.Parquet.Write;

/// <summary>
/// The values half of a <see cref="ColumnChunkWriter"/>: takes the present values of each shredded batch
/// (<see cref="SetIncoming"/>), collects a page's worth (<see cref="Append"/>), and encodes the page
/// (<see cref="FlushPage"/>), RLE_DICTIONARY while the dictionary pays, else PLAIN. One subclass per kind of physical
/// storage, so the per-value work is typed: no boxing, no per-value virtual call. Not thread safe.
/// </summary>
/// <remarks>
/// Dictionary fallback: a page whose values would take the dictionary's PLAIN size past
/// <see cref="ColumnWriteOptions.DictionaryPageSizeLimit"/> is written PLAIN (the entries it added are dropped again), and
/// so is every later page of the chunk. The first page of a chunk is also written PLAIN, and the dictionary abandoned for
/// the chunk, when
/// <list type="bullet">
/// <item>it holds at least <see cref="ProbeSize"/> values and its first <see cref="ProbeSize"/> values are all distinct
/// (decided after hashing those only: unique keys, timestamps and measurements never pay for a dictionary, and hashing a
/// whole page of them into a dictionary that is then dropped costs more than the rest of the page's encoding), or</item>
/// <item>it holds at least <see cref="MinPayoffSample"/> values and its dictionary plus indices are not smaller than its
/// PLAIN values.</item>
/// </list>
/// Smaller first pages are too small a sample to judge a chunk by, so they keep the dictionary.
/// </remarks>
internal abstract class ValueWriter
{
    /// <summary>The fewest values in the first page for it to decide that the dictionary does not pay.</summary>
    public const int MinPayoffSample = 1024;

    /// <summary>How many leading values of a chunk's first page are hashed before the rest, to spot unique values early.</summary>
    public const int ProbeSize = 4096;

    protected ValueWriter(ParquetColumnSchema column, ColumnWriteOptions options, bool dictionary)
    {
        Column = column;
        Options = options;
        DictionaryEnabled = dictionary;
        DictionaryActive = dictionary;
    }

    protected ParquetColumnSchema Column { get; }

    protected ColumnWriteOptions Options { get; }

    protected bool DictionaryEnabled { get; }

    /// <summary>Whether the next page may be dictionary encoded.</summary>
    public bool DictionaryActive { get; protected set; }

    /// <summary>Whether a page of this chunk was written RLE_DICTIONARY (so the chunk needs a dictionary page).</summary>
    public bool DictionaryUsed { get; protected set; }

    public abstract int DictionaryCount { get; }

    /// <summary>Values (present ones only) of the current <see cref="SetIncoming"/>.</summary>
    public abstract int IncomingCount { get; }

    /// <summary>Values collected for the current page.</summary>
    public abstract int PageCount { get; }

    /// <summary>Takes the next batch's present values (the shredder's output, all valid) as the source of <see cref="Append"/>.</summary>
    public abstract void SetIncoming(ArrayData values);

    /// <summary>
    /// How many incoming values from <paramref name="start"/> (at most <paramref name="max"/>) the page takes until its PLAIN
    /// size grows by at least <paramref name="budget"/> bytes (all <paramref name="max"/> when they stay below);
    /// <paramref name="bytes"/> is their PLAIN size.
    /// </summary>
    public abstract int Take(int start, int max, long budget, out long bytes);

    /// <summary>PLAIN size of incoming value <paramref name="index"/> (booleans count one byte).</summary>
    public abstract long PlainSize(int index);

    /// <summary>Adds incoming values [start, start+count) to the page.</summary>
    public abstract void Append(int start, int count);

    /// <summary>
    /// Completes the page body: <paramref name="body"/> holds the page's levels; the encoded values follow them, in
    /// <paramref name="body"/> or (to save a copy) in a buffer of this writer that <paramref name="page"/> then points to,
    /// valid until the next <see cref="Append"/>. Adds the values to <paramref name="statistics"/> and starts the next page.
    /// Returns the encoding used.
    /// </summary>
    public abstract Encoding FlushPage(PageBuffer body, StatisticsBuilder statistics, out ReadOnlySpan<byte> page);

    /// <summary>Appends the dictionary page body (PLAIN entries).</summary>
    public abstract void EncodeDictionaryPage(PageBuffer body);

    /// <summary>Starts a new column chunk: forgets the dictionary and any page in progress.</summary>
    public virtual void Reset()
    {
        DictionaryActive = DictionaryEnabled;
        DictionaryUsed = false;
    }

    /// <summary>Whether this page is a chunk's first (dictionary still empty) and big enough to probe.</summary>
    protected bool ShouldProbe(int pageCount, int dictionaryCount)
        => DictionaryActive && !DictionaryUsed && dictionaryCount == 0 && pageCount >= ProbeSize;

    /// <summary>Whether the first page (of <paramref name="count"/> values) shows the dictionary does not pay.</summary>
    protected bool DictionaryDoesNotPay(int count, long dictionaryBytes, long indexBytes, long plainBytes)
        => !DictionaryUsed && count >= MinPayoffSample && dictionaryBytes + indexBytes >= plainBytes;

    /// <summary>The writer for <paramref name="column"/>'s physical type.</summary>
    public static ValueWriter Create(ParquetColumnSchema column, ColumnWriteOptions options)
    {
        bool dictionary = options.EnableDictionary && column.PhysicalType != PhysicalType.Boolean;
        if (!BitConverter.IsLittleEndian)
        {
            return new GenericValueWriter(column, options, dictionary);
        }

        return column.PhysicalType switch
        {
            PhysicalType.Int32 => new FixedValueWriter<int>(column, options, dictionary),
            PhysicalType.Int64 => new FixedValueWriter<long>(column, options, dictionary),
            PhysicalType.Float => new FixedValueWriter<float>(column, options, dictionary),
            PhysicalType.Double => new FixedValueWriter<double>(column, options, dictionary),
            PhysicalType.ByteArray => new ByteArrayValueWriter(column, options, dictionary),
            _ => new GenericValueWriter(column, options, dictionary),
        };
    }

    protected static void Grow<T>(ref T[] array, int needed)
    {
        if (needed > array.Length)
        {
            Array.Resize(ref array, (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(64L, array.Length * 2L))));
        }
    }
}

/// <summary>
/// INT32, INT64, FLOAT and DOUBLE columns: values kept as <typeparamref name="T"/>, read straight from the Arrow buffer
/// when the Arrow type stores the same numbers (int32, int64, date32, timestamps in ms/us/ns, float, double, ...) and
/// converted through <see cref="PhysicalValues"/> otherwise; statistics and dictionary typed.
/// </summary>
internal sealed class FixedValueWriter<T> : ValueWriter
    where T : unmanaged, INumber<T>
{
    private readonly StatisticsOrder _order;
    private readonly PhysicalValues _converted = new(Unsafe.SizeOf<T>());
    private readonly FixedWidthDictionaryBuilder<T> _dictionary = new();
    private ArrowBuffer _incomingBuffer;
    private int _incomingOffset;
    private int _incomingCount;
    private bool _incomingConverted;

    /// <summary>
    /// The page's values from byte <see cref="Gap"/> on; a PLAIN page whose levels fit in the gap is completed in place
    /// (levels copied just before the values) instead of copying the values after the levels.
    /// </summary>
    private byte[] _raw = new byte[Gap];
    private int _pageCount;
    private int[] _indices = [];

    private const int Gap = 64;

    public FixedValueWriter(ParquetColumnSchema column, ColumnWriteOptions options, bool dictionary)
        : base(column, options, dictionary)
        => _order = StatisticsBuilder.OrderOf(column);

    public override int DictionaryCount => _dictionary.Count;

    public override int IncomingCount => _incomingCount;

    public override int PageCount => _pageCount;

    private ReadOnlySpan<T> Incoming => _incomingCount == 0 ? default : _incomingConverted
        ? MemoryMarshal.Cast<byte, T>(_converted.Data)
        : _incomingBuffer.As<T>().Slice(_incomingOffset, _incomingCount);

    public override void SetIncoming(ArrayData values)
    {
        _incomingCount = values.Type.Id == ArrowTypeId.Null ? 0 : values.Length;
        _incomingConverted = _incomingCount > 0 && !IsSameStorage(values.Type);
        if (_incomingConverted)
        {
            _converted.Clear();
            _converted.AppendArrow(Column, values);
            _incomingCount = _converted.Count;
        }
        else if (_incomingCount > 0)
        {
            _incomingBuffer = values.Buffers[1];
            _incomingOffset = values.Offset;
        }
    }

    public override int Take(int start, int max, long budget, out long bytes)
    {
        int size = Unsafe.SizeOf<T>();
        long needed = (budget + size - 1) / size;
        int k = (int)Math.Min(max, Math.Max(0, needed));
        bytes = (long)k * size;
        return k;
    }

    public override long PlainSize(int index) => Unsafe.SizeOf<T>();

    public override void Append(int start, int count)
    {
        int size = Unsafe.SizeOf<T>();
        long needed = Gap + ((long)(_pageCount + count) * size);
        if (needed > _raw.Length)
        {
            if (needed > Array.MaxLength)
            {
                throw WriteErrors.TooLarge();
            }

            var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(needed, _raw.Length * 2L)));
            _raw.AsSpan(0, Gap + (_pageCount * size)).CopyTo(grown);
            _raw = grown;
        }

        MemoryMarshal.AsBytes(Incoming.Slice(start, count)).CopyTo(_raw.AsSpan(Gap + (_pageCount * size)));
        _pageCount += count;
    }

    public override Encoding FlushPage(PageBuffer body, StatisticsBuilder statistics, out ReadOnlySpan<byte> page)
    {
        var values = MemoryMarshal.Cast<byte, T>(_raw.AsSpan(Gap, _pageCount * Unsafe.SizeOf<T>()));
        AddStatistics(values, statistics);
        var encoding = Encoding.Plain;
        if (DictionaryActive)
        {
            encoding = EncodeDictionary(values, body);
        }

        page = body.WrittenSpan;
        if (encoding == Encoding.Plain)
        {
            var bytes = MemoryMarshal.AsBytes(values);
            if (body.Length <= Gap)
            {
                var levels = body.WrittenSpan;
                levels.CopyTo(_raw.AsSpan(Gap - levels.Length));
                page = _raw.AsSpan(Gap - levels.Length, levels.Length + bytes.Length);
            }
            else
            {
                body.Write(bytes);
                page = body.WrittenSpan;
            }
        }

        _pageCount = 0;
        return encoding;
    }

    public override void EncodeDictionaryPage(PageBuffer body) => _dictionary.EncodeDictionaryPage(body);

    public override void Reset()
    {
        base.Reset();
        _dictionary.Clear();
        _pageCount = 0;
    }

    private Encoding EncodeDictionary(ReadOnlySpan<T> page, PageBuffer body)
    {
        int size = Unsafe.SizeOf<T>();
        int before = _dictionary.Count;
        int maxEntries = (int)Math.Min(int.MaxValue, Options.DictionaryPageSizeLimit / size);
        Grow(ref _indices, page.Length);
        int done = 0;
        if (ShouldProbe(page.Length, before))
        {
            done = _dictionary.AddRange(page[..ProbeSize], _indices, maxEntries);
            if (done < ProbeSize || _dictionary.Count == ProbeSize)
            {
                _dictionary.Clear();
                DictionaryActive = false;
                return Encoding.Plain;
            }
        }

        if (done + _dictionary.AddRange(page[done..], _indices.AsSpan(done), maxEntries) < page.Length)
        {
            _dictionary.Truncate(before);
            DictionaryActive = false;
            return Encoding.Plain;
        }

        int mark = body.Length;
        RleBitPackedHybridEncoder.EncodeDictionaryIndices(_indices.AsSpan(0, page.Length), RleBitPackedHybridEncoder.DictionaryIndexBitWidth(_dictionary.Count), body);
        if (DictionaryDoesNotPay(page.Length, _dictionary.PlainSize, body.Length - mark, (long)page.Length * size))
        {
            body.Truncate(mark);
            _dictionary.Clear();
            DictionaryActive = false;
            return Encoding.Plain;
        }

        DictionaryUsed = true;
        return Encoding.RleDictionary;
    }

    private void AddStatistics(ReadOnlySpan<T> page, StatisticsBuilder statistics)
    {
        switch (_order)
        {
            case StatisticsOrder.UInt32 when typeof(T) == typeof(int):
                AddBounds(MemoryMarshal.Cast<T, uint>(page), statistics);
                break;
            case StatisticsOrder.UInt64 when typeof(T) == typeof(long):
                AddBounds(MemoryMarshal.Cast<T, ulong>(page), statistics);
                break;
            case StatisticsOrder.None:
                break;
            default:
                AddBounds(page, statistics);
                break;
        }
    }

    private static void AddBounds<TValue>(ReadOnlySpan<TValue> values, StatisticsBuilder statistics)
        where TValue : unmanaged, INumber<TValue>
    {
        if (MinMax.Find(values, out var min, out var max))
        {
            statistics.Add(MemoryMarshal.AsBytes(new ReadOnlySpan<TValue>(ref min)));
            statistics.Add(MemoryMarshal.AsBytes(new ReadOnlySpan<TValue>(ref max)));
        }
    }

    /// <summary>Whether the Arrow type's values are already the physical <typeparamref name="T"/> values, bit for bit.</summary>
    private bool IsSameStorage(ArrowType type)
    {
        if (type.Id == ArrowTypeId.Null || type is DictionaryType || type.BitWidth != Unsafe.SizeOf<T>() * 8)
        {
            return false;
        }

        return Column.PhysicalType switch
        {
            PhysicalType.Float => type.Id == ArrowTypeId.Float,
            PhysicalType.Double => type.Id == ArrowTypeId.Double,
            _ => type switch
            {
                TimestampType t => t.Unit != Columnar.TimeUnit.Second,
                TimeType t => t.Unit != Columnar.TimeUnit.Second,
                _ => type.IsInteger || type.Id is ArrowTypeId.Date32 or ArrowTypeId.Duration,
            },
        };
    }
}

/// <summary>
/// BYTE_ARRAY columns. While the dictionary is active, values go straight into it as they arrive (a page holds only their
/// indices); otherwise a page holds its values PLAIN encoded, ready to copy into the page body.
/// </summary>
internal sealed class ByteArrayValueWriter : ValueWriter
{
    private readonly StatisticsOrder _order;
    private readonly PhysicalValues _converted = new(0);
    private readonly ByteArrayDictionaryBuilder _dictionary = new();
    private readonly PageBuffer _plain = new();
    private ArrowBuffer _offsetBuffer;
    private ArrowBuffer _dataBuffer;
    private int _incomingOffset;
    private int _incomingCount;
    private bool _incomingConverted;
    private int[] _indices = [];
    private bool[] _seen = [];
    private int _pageCount;
    private long _pagePlainBytes;
    private int _pageFirstEntry;

    public ByteArrayValueWriter(ParquetColumnSchema column, ColumnWriteOptions options, bool dictionary)
        : base(column, options, dictionary)
        => _order = StatisticsBuilder.OrderOf(column);

    public override int DictionaryCount => _dictionary.Count;

    public override int IncomingCount => _incomingCount;

    public override int PageCount => _pageCount;

    private ReadOnlySpan<int> IncomingOffsets => _incomingCount == 0 ? default : _incomingConverted
        ? _converted.Offsets
        : _offsetBuffer.As<int>().Slice(_incomingOffset, _incomingCount + 1);

    private ReadOnlySpan<byte> IncomingData => _incomingConverted ? _converted.Data : _dataBuffer.Span;

    public override void SetIncoming(ArrayData values)
    {
        _incomingCount = values.Type.Id == ArrowTypeId.Null ? 0 : values.Length;
        _incomingConverted = _incomingCount > 0 && values.Type.Id is not (ArrowTypeId.String or ArrowTypeId.Binary);
        if (_incomingConverted)
        {
            _converted.Clear();
            _converted.AppendArrow(Column, values);
            _incomingCount = _converted.Count;
        }
        else if (_incomingCount > 0)
        {
            _offsetBuffer = values.Buffers[1];
            _dataBuffer = values.Buffers[2];
            _incomingOffset = values.Offset;
        }
    }

    public override int Take(int start, int max, long budget, out long bytes)
    {
        var offsets = IncomingOffsets;
        if (max == 0)
        {
            bytes = 0;
            return 0;
        }

        offsets = offsets.Slice(start, max + 1);
        static long Size(ReadOnlySpan<int> offsets, int k) => (4L * k) + offsets[k] - offsets[0];
        if (Size(offsets, max) < budget)
        {
            bytes = Size(offsets, max);
            return max;
        }

        // The smallest k whose values reach the budget (the size grows with k).
        int lo = 1;
        int hi = max;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (Size(offsets, mid) >= budget)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        bytes = Size(offsets, lo);
        return lo;
    }

    public override long PlainSize(int index)
    {
        var offsets = IncomingOffsets;
        return 4 + offsets[index + 1] - offsets[index];
    }

    public override void Append(int start, int count)
    {
        var offsets = IncomingOffsets;
        var data = IncomingData;
        int k = 0;
        if (DictionaryActive && count > 0)
        {
            Grow(ref _indices, _pageCount + count);
            k = AppendToDictionary(offsets.Slice(start, count + 1), data);
        }

        for (; k < count; k++)
        {
            int s = offsets[start + k];
            int length = offsets[start + k + 1] - s;
            PlainEncoder.EncodeByteArray(data.Slice(s, length), _plain);
            _pageCount++;
            _pagePlainBytes += 4 + length;
        }
    }

    /// <summary>
    /// Adds the values to the dictionary and their indices to the page; returns how many were taken (all, unless the
    /// dictionary was dropped part way: the rest are then the caller's to write PLAIN).
    /// </summary>
    private int AppendToDictionary(ReadOnlySpan<int> offsets, ReadOnlySpan<byte> data)
    {
        int count = offsets.Length - 1;
        long limit = Options.DictionaryPageSizeLimit;
        var indices = _indices.AsSpan();
        int pageCount = _pageCount;
        int entries = _dictionary.Count;
        int k = 0;
        for (; k < count; k++)
        {
            int s = offsets[k];
            indices[pageCount++] = _dictionary.Add(data, s, offsets[k + 1] - s);
            if (_dictionary.Count == entries)
            {
                continue;
            }

            entries = _dictionary.Count;
            if (_dictionary.PlainSize > limit)
            {
                // This value takes the dictionary past its limit: the page so far becomes PLAIN, the page's entries go.
                _pageCount = pageCount - 1;
                _pagePlainBytes += (4L * k) + offsets[k] - offsets[0];
                MovePageToPlain();
                _dictionary.Truncate(_pageFirstEntry);
                DictionaryActive = false;
                return k;
            }

            if (entries == ProbeSize && pageCount == ProbeSize && _pageFirstEntry == 0 && !DictionaryUsed)
            {
                // The chunk's first ProbeSize values are all distinct: no dictionary for this chunk.
                _pageCount = pageCount;
                _pagePlainBytes += (4L * (k + 1)) + offsets[k + 1] - offsets[0];
                MovePageToPlain();
                _dictionary.Clear();
                DictionaryActive = false;
                return k + 1;
            }
        }

        _pageCount = pageCount;
        _pagePlainBytes += (4L * count) + offsets[count] - offsets[0];
        return count;
    }

    public override Encoding FlushPage(PageBuffer body, StatisticsBuilder statistics, out ReadOnlySpan<byte> page)
    {
        var encoding = Encoding.Plain;
        if (DictionaryActive)
        {
            var indices = _indices.AsSpan(0, _pageCount);
            AddDictionaryStatistics(indices, statistics);
            int mark = body.Length;
            RleBitPackedHybridEncoder.EncodeDictionaryIndices(indices, RleBitPackedHybridEncoder.DictionaryIndexBitWidth(_dictionary.Count), body);
            if (DictionaryDoesNotPay(_pageCount, _dictionary.PlainSize, body.Length - mark, _pagePlainBytes))
            {
                body.Truncate(mark);
                MovePageToPlain();
                _dictionary.Clear();
                DictionaryActive = false;
                body.Write(_plain.WrittenSpan);
            }
            else
            {
                DictionaryUsed = true;
                encoding = Encoding.RleDictionary;
            }
        }
        else
        {
            AddPlainStatistics(_plain.WrittenSpan, statistics);
            body.Write(_plain.WrittenSpan);
        }

        _plain.Clear();
        _pageCount = 0;
        _pagePlainBytes = 0;
        _pageFirstEntry = _dictionary.Count;
        page = body.WrittenSpan;
        return encoding;
    }

    public override void EncodeDictionaryPage(PageBuffer body) => _dictionary.EncodeDictionaryPage(body);

    public override void Reset()
    {
        base.Reset();
        _dictionary.Clear();
        _plain.Clear();
        _pageCount = 0;
        _pagePlainBytes = 0;
        _pageFirstEntry = 0;
    }

    /// <summary>Writes the page's values (dictionary indices so far) PLAIN into the page buffer, from the dictionary entries.</summary>
    private void MovePageToPlain()
    {
        _plain.Clear();
        foreach (int index in _indices.AsSpan(0, _pageCount))
        {
            PlainEncoder.EncodeByteArray(_dictionary[index], _plain);
        }
    }

    private void AddDictionaryStatistics(ReadOnlySpan<int> indices, StatisticsBuilder statistics)
    {
        if (_order == StatisticsOrder.None || indices.IsEmpty)
        {
            return;
        }

        // Each distinct entry of the page once, not every value.
        int count = _dictionary.Count;
        Grow(ref _seen, count);
        var seen = _seen.AsSpan(0, count);
        foreach (int index in indices)
        {
            seen[index] = true;
        }

        for (int e = 0; e < count; e++)
        {
            if (seen[e])
            {
                statistics.Add(_dictionary[e]);
                seen[e] = false;
            }
        }
    }

    private void AddPlainStatistics(ReadOnlySpan<byte> plain, StatisticsBuilder statistics)
    {
        if (_order == StatisticsOrder.None)
        {
            return;
        }

        int p = 0;
        while (p < plain.Length)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(plain[p..]);
            statistics.Add(plain.Slice(p + 4, length));
            p += 4 + length;
        }
    }
}

/// <summary>
/// BOOLEAN, INT96 and FIXED_LEN_BYTE_ARRAY columns (and every column on a big-endian machine): values converted one by
/// one into <see cref="PhysicalValues"/>, dictionary of their bytes.
/// </summary>
internal sealed class GenericValueWriter : ValueWriter
{
    private readonly int _width;
    private readonly PhysicalValues _incoming;
    private readonly PhysicalValues _page;
    private readonly ByteArrayDictionaryBuilder _dictionary = new();
    private int[] _indices = [];

    public GenericValueWriter(ParquetColumnSchema column, ColumnWriteOptions options, bool dictionary)
        : base(column, options, dictionary)
    {
        _width = PhysicalValues.WidthOf(column);
        _incoming = new PhysicalValues(_width);
        _page = new PhysicalValues(_width);
    }

    public override int DictionaryCount => _dictionary.Count;

    public override int IncomingCount => _incoming.Count;

    public override int PageCount => _page.Count;

    public override void SetIncoming(ArrayData values)
    {
        _incoming.Clear();
        _incoming.AppendArrow(Column, values);
    }

    public override int Take(int start, int max, long budget, out long bytes)
    {
        long total = 0;
        int k = 0;
        while (k < max && total < budget)
        {
            total += PlainSize(start + k);
            k++;
        }

        bytes = total;
        return k;
    }

    public override long PlainSize(int index) => _incoming.PlainSize(index);

    public override void Append(int start, int count) => _page.AppendRange(_incoming, start, count);

    public override Encoding FlushPage(PageBuffer body, StatisticsBuilder statistics, out ReadOnlySpan<byte> page)
    {
        int count = _page.Count;
        for (int i = 0; i < count; i++)
        {
            statistics.Add(_page[i]);
        }

        var encoding = Encoding.Plain;
        if (DictionaryActive)
        {
            int before = _dictionary.Count;
            Grow(ref _indices, count);
            long limit = Options.DictionaryPageSizeLimit;
            bool probe = ShouldProbe(count, before);
            bool fits = true;
            for (int i = 0; i < count && fits; i++)
            {
                _indices[i] = _dictionary.Add(_page[i]);
                fits = DictionaryPlainSize <= limit && !(probe && i + 1 == ProbeSize && _dictionary.Count == ProbeSize);
            }

            if (!fits)
            {
                _dictionary.Truncate(before);
                DictionaryActive = false;
            }
            else
            {
                int mark = body.Length;
                RleBitPackedHybridEncoder.EncodeDictionaryIndices(_indices.AsSpan(0, count), RleBitPackedHybridEncoder.DictionaryIndexBitWidth(_dictionary.Count), body);
                long plain = _width > 0 ? (long)count * _width : _page.Data.Length + (4L * count);
                if (DictionaryDoesNotPay(count, DictionaryPlainSize, body.Length - mark, plain))
                {
                    body.Truncate(mark);
                    _dictionary.Clear();
                    DictionaryActive = false;
                }
                else
                {
                    DictionaryUsed = true;
                    encoding = Encoding.RleDictionary;
                }
            }
        }

        if (encoding == Encoding.Plain)
        {
            EncodePlain(body);
        }

        _page.Clear();
        page = body.WrittenSpan;
        return encoding;
    }

    public override void EncodeDictionaryPage(PageBuffer body)
    {
        if (_width > 0)
        {
            _dictionary.EncodeFixedLenDictionaryPage(body);
        }
        else
        {
            _dictionary.EncodeDictionaryPage(body);
        }
    }

    public override void Reset()
    {
        base.Reset();
        _dictionary.Clear();
        _page.Clear();
    }

    private long DictionaryPlainSize => _width > 0 ? (long)_dictionary.Count * _width : _dictionary.PlainSize;

    private void EncodePlain(PageBuffer output)
    {
        switch (Column.PhysicalType)
        {
            case PhysicalType.Boolean:
            {
                var data = _page.Data;
                int bytes = (data.Length + 7) >> 3;
                var span = output.GetSpan(bytes)[..bytes];
                span.Clear();
                for (int i = 0; i < data.Length; i++)
                {
                    if (data[i] != 0)
                    {
                        span[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                output.Advance(bytes);
                break;
            }

            case PhysicalType.ByteArray:
                PlainEncoder.EncodeByteArray(_page.Offsets, _page.Data, output);
                break;
            default:
                // Fixed width values are kept little-endian (numbers) or as their bytes (FLBA, INT96): PLAIN as they are.
                output.Write(_page.Data);
                break;
        }
    }
}
