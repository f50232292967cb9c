using System.Runtime.InteropServices;
using System.Text;
using Larder.Memory;

namespace Larder.Columnar.RecordMapping;

/// <summary>Reads the values of one array (row indexes relative to the array's view). Bound to one array; not thread safe.</summary>
internal abstract class ColumnReader
{
    private readonly ReadOnlyMemory<byte> _validity;
    private readonly int _validityOffset;

    protected ColumnReader(ArrayData data, string path)
    {
        Data = data;
        Path = path;
        HasNulls = data.NullCount > 0;
        if (HasNulls)
        {
            _validity = data.Validity.Memory;
            _validityOffset = data.Offset;
        }
    }

    public ArrayData Data { get; }

    public string Path { get; }

    protected bool HasNulls { get; }

    /// <summary>True when row <paramref name="index"/> is null (an all-null array may have no bitmap).</summary>
    public virtual bool IsNull(int index)
        => HasNulls && (_validity.IsEmpty || !BitUtil.GetBit(_validity.Span, _validityOffset + index));
}

/// <summary>A reader producing .NET values of <typeparamref name="T"/>.</summary>
internal abstract class ColumnReader<T>(ArrayData data, string path) : ColumnReader(data, path)
{
    /// <summary>The value of a row known not to be null.</summary>
    public abstract T ReadValid(int index);

    /// <summary>The value of a row: null for a null row when <typeparamref name="T"/> can hold it, otherwise <see cref="LarderUsageException"/>.</summary>
    public T Read(int index)
    {
        if (IsNull(index))
        {
            return default(T) is null ? default! : throw LarderErrors.RecordNullInNonNullable(Path, typeof(T), index);
        }

        return ReadValid(index);
    }
}

/// <summary>Bulk copies of storage values, so that per-row reads index a plain array.</summary>
internal static class ReaderStorage
{
    /// <summary>Values [Offset, Offset+Length) of buffer 1 as <typeparamref name="T"/>.</summary>
    public static T[] Values<T>(ArrayData data)
        where T : unmanaged
    {
        if (data.Length == 0)
        {
            return [];
        }

        var all = data.Buffers.Count > 1 ? MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span) : default;
        if ((long)data.Offset + data.Length > all.Length)
        {
            throw LarderErrors.InvalidArray(null, $"a {data.Type} array of {data.Length} rows at offset {data.Offset} has {all.Length} values");
        }

        return all.Slice(data.Offset, data.Length).ToArray();
    }

    /// <summary>Integer storage (of <paramref name="storage"/>, an integer type or a 32/64-bit temporal type) widened to long.</summary>
    public static long[] Integers(ArrayData data, ArrowType storage)
    {
        switch (storage.Id)
        {
            case ArrowTypeId.Int64 or ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration:
                return Values<long>(data);
            case ArrowTypeId.UInt64:
                return Array.ConvertAll(Values<ulong>(data), v => unchecked((long)v));
        }

        var result = new long[data.Length];
        switch (storage.Id)
        {
            case ArrowTypeId.Int32 or ArrowTypeId.Date32 or ArrowTypeId.Time32:
                Widen(Values<int>(data), result);
                break;
            case ArrowTypeId.Int16:
                Widen(Values<short>(data), result);
                break;
            case ArrowTypeId.Int8:
                Widen(Values<sbyte>(data), result);
                break;
            case ArrowTypeId.UInt32:
                Widen(Values<uint>(data), result);
                break;
            case ArrowTypeId.UInt16:
                Widen(Values<ushort>(data), result);
                break;
            case ArrowTypeId.UInt8:
                Widen(Values<byte>(data), result);
                break;
            default:
                throw new ArgumentException($"{storage} is not integer storage", nameof(storage));
        }

        return result;
    }

    private static void Widen<T>(T[] source, long[] destination)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = long.CreateTruncating(source[i]);
        }
    }
}

/// <summary>An all-null column (the null type): every row is null.</summary>
internal sealed class NullColumnReader<T>(ArrayData data, string path) : ColumnReader<T>(data, path)
{
    public override bool IsNull(int index) => true;

    public override T ReadValid(int index) => default!;
}

internal sealed class PrimitiveReader<T>(ArrayData data, string path) : ColumnReader<T>(data, path)
    where T : unmanaged
{
    private readonly T[] _values = ReaderStorage.Values<T>(data);

    public override T ReadValid(int index) => _values[index];
}

internal sealed class BooleanReader(ArrayData data, string path) : ColumnReader<bool>(data, path)
{
    private readonly ReadOnlyMemory<byte> _bits = data.Buffers[1].Memory;

    public override bool ReadValid(int index) => BitUtil.GetBit(_bits.Span, Data.Offset + index);
}

/// <summary>decimal128 of any precision and scale (≤ 28) read as <see cref="decimal"/>.</summary>
internal sealed class DecimalReader(ArrayData data, string path) : ColumnReader<decimal>(data, path)
{
    private readonly Int128[] _values = ReaderStorage.Values<Int128>(data);
    private readonly int _scale = ((DecimalType)data.Type).Scale;

    public override decimal ReadValid(int index)
        => DecimalMath.TryToDecimal(_values[index], _scale, out var value)
            ? value
            : throw LarderErrors.RecordValueOutOfRange(Path, typeof(decimal), $"the {Data.Type} value {DecimalMath.ToString((System.Numerics.BigInteger)_values[index], _scale)}");
}

/// <summary>Makes a .NET time value from ticks (100 ns); a struct so that the JIT specialises the call.</summary>
internal interface ITicksConverter<T>
{
    static abstract T FromTicks(long ticks);
}

internal readonly struct DateTimeUnspecifiedFromTicks : ITicksConverter<DateTime>
{
    public static DateTime FromTicks(long ticks) => new(ticks, DateTimeKind.Unspecified);
}

internal readonly struct DateTimeUtcFromTicks : ITicksConverter<DateTime>
{
    public static DateTime FromTicks(long ticks) => new(ticks, DateTimeKind.Utc);
}

internal readonly struct DateTimeOffsetFromTicks : ITicksConverter<DateTimeOffset>
{
    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}

internal readonly struct DateOnlyFromTicks : ITicksConverter<DateOnly>
{
    public static DateOnly FromTicks(long ticks) => DateOnly.FromDayNumber(checked((int)Temporal.FloorDiv(ticks, TimeSpan.TicksPerDay)));
}

internal readonly struct TimeOnlyFromTicks : ITicksConverter<TimeOnly>
{
    public static TimeOnly FromTicks(long ticks) => new(ticks);
}

internal readonly struct TimeSpanFromTicks : ITicksConverter<TimeSpan>
{
    public static TimeSpan FromTicks(long ticks) => new(ticks);
}

/// <summary>
/// Temporal storage (dates, times, timestamps, durations of any unit) read as a .NET time type:
/// ticks = <c>epochTicks</c> + value × multiplier (or ⌊value / divisor⌋ for nanoseconds).
/// </summary>
internal sealed class TemporalReader<T, TConverter> : ColumnReader<T>
    where TConverter : struct, ITicksConverter<T>
{
    private readonly long[] _values;
    private readonly long _epochTicks;
    private readonly long _multiplier;
    private readonly long _divisor;

    public TemporalReader(ArrayData data, string path, long epochTicks, TimeUnit unit)
        : this(data, path, epochTicks, unit switch
        {
            TimeUnit.Second => TimeSpan.TicksPerSecond,
            TimeUnit.Millisecond => TimeSpan.TicksPerMillisecond,
            TimeUnit.Microsecond => 10,
            _ => 1,
        }, unit == TimeUnit.Nanosecond ? 100 : 1)
    {
    }

    public TemporalReader(ArrayData data, string path, long epochTicks, long multiplier, long divisor)
        : base(data, path)
    {
        _values = ReaderStorage.Integers(data, data.Type);
        _epochTicks = epochTicks;
        _multiplier = multiplier;
        _divisor = divisor;
    }

    public override T ReadValid(int index)
    {
        long value = _values[index];
        try
        {
            long ticks = _divisor == 1 ? checked(_epochTicks + (value * _multiplier)) : _epochTicks + Temporal.FloorDiv(value, _divisor);
            return TConverter.FromTicks(ticks);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException or ArgumentException)
        {
            throw LarderErrors.RecordValueOutOfRange(Path, typeof(T), $"the {Data.Type} value {value}");
        }
    }
}

/// <summary>Shared access to utf8/binary (int32 or int64 offsets) and fixed_size_binary values.</summary>
internal abstract class BinaryReaderBase<T> : ColumnReader<T>
{
    private readonly ReadOnlyMemory<byte> _offsets;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly bool _large;
    private readonly int _width;

    protected BinaryReaderBase(ArrayData data, string path)
        : base(data, path)
    {
        if (data.Type is FixedSizeBinaryType fixedSize)
        {
            _width = fixedSize.ByteWidth;
            _data = data.Buffers[1].Memory;
        }
        else
        {
            _large = data.Type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary;
            _offsets = data.Buffers[1].Memory;
            _data = data.Buffers[2].Memory;
        }
    }

    protected ReadOnlyMemory<byte> GetMemory(int index)
    {
        int row = Data.Offset + index;
        if (_width > 0)
        {
            return _data.Slice(row * _width, _width);
        }

        if (_large)
        {
            var offsets = MemoryMarshal.Cast<byte, long>(_offsets.Span);
            long start = offsets[row];
            return _data.Slice(checked((int)start), checked((int)(offsets[row + 1] - start)));
        }
        else
        {
            var offsets = MemoryMarshal.Cast<byte, int>(_offsets.Span);
            int start = offsets[row];
            return _data.Slice(start, offsets[row + 1] - start);
        }
    }
}

internal sealed class Utf8Reader(ArrayData data, string path) : BinaryReaderBase<string?>(data, path)
{
    public override string? ReadValid(int index) => Encoding.UTF8.GetString(GetMemory(index).Span);
}

internal sealed class ByteArrayReader(ArrayData data, string path) : BinaryReaderBase<byte[]?>(data, path)
{
    public override byte[]? ReadValid(int index) => GetMemory(index).ToArray();
}

/// <summary>Zero-copy: the memory is a view of the batch's (immutable, garbage-collected) data buffer.</summary>
internal sealed class MemoryReader(ArrayData data, string path) : BinaryReaderBase<ReadOnlyMemory<byte>>(data, path)
{
    public override ReadOnlyMemory<byte> ReadValid(int index) => GetMemory(index);
}

internal sealed class GuidReader(ArrayData data, string path) : BinaryReaderBase<Guid>(data, path)
{
    public override Guid ReadValid(int index) => new(GetMemory(index).Span, bigEndian: true);
}

/// <summary>Enums from a dictionary of names: each dictionary entry is parsed once per array.</summary>
internal sealed class EnumDictionaryReader<TEnum> : ColumnReader<TEnum>
    where TEnum : struct, Enum
{
    private const byte Valid = 0;
    private const byte NullEntry = 1;
    private const byte Unknown = 2;

    private readonly long[] _indices;
    private readonly TEnum[] _values;
    private readonly byte[] _state;
    private readonly string?[] _names;

    public EnumDictionaryReader(ArrayData data, string path)
        : base(data, path)
    {
        _indices = ReaderStorage.Integers(data, ((DictionaryType)data.Type).IndexType);
        var names = (StringArray)ArrowArrayFactory.Create(data.Dictionary!);
        _values = new TEnum[names.Length];
        _state = new byte[names.Length];
        _names = new string?[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            string? name = names.GetString(i);
            _names[i] = name;
            _state[i] = name is null ? NullEntry : Enum.TryParse(name, ignoreCase: false, out _values[i]) ? Valid : Unknown;
        }
    }

    public override bool IsNull(int index) => base.IsNull(index) || _state[Entry(index)] == NullEntry;

    public override TEnum ReadValid(int index)
    {
        int entry = Entry(index);
        return _state[entry] == Valid
            ? _values[entry]
            : throw LarderErrors.RecordValueOutOfRange(Path, typeof(TEnum), $"'{_names[entry]}', which is not one of its names");
    }

    private int Entry(int index)
    {
        long entry = _indices[index];
        return (ulong)entry < (ulong)_values.Length
            ? (int)entry
            : throw LarderErrors.InvalidArray(null, $"dictionary index {entry} at row {index} is outside a dictionary of {_values.Length} values");
    }
}

/// <summary>Enums from utf8 names.</summary>
internal sealed class EnumStringReader<TEnum>(ArrayData data, string path) : BinaryReaderBase<TEnum>(data, path)
    where TEnum : struct, Enum
{
    public override TEnum ReadValid(int index)
    {
        string name = Encoding.UTF8.GetString(GetMemory(index).Span);
        return Enum.TryParse(name, ignoreCase: false, out TEnum value)
            ? value
            : throw LarderErrors.RecordValueOutOfRange(Path, typeof(TEnum), $"'{name}', which is not one of its names");
    }
}

/// <summary>Any dictionary-encoded column read as its value type: indices into a reader over the dictionary.</summary>
internal sealed class DictionaryDecodingReader<T> : ColumnReader<T>
{
    private readonly long[] _indices;
    private readonly ColumnReader<T> _values;
    private readonly int _dictionaryLength;

    public DictionaryDecodingReader(ArrayData data, ColumnReader<T> values, string path)
        : base(data, path)
    {
        _indices = ReaderStorage.Integers(data, ((DictionaryType)data.Type).IndexType);
        _values = values;
        _dictionaryLength = values.Data.Length;
    }

    public override bool IsNull(int index) => base.IsNull(index) || _values.IsNull(Entry(index));

    public override T ReadValid(int index) => _values.ReadValid(Entry(index));

    private int Entry(int index)
    {
        long entry = _indices[index];
        return (ulong)entry < (ulong)_dictionaryLength
            ? (int)entry
            : throw LarderErrors.InvalidArray(null, $"dictionary index {entry} at row {index} is outside a dictionary of {_dictionaryLength} values");
    }
}

internal sealed class NullableReader<T>(ArrayData data, ColumnReader<T> inner, string path) : ColumnReader<T?>(data, path)
    where T : struct
{
    public override bool IsNull(int index) => inner.IsNull(index);

    public override T? ReadValid(int index) => inner.ReadValid(index);
}

/// <summary>list, large_list and fixed_size_list read as an array or a <see cref="List{T}"/>.</summary>
internal sealed class ListReader<TCollection, TItem> : ColumnReader<TCollection>
    where TCollection : class, IEnumerable<TItem>
{
    private readonly ReadOnlyMemory<byte> _offsets;
    private readonly ColumnReader<TItem> _items;
    private readonly bool _toArray;
    private readonly bool _large;
    private readonly int _listSize;

    public ListReader(ArrayData data, ColumnReader<TItem> items, bool toArray, string path)
        : base(data, path)
    {
        _items = items;
        _toArray = toArray;
        if (data.Type is FixedSizeListType fixedSize)
        {
            _listSize = fixedSize.ListSize;
        }
        else
        {
            _listSize = -1;
            _large = data.Type.Id == ArrowTypeId.LargeList;
            _offsets = data.Buffers[1].Memory;
        }
    }

    public override TCollection ReadValid(int index)
    {
        int row = Data.Offset + index;
        int start;
        int count;
        if (_listSize >= 0)
        {
            start = row * _listSize;
            count = _listSize;
        }
        else if (_large)
        {
            var offsets = MemoryMarshal.Cast<byte, long>(_offsets.Span);
            start = checked((int)offsets[row]);
            count = checked((int)(offsets[row + 1] - offsets[row]));
        }
        else
        {
            var offsets = MemoryMarshal.Cast<byte, int>(_offsets.Span);
            start = offsets[row];
            count = offsets[row + 1] - start;
        }

        if (_toArray)
        {
            var array = new TItem[count];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = _items.Read(start + i);
            }

            return (TCollection)(object)array;
        }

        var list = new List<TItem>(count);
        for (int i = 0; i < count; i++)
        {
            list.Add(_items.Read(start + i));
        }

        return (TCollection)(object)list;
    }
}

/// <summary>map read as a <see cref="Dictionary{TKey, TValue}"/> (a repeated key keeps its last value).</summary>
internal sealed class MapReader<TDictionary, TKey, TValue>(ArrayData data, ColumnReader<TKey> keys, ColumnReader<TValue> values, string path)
    : ColumnReader<TDictionary>(data, path)
    where TDictionary : class, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly ReadOnlyMemory<byte> _offsets = data.Buffers[1].Memory;

    public override TDictionary ReadValid(int index)
    {
        var offsets = MemoryMarshal.Cast<byte, int>(_offsets.Span);
        int row = Data.Offset + index;
        int start = offsets[row];
        int end = offsets[row + 1];
        var dictionary = new Dictionary<TKey, TValue>(end - start);
        for (int i = start; i < end; i++)
        {
            var key = keys.Read(i) ?? throw LarderErrors.RecordNullInNonNullable(Path + "{key}", typeof(TKey), i);
            dictionary[key] = values.Read(i);
        }

        return (TDictionary)(object)dictionary;
    }
}

/// <summary>A struct read as an instance of <typeparamref name="T"/> through the type's compiled factory.</summary>
internal sealed class StructReader<T>(ArrayData data, ColumnReader[] members, Func<ColumnReader[], int, T> factory, string path)
    : ColumnReader<T>(data, path)
{
    public override T ReadValid(int index) => factory(members, index);
}
