using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Larder.Memory;

namespace Larder.Columnar;

/// <summary>
/// A column of values: a typed, immutable view over <see cref="ArrayData"/>. Index arguments are 0-based row numbers
/// relative to the view (offsets are applied for you). Thread safe.
/// </summary>
public interface IArrowArray
{
    ArrayData Data { get; }

    ArrowType Type { get; }

    int Length { get; }

    int NullCount { get; }

    bool IsNull(int index);

    bool IsValid(int index);

    /// <summary>
    /// The value at <paramref name="index"/> boxed as its natural .NET type (null for a null row): long, int, double,
    /// string, byte[], bool, <see cref="decimal"/> or <see cref="BigInteger"/> (decimals that do not fit), the raw
    /// integer for temporal types, IReadOnlyList&lt;object?&gt; for lists, IReadOnlyDictionary&lt;string, object?&gt;
    /// for structs, a list of key/value pairs for maps, the dictionary value for dictionary arrays. Slow path: use the
    /// typed accessors for bulk work.
    /// </summary>
    object? GetValue(int index);

    /// <summary>A zero-copy view of rows [offset, offset+length).</summary>
    IArrowArray Slice(int offset, int length);
}

/// <summary>Common base of all arrays.</summary>
public abstract class ArrowArray : IArrowArray
{
    private protected ArrowArray(ArrayData data) => Data = data ?? throw new ArgumentNullException(nameof(data));

    public ArrayData Data { get; }

    public ArrowType Type => Data.Type;

    public int Length => Data.Length;

    public int NullCount => Data.NullCount;

    protected int Offset => Data.Offset;

    public bool IsNull(int index) => Data.IsNull(index);

    public bool IsValid(int index) => !Data.IsNull(index);

    public abstract object? GetValue(int index);

    public IArrowArray Slice(int offset, int length) => ArrowArrayFactory.Create(Data.Slice(offset, length));

    /// <summary>Every value of <paramref name="items"/>, boxed (the value of a list row).</summary>
    private protected static object?[] BoxAll(IArrowArray items)
    {
        var result = new object?[items.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = items.GetValue(i);
        }

        return result;
    }

    public override string ToString() => $"{Type} [{Length} rows, {NullCount} null]";
}

/// <summary>An array of only nulls.</summary>
public sealed class NullArray : ArrowArray
{
    public NullArray(ArrayData data)
        : base(data)
    {
    }

    public NullArray(int length)
        : base(new ArrayData(ArrowType.Null, length, length, 0, []))
    {
    }

    public override object? GetValue(int index) => null;
}

/// <summary>Booleans, bit-packed.</summary>
public sealed class BooleanArray : ArrowArray
{
    public BooleanArray(ArrayData data)
        : base(data)
    {
    }

    /// <summary>The bit-packed values (bit <c>Offset + i</c> is row i).</summary>
    public ReadOnlySpan<byte> ValueBits => Data.Buffers[1].Span;

    /// <summary>The value bit of row <paramref name="index"/> (false for null rows by convention, not guaranteed).</summary>
    public bool GetBit(int index) => BitUtil.GetBit(ValueBits, Offset + index);

    public bool? this[int index] => IsNull(index) ? null : GetBit(index);

    public override object? GetValue(int index) => this[index];
}

/// <summary>
/// Fixed-width values of <typeparamref name="T"/>: the integers, floats (<see cref="Half"/> for float16), dates, times,
/// timestamps, durations (as their integer storage), decimal128 (<see cref="Int128"/> unscaled) and intervals.
/// </summary>
public class PrimitiveArray<T> : ArrowArray
    where T : unmanaged
{
    public PrimitiveArray(ArrayData data)
        : base(data)
    {
    }

    /// <summary>All values of the view, nulls included (their slots hold unspecified values).</summary>
    public ReadOnlySpan<T> Values => MemoryMarshal.Cast<byte, T>(Data.Buffers[1].Span).Slice(Offset, Length);

    public T? this[int index] => IsNull(index) ? null : Values[index];

    public override object? GetValue(int index) => IsNull(index) ? null : Values[index];
}

/// <summary>Timestamps: int64 counts of the type's unit since the Unix epoch.</summary>
public sealed class TimestampArray : PrimitiveArray<long>
{
    public TimestampArray(ArrayData data)
        : base(data)
    {
    }

    public new TimestampType Type => (TimestampType)Data.Type;

    /// <summary>The instant of row <paramref name="index"/> as UTC (sub-tick nanoseconds truncated), or null.</summary>
    public DateTimeOffset? GetDateTimeOffset(int index)
        => IsNull(index) ? null : Temporal.ToDateTimeOffset(Values[index], Type.Unit);
}

/// <summary>decimal128 values: unscaled <see cref="Int128"/>s.</summary>
public sealed class Decimal128Array : PrimitiveArray<Int128>
{
    public Decimal128Array(ArrayData data)
        : base(data)
    {
    }

    public new DecimalType Type => (DecimalType)Data.Type;

    /// <summary>The value as <see cref="decimal"/>, or null; throws <see cref="OverflowException"/> when it does not fit.</summary>
    public decimal? GetDecimal(int index) => IsNull(index) ? null : DecimalMath.ToDecimal(Values[index], Type.Scale);

    /// <summary>The exact decimal text (e.g. <c>-12.3400</c>), or null.</summary>
    public string? GetString(int index) => IsNull(index) ? null : DecimalMath.ToString((BigInteger)Values[index], Type.Scale);

    public override object? GetValue(int index)
    {
        if (IsNull(index))
        {
            return null;
        }

        return DecimalMath.TryToDecimal(Values[index], Type.Scale, out var d) ? d : (object)DecimalMath.ToString((BigInteger)Values[index], Type.Scale);
    }
}

/// <summary>Binary (and, through <see cref="StringArray"/>, utf8) values with int32 or int64 offsets.</summary>
public class BinaryArray : ArrowArray
{
    private readonly bool _large;

    public BinaryArray(ArrayData data)
        : base(data)
        => _large = data.Type.Id is ArrowTypeId.LargeBinary or ArrowTypeId.LargeString;

    /// <summary>The data buffer holding every value's bytes back to back.</summary>
    public ReadOnlySpan<byte> ValueBytes => Data.Buffers[2].Span;

    /// <summary>Start of row <paramref name="index"/> in <see cref="ValueBytes"/>.</summary>
    public long GetValueOffset(int index)
        => _large ? MemoryMarshal.Cast<byte, long>(Data.Buffers[1].Span)[Offset + index] : MemoryMarshal.Cast<byte, int>(Data.Buffers[1].Span)[Offset + index];

    public int GetValueLength(int index) => (int)(GetValueOffset(index + 1) - GetValueOffset(index));

    /// <summary>The bytes of row <paramref name="index"/> (empty for null rows).</summary>
    public ReadOnlySpan<byte> GetBytes(int index)
    {
        if (_large)
        {
            var offsets = MemoryMarshal.Cast<byte, long>(Data.Buffers[1].Span);
            long start = offsets[Offset + index];
            return ValueBytes.Slice((int)start, (int)(offsets[Offset + index + 1] - start));
        }
        else
        {
            var offsets = MemoryMarshal.Cast<byte, int>(Data.Buffers[1].Span);
            int start = offsets[Offset + index];
            return ValueBytes.Slice(start, offsets[Offset + index + 1] - start);
        }
    }

    public override object? GetValue(int index) => IsNull(index) ? null : GetBytes(index).ToArray();
}

/// <summary>UTF-8 strings (utf8 and large_utf8).</summary>
public sealed class StringArray : BinaryArray
{
    public StringArray(ArrayData data)
        : base(data)
    {
    }

    /// <summary>Row <paramref name="index"/> decoded, or null.</summary>
    public string? GetString(int index) => IsNull(index) ? null : Encoding.UTF8.GetString(GetBytes(index));

    public string? this[int index] => GetString(index);

    public override object? GetValue(int index) => GetString(index);
}

/// <summary>Binary values of one fixed width (also decimal256, whose 32-byte values it exposes as <see cref="BigInteger"/>).</summary>
public sealed class FixedSizeBinaryArray : ArrowArray
{
    public FixedSizeBinaryArray(ArrayData data)
        : base(data)
        => ByteWidth = data.Type.BitWidth / 8;

    public int ByteWidth { get; }

    public ReadOnlySpan<byte> GetBytes(int index) => Data.Buffers[1].Span.Slice((Offset + index) * ByteWidth, ByteWidth);

    public override object? GetValue(int index)
    {
        if (IsNull(index))
        {
            return null;
        }

        if (Type is DecimalType d)
        {
            return DecimalMath.ToString(new BigInteger(GetBytes(index), isUnsigned: false, isBigEndian: false), d.Scale);
        }

        return GetBytes(index).ToArray();
    }
}

/// <summary>Lists with int32 or int64 offsets into <see cref="Values"/>; also the base of <see cref="MapArray"/>.</summary>
public class ListArray : ArrowArray
{
    private readonly bool _large;

    public ListArray(ArrayData data)
        : base(data)
    {
        _large = data.Type.Id == ArrowTypeId.LargeList;
        Values = ArrowArrayFactory.Create(data.Children[0]);
    }

    /// <summary>The child array holding every list's items back to back.</summary>
    public IArrowArray Values { get; }

    public long GetValueOffset(int index)
        => _large ? MemoryMarshal.Cast<byte, long>(Data.Buffers[1].Span)[Offset + index] : MemoryMarshal.Cast<byte, int>(Data.Buffers[1].Span)[Offset + index];

    public int GetValueLength(int index) => (int)(GetValueOffset(index + 1) - GetValueOffset(index));

    /// <summary>The items of row <paramref name="index"/> as a zero-copy slice of <see cref="Values"/>.</summary>
    public IArrowArray GetList(int index)
    {
        long start = GetValueOffset(index);
        return Values.Slice((int)start, (int)(GetValueOffset(index + 1) - start));
    }

    public override object? GetValue(int index) => IsNull(index) ? null : BoxAll(GetList(index));
}

/// <summary>Maps: lists of (key, value) structs.</summary>
public sealed class MapArray : ListArray
{
    public MapArray(ArrayData data)
        : base(data)
    {
        var entries = (StructArray)Values;
        Keys = entries.Fields[0];
        Items = entries.Fields[1];
    }

    /// <summary>All keys of all rows back to back (index with <see cref="ListArray.GetValueOffset"/>).</summary>
    public IArrowArray Keys { get; }

    /// <summary>All values of all rows back to back.</summary>
    public IArrowArray Items { get; }

    public override object? GetValue(int index)
    {
        if (IsNull(index))
        {
            return null;
        }

        int start = (int)GetValueOffset(index);
        int end = (int)GetValueOffset(index + 1);
        var result = new KeyValuePair<object?, object?>[end - start];
        for (int i = start; i < end; i++)
        {
            result[i - start] = new(Keys.GetValue(i), Items.GetValue(i));
        }

        return result;
    }
}

/// <summary>Lists of a fixed number of items.</summary>
public sealed class FixedSizeListArray : ArrowArray
{
    public FixedSizeListArray(ArrayData data)
        : base(data)
    {
        ListSize = ((FixedSizeListType)data.Type).ListSize;
        Values = ArrowArrayFactory.Create(data.Children[0]);
    }

    public int ListSize { get; }

    /// <summary>The child array (unsliced: row i's items start at (Offset + i) × ListSize).</summary>
    public IArrowArray Values { get; }

    public IArrowArray GetList(int index) => Values.Slice((Offset + index) * ListSize, ListSize);

    public override object? GetValue(int index) => IsNull(index) ? null : BoxAll(GetList(index));
}

/// <summary>Structs: one child array per field.</summary>
public sealed class StructArray : ArrowArray
{
    private readonly IArrowArray[] _fields;

    public StructArray(ArrayData data)
        : base(data)
    {
        _fields = new IArrowArray[data.Children.Count];
        for (int i = 0; i < _fields.Length; i++)
        {
            var child = data.Children[i];

            // Children share the parent's row numbering: apply the parent's offset and length to each.
            _fields[i] = ArrowArrayFactory.Create(Offset == 0 && child.Length == Length ? child : child.Slice(Offset, Length));
        }
    }

    /// <summary>The child arrays, aligned with this view's rows.</summary>
    public IReadOnlyList<IArrowArray> Fields => _fields;

    public override object? GetValue(int index)
    {
        if (IsNull(index))
        {
            return null;
        }

        var fields = ((StructType)Type).Fields;
        var row = new Dictionary<string, object?>(fields.Count);
        for (int i = 0; i < fields.Count; i++)
        {
            row[fields[i].Name] = _fields[i].GetValue(index);
        }

        return row;
    }
}

/// <summary>Dictionary-encoded values: integer <see cref="Indices"/> into <see cref="Dictionary"/>.</summary>
public sealed class DictionaryArray : ArrowArray
{
    public DictionaryArray(ArrayData data)
        : base(data)
    {
        var type = (DictionaryType)data.Type;
        Indices = ArrowArrayFactory.Create(new ArrayData(type.IndexType, data.Length, data.NullCount, data.Offset, [.. data.Buffers]));
        Dictionary = ArrowArrayFactory.Create(data.Dictionary ?? throw new ArgumentException("dictionary array data has no dictionary", nameof(data)));
    }

    public IArrowArray Indices { get; }

    public IArrowArray Dictionary { get; }

    /// <summary>The dictionary index of row <paramref name="index"/> (meaningless for null rows).</summary>
    public long GetIndex(int index) => Indices switch
    {
        PrimitiveArray<int> a => a.Values[index],
        PrimitiveArray<sbyte> a => a.Values[index],
        PrimitiveArray<short> a => a.Values[index],
        PrimitiveArray<long> a => a.Values[index],
        PrimitiveArray<byte> a => a.Values[index],
        PrimitiveArray<ushort> a => a.Values[index],
        PrimitiveArray<uint> a => a.Values[index],
        PrimitiveArray<ulong> a => (long)a.Values[index],
        _ => throw new InvalidOperationException("dictionary indices are not integers"),
    };

    public override object? GetValue(int index) => IsNull(index) ? null : Dictionary.GetValue((int)GetIndex(index));
}

/// <summary>interval[day_time]: days and milliseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct IntervalDayTime(int Days, int Milliseconds);

/// <summary>interval[month_day_nano]: months, days and nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct IntervalMonthDayNano(int Months, int Days, long Nanoseconds);

/// <summary>Creates the typed array view for array data.</summary>
public static class ArrowArrayFactory
{
    public static IArrowArray Create(ArrayData data) => data.Type.Id switch
    {
        ArrowTypeId.Null => new NullArray(data),
        ArrowTypeId.Boolean => new BooleanArray(data),
        ArrowTypeId.Int8 => new PrimitiveArray<sbyte>(data),
        ArrowTypeId.Int16 => new PrimitiveArray<short>(data),
        ArrowTypeId.Int32 => new PrimitiveArray<int>(data),
        ArrowTypeId.Int64 => new PrimitiveArray<long>(data),
        ArrowTypeId.UInt8 => new PrimitiveArray<byte>(data),
        ArrowTypeId.UInt16 => new PrimitiveArray<ushort>(data),
        ArrowTypeId.UInt32 => new PrimitiveArray<uint>(data),
        ArrowTypeId.UInt64 => new PrimitiveArray<ulong>(data),
        ArrowTypeId.HalfFloat => new PrimitiveArray<Half>(data),
        ArrowTypeId.Float => new PrimitiveArray<float>(data),
        ArrowTypeId.Double => new PrimitiveArray<double>(data),
        ArrowTypeId.String or ArrowTypeId.LargeString => new StringArray(data),
        ArrowTypeId.Binary or ArrowTypeId.LargeBinary => new BinaryArray(data),
        ArrowTypeId.FixedSizeBinary or ArrowTypeId.Decimal256 => new FixedSizeBinaryArray(data),
        ArrowTypeId.Decimal128 => new Decimal128Array(data),
        ArrowTypeId.Date32 or ArrowTypeId.Time32 => new PrimitiveArray<int>(data),
        ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Duration => new PrimitiveArray<long>(data),
        ArrowTypeId.Timestamp => new TimestampArray(data),
        ArrowTypeId.Interval => ((IntervalType)data.Type).Unit switch
        {
            IntervalUnit.YearMonth => new PrimitiveArray<int>(data),
            IntervalUnit.DayTime => new PrimitiveArray<IntervalDayTime>(data),
            _ => new PrimitiveArray<IntervalMonthDayNano>(data),
        },
        ArrowTypeId.List or ArrowTypeId.LargeList => new ListArray(data),
        ArrowTypeId.Map => new MapArray(data),
        ArrowTypeId.FixedSizeList => new FixedSizeListArray(data),
        ArrowTypeId.Struct => new StructArray(data),
        ArrowTypeId.Dictionary => new DictionaryArray(data),
        _ => throw new ArgumentOutOfRangeException(nameof(data), data.Type.Id, "unknown type"),
    };
}
