using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Vault.Tables;

/// <summary>Settings of <see cref="TableOptimizer"/>. Immutable; <see cref="Default"/> is data_vault's behaviour.</summary>
public sealed record TableOptimizerOptions
{
    /// <summary>The defaults.</summary>
    public static TableOptimizerOptions Default { get; } = new();

    /// <summary>
    /// A string column is dictionary-encoded only when its distinct non-null values divided by its rows (nulls
    /// included) is strictly below this ratio, in [0, 1]. Default 0.2, as data_vault.
    /// </summary>
    public double MaxDistinctRatio { get; init; } = 0.2;

    /// <summary>
    /// The most distinct values tracked per string column, at least 0. A column with more is left as it is and its
    /// values are no longer tracked, which bounds the optimiser's memory. Default 1,048,576.
    /// </summary>
    public int MaxDistinctValues { get; init; } = 1 << 20;

    /// <summary>
    /// The most bytes of distinct values (UTF-8) tracked per string column, from 0 to
    /// <see cref="BufferAllocator.MaxLength"/>. A column with more is left as it is. Default 64 MiB.
    /// </summary>
    public long MaxDictionaryBytes { get; init; } = 64L << 20;

    /// <summary>Narrow integer columns without nulls whose values are in [-125, 125) to int8. Default true.</summary>
    public bool DowncastIntegers { get; init; } = true;

    /// <summary>Dictionary-encode string columns with few distinct values when that is smaller. Default true.</summary>
    public bool EncodeStrings { get; init; } = true;
}

/// <summary>
/// Chooses smaller column types for a table, as data_vault's <c>optimize_memory</c> does for a pandas frame, in two
/// streaming passes: <see cref="Observe"/> every batch of the table, then <see cref="CreatePlan"/>, then apply the plan
/// to each batch (a second read of the same data, or the same batches held in memory).
/// </summary>
/// <remarks>
/// <para>What changes:</para>
/// <list type="bullet">
/// <item>utf8 and large_utf8 columns whose distinct non-null values are fewer than
/// <see cref="TableOptimizerOptions.MaxDistinctRatio"/> × rows become ordered dictionaries (pandas' ordered Categorical)
/// with utf8 values sorted by their UTF-8 bytes (Unicode code point order, the order of Python's <c>sorted</c> on
/// <c>str</c>) and the smallest signed index type that addresses them all: int8 up to 128 values, int16 up to 32,768,
/// int32 beyond. A null stays a null index. This is done only when the encoded column takes fewer bytes.</item>
/// <item>Integer columns wider than 8 bits with no null in the whole table and every value in [-125, 125) become int8.</item>
/// <item>Every other column (dictionaries, floats, temporal and nested types, ...) passes through unchanged.</item>
/// </list>
/// <para>Field names, nullability and metadata, and the schema's metadata, are kept.</para>
/// <para>Bytes are the exact Arrow bytes of the data summed over the observed batches: per batch a validity bitmap
/// (only when that batch's column has a null), offsets and the referenced value bytes, and for dictionaries the
/// indices per batch plus the dictionary's bytes once per dictionary (an input dictionary column counts a dictionary
/// again only when a batch brings a different dictionary instance). Empty batches count nothing.</para>
/// <para>Memory: one hash set of the distinct values per string column, bounded by
/// <see cref="TableOptimizerOptions.MaxDistinctValues"/> and <see cref="TableOptimizerOptions.MaxDictionaryBytes"/>.
/// Not thread safe.</para>
/// </remarks>
public sealed class TableOptimizer
{
    private readonly TableOptimizerOptions _options;
    private readonly ColumnState[] _columns;
    private long _rows;
    private TableOptimizationPlan? _plan;

    /// <param name="schema">The schema of every batch to be observed.</param>
    /// <param name="options">Settings; null for <see cref="TableOptimizerOptions.Default"/>.</param>
    /// <exception cref="LarderUsageException">An option is out of range.</exception>
    public TableOptimizer(Schema schema, TableOptimizerOptions? options = null)
    {
        Schema = schema ?? throw new ArgumentNullException(nameof(schema));
        _options = options ?? TableOptimizerOptions.Default;
        Validate(_options);
        _columns = new ColumnState[schema.Count];
        for (int c = 0; c < _columns.Length; c++)
        {
            var type = schema[c].Type;
            _columns[c] = new ColumnState
            {
                Kind = type.IsString && _options.EncodeStrings ? ColumnKind.String
                    : type.IsInteger && type.BitWidth > 8 && _options.DowncastIntegers ? ColumnKind.Integer
                    : ColumnKind.PassThrough,
            };
            if (_columns[c].Kind == ColumnKind.String)
            {
                _columns[c].Values = new Utf8ValueSet();
            }
        }
    }

    /// <summary>The schema of the observed table.</summary>
    public Schema Schema { get; }

    /// <summary>Rows observed so far.</summary>
    public long RowCount => _rows;

    /// <summary>Takes the statistics of one batch of the table (pass 1).</summary>
    /// <exception cref="LarderUsageException">The batch's column types differ from <see cref="Schema"/>, or the plan was already created.</exception>
    public void Observe(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_plan is not null)
        {
            throw LarderErrors.OptimizerAlreadyPlanned();
        }

        CheckColumns(Schema, batch);
        _rows += batch.Length;
        if (batch.Length == 0)
        {
            return;
        }

        for (int c = 0; c < _columns.Length; c++)
        {
            var state = _columns[c];
            var data = batch.Column(c).Data;
            switch (state.Kind)
            {
                case ColumnKind.String:
                    if (data.Type.Id == ArrowTypeId.LargeString)
                    {
                        ObserveStrings<long>(state, data);
                    }
                    else
                    {
                        ObserveStrings<int>(state, data);
                    }

                    break;
                case ColumnKind.Integer:
                    state.BytesBefore += ArrowByteSize.Measure(data);
                    if (!state.Disqualified)
                    {
                        state.Disqualified = data.NullCount > 0 || !FitsInt8(batch.Column(c));
                    }

                    break;
                default:
                    state.BytesBefore += ArrowByteSize.MeasureTopLevel(data, ref state.LastDictionary);
                    break;
            }
        }
    }

    /// <summary>
    /// Decides each column's output type from everything observed. The optimiser observes nothing after this; calling it
    /// again returns the same plan.
    /// </summary>
    public TableOptimizationPlan CreatePlan()
    {
        if (_plan is not null)
        {
            return _plan;
        }

        var columns = new PlannedColumn[_columns.Length];
        var fields = new Field[_columns.Length];
        long before = 0, after = 0;
        for (int c = 0; c < _columns.Length; c++)
        {
            var state = _columns[c];
            var field = Schema[c];
            before += state.BytesBefore;
            columns[c] = state.Kind switch
            {
                ColumnKind.String => PlanStrings(field, state),
                ColumnKind.Integer when !state.Disqualified && _rows > 0 => new PlannedColumn(field.Name, ArrowType.Int8, _rows),
                _ => new PlannedColumn(field.Name, null, state.BytesBefore),
            };
            after += columns[c].BytesAfter;
            fields[c] = columns[c].OutputType is { } type ? field.WithType(type) : field;
            state.Values = null;
            state.LastDictionary = null;
        }

        _plan = new TableOptimizationPlan(Schema, new Schema(fields, Schema.Metadata), columns, before, after);
        return _plan;
    }

    internal static void CheckColumns(Schema expected, RecordBatch batch)
    {
        var actual = batch.Schema;
        if (actual.Count != expected.Count)
        {
            throw LarderErrors.OptimizerBatchMismatch(expected, actual);
        }

        for (int c = 0; c < expected.Count; c++)
        {
            if (!actual[c].Type.Equals(expected[c].Type))
            {
                throw LarderErrors.OptimizerBatchMismatch(expected, actual);
            }
        }
    }

    private static void Validate(TableOptimizerOptions options)
    {
        if (!(options.MaxDistinctRatio is >= 0 and <= 1))
        {
            throw LarderErrors.OptimizerOptionInvalid(nameof(options.MaxDistinctRatio), options.MaxDistinctRatio.ToString(CultureInfo.InvariantCulture), "a number from 0 to 1");
        }

        if (options.MaxDistinctValues < 0)
        {
            throw LarderErrors.OptimizerOptionInvalid(nameof(options.MaxDistinctValues), options.MaxDistinctValues.ToString(CultureInfo.InvariantCulture), "0 or more");
        }

        if (options.MaxDictionaryBytes is < 0 or > BufferAllocator.MaxLength)
        {
            throw LarderErrors.OptimizerOptionInvalid(nameof(options.MaxDictionaryBytes), options.MaxDictionaryBytes.ToString(CultureInfo.InvariantCulture), $"from 0 to {BufferAllocator.MaxLength.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private void ObserveStrings<TOffset>(ColumnState state, ArrayData data)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        int length = data.Length;
        int nulls = data.NullCount;
        var offsets = MemoryMarshal.Cast<byte, TOffset>(data.Buffers[1].Span).Slice(data.Offset, length + 1);
        long validityBytes = nulls > 0 ? BitUtil.BytesForBits(length) : 0;
        state.BytesBefore += validityBytes + ((length + 1L) * Unsafe.SizeOf<TOffset>()) + long.CreateTruncating(offsets[length] - offsets[0]);
        state.ValidityBytes += validityBytes;
        var set = state.Values;
        if (set is null)
        {
            return;
        }

        var bytes = data.Buffers[2].Span;
        var validity = data.Validity.Span;
        int bit = data.Offset;
        int maxCount = _options.MaxDistinctValues;
        long maxBytes = _options.MaxDictionaryBytes;
        long start = long.CreateTruncating(offsets[0]);
        for (int i = 0; i < length; i++)
        {
            long end = long.CreateTruncating(offsets[i + 1]);
            if (nulls == 0 || BitUtil.GetBit(validity, bit + i))
            {
                if (set.GetOrAdd(bytes.Slice((int)start, (int)(end - start)), maxCount, maxBytes) < 0)
                {
                    state.Values = null;
                    return;
                }
            }

            start = end;
        }
    }

    private static bool FitsInt8(IArrowArray column) => column switch
    {
        PrimitiveArray<short> a => FitsInt8(a.Values),
        PrimitiveArray<int> a => FitsInt8(a.Values),
        PrimitiveArray<long> a => FitsInt8(a.Values),
        PrimitiveArray<ushort> a => FitsInt8(a.Values),
        PrimitiveArray<uint> a => FitsInt8(a.Values),
        PrimitiveArray<ulong> a => FitsInt8(a.Values),
        _ => false,
    };

    /// <summary>True when every value is in [-125, 125), data_vault's int8 range.</summary>
    private static bool FitsInt8<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumber<T>
    {
        if (values.IsEmpty)
        {
            return true;
        }

        T min = values[0], max = values[0];
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= 2 * Vector<T>.Count)
        {
            var vmin = new Vector<T>(values);
            var vmax = vmin;
            for (i = Vector<T>.Count; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(values[i..]);
                vmin = Vector.Min(vmin, v);
                vmax = Vector.Max(vmax, v);
            }

            for (int k = 0; k < Vector<T>.Count; k++)
            {
                min = T.Min(min, vmin[k]);
                max = T.Max(max, vmax[k]);
            }
        }

        for (; i < values.Length; i++)
        {
            min = T.Min(min, values[i]);
            max = T.Max(max, values[i]);
        }

        return long.CreateSaturating(min) >= TableOptimizationPlan.Int8Low && long.CreateSaturating(max) < TableOptimizationPlan.Int8High;
    }

    private PlannedColumn PlanStrings(Field field, ColumnState state)
    {
        var set = state.Values;
        if (set is null || _rows == 0 || !((double)set.Count / _rows < _options.MaxDistinctRatio))
        {
            return new PlannedColumn(field.Name, null, state.BytesBefore);
        }

        int distinct = set.Count;
        var indexType = distinct <= 128 ? ArrowType.Int8 : distinct <= 32_768 ? ArrowType.Int16 : ArrowType.Int32;
        long dictionaryBytes = ((distinct + 1L) * sizeof(int)) + set.ByteCount;
        long after = state.ValidityBytes + (_rows * (indexType.BitWidth / 8)) + dictionaryBytes;
        if (after >= state.BytesBefore)
        {
            return new PlannedColumn(field.Name, null, state.BytesBefore);
        }

        var order = new int[distinct];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => set[a].SequenceCompareTo(set[b]));
        var ranks = new int[distinct];
        var offsets = BufferAllocator.Allocate((distinct + 1L) * sizeof(int));
        var values = BufferAllocator.Allocate(set.ByteCount);
        var offsetSpan = MemoryMarshal.Cast<byte, int>(offsets.Span);
        int position = 0;
        offsetSpan[0] = 0;
        for (int rank = 0; rank < distinct; rank++)
        {
            var value = set[order[rank]];
            value.CopyTo(values.Span[position..]);
            position += value.Length;
            offsetSpan[rank + 1] = position;
            ranks[order[rank]] = rank;
        }

        var dictionary = new ArrayData(ArrowType.String, distinct, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(offsets), new ArrowBuffer(values)]);
        var type = new DictionaryType(indexType, ArrowType.String, ordered: true);
        return new PlannedColumn(field.Name, type, after) { Values = set, Ranks = ranks, Dictionary = dictionary };
    }

    private enum ColumnKind
    {
        PassThrough,
        String,
        Integer,
    }

    private sealed class ColumnState
    {
        public ColumnKind Kind;
        public long BytesBefore;
        public long ValidityBytes;
        public bool Disqualified;
        public Utf8ValueSet? Values;
        public ArrayData? LastDictionary;
    }
}

/// <summary>
/// What <see cref="TableOptimizer"/> decided for a table: the output schema and how to convert each batch. Immutable and
/// thread safe: <see cref="Apply"/> may be called concurrently.
/// </summary>
public sealed class TableOptimizationPlan
{
    internal const long Int8Low = -125, Int8High = 125;

    private readonly PlannedColumn[] _columns;

    internal TableOptimizationPlan(Schema inputSchema, Schema outputSchema, PlannedColumn[] columns, long bytesBefore, long bytesAfter)
    {
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        _columns = columns;
        BytesBefore = bytesBefore;
        BytesAfter = bytesAfter;
        ChangesAnything = columns.Any(c => c.OutputType is not null);
        ReductionMessage = ChangesAnything ? FormatMessage(bytesBefore, bytesAfter) : null;
    }

    /// <summary>The schema of the batches the plan accepts (the observed table's).</summary>
    public Schema InputSchema { get; }

    /// <summary>The schema of the batches <see cref="Apply"/> returns.</summary>
    public Schema OutputSchema { get; }

    /// <summary>True when at least one column changes type.</summary>
    public bool ChangesAnything { get; }

    /// <summary>Arrow bytes of the observed table as it is (see <see cref="TableOptimizer"/> for what counts).</summary>
    public long BytesBefore { get; }

    /// <summary>Arrow bytes of the observed table after the plan is applied.</summary>
    public long BytesAfter { get; }

    /// <summary>
    /// data_vault's line <c>Reduced memory usage by P%, from A MB to B MB.</c> (MB = 10^6 bytes, two decimals rounded
    /// half to even as Python's <c>format</c> does) when <see cref="ChangesAnything"/>; otherwise null.
    /// </summary>
    public string? ReductionMessage { get; }

    /// <summary>
    /// Converts one batch of the observed table to <see cref="OutputSchema"/>. Unchanged columns are the input arrays;
    /// every dictionary-encoded column references the plan's one dictionary array, in every batch.
    /// </summary>
    /// <exception cref="LarderUsageException">
    /// The batch's column types differ from <see cref="InputSchema"/>, or it holds a string, an integer or a null the
    /// optimiser did not observe (the batch is not of the observed table).
    /// </exception>
    public RecordBatch Apply(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        TableOptimizer.CheckColumns(InputSchema, batch);
        if (!ChangesAnything)
        {
            return batch.Schema.Equals(OutputSchema) ? batch : batch.WithSchema(OutputSchema);
        }

        var columns = new IArrowArray[_columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            var column = batch.Column(c);
            var planned = _columns[c];
            columns[c] = planned.OutputType switch
            {
                null => column,
                DictionaryType type => ArrowArrayFactory.Create(EncodeStrings(planned, type, column.Data)),
                _ => ArrowArrayFactory.Create(Narrow(planned.Name, column)),
            };
        }

        return new RecordBatch(OutputSchema, columns, batch.Length);
    }

    internal static string FormatMessage(long before, long after)
    {
        double a = before / 1e6, b = after / 1e6;
        double p = 100 * (a - b) / a;
        return $"Reduced memory usage by {Fixed2(p)}%, from {Fixed2(a)} MB to {Fixed2(b)} MB.";
    }

    /// <summary>Python's <c>format(value, '.2f')</c>: the exact binary value rounded half to even to two decimals.</summary>
    internal static string Fixed2(double value)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & ((1L << 52) - 1);
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        var hundredths = new BigInteger(mantissa) * 100;
        if (exponent >= 0)
        {
            hundredths <<= exponent;
        }
        else
        {
            var denominator = BigInteger.One << -exponent;
            hundredths = BigInteger.DivRem(hundredths, denominator, out var remainder);
            int half = (remainder * 2).CompareTo(denominator);
            if (half > 0 || (half == 0 && !hundredths.IsEven))
            {
                hundredths += 1;
            }
        }

        string digits = hundredths.ToString(CultureInfo.InvariantCulture).PadLeft(3, '0');
        return (negative ? "-" : string.Empty) + digits[..^2] + "." + digits[^2..];
    }

    private static ArrayData EncodeStrings(PlannedColumn planned, DictionaryType type, ArrayData data)
    {
        bool large = data.Type.Id == ArrowTypeId.LargeString;
        return type.IndexType.Id switch
        {
            ArrowTypeId.Int8 => large ? EncodeStrings<long, sbyte>(planned, type, data) : EncodeStrings<int, sbyte>(planned, type, data),
            ArrowTypeId.Int16 => large ? EncodeStrings<long, short>(planned, type, data) : EncodeStrings<int, short>(planned, type, data),
            _ => large ? EncodeStrings<long, int>(planned, type, data) : EncodeStrings<int, int>(planned, type, data),
        };
    }

    private static ArrayData EncodeStrings<TOffset, TIndex>(PlannedColumn planned, DictionaryType type, ArrayData data)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        int length = data.Length;
        int nulls = data.NullCount;
        var set = planned.Values!;
        var ranks = planned.Ranks!;
        var indexMemory = BufferAllocator.Allocate((long)length * Unsafe.SizeOf<TIndex>());
        var indices = MemoryMarshal.Cast<byte, TIndex>(indexMemory.Span);
        if (length > 0)
        {
            var offsets = MemoryMarshal.Cast<byte, TOffset>(data.Buffers[1].Span).Slice(data.Offset, length + 1);
            var bytes = data.Buffers[2].Span;
            var validity = data.Validity.Span;
            int bit = data.Offset;
            long start = long.CreateTruncating(offsets[0]);
            for (int i = 0; i < length; i++)
            {
                long end = long.CreateTruncating(offsets[i + 1]);
                if (nulls == 0 || BitUtil.GetBit(validity, bit + i))
                {
                    var value = bytes.Slice((int)start, (int)(end - start));
                    int entry = set.IndexOf(value);
                    if (entry < 0)
                    {
                        throw LarderErrors.OptimizerValueNotObserved(planned.Name, Encoding.UTF8.GetString(value));
                    }

                    indices[i] = TIndex.CreateTruncating(ranks[entry]);
                }
                else
                {
                    indices[i] = TIndex.Zero;
                }

                start = end;
            }
        }

        return new ArrayData(type, length, nulls, 0, [CopyValidity(data), new ArrowBuffer(indexMemory)], null, planned.Dictionary);
    }

    /// <summary>The validity bitmap of <paramref name="data"/> re-based to offset 0 (shared when the offset allows).</summary>
    private static ArrowBuffer CopyValidity(ArrayData data)
    {
        if (data.NullCount == 0)
        {
            return ArrowBuffer.Empty;
        }

        int bytes = BitUtil.BytesForBits(data.Length);
        var validity = data.Validity;
        if ((data.Offset & 7) == 0)
        {
            return validity.Slice(data.Offset >> 3, bytes);
        }

        var copy = BufferAllocator.AllocateZeroed(bytes);
        BitUtil.CopyBits(validity.Span, data.Offset, copy.Span, 0, data.Length);
        return new ArrowBuffer(copy);
    }

    private static ArrayData Narrow(string name, IArrowArray column)
    {
        if (column.NullCount > 0)
        {
            throw LarderErrors.OptimizerUnexpectedNull(name);
        }

        var memory = BufferAllocator.Allocate(column.Length);
        var output = MemoryMarshal.Cast<byte, sbyte>(memory.Span);
        switch (column)
        {
            case PrimitiveArray<short> a:
                Narrow(name, a.Values, output);
                break;
            case PrimitiveArray<int> a:
                Narrow(name, a.Values, output);
                break;
            case PrimitiveArray<long> a:
                Narrow(name, a.Values, output);
                break;
            case PrimitiveArray<ushort> a:
                Narrow(name, a.Values, output);
                break;
            case PrimitiveArray<uint> a:
                Narrow(name, a.Values, output);
                break;
            case PrimitiveArray<ulong> a:
                Narrow(name, a.Values, output);
                break;
        }

        return new ArrayData(ArrowType.Int8, column.Length, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(memory)]);
    }

    private static void Narrow<T>(string name, ReadOnlySpan<T> values, Span<sbyte> output)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            long value = long.CreateSaturating(values[i]);
            if (value is < Int8Low or >= Int8High)
            {
                throw LarderErrors.OptimizerIntegerOutOfRange(name, values[i].ToString(null, CultureInfo.InvariantCulture));
            }

            output[i] = (sbyte)value;
        }
    }
}

/// <summary>One column's decision in a plan: its new type (null: unchanged) and, for dictionaries, the lookup.</summary>
internal sealed record PlannedColumn(string Name, ArrowType? OutputType, long BytesAfter)
{
    public Utf8ValueSet? Values { get; init; }

    /// <summary>The dictionary index (sorted rank) of each entry of <see cref="Values"/>.</summary>
    public int[]? Ranks { get; init; }

    public ArrayData? Dictionary { get; init; }
}

/// <summary>
/// A set of distinct byte strings (open addressing, linear probing) whose entries keep their insertion number. The
/// bytes live back to back in one growing array. Not thread safe while adding; <see cref="IndexOf"/> alone is.
/// </summary>
internal sealed class Utf8ValueSet
{
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private byte[] _bytes = new byte[256];
    private long _byteCount;
    private Entry[] _entries = new Entry[16];
    private int[] _buckets = new int[32];
    private int _count;

    /// <summary>Number of distinct values.</summary>
    public int Count => _count;

    /// <summary>Bytes of all distinct values together.</summary>
    public long ByteCount => _byteCount;

    /// <summary>The bytes of entry <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var e = _entries[index];
            return new ReadOnlySpan<byte>(_bytes, e.Start, e.Length);
        }
    }

    /// <summary>The entry of <paramref name="value"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> value)
    {
        uint hash = Hash(value);
        int mask = _buckets.Length - 1;
        var buckets = _buckets;
        var entries = _entries;
        for (int b = (int)hash & mask; ; b = (b + 1) & mask)
        {
            int slot = buckets[b] - 1;
            if (slot < 0)
            {
                return -1;
            }

            ref readonly var e = ref entries[slot];
            if (e.Hash == hash && value.SequenceEqual(new ReadOnlySpan<byte>(_bytes, e.Start, e.Length)))
            {
                return slot;
            }
        }
    }

    /// <summary>
    /// The entry of <paramref name="value"/>, added when new; -1 (and nothing added) when adding it would make more than
    /// <paramref name="maxCount"/> values or <paramref name="maxBytes"/> bytes.
    /// </summary>
    public int GetOrAdd(ReadOnlySpan<byte> value, int maxCount, long maxBytes)
    {
        uint hash = Hash(value);
        int mask = _buckets.Length - 1;
        int b = (int)hash & mask;
        while (true)
        {
            int slot = _buckets[b] - 1;
            if (slot < 0)
            {
                break;
            }

            ref readonly var e = ref _entries[slot];
            if (e.Hash == hash && value.SequenceEqual(new ReadOnlySpan<byte>(_bytes, e.Start, e.Length)))
            {
                return slot;
            }

            b = (b + 1) & mask;
        }

        if (_count >= maxCount || _byteCount + value.Length > maxBytes)
        {
            return -1;
        }

        if (_byteCount + value.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, (int)Math.Min(Math.Max(_bytes.Length * 2L, _byteCount + value.Length), Array.MaxLength));
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        value.CopyTo(_bytes.AsSpan((int)_byteCount));
        _entries[_count] = new Entry((int)_byteCount, value.Length, hash);
        _byteCount += value.Length;
        _buckets[b] = ++_count;
        if (_count * 2 > _buckets.Length)
        {
            Rehash();
        }

        return _count - 1;
    }

    private void Rehash()
    {
        var buckets = new int[_buckets.Length * 2];
        int mask = buckets.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            int b = (int)_entries[i].Hash & mask;
            while (buckets[b] != 0)
            {
                b = (b + 1) & mask;
            }

            buckets[b] = i + 1;
        }

        _buckets = buckets;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> value)
    {
        ulong h = Seed ^ ((ulong)value.Length * 0x9E3779B97F4A7C15UL);
        ref byte p = ref MemoryMarshal.GetReference(value);
        int n = value.Length;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i))) * 0xBF58476D1CE4E5B9UL;
            h ^= h >> 29;
        }

        if (i < n)
        {
            ulong tail = 0;
            if (n >= 8)
            {
                // Re-read the last eight bytes (overlapping the previous word) instead of assembling the tail bytewise.
                tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, n - 8));
            }
            else
            {
                for (int k = 0; i + k < n; k++)
                {
                    tail |= (ulong)Unsafe.Add(ref p, i + k) << (8 * k);
                }
            }

            h = (h ^ tail) * 0x94D049BB133111EBUL;
            h ^= h >> 31;
        }

        h *= 0xFF51AFD7ED558CCDUL;
        return (uint)(h ^ (h >> 32));
    }

    private readonly record struct Entry(int Start, int Length, uint Hash);
}

/// <summary>Exact Arrow bytes of array data (see <see cref="TableOptimizer"/> for what counts).</summary>
internal static class ArrowByteSize
{
    /// <summary>
    /// Bytes of a top-level column of one batch; a dictionary column's dictionary counts only when it is not
    /// <paramref name="lastDictionary"/> (which is then updated).
    /// </summary>
    public static long MeasureTopLevel(ArrayData data, ref ArrayData? lastDictionary)
    {
        if (data.Length == 0)
        {
            return 0;
        }

        long bytes = MeasureOwn(data);
        if (data.Dictionary is { } dictionary && !ReferenceEquals(dictionary, lastDictionary))
        {
            bytes += Measure(dictionary);
            lastDictionary = dictionary;
        }

        return bytes;
    }

    /// <summary>Bytes of <paramref name="data"/>'s rows, children and (for dictionaries) dictionary.</summary>
    public static long Measure(ArrayData data)
    {
        if (data.Length == 0)
        {
            return 0;
        }

        long bytes = MeasureOwn(data);
        return data.Dictionary is { } dictionary ? bytes + Measure(dictionary) : bytes;
    }

    /// <summary>Bytes of <paramref name="data"/> without its dictionary.</summary>
    private static long MeasureOwn(ArrayData data)
    {
        int length = data.Length;
        int offset = data.Offset;
        var type = data.Type;
        if (type.Id == ArrowTypeId.Null)
        {
            return 0;
        }

        long bytes = data.NullCount > 0 ? BitUtil.BytesForBits(length) : 0;
        switch (type.Id)
        {
            case ArrowTypeId.Boolean:
                return bytes + BitUtil.BytesForBits(length);
            case ArrowTypeId.String or ArrowTypeId.Binary:
            {
                var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span);
                return bytes + ((length + 1L) * sizeof(int)) + (offsets[offset + length] - offsets[offset]);
            }

            case ArrowTypeId.LargeString or ArrowTypeId.LargeBinary:
            {
                var offsets = MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span);
                return bytes + ((length + 1L) * sizeof(long)) + (offsets[offset + length] - offsets[offset]);
            }

            case ArrowTypeId.List or ArrowTypeId.Map:
            {
                var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span);
                int start = offsets[offset];
                return bytes + ((length + 1L) * sizeof(int)) + Measure(data.Children[0].Slice(start, offsets[offset + length] - start));
            }

            case ArrowTypeId.LargeList:
            {
                var offsets = MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span);
                long start = offsets[offset];
                return bytes + ((length + 1L) * sizeof(long)) + Measure(data.Children[0].Slice((int)start, (int)(offsets[offset + length] - start)));
            }

            case ArrowTypeId.FixedSizeList:
            {
                int size = ((FixedSizeListType)type).ListSize;
                return bytes + Measure(data.Children[0].Slice(offset * size, length * size));
            }

            case ArrowTypeId.Struct:
                foreach (var child in data.Children)
                {
                    bytes += Measure(child.Slice(offset, length));
                }

                return bytes;
            case ArrowTypeId.Dictionary:
                return bytes + ((long)length * (((DictionaryType)type).IndexType.BitWidth / 8));
            default:
                return bytes + ((long)length * type.BitWidth / 8);
        }
    }
}
