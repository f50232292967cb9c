using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Larder.Memory;

namespace Larder.Columnar;

/// <summary>
/// Builds one array. Append values (typed methods on the concrete builders are fast; <see cref="AppendValue"/> converts
/// boxed values and is for generic code), then <see cref="Build"/>, which hands over the buffers and leaves the builder
/// empty and reusable. Not thread safe.
/// </summary>
public interface IArrayBuilder
{
    ArrowType Type { get; }

    /// <summary>Rows appended since the last build.</summary>
    int Length { get; }

    void AppendNull();

    void AppendNulls(int count);

    /// <summary>Appends a boxed value (null appends a null), converting it to <see cref="Type"/> as <see cref="IArrowArray.GetValue"/> would return it.</summary>
    /// <exception cref="InvalidCastException">The value cannot be stored in this type.</exception>
    void AppendValue(object? value);

    IArrowArray Build();
}

/// <summary>Common base: validity tracking.</summary>
public abstract class ArrayBuilder : IArrayBuilder
{
    private protected ArrayBuilder(ArrowType type) => Type = type;

    public ArrowType Type { get; }

    public int Length => Validity.Length;

    private protected ValidityBuilder Validity { get; } = new();

    public abstract void AppendNull();

    public virtual void AppendNulls(int count)
    {
        for (int i = 0; i < count; i++)
        {
            AppendNull();
        }
    }

    /// <inheritdoc/>
    public void AppendValue(object? value)
    {
        if (value is null)
        {
            AppendNull();
        }
        else
        {
            AppendObject(value);
        }
    }

    public abstract IArrowArray Build();

    /// <summary>Appends a non-null boxed value, converting it to <see cref="Type"/>.</summary>
    private protected abstract void AppendObject(object value);

    private protected InvalidCastException CannotStore(object value) => LarderErrors.ValueConversion(value, Type);

    /// <summary>The items of a list-like value (any enumerable but a string).</summary>
    private protected IEnumerable ItemsOf(object value) => value is string || value is not IEnumerable items ? throw CannotStore(value) : items;
}

/// <summary>Builds an array of nulls.</summary>
public sealed class NullArrayBuilder : ArrayBuilder
{
    public NullArrayBuilder()
        : base(ArrowType.Null)
    {
    }

    public override void AppendNull() => Validity.AppendValid();

    private protected override void AppendObject(object value) => throw CannotStore(value);

    public override IArrowArray Build()
    {
        int length = Length;
        Validity.Build(out _);
        return new NullArray(length);
    }
}

/// <summary>Builds a boolean array.</summary>
public sealed class BooleanArrayBuilder : ArrayBuilder
{
    private readonly BufferBuilder _values = new();
    private int _bitLength;

    public BooleanArrayBuilder()
        : base(ArrowType.Boolean)
    {
    }

    public void Append(bool value)
    {
        AppendBit(value);
        Validity.AppendValid();
    }

    public void Append(bool? value)
    {
        if (value is bool b)
        {
            Append(b);
        }
        else
        {
            AppendNull();
        }
    }

    public override void AppendNull()
    {
        AppendBit(false);
        Validity.AppendNull();
    }

    private protected override void AppendObject(object value)
    {
        switch (value)
        {
            case bool b:
                Append(b);
                break;
            default:
                throw CannotStore(value);
        }
    }

    public override IArrowArray Build()
    {
        int length = Length;
        var validity = Validity.Build(out int nulls);
        var values = _values.Build();
        _bitLength = 0;
        return new BooleanArray(new ArrayData(Type, length, nulls, 0, [validity, values]));
    }

    private void AppendBit(bool value)
    {
        if ((_bitLength & 7) == 0)
        {
            _values.Append((byte)0);
        }

        if (value)
        {
            _values.Written[_bitLength >> 3] |= (byte)(1 << (_bitLength & 7));
        }

        _bitLength++;
    }
}

/// <summary>
/// Builds fixed-width arrays whose values are <typeparamref name="T"/>: integers, floats, and the temporal, decimal128
/// and interval types (give the exact <see cref="ArrowType"/>; <typeparamref name="T"/> must match its storage).
/// </summary>
public sealed class PrimitiveArrayBuilder<T> : ArrayBuilder
    where T : unmanaged
{
    private readonly BufferBuilder _values;

    public PrimitiveArrayBuilder(ArrowType type, int capacity = 0)
        : base(type)
    {
        if (type.BitWidth != Unsafe.SizeOf<T>() * 8 || type.Id == ArrowTypeId.Boolean)
        {
            throw new ArgumentException($"{type} values are not stored as {typeof(T).Name}", nameof(type));
        }

        _values = new BufferBuilder(capacity * Unsafe.SizeOf<T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(T value)
    {
        _values.Append(value);
        Validity.AppendValid();
    }

    public void Append(T? value)
    {
        if (value is T v)
        {
            Append(v);
        }
        else
        {
            AppendNull();
        }
    }

    /// <summary>Appends many valid values at once.</summary>
    public void AppendRange(ReadOnlySpan<T> values)
    {
        _values.AppendRange(values);
        Validity.AppendValid(values.Length);
    }

    public override void AppendNull()
    {
        _values.Append(default(T));
        Validity.AppendNull();
    }

    public override void AppendNulls(int count)
    {
        _values.AppendZeros(count * Unsafe.SizeOf<T>());
        Validity.AppendNulls(count);
    }

    private protected override void AppendObject(object value)
    {
        if (value is T t)
        {
            Append(t);
            return;
        }

        Append(ValueConverter.ToStorage<T>(value, Type) ?? throw CannotStore(value));
    }

    public override IArrowArray Build()
    {
        int length = Length;
        var validity = Validity.Build(out int nulls);
        return ArrowArrayFactory.Create(new ArrayData(Type, length, nulls, 0, [validity, _values.Build()]));
    }
}

/// <summary>Builds utf8, large_utf8, binary and large_binary arrays.</summary>
public sealed class BinaryArrayBuilder : ArrayBuilder
{
    private readonly BufferBuilder _offsets = new();
    private readonly BufferBuilder _data = new();
    private readonly bool _large;

    public BinaryArrayBuilder(ArrowType type, int capacity = 0)
        : base(type)
    {
        if (!type.IsVariableBinary)
        {
            throw new ArgumentException($"{type} is not a string or binary type", nameof(type));
        }

        _large = type.Id is ArrowTypeId.LargeBinary or ArrowTypeId.LargeString;
        _offsets.EnsureCapacity((capacity + 1) * (_large ? 8 : 4));
        AppendOffset(0);
    }

    /// <summary>Bytes of value data appended since the last build.</summary>
    public int DataLength => _data.Length;

    public void Append(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_data.Extend(value.Length));
        AppendOffset(_data.Length);
        Validity.AppendValid();
    }

    /// <summary>Appends <paramref name="value"/> encoded as UTF-8 (null appends a null).</summary>
    public void Append(string? value)
    {
        if (value is null)
        {
            AppendNull();
            return;
        }

        Append(value.AsSpan());
    }

    public void Append(ReadOnlySpan<char> value)
    {
        var span = _data.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        int written = Encoding.UTF8.GetBytes(value, span);
        _data.Advance(written);
        AppendOffset(_data.Length);
        Validity.AppendValid();
    }

    public override void AppendNull()
    {
        AppendOffset(_data.Length);
        Validity.AppendNull();
    }

    private protected override void AppendObject(object value)
    {
        switch (value)
        {
            case string s:
                Append(s);
                break;
            case byte[] b:
                Append(b);
                break;
            case ReadOnlyMemory<byte> m:
                Append(m.Span);
                break;
            case char c:
                Append(c.ToString());
                break;
            default:
                if (Type.IsString)
                {
                    Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    throw CannotStore(value);
                }

                break;
        }
    }

    public override IArrowArray Build()
    {
        int length = Length;
        var validity = Validity.Build(out int nulls);
        var offsets = _offsets.Build();
        var data = _data.Build();
        AppendOffset(0);
        return ArrowArrayFactory.Create(new ArrayData(Type, length, nulls, 0, [validity, offsets, data]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendOffset(long offset)
    {
        if (_large)
        {
            _offsets.Append(offset);
        }
        else
        {
            if (offset > int.MaxValue)
            {
                throw new InvalidOperationException($"a {Type} array holds at most 2 GiB of data; use large_{Type} or build smaller batches");
            }

            _offsets.Append((int)offset);
        }
    }
}

/// <summary>Builds fixed_size_binary and decimal256 arrays.</summary>
public sealed class FixedSizeBinaryArrayBuilder : ArrayBuilder
{
    private readonly BufferBuilder _values = new();
    private readonly int _width;

    public FixedSizeBinaryArrayBuilder(ArrowType type)
        : base(type)
    {
        if (type.Id is not (ArrowTypeId.FixedSizeBinary or ArrowTypeId.Decimal256))
        {
            throw new ArgumentException($"{type} is not fixed_size_binary or decimal256", nameof(type));
        }

        _width = type.BitWidth / 8;
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        if (value.Length != _width)
        {
            throw new ArgumentException($"{Type} values are {_width} bytes, not {value.Length}", nameof(value));
        }

        value.CopyTo(_values.Extend(_width));
        Validity.AppendValid();
    }

    public override void AppendNull()
    {
        _values.AppendZeros(_width);
        Validity.AppendNull();
    }

    private protected override void AppendObject(object value)
    {
        switch (value)
        {
            case byte[] b:
                Append(b);
                return;
        }

        if (Type is DecimalType d)
        {
            BigInteger unscaled;
            switch (value)
            {
                case BigInteger bi:
                    unscaled = bi;
                    break;
                case decimal m:
                    unscaled = (BigInteger)DecimalMath.FromDecimal(m, d.Scale);
                    break;
                case string s when DecimalMath.TryParse(s, d.Scale, out var parsed):
                    unscaled = parsed;
                    break;
                default:
                    throw CannotStore(value);
            }

            Span<byte> bytes = stackalloc byte[32];
            bytes.Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
            if (!unscaled.TryWriteBytes(bytes, out _, isUnsigned: false, isBigEndian: false))
            {
                throw CannotStore(value);
            }

            Append(bytes);
            return;
        }

        throw CannotStore(value);
    }

    public override IArrowArray Build()
    {
        int length = Length;
        var validity = Validity.Build(out int nulls);
        return ArrowArrayFactory.Create(new ArrayData(Type, length, nulls, 0, [validity, _values.Build()]));
    }
}

/// <summary>
/// Builds list, large_list and map arrays. Start each row with <see cref="Append"/>, then append its items to
/// <see cref="ValueBuilder"/> (for a map: <see cref="StructArrayBuilder"/> of key and value).
/// </summary>
public sealed class ListArrayBuilder : ArrayBuilder
{
    private readonly BufferBuilder _offsets = new();
    private readonly bool _large;

    public ListArrayBuilder(ArrowType type)
        : base(type)
    {
        var child = type switch
        {
            ListType l => l.ValueType,
            MapType m => m.EntriesField.Type,
            _ => throw new ArgumentException($"{type} is not a list or map type", nameof(type)),
        };
        _large = type.Id == ArrowTypeId.LargeList;
        ValueBuilder = ArrayBuilderFactory.Create(child);
    }

    public IArrayBuilder ValueBuilder { get; }

    /// <summary>Starts a non-null row; its items are what is appended to <see cref="ValueBuilder"/> until the next row starts.</summary>
    public void Append()
    {
        AppendOffset(ValueBuilder.Length);
        Validity.AppendValid();
    }

    public override void AppendNull()
    {
        AppendOffset(ValueBuilder.Length);
        Validity.AppendNull();
    }

    /// <summary>
    /// Appends a row from an <see cref="IEnumerable"/> of items (for a map: of <see cref="KeyValuePair{TKey, TValue}"/>,
    /// <see cref="DictionaryEntry"/> or two-element arrays).
    /// </summary>
    private protected override void AppendObject(object value)
    {
        var items = ItemsOf(value);
        Append();
        if (Type is MapType)
        {
            var entries = (StructArrayBuilder)ValueBuilder;
            foreach (var item in items)
            {
                var (k, v) = ValueConverter.AsPair(item) ?? throw CannotStore(item ?? "null");
                entries.Append();
                entries.FieldBuilders[0].AppendValue(k);
                entries.FieldBuilders[1].AppendValue(v);
            }
        }
        else
        {
            foreach (var item in items)
            {
                ValueBuilder.AppendValue(item);
            }
        }
    }

    public override IArrowArray Build()
    {
        int length = Length;
        AppendOffset(ValueBuilder.Length);
        var validity = Validity.Build(out int nulls);
        var offsets = _offsets.Build();
        var child = ValueBuilder.Build();
        return ArrowArrayFactory.Create(new ArrayData(Type, length, nulls, 0, [validity, offsets], [child.Data]));
    }

    private void AppendOffset(long offset)
    {
        if (_large)
        {
            _offsets.Append(offset);
        }
        else
        {
            _offsets.Append(checked((int)offset));
        }
    }
}

/// <summary>Builds fixed_size_list arrays: after <see cref="Append"/>, append exactly ListSize items to <see cref="ValueBuilder"/>.</summary>
public sealed class FixedSizeListArrayBuilder : ArrayBuilder
{
    private readonly int _size;

    public FixedSizeListArrayBuilder(FixedSizeListType type)
        : base(type)
    {
        _size = type.ListSize;
        ValueBuilder = ArrayBuilderFactory.Create(type.ValueType);
    }

    public IArrayBuilder ValueBuilder { get; }

    public void Append() => Validity.AppendValid();

    public override void AppendNull()
    {
        ValueBuilder.AppendNulls(_size);
        Validity.AppendNull();
    }

    private protected override void AppendObject(object value)
    {
        int count = 0;
        foreach (var item in ItemsOf(value))
        {
            ValueBuilder.AppendValue(item);
            count++;
        }

        if (count != _size)
        {
            throw new InvalidCastException($"a {Type} value has {_size} items, not {count}");
        }

        Append();
    }

    public override IArrowArray Build()
    {
        int length = Length;
        var validity = Validity.Build(out int nulls);
        var child = ValueBuilder.Build();
        return ArrowArrayFactory.Create(new ArrayData(Type, length, nulls, 0, [validity], [child.Data]));
    }
}

/// <summary>Builds struct arrays: after <see cref="Append"/>, append one value to each of <see cref="FieldBuilders"/>.</summary>
public sealed class StructArrayBuilder : ArrayBuilder
{
    private readonly IArrayBuilder[] _fields;

    public StructArrayBuilder(StructType type)
        : base(type)
    {
        _fields = [.. type.Fields.Select(f => ArrayBuilderFactory.Create(f.Type))];
    }

    public IReadOnlyList<IArrayBuilder> FieldBuilders => _fields;

    public void Append() => Validity.AppendValid();

    /// <summary>Appends a null row (and a null to every child, to keep them aligned).</summary>
    public override void AppendNull()
    {
        foreach (var f in _fields)
        {
            f.AppendNull();
        }

        Validity.AppendNull();
    }

    /// <summary>Appends a row from a dictionary keyed by field name (missing fields become null) or an object's public properties.</summary>
    private protected override void AppendObject(object value)
    {
        var fields = ((StructType)Type).Fields;
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> d:
                for (int i = 0; i < fields.Count; i++)
                {
                    _fields[i].AppendValue(d.TryGetValue(fields[i].Name, out var v) ? v : null);
                }

                break;
            case IDictionary d:
                for (int i = 0; i < fields.Count; i++)
                {
                    _fields[i].AppendValue(d.Contains(fields[i].Name) ? d[fields[i].Name] : null);
                }

                break;
            default:
                var t = value.GetType();
                for (int i = 0; i < fields.Count; i++)
                {
                    var p = t.GetProperty(fields[i].Name);
                    _fields[i].AppendValue(p?.GetValue(value));
                }

                break;
        }

        Append();
    }

    public override IArrowArray Build()
    {
        int length = Length;
        var validity = Validity.Build(out int nulls);
        var children = _fields.Select(f => f.Build().Data).ToArray();
        return new StructArray(new ArrayData(Type, length, nulls, 0, [validity], children));
    }
}

/// <summary>
/// Builds dictionary arrays from plain values: each distinct value is stored once in the dictionary (first-seen order),
/// rows hold indices.
/// </summary>
public sealed class DictionaryArrayBuilder : ArrayBuilder
{
    private readonly Dictionary<object, int> _memo = new(ValueEqualityComparer.Instance);
    private readonly IArrayBuilder _indices;
    private IArrayBuilder _dictionary;

    public DictionaryArrayBuilder(DictionaryType type)
        : base(type)
    {
        _indices = ArrayBuilderFactory.Create(type.IndexType);
        _dictionary = ArrayBuilderFactory.Create(type.ValueType);
    }

    /// <summary>Distinct values seen since the last build.</summary>
    public int DictionaryLength => _memo.Count;

    public override void AppendNull()
    {
        _indices.AppendNull();
        Validity.AppendNull();
    }

    private protected override void AppendObject(object value)
    {
        var key = value is ReadOnlyMemory<byte> m ? m.ToArray() : value;
        if (!_memo.TryGetValue(key, out int index))
        {
            index = _memo.Count;
            _dictionary.AppendValue(key);
            _memo.Add(key, index);
        }

        _indices.AppendValue(index);
        Validity.AppendValid();
    }

    public override IArrowArray Build()
    {
        int length = Length;
        Validity.Build(out _);
        var indices = _indices.Build().Data;
        var dictionary = _dictionary.Build().Data;
        _memo.Clear();
        _dictionary = ArrayBuilderFactory.Create(((DictionaryType)Type).ValueType);
        return new DictionaryArray(new ArrayData(Type, length, indices.NullCount, 0, [.. indices.Buffers], null, dictionary));
    }
}

/// <summary>Creates the builder for a type.</summary>
public static class ArrayBuilderFactory
{
    public static IArrayBuilder Create(ArrowType type, int capacity = 0) => type.Id switch
    {
        ArrowTypeId.Null => new NullArrayBuilder(),
        ArrowTypeId.Boolean => new BooleanArrayBuilder(),
        ArrowTypeId.Int8 => new PrimitiveArrayBuilder<sbyte>(type, capacity),
        ArrowTypeId.Int16 => new PrimitiveArrayBuilder<short>(type, capacity),
        ArrowTypeId.Int32 or ArrowTypeId.Date32 or ArrowTypeId.Time32 => new PrimitiveArrayBuilder<int>(type, capacity),
        ArrowTypeId.Int64 or ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration => new PrimitiveArrayBuilder<long>(type, capacity),
        ArrowTypeId.UInt8 => new PrimitiveArrayBuilder<byte>(type, capacity),
        ArrowTypeId.UInt16 => new PrimitiveArrayBuilder<ushort>(type, capacity),
        ArrowTypeId.UInt32 => new PrimitiveArrayBuilder<uint>(type, capacity),
        ArrowTypeId.UInt64 => new PrimitiveArrayBuilder<ulong>(type, capacity),
        ArrowTypeId.HalfFloat => new PrimitiveArrayBuilder<Half>(type, capacity),
        ArrowTypeId.Float => new PrimitiveArrayBuilder<float>(type, capacity),
        ArrowTypeId.Double => new PrimitiveArrayBuilder<double>(type, capacity),
        ArrowTypeId.Decimal128 => new PrimitiveArrayBuilder<Int128>(type, capacity),
        ArrowTypeId.Interval => ((IntervalType)type).Unit switch
        {
            IntervalUnit.YearMonth => new PrimitiveArrayBuilder<int>(type, capacity),
            IntervalUnit.DayTime => new PrimitiveArrayBuilder<IntervalDayTime>(type, capacity),
            _ => new PrimitiveArrayBuilder<IntervalMonthDayNano>(type, capacity),
        },
        ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary => new BinaryArrayBuilder(type, capacity),
        ArrowTypeId.FixedSizeBinary or ArrowTypeId.Decimal256 => new FixedSizeBinaryArrayBuilder(type),
        ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.Map => new ListArrayBuilder(type),
        ArrowTypeId.FixedSizeList => new FixedSizeListArrayBuilder((FixedSizeListType)type),
        ArrowTypeId.Struct => new StructArrayBuilder((StructType)type),
        ArrowTypeId.Dictionary => new DictionaryArrayBuilder((DictionaryType)type),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Id, "unknown type"),
    };
}

/// <summary>Equality for dictionary memo keys: byte arrays by content, everything else by Equals.</summary>
internal sealed class ValueEqualityComparer : IEqualityComparer<object>
{
    public static readonly ValueEqualityComparer Instance = new();

    public new bool Equals(object? x, object? y)
        => x is byte[] a && y is byte[] b ? a.AsSpan().SequenceEqual(b) : object.Equals(x, y);

    public int GetHashCode(object obj)
    {
        if (obj is byte[] bytes)
        {
            var h = new HashCode();
            h.AddBytes(bytes);
            return h.ToHashCode();
        }

        return obj.GetHashCode();
    }
}
