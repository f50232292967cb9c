using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Vault.Tables;

/// <summary>
/// A half-open, 0-based range of rows [<see cref="Start"/>, <see cref="End"/>), as a Python slice <c>rows[Start:End]</c>;
/// <see cref="End"/> null means "to the last row". A range whose end is not after its start is empty.
/// </summary>
/// <exception cref="LarderUsageException">A bound is negative.</exception>
public readonly record struct RowRange(long Start, long? End)
{
    /// <summary>The first row kept (0-based).</summary>
    public long Start { get; } = Start >= 0 ? Start : throw LarderErrors.RowRangeNegative("start", Start);

    /// <summary>The first row after the range, or null for no end.</summary>
    public long? End { get; } = End is not < 0 ? End : throw LarderErrors.RowRangeNegative("end", End.GetValueOrDefault());

    /// <summary>Every row.</summary>
    public static RowRange All => new(0, null);

    /// <summary>True when the range holds no row whatever the table.</summary>
    public bool IsEmpty => End is long end && end <= Start;

    /// <summary>
    /// Reads Python slice syntax over non-negative integers: <c>A:B</c>, <c>:B</c>, <c>A:</c> or <c>:</c> (digits only,
    /// no sign, spaces or step). A lone number is refused, since it names one row rather than a range.
    /// </summary>
    /// <exception cref="LarderUsageException">The text is not of that form; the message shows the expected one.</exception>
    public static RowRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw LarderErrors.RowRangeInvalid(text, text.Length == 0 ? "it is empty" : "a single number is not a range; for one row N write N:N+1");
        }

        if (text.IndexOf(':', colon + 1) >= 0)
        {
            throw LarderErrors.RowRangeInvalid(text, "a step or a second ':' is not supported");
        }

        long? start = ParseBound(text, text.AsSpan(0, colon), "start");
        long? end = ParseBound(text, text.AsSpan(colon + 1), "end");
        return new RowRange(start ?? 0, end);
    }

    /// <summary>The range in the form <see cref="Parse"/> reads (<c>A:B</c> or <c>A:</c>).</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Start}:{End}");

    private static long? ParseBound(string text, ReadOnlySpan<char> bound, string which)
    {
        if (bound.IsEmpty)
        {
            return null;
        }

        foreach (char ch in bound)
        {
            if (!char.IsAsciiDigit(ch))
            {
                throw LarderErrors.RowRangeInvalid(text, ch == '-' ? $"the {which} is negative" : $"the {which} '{bound}' is not a non-negative whole number");
            }
        }

        return long.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw LarderErrors.RowRangeInvalid(text, $"the {which} is too large");
    }
}

/// <summary>
/// Streaming row filters for tables read from a vault: data_vault's row range (<c>rows[10:20]</c>) and grep-like row
/// filter (<c>grep("SNP")</c>). Each takes a stream of record batches and returns a lazy stream of batches of the same
/// schema; the source is enumerated only as the result is. Stateless; each enumeration of a result is independent.
/// </summary>
public static class RowFilters
{
    /// <summary>
    /// Keeps the rows [<see cref="RowRange.Start"/>, <see cref="RowRange.End"/>) of <paramref name="source"/>, counting
    /// rows from 0 across batches. Batches wholly inside the range are passed on as they are, the others as zero-copy
    /// slices; batches without kept rows are dropped. The source is not enumerated further once the end of the range is
    /// reached (an empty range does not enumerate it at all). When the range starts past the last row, one empty batch of
    /// the source's schema is returned so that the schema is still known.
    /// </summary>
    public static IEnumerable<RecordBatch> Slice(IEnumerable<RecordBatch> source, RowRange range)
    {
        ArgumentNullException.ThrowIfNull(source);
        return range.IsEmpty ? [] : SliceCore(source, range);
    }

    /// <summary>The asynchronous twin of <see cref="Slice(IEnumerable{RecordBatch}, RowRange)"/>.</summary>
    public static IAsyncEnumerable<RecordBatch> Slice(IAsyncEnumerable<RecordBatch> source, RowRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return range.IsEmpty ? AsyncEnumerable.Empty<RecordBatch>() : SliceCoreAsync(source, range, cancellationToken);
    }

    /// <summary>
    /// Keeps the rows in which some cell, written as text the way <see cref="VaultTsvWriter"/> writes it, contains
    /// <paramref name="text"/> (ordinal, case-sensitive). A cell's text is the value before csv quoting (a string is
    /// matched as it is, not with the quotes the writer may add); a null or NaN is an empty cell and never matches; the
    /// row number the writer puts first is not part of a row. Zone-less timestamp columns use the writer's layout for the
    /// same stream (chosen from the batches seen so far, widened as needed). Columns of types the writer does not hold
    /// match the invariant text of their value. Output batches keep the schema (dictionary columns keep their
    /// dictionary); a batch whose every row matches is passed on as it is. When no row matches, one empty batch of the
    /// source's schema is returned so that the schema is still known (none when the source has no batch).
    /// </summary>
    /// <exception cref="LarderUsageException"><paramref name="text"/> is empty (thrown at the call).</exception>
    public static IEnumerable<RecordBatch> Grep(IEnumerable<RecordBatch> source, string text)
    {
        ArgumentNullException.ThrowIfNull(source);
        RowMatcher.CheckText(text);
        return GrepCore(source, text);
    }

    /// <summary>The asynchronous twin of <see cref="Grep(IEnumerable{RecordBatch}, string)"/>.</summary>
    /// <exception cref="LarderUsageException"><paramref name="text"/> is empty (thrown at the call).</exception>
    public static IAsyncEnumerable<RecordBatch> Grep(IAsyncEnumerable<RecordBatch> source, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        RowMatcher.CheckText(text);
        return GrepCoreAsync(source, text, cancellationToken);
    }

    private static IEnumerable<RecordBatch> SliceCore(IEnumerable<RecordBatch> source, RowRange range)
    {
        long row = 0;
        bool yielded = false;
        RecordBatch? last = null;
        foreach (var batch in source)
        {
            last = batch;
            var kept = Cut(batch, range, ref row);
            if (kept is not null)
            {
                yielded = true;
                yield return kept;
            }

            if (row >= range.End)
            {
                yield break;
            }
        }

        if (!yielded && last is not null)
        {
            yield return last.Slice(0, 0);
        }
    }

    private static async IAsyncEnumerable<RecordBatch> SliceCoreAsync(IAsyncEnumerable<RecordBatch> source, RowRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long row = 0;
        bool yielded = false;
        RecordBatch? last = null;
        await foreach (var batch in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            last = batch;
            var kept = Cut(batch, range, ref row);
            if (kept is not null)
            {
                yielded = true;
                yield return kept;
            }

            if (row >= range.End)
            {
                yield break;
            }
        }

        if (!yielded && last is not null)
        {
            yield return last.Slice(0, 0);
        }
    }

    /// <summary>The rows of <paramref name="batch"/> (whose first row is number <paramref name="row"/>) inside the range, or null.</summary>
    private static RecordBatch? Cut(RecordBatch batch, RowRange range, ref long row)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long first = row;
        row += batch.Length;
        long from = Math.Max(range.Start - first, 0);
        long to = range.End is long end ? Math.Min(end - first, batch.Length) : batch.Length;
        if (to <= from)
        {
            return null;
        }

        return from == 0 && to == batch.Length ? batch : batch.Slice((int)from, (int)(to - from));
    }

    private static IEnumerable<RecordBatch> GrepCore(IEnumerable<RecordBatch> source, string text)
    {
        var matcher = new RowMatcher(text);
        bool yielded = false;
        RecordBatch? last = null;
        foreach (var batch in source)
        {
            ArgumentNullException.ThrowIfNull(batch);
            last = batch;
            var kept = matcher.Filter(batch);
            if (kept is not null)
            {
                yielded = true;
                yield return kept;
            }
        }

        if (!yielded && last is not null)
        {
            yield return last.Slice(0, 0);
        }
    }

    private static async IAsyncEnumerable<RecordBatch> GrepCoreAsync(IAsyncEnumerable<RecordBatch> source, string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var matcher = new RowMatcher(text);
        bool yielded = false;
        RecordBatch? last = null;
        await foreach (var batch in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(batch);
            last = batch;
            var kept = matcher.Filter(batch);
            if (kept is not null)
            {
                yielded = true;
                yield return kept;
            }
        }

        if (!yielded && last is not null)
        {
            yield return last.Slice(0, 0);
        }
    }

    /// <summary>
    /// Finds the matching rows of batches, one stream at a time (it keeps the stream's timestamp layouts and the last
    /// dictionary of each column). Not thread safe.
    /// </summary>
    private sealed class RowMatcher
    {
        private const string IntegerChars = "0123456789-";
        private const string FloatChars = "0123456789.-+einf";
        private const string TimestampChars = "0123456789-:. ";
        private const string ZonedTimestampChars = "0123456789-:. +";

        private readonly string _text;

        // The UTF-8 bytes of the text; null when the text has a lone surrogate, which no decoded string contains.
        private readonly byte[]? _utf8;
        private readonly StringBuilder _cell = new(64);
        private int[] _timestampLevels = [];
        private ArrayData?[] _dictionaries = [];
        private bool[]?[] _dictionaryMatches = [];
        private bool[] _matched = [];

        public RowMatcher(string text)
        {
            CheckText(text);
            _text = text;
            _utf8 = IsWellFormed(text) ? Encoding.UTF8.GetBytes(text) : null;
        }

        /// <exception cref="LarderUsageException"><paramref name="text"/> is empty.</exception>
        public static void CheckText(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            if (text.Length == 0)
            {
                throw LarderErrors.GrepEmptyText();
            }
        }

        /// <summary>The matching rows of <paramref name="batch"/>: the batch itself when all match, null when none.</summary>
        public RecordBatch? Filter(RecordBatch batch)
        {
            int length = batch.Length;
            if (length == 0)
            {
                return null;
            }

            if (_timestampLevels.Length != batch.ColumnCount)
            {
                _timestampLevels = new int[batch.ColumnCount];
                _dictionaries = new ArrayData?[batch.ColumnCount];
                _dictionaryMatches = new bool[]?[batch.ColumnCount];
            }

            if (_matched.Length < length)
            {
                _matched = new bool[Math.Max(length, _matched.Length * 2)];
            }

            var matched = _matched.AsSpan(0, length);
            matched.Clear();
            int remaining = length;
            for (int c = 0; c < batch.ColumnCount && remaining > 0; c++)
            {
                var column = batch.Column(c);
                if (column is TimestampArray { Type.TimeZone: null } ts && MayMatch(ts.Type))
                {
                    _timestampLevels[c] = Math.Max(_timestampLevels[c], TsvValueText.TimestampLevel(ts));
                }

                if (column is DictionaryArray dictionary)
                {
                    MatchDictionary(c, dictionary, matched, ref remaining);
                }
                else
                {
                    Match(column, _timestampLevels[c], matched, ref remaining);
                }
            }

            if (remaining == 0)
            {
                return batch;
            }

            if (remaining == length)
            {
                return null;
            }

            var rows = new int[length - remaining];
            for (int i = 0, k = 0; i < length; i++)
            {
                if (matched[i])
                {
                    rows[k++] = i;
                }
            }

            return RowGather.Take(batch, rows);
        }

        private static bool IsWellFormed(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>False when no value of <paramref name="type"/> can have a text containing the searched text.</summary>
        private bool MayMatch(ArrowType type)
        {
            if (type.IsInteger)
            {
                return OnlyOf(IntegerChars);
            }

            return type switch
            {
                { Id: ArrowTypeId.Null } => false,
                { Id: ArrowTypeId.Boolean } => "True".Contains(_text, StringComparison.Ordinal) || "False".Contains(_text, StringComparison.Ordinal),
                { Id: ArrowTypeId.HalfFloat or ArrowTypeId.Float or ArrowTypeId.Double } => OnlyOf(FloatChars),
                { Id: ArrowTypeId.Date32 or ArrowTypeId.Date64 } => OnlyOf(IntegerChars),
                TimestampType t => OnlyOf(t.TimeZone is null ? TimestampChars : ZonedTimestampChars),
                _ => true,
            };
        }

        private bool OnlyOf(string chars) => !_text.AsSpan().ContainsAnyExcept(chars);

        /// <summary>Marks (in <paramref name="matched"/>) the rows of <paramref name="array"/> not yet marked whose text contains the text.</summary>
        private void Match(IArrowArray array, int timestampLevel, Span<bool> matched, ref int remaining)
        {
            if (!MayMatch(array.Type) || array.NullCount == array.Length)
            {
                return;
            }

            switch (array)
            {
                case StringArray s:
                    if (_utf8 is not null)
                    {
                        MatchUtf8(s, matched, ref remaining);
                    }

                    return;
                case BooleanArray b:
                    bool whenTrue = "True".Contains(_text, StringComparison.Ordinal), whenFalse = "False".Contains(_text, StringComparison.Ordinal);
                    for (int i = 0; i < matched.Length; i++)
                    {
                        if (!matched[i] && b.IsValid(i) && (b.GetBit(i) ? whenTrue : whenFalse))
                        {
                            matched[i] = true;
                            remaining--;
                        }
                    }

                    return;
                case DictionaryArray d:
                    MatchDictionary(-1, d, matched, ref remaining);
                    return;
                case PrimitiveArray<sbyte> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<short> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<int> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<long> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<byte> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<ushort> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<uint> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
                case PrimitiveArray<ulong> a when a.Type.IsInteger:
                    MatchIntegers(a, matched, ref remaining);
                    return;
            }

            for (int i = 0; i < matched.Length; i++)
            {
                if (!matched[i] && array.IsValid(i))
                {
                    _cell.Clear();
                    TsvValueText.AppendValue(_cell, array, i, timestampLevel, quote: false);
                    if (CellContainsText())
                    {
                        matched[i] = true;
                        remaining--;
                    }
                }
            }
        }

        private void MatchUtf8(StringArray array, Span<bool> matched, ref int remaining)
        {
            ReadOnlySpan<byte> needle = _utf8;
            for (int i = 0; i < matched.Length; i++)
            {
                if (!matched[i] && array.IsValid(i) && array.GetBytes(i).IndexOf(needle) >= 0)
                {
                    matched[i] = true;
                    remaining--;
                }
            }
        }

        private void MatchIntegers<T>(PrimitiveArray<T> array, Span<bool> matched, ref int remaining)
            where T : unmanaged, IBinaryInteger<T>
        {
            Span<char> digits = stackalloc char[24];
            var values = array.Values;
            var text = _text.AsSpan();
            for (int i = 0; i < matched.Length; i++)
            {
                if (!matched[i] && array.IsValid(i) && values[i].TryFormat(digits, out int written, default, CultureInfo.InvariantCulture)
                    && digits[..written].IndexOf(text, StringComparison.Ordinal) >= 0)
                {
                    matched[i] = true;
                    remaining--;
                }
            }
        }

        /// <summary>Matches each dictionary value once (cached per column while the dictionary stays the same), then the rows by index.</summary>
        private void MatchDictionary(int column, DictionaryArray array, Span<bool> matched, ref int remaining)
        {
            var dictionary = array.Data.Dictionary!;
            bool[]? entries = column >= 0 && ReferenceEquals(_dictionaries[column], dictionary) ? _dictionaryMatches[column] : null;
            if (entries is null)
            {
                entries = new bool[dictionary.Length];
                int left = entries.Length;
                Match(array.Dictionary, 0, entries, ref left);
                if (column >= 0)
                {
                    _dictionaries[column] = dictionary;
                    _dictionaryMatches[column] = entries;
                }
            }

            if (Array.IndexOf(entries, true) < 0)
            {
                return;
            }

            switch (array.Indices)
            {
                case PrimitiveArray<sbyte> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<short> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<int> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<long> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<byte> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<ushort> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<uint> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
                case PrimitiveArray<ulong> a:
                    MatchIndices(a, entries, matched, ref remaining);
                    break;
            }
        }

        private static void MatchIndices<T>(PrimitiveArray<T> indices, bool[] entries, Span<bool> matched, ref int remaining)
            where T : unmanaged, IBinaryInteger<T>
        {
            var values = indices.Values;
            for (int i = 0; i < matched.Length; i++)
            {
                if (!matched[i] && indices.IsValid(i) && entries[int.CreateChecked(values[i])])
                {
                    matched[i] = true;
                    remaining--;
                }
            }
        }

        private bool CellContainsText()
        {
            if (_cell.Length < _text.Length)
            {
                return false;
            }

            var chunks = _cell.GetChunks();
            if (chunks.MoveNext())
            {
                var first = chunks.Current;
                if (!chunks.MoveNext())
                {
                    return first.Span.IndexOf(_text.AsSpan(), StringComparison.Ordinal) >= 0;
                }
            }

            return _cell.ToString().Contains(_text, StringComparison.Ordinal);
        }
    }
}

/// <summary>Copies chosen rows of batches into compact arrays (offset 0). Pure functions; thread safe.</summary>
internal static class RowGather
{
    /// <summary>Rows <paramref name="rows"/> (ascending) of <paramref name="batch"/>, in that order, under the batch's schema.</summary>
    public static RecordBatch Take(RecordBatch batch, int[] rows)
    {
        var columns = new IArrowArray[batch.ColumnCount];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = ArrowArrayFactory.Create(Take(batch.Column(c).Data, rows));
        }

        return new RecordBatch(batch.Schema, columns, rows.Length);
    }

    private static ArrayData Take(ArrayData data, int[] rows)
    {
        var type = data.Type;
        int count = rows.Length;
        switch (type.Id)
        {
            case ArrowTypeId.Null:
                return new ArrayData(type, count, count, 0, []);
            case ArrowTypeId.Boolean:
            {
                var validity = TakeValidity(data, rows, out int nulls);
                var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(count));
                var source = data.Buffers[1].Span;
                for (int k = 0; k < count; k++)
                {
                    if (BitUtil.GetBit(source, data.Offset + rows[k]))
                    {
                        BitUtil.SetBit(bits.Span, k);
                    }
                }

                return new ArrayData(type, count, nulls, 0, [validity, new ArrowBuffer(bits)]);
            }

            case ArrowTypeId.String or ArrowTypeId.Binary:
                return TakeBinary<int>(data, rows);
            case ArrowTypeId.LargeString or ArrowTypeId.LargeBinary:
                return TakeBinary<long>(data, rows);
            case ArrowTypeId.Dictionary:
            {
                var validity = TakeValidity(data, rows, out int nulls);
                var indices = TakeFixed(data.Buffers[1].Span, data.Offset, ((DictionaryType)type).IndexType.BitWidth / 8, rows);
                return new ArrayData(type, count, nulls, 0, [validity, indices], null, data.Dictionary);
            }

            default:
                if (type.IsFixedWidth && type.BitWidth % 8 == 0)
                {
                    var validity = TakeValidity(data, rows, out int nulls);
                    return new ArrayData(type, count, nulls, 0, [validity, TakeFixed(data.Buffers[1].Span, data.Offset, type.BitWidth / 8, rows)]);
                }

                return TakeByRuns(data, rows);
        }
    }

    /// <summary>Nested types: zero-copy slices of the runs of consecutive rows, concatenated.</summary>
    private static ArrayData TakeByRuns(ArrayData data, int[] rows)
    {
        if (rows.Length == 0)
        {
            return data.Slice(0, 0);
        }

        var pieces = new List<ArrayData>();
        for (int k = 0; k < rows.Length;)
        {
            int start = k;
            while (k + 1 < rows.Length && rows[k + 1] == rows[k] + 1)
            {
                k++;
            }

            k++;
            pieces.Add(data.Slice(rows[start], k - start));
        }

        return ArrayConcatenator.Concatenate(pieces);
    }

    private static ArrowBuffer TakeValidity(ArrayData data, int[] rows, out int nulls)
    {
        nulls = 0;
        if (data.NullCount == 0)
        {
            return ArrowBuffer.Empty;
        }

        var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(rows.Length));
        var source = data.Validity.Span;
        for (int k = 0; k < rows.Length; k++)
        {
            if (BitUtil.GetBit(source, data.Offset + rows[k]))
            {
                BitUtil.SetBit(bits.Span, k);
            }
            else
            {
                nulls++;
            }
        }

        return nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bits);
    }

    private static ArrowBuffer TakeFixed(ReadOnlySpan<byte> values, int offset, int width, int[] rows)
    {
        var memory = BufferAllocator.Allocate((long)rows.Length * width);
        switch (width)
        {
            case 1:
                Gather(values, offset, rows, memory.Span);
                break;
            case 2:
                Gather(MemoryMarshal.Cast<byte, ushort>(values), offset, rows, MemoryMarshal.Cast<byte, ushort>(memory.Span));
                break;
            case 4:
                Gather(MemoryMarshal.Cast<byte, uint>(values), offset, rows, MemoryMarshal.Cast<byte, uint>(memory.Span));
                break;
            case 8:
                Gather(MemoryMarshal.Cast<byte, ulong>(values), offset, rows, MemoryMarshal.Cast<byte, ulong>(memory.Span));
                break;
            case 16:
                Gather(MemoryMarshal.Cast<byte, UInt128>(values), offset, rows, MemoryMarshal.Cast<byte, UInt128>(memory.Span));
                break;
            default:
                for (int k = 0; k < rows.Length; k++)
                {
                    values.Slice((offset + rows[k]) * width, width).CopyTo(memory.Span[(k * width)..]);
                }

                break;
        }

        return new ArrowBuffer(memory);
    }

    private static void Gather<T>(ReadOnlySpan<T> values, int offset, int[] rows, Span<T> output)
        where T : unmanaged
    {
        for (int k = 0; k < rows.Length; k++)
        {
            output[k] = values[offset + rows[k]];
        }
    }

    private static ArrayData TakeBinary<TOffset>(ArrayData data, int[] rows)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        var validity = TakeValidity(data, rows, out int nulls);
        var offsets = MemoryMarshal.Cast<byte, TOffset>(data.Buffers[1].Span)[data.Offset..];
        var bytes = data.Buffers[2].Span;
        long total = 0;
        foreach (int row in rows)
        {
            total += long.CreateTruncating(offsets[row + 1] - offsets[row]);
        }

        var offsetMemory = BufferAllocator.Allocate((rows.Length + 1L) * Unsafe.SizeOf<TOffset>());
        var dataMemory = BufferAllocator.Allocate(total);
        var newOffsets = MemoryMarshal.Cast<byte, TOffset>(offsetMemory.Span);
        var newBytes = dataMemory.Span;
        int position = 0;
        newOffsets[0] = TOffset.Zero;
        for (int k = 0; k < rows.Length; k++)
        {
            int start = int.CreateTruncating(offsets[rows[k]]);
            int length = int.CreateTruncating(offsets[rows[k] + 1]) - start;
            bytes.Slice(start, length).CopyTo(newBytes[position..]);
            position += length;
            newOffsets[k + 1] = TOffset.CreateTruncating(position);
        }

        return new ArrayData(data.Type, rows.Length, nulls, 0, [validity, new ArrowBuffer(offsetMemory), new ArrowBuffer(dataMemory)]);
    }
}
