using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Larder.Memory;

namespace Larder.Columnar.RecordMapping;

/// <summary>Appends the values of one column (or nested child) and builds its array. Not thread safe; reusable after <see cref="Build"/>.</summary>
internal abstract class ColumnWriter
{
    /// <summary>Rows appended since the last build.</summary>
    public abstract int Length { get; }

    /// <summary>Appends a null row (also used to keep the children of a null struct row aligned).</summary>
    public abstract void AppendNull();

    /// <summary>The array of the rows appended so far; the writer is then empty.</summary>
    public abstract ArrayData Build();
}

/// <summary>A writer of .NET values of <typeparamref name="T"/>.</summary>
internal abstract class ColumnWriter<T> : ColumnWriter
{
    /// <summary>Appends one value; a null value of a non-nullable mapping throws <see cref="LarderUsageException"/>.</summary>
    public abstract void Append(T value);
}

/// <summary>Converts a .NET value to its Arrow storage value (a struct, so the JIT specialises and inlines the call).</summary>
internal interface IStorageConverter<TValue, TStorage>
{
    static abstract TStorage Convert(TValue value);
}

/// <summary>As <see cref="Temporal.FromDateTime"/> at microseconds (Local converted to UTC, others as wall time; floored), without the detour through DateTimeOffset.</summary>
internal readonly struct DateTimeToMicros : IStorageConverter<DateTime, long>
{
    public static long Convert(DateTime value)
    {
        long ticks = (value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks) - LeafMappings.EpochTicks;
        return ticks >= 0 ? ticks / 10 : Temporal.FloorDiv(ticks, 10);
    }
}

internal readonly struct DateTimeOffsetToMicros : IStorageConverter<DateTimeOffset, long>
{
    public static long Convert(DateTimeOffset value) => Temporal.FromDateTimeOffset(value, TimeUnit.Microsecond);
}

internal readonly struct DateOnlyToDays : IStorageConverter<DateOnly, int>
{
    public static int Convert(DateOnly value) => Temporal.ToDate32(value);
}

internal readonly struct TimeOnlyToMicros : IStorageConverter<TimeOnly, long>
{
    public static long Convert(TimeOnly value) => value.Ticks / 10;
}

internal readonly struct TimeSpanToMicros : IStorageConverter<TimeSpan, long>
{
    public static long Convert(TimeSpan value) => value.Ticks / 10;
}

/// <summary>
/// Builds utf8/binary arrays with int32 offsets (validity only when a null is appended).
/// </summary>
internal sealed class VariableBinaryBuilder
{
    private readonly ArrowType _type;
    private readonly BufferBuilder _offsets;
    private readonly BufferBuilder _data = new();
    private readonly ValidityBuilder _validity = new();

    public VariableBinaryBuilder(ArrowType type, int capacity)
    {
        _type = type;
        _offsets = new BufferBuilder((capacity + 1) * sizeof(int));
        _offsets.Append<int>(0);
    }

    public int Length => _validity.Length;

    public void Append(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_data.Extend(value.Length));
        _offsets.Append<int>(_data.Length);
        _validity.AppendValid();
    }

    public void Append(ReadOnlySpan<char> value)
    {
        int written = Encoding.UTF8.GetBytes(value, _data.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length)));
        _data.Advance(written);
        _offsets.Append<int>(_data.Length);
        _validity.AppendValid();
    }

    public void AppendNull()
    {
        _offsets.Append<int>(_data.Length);
        _validity.AppendNull();
    }

    /// <summary>The array of the values appended so far; the builder is then empty.</summary>
    public ArrayData Build()
    {
        int length = Length;
        var validity = _validity.Build(out int nulls);
        var offsets = _offsets.Build();
        var data = _data.Build();
        _offsets.Append<int>(0);
        return new ArrayData(_type, length, nulls, 0, [validity, offsets, data]);
    }
}

/// <summary>Numbers stored as themselves.</summary>
internal sealed class PrimitiveWriter<T>(ArrowType type, int capacity) : ColumnWriter<T>
    where T : unmanaged
{
    private readonly PrimitiveArrayBuilder<T> _builder = new(type, capacity);

    public override int Length => _builder.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Append(T value) => _builder.Append(value);

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build().Data;
}

/// <summary>Values stored as a converted fixed-width value (dates, times, timestamps, durations).</summary>
internal sealed class ConvertingWriter<T, TStorage, TConverter>(ArrowType type, int capacity) : ColumnWriter<T>
    where TStorage : unmanaged
    where TConverter : struct, IStorageConverter<T, TStorage>
{
    private readonly PrimitiveArrayBuilder<TStorage> _builder = new(type, capacity);

    public override int Length => _builder.Length;

    public override void Append(T value) => _builder.Append(TConverter.Convert(value));

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build().Data;
}

internal sealed class BooleanWriter : ColumnWriter<bool>
{
    private readonly BooleanArrayBuilder _builder = new();

    public override int Length => _builder.Length;

    public override void Append(bool value) => _builder.Append(value);

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build().Data;
}

/// <summary>decimal as decimal128(p, s): exact; values needing more digits throw.</summary>
internal sealed class DecimalWriter : ColumnWriter<decimal>
{
    private readonly PrimitiveArrayBuilder<Int128> _builder;
    private readonly DecimalType _type;
    private readonly Int128 _limit;
    private readonly string _path;

    public DecimalWriter(DecimalType type, int capacity, string path)
    {
        _builder = new PrimitiveArrayBuilder<Int128>(type, capacity);
        _type = type;
        _path = path;
        Int128 limit = 1;
        for (int i = 0; i < type.Precision; i++)
        {
            limit *= 10;
        }

        _limit = limit;
    }

    public override int Length => _builder.Length;

    public override void Append(decimal value)
    {
        Int128 unscaled;
        try
        {
            unscaled = DecimalMath.FromDecimal(value, _type.Scale);
        }
        catch (OverflowException)
        {
            throw LarderErrors.RecordDecimalOutOfRange(_path, value, _type);
        }

        if (unscaled >= _limit || unscaled <= -_limit)
        {
            throw LarderErrors.RecordDecimalOutOfRange(_path, value, _type);
        }

        _builder.Append(unscaled);
    }

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build().Data;
}

internal sealed class Utf8Writer(bool nullable, string path, int capacity) : ColumnWriter<string?>
{
    private readonly VariableBinaryBuilder _builder = new(ArrowType.String, capacity);

    public override int Length => _builder.Length;

    public override void Append(string? value)
    {
        if (value is null)
        {
            if (!nullable)
            {
                throw LarderErrors.RecordNullValue(path, typeof(string));
            }

            _builder.AppendNull();
            return;
        }

        _builder.Append(value.AsSpan());
    }

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build();
}

internal sealed class ByteArrayWriter(bool nullable, string path, int capacity) : ColumnWriter<byte[]?>
{
    private readonly VariableBinaryBuilder _builder = new(ArrowType.Binary, capacity);

    public override int Length => _builder.Length;

    public override void Append(byte[]? value)
    {
        if (value is null)
        {
            if (!nullable)
            {
                throw LarderErrors.RecordNullValue(path, typeof(byte[]));
            }

            _builder.AppendNull();
            return;
        }

        _builder.Append((ReadOnlySpan<byte>)value);
    }

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build();
}

internal sealed class MemoryWriter(int capacity) : ColumnWriter<ReadOnlyMemory<byte>>
{
    private readonly VariableBinaryBuilder _builder = new(ArrowType.Binary, capacity);

    public override int Length => _builder.Length;

    public override void Append(ReadOnlyMemory<byte> value) => _builder.Append(value.Span);

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build();
}

/// <summary>Guid as fixed_size_binary(16) in RFC 4122 (big-endian) byte order, as other Arrow libraries store UUIDs.</summary>
internal sealed class GuidWriter : ColumnWriter<Guid>
{
    private readonly FixedSizeBinaryArrayBuilder _builder = new(new FixedSizeBinaryType(16));

    public override int Length => _builder.Length;

    public override void Append(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        _builder.Append(bytes);
    }

    public override void AppendNull() => _builder.AppendNull();

    public override ArrayData Build() => _builder.Build().Data;
}

/// <summary>Enums as dictionary&lt;int32, utf8&gt; of their names (<see cref="Enum.ToString()"/>), first-seen order per batch.</summary>
internal sealed class EnumWriter<TEnum>(ArrowType type, int capacity) : ColumnWriter<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, int> _memo = [];
    private readonly PrimitiveArrayBuilder<int> _indices = new(ArrowType.Int32, capacity);
    private readonly VariableBinaryBuilder _names = new(ArrowType.String, 0);

    public override int Length => _indices.Length;

    public override void Append(TEnum value)
    {
        if (!_memo.TryGetValue(value, out int index))
        {
            index = _memo.Count;
            _memo.Add(value, index);
            _names.Append(value.ToString());
        }

        _indices.Append(index);
    }

    public override void AppendNull() => _indices.AppendNull();

    public override ArrayData Build()
    {
        var indices = _indices.Build().Data;
        var dictionary = _names.Build();
        _memo.Clear();
        return new ArrayData(type, indices.Length, indices.NullCount, 0, [.. indices.Buffers], null, dictionary);
    }
}

internal sealed class NullableWriter<T>(ColumnWriter<T> inner) : ColumnWriter<T?>
    where T : struct
{
    public override int Length => inner.Length;

    public override void Append(T? value)
    {
        if (value.HasValue)
        {
            inner.Append(value.GetValueOrDefault());
        }
        else
        {
            inner.AppendNull();
        }
    }

    public override void AppendNull() => inner.AppendNull();

    public override ArrayData Build() => inner.Build();
}

/// <summary>Collections as list&lt;item&gt; with int32 offsets.</summary>
internal sealed class ListWriter<TCollection, TItem> : ColumnWriter<TCollection>
    where TCollection : class, IEnumerable<TItem>
{
    private readonly ListType _type;
    private readonly ColumnWriter<TItem> _items;
    private readonly bool _nullable;
    private readonly string _path;
    private readonly BufferBuilder _offsets = new();
    private readonly ValidityBuilder _validity = new();

    public ListWriter(ListType type, ColumnWriter<TItem> items, bool nullable, string path)
    {
        _type = type;
        _items = items;
        _nullable = nullable;
        _path = path;
        _offsets.Append<int>(0);
    }

    public override int Length => _validity.Length;

    public override void Append(TCollection value)
    {
        if (value is null)
        {
            if (!_nullable)
            {
                throw LarderErrors.RecordNullValue(_path, typeof(TCollection));
            }

            AppendNull();
            return;
        }

        switch (value)
        {
            case TItem[] array:
                foreach (var item in array)
                {
                    _items.Append(item);
                }

                break;
            case List<TItem> list:
                foreach (var item in CollectionsMarshal.AsSpan(list))
                {
                    _items.Append(item);
                }

                break;
            case IReadOnlyList<TItem> readOnlyList:
                for (int i = 0; i < readOnlyList.Count; i++)
                {
                    _items.Append(readOnlyList[i]);
                }

                break;
            default:
                foreach (var item in value)
                {
                    _items.Append(item);
                }

                break;
        }

        _validity.AppendValid();
        _offsets.Append<int>(_items.Length);
    }

    public override void AppendNull()
    {
        _validity.AppendNull();
        _offsets.Append<int>(_items.Length);
    }

    public override ArrayData Build()
    {
        int length = Length;
        var validity = _validity.Build(out int nulls);
        var offsets = _offsets.Build();
        _offsets.Append<int>(0);
        var items = _items.Build();
        return new ArrayData(_type, length, nulls, 0, [validity, offsets], [items]);
    }
}

/// <summary>Dictionaries as map&lt;key, value&gt; (entries in the dictionary's enumeration order).</summary>
internal sealed class MapWriter<TDictionary, TKey, TValue> : ColumnWriter<TDictionary>
    where TDictionary : class, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly MapType _type;
    private readonly ColumnWriter<TKey> _keys;
    private readonly ColumnWriter<TValue> _values;
    private readonly bool _nullable;
    private readonly string _path;
    private readonly BufferBuilder _offsets = new();
    private readonly ValidityBuilder _validity = new();

    public MapWriter(MapType type, ColumnWriter<TKey> keys, ColumnWriter<TValue> values, bool nullable, string path)
    {
        _type = type;
        _keys = keys;
        _values = values;
        _nullable = nullable;
        _path = path;
        _offsets.Append<int>(0);
    }

    public override int Length => _validity.Length;

    public override void Append(TDictionary value)
    {
        if (value is null)
        {
            if (!_nullable)
            {
                throw LarderErrors.RecordNullValue(_path, typeof(TDictionary));
            }

            AppendNull();
            return;
        }

        if (value is Dictionary<TKey, TValue> dictionary)
        {
            foreach (var pair in dictionary)
            {
                _keys.Append(pair.Key);
                _values.Append(pair.Value);
            }
        }
        else
        {
            foreach (var pair in value)
            {
                _keys.Append(pair.Key);
                _values.Append(pair.Value);
            }
        }

        _validity.AppendValid();
        _offsets.Append<int>(_keys.Length);
    }

    public override void AppendNull()
    {
        _validity.AppendNull();
        _offsets.Append<int>(_keys.Length);
    }

    public override ArrayData Build()
    {
        int length = Length;
        var validity = _validity.Build(out int nulls);
        var offsets = _offsets.Build();
        _offsets.Append<int>(0);
        var keys = _keys.Build();
        var values = _values.Build();
        var entries = new ArrayData(_type.EntriesField.Type, keys.Length, 0, 0, [ArrowBuffer.Empty], [keys, values]);
        return new ArrayData(_type, length, nulls, 0, [validity, offsets], [entries]);
    }
}

/// <summary>A class, record or struct as a struct of its members (children of a null row get nulls).</summary>
internal sealed class StructWriter<T> : ColumnWriter<T>
{
    private readonly StructType _type;
    private readonly ColumnWriter[] _members;
    private readonly Action<T, ColumnWriter[]> _write;
    private readonly bool _nullable;
    private readonly string _path;
    private readonly ValidityBuilder _validity = new();

    public StructWriter(RecordTypePlan plan, int capacity, bool nullable, string path)
    {
        _type = plan.StructType;
        _members = plan.CreateWriters(capacity);
        _write = plan.GetWriter<T>();
        _nullable = nullable;
        _path = path;
    }

    public override int Length => _validity.Length;

    public override void Append(T value)
    {
        if (value is null)
        {
            if (!_nullable)
            {
                throw LarderErrors.RecordNullValue(_path, typeof(T));
            }

            AppendNull();
            return;
        }

        _write(value, _members);
        _validity.AppendValid();
    }

    public override void AppendNull()
    {
        foreach (var member in _members)
        {
            member.AppendNull();
        }

        _validity.AppendNull();
    }

    public override ArrayData Build()
    {
        int length = Length;
        var validity = _validity.Build(out int nulls);
        var children = new ArrayData[_members.Length];
        for (int i = 0; i < children.Length; i++)
        {
            children[i] = _members[i].Build();
        }

        return new ArrayData(_type, length, nulls, 0, [validity], children);
    }
}

/// <summary>
/// Appends records as rows and builds record batches. Not thread safe; reusable after <see cref="Build"/> (each batch
/// gets fresh writers sized to the capacity hint, so buffers do not regrow from empty batch after batch).
/// </summary>
internal sealed class RecordBatchWriter<T>
{
    private readonly RecordTypePlan _plan;
    private readonly Action<T, ColumnWriter[]> _write;
    private readonly int _capacity;
    private ColumnWriter[]? _writers;
    private long _index;

    public RecordBatchWriter(RecordTypePlan plan, int capacity)
    {
        _plan = plan;
        _capacity = capacity;
        _write = plan.GetWriter<T>();
    }

    /// <summary>Rows appended since the last build.</summary>
    public int Count { get; private set; }

    public void Append(T record)
    {
        if (record is null)
        {
            throw LarderErrors.RecordNullRecord(typeof(T), _index);
        }

        _write(record, _writers ??= _plan.CreateWriters(_capacity));
        Count++;
        _index++;
    }

    public RecordBatch Build()
    {
        var writers = _writers ?? _plan.CreateWriters(0);
        var columns = new IArrowArray[writers.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = ArrowArrayFactory.Create(writers[i].Build());
        }

        var batch = new RecordBatch(_plan.Schema, columns, Count);
        _writers = null;
        Count = 0;
        return batch;
    }
}
