using System.Text;

namespace Larder.Columnar;

/// <summary>The logical type of a column, as in the Arrow columnar format (DESIGN §2).</summary>
public enum ArrowTypeId
{
    Null,
    Boolean,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    HalfFloat,
    Float,
    Double,
    String,
    LargeString,
    Binary,
    LargeBinary,
    FixedSizeBinary,
    Decimal128,
    Decimal256,
    Date32,
    Date64,
    Time32,
    Time64,
    Timestamp,
    Duration,
    Interval,
    List,
    LargeList,
    FixedSizeList,
    Struct,
    Map,
    Dictionary,
}

/// <summary>Resolution of time, timestamp and duration values.</summary>
public enum TimeUnit
{
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

/// <summary>The three Arrow interval layouts.</summary>
public enum IntervalUnit
{
    /// <summary>Months as one int32.</summary>
    YearMonth,

    /// <summary>Days and milliseconds as two int32 (<see cref="IntervalDayTime"/>).</summary>
    DayTime,

    /// <summary>Months, days (int32) and nanoseconds (int64) (<see cref="IntervalMonthDayNano"/>).</summary>
    MonthDayNano,
}

/// <summary>
/// A column type. Instances are immutable and compare by value (<see cref="Equals(ArrowType?)"/>), so two separately built
/// <c>timestamp[ns, UTC]</c> types are equal. Thread safe.
/// </summary>
public abstract class ArrowType : IEquatable<ArrowType>
{
    private protected ArrowType(ArrowTypeId id) => Id = id;

    public ArrowTypeId Id { get; }

    /// <summary>Bits per value in the values buffer for fixed-width types (1 for boolean); 0 for every other type.</summary>
    public virtual int BitWidth => 0;

    /// <summary>True for types whose values live in one fixed-width buffer (boolean, numbers, temporal, decimals, fixed-size binary).</summary>
    public bool IsFixedWidth => BitWidth > 0;

    /// <summary>True for the nested types (list, large list, fixed-size list, struct, map).</summary>
    public bool IsNested => Id is ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.FixedSizeList or ArrowTypeId.Struct or ArrowTypeId.Map;

    public static ArrowType Null { get; } = new SimpleType(ArrowTypeId.Null, "null", 0);
    public static ArrowType Boolean { get; } = new SimpleType(ArrowTypeId.Boolean, "bool", 1);
    public static ArrowType Int8 { get; } = new SimpleType(ArrowTypeId.Int8, "int8", 8);
    public static ArrowType Int16 { get; } = new SimpleType(ArrowTypeId.Int16, "int16", 16);
    public static ArrowType Int32 { get; } = new SimpleType(ArrowTypeId.Int32, "int32", 32);
    public static ArrowType Int64 { get; } = new SimpleType(ArrowTypeId.Int64, "int64", 64);
    public static ArrowType UInt8 { get; } = new SimpleType(ArrowTypeId.UInt8, "uint8", 8);
    public static ArrowType UInt16 { get; } = new SimpleType(ArrowTypeId.UInt16, "uint16", 16);
    public static ArrowType UInt32 { get; } = new SimpleType(ArrowTypeId.UInt32, "uint32", 32);
    public static ArrowType UInt64 { get; } = new SimpleType(ArrowTypeId.UInt64, "uint64", 64);
    public static ArrowType HalfFloat { get; } = new SimpleType(ArrowTypeId.HalfFloat, "float16", 16);
    public static ArrowType Float { get; } = new SimpleType(ArrowTypeId.Float, "float32", 32);
    public static ArrowType Double { get; } = new SimpleType(ArrowTypeId.Double, "float64", 64);
    public static ArrowType String { get; } = new SimpleType(ArrowTypeId.String, "utf8", 0);
    public static ArrowType LargeString { get; } = new SimpleType(ArrowTypeId.LargeString, "large_utf8", 0);
    public static ArrowType Binary { get; } = new SimpleType(ArrowTypeId.Binary, "binary", 0);
    public static ArrowType LargeBinary { get; } = new SimpleType(ArrowTypeId.LargeBinary, "large_binary", 0);
    public static ArrowType Date32 { get; } = new SimpleType(ArrowTypeId.Date32, "date32[day]", 32);
    public static ArrowType Date64 { get; } = new SimpleType(ArrowTypeId.Date64, "date64[ms]", 64);

    /// <summary>The integer type of this bit width and signedness.</summary>
    public static ArrowType Integer(int bitWidth, bool signed) => (bitWidth, signed) switch
    {
        (8, true) => Int8,
        (16, true) => Int16,
        (32, true) => Int32,
        (64, true) => Int64,
        (8, false) => UInt8,
        (16, false) => UInt16,
        (32, false) => UInt32,
        (64, false) => UInt64,
        _ => throw new ArgumentOutOfRangeException(nameof(bitWidth), bitWidth, "integer bit width must be 8, 16, 32 or 64"),
    };

    /// <summary>True for the eight integer types.</summary>
    public bool IsInteger => Id is >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt64;

    /// <summary>True for the signed integer types.</summary>
    public bool IsSignedInteger => Id is >= ArrowTypeId.Int8 and <= ArrowTypeId.Int64;

    /// <summary>True for utf8 and large_utf8.</summary>
    public bool IsString => Id is ArrowTypeId.String or ArrowTypeId.LargeString;

    /// <summary>True for utf8, large_utf8, binary and large_binary: the types with an offsets and a data buffer.</summary>
    public bool IsVariableBinary => Id is ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary;

    public abstract bool Equals(ArrowType? other);

    public override bool Equals(object? obj) => obj is ArrowType t && Equals(t);

    public abstract override int GetHashCode();

    /// <summary>The type in Arrow's usual notation, e.g. <c>timestamp[ns, tz=UTC]</c>, <c>list&lt;item: int64&gt;</c>.</summary>
    public abstract override string ToString();

    public static bool operator ==(ArrowType? a, ArrowType? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(ArrowType? a, ArrowType? b) => !(a == b);
}

/// <summary>A type without parameters (null, bool, the numbers, utf8, binary, dates). Use the statics on <see cref="ArrowType"/>.</summary>
public sealed class SimpleType : ArrowType
{
    private readonly string _name;
    private readonly int _bitWidth;

    internal SimpleType(ArrowTypeId id, string name, int bitWidth)
        : base(id)
    {
        _name = name;
        _bitWidth = bitWidth;
    }

    public override int BitWidth => _bitWidth;

    public override bool Equals(ArrowType? other) => other is SimpleType s && s.Id == Id;

    public override int GetHashCode() => (int)Id;

    public override string ToString() => _name;
}

/// <summary>Binary values of one fixed byte width.</summary>
public sealed class FixedSizeBinaryType : ArrowType
{
    public FixedSizeBinaryType(int byteWidth)
        : base(ArrowTypeId.FixedSizeBinary)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(byteWidth);
        ByteWidth = byteWidth;
    }

    public int ByteWidth { get; }

    public override int BitWidth => checked(ByteWidth * 8);

    public override bool Equals(ArrowType? other) => other is FixedSizeBinaryType f && f.ByteWidth == ByteWidth;

    public override int GetHashCode() => HashCode.Combine(Id, ByteWidth);

    public override string ToString() => $"fixed_size_binary[{ByteWidth}]";
}

/// <summary>Decimal numbers stored as 128- or 256-bit two's complement integers scaled by 10^<see cref="Scale"/>.</summary>
public sealed class DecimalType : ArrowType
{
    public DecimalType(int precision, int scale, int bitWidth = 128)
        : base(bitWidth == 256 ? ArrowTypeId.Decimal256 : ArrowTypeId.Decimal128)
    {
        if (bitWidth is not (128 or 256))
        {
            throw new ArgumentOutOfRangeException(nameof(bitWidth), bitWidth, "decimal bit width must be 128 or 256");
        }

        int maxPrecision = bitWidth == 128 ? 38 : 76;
        if (precision < 1 || precision > maxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"decimal{bitWidth} precision must be 1..{maxPrecision}");
        }

        Precision = precision;
        Scale = scale;
        DecimalBitWidth = bitWidth;
    }

    public int Precision { get; }

    public int Scale { get; }

    /// <summary>128 or 256.</summary>
    public int DecimalBitWidth { get; }

    public override int BitWidth => DecimalBitWidth;

    public override bool Equals(ArrowType? other)
        => other is DecimalType d && d.Precision == Precision && d.Scale == Scale && d.DecimalBitWidth == DecimalBitWidth;

    public override int GetHashCode() => HashCode.Combine(Id, Precision, Scale);

    public override string ToString() => $"decimal{DecimalBitWidth}({Precision}, {Scale})";
}

/// <summary>Time of day: time32 (seconds, milliseconds) or time64 (microseconds, nanoseconds).</summary>
public sealed class TimeType : ArrowType
{
    public TimeType(TimeUnit unit)
        : base(unit is TimeUnit.Second or TimeUnit.Millisecond ? ArrowTypeId.Time32 : ArrowTypeId.Time64)
        => Unit = unit;

    public TimeUnit Unit { get; }

    public override int BitWidth => Id == ArrowTypeId.Time32 ? 32 : 64;

    public override bool Equals(ArrowType? other) => other is TimeType t && t.Unit == Unit;

    public override int GetHashCode() => HashCode.Combine(Id, Unit);

    public override string ToString() => $"time{BitWidth}[{TemporalText.Unit(Unit)}]";
}

/// <summary>An instant as an int64 count of <see cref="Unit"/> since the Unix epoch; <see cref="TimeZone"/> null means a local, zone-less wall time.</summary>
public sealed class TimestampType : ArrowType
{
    public TimestampType(TimeUnit unit, string? timeZone = null)
        : base(ArrowTypeId.Timestamp)
    {
        Unit = unit;
        TimeZone = string.IsNullOrEmpty(timeZone) ? null : timeZone;
    }

    public TimeUnit Unit { get; }

    public string? TimeZone { get; }

    public override int BitWidth => 64;

    public override bool Equals(ArrowType? other) => other is TimestampType t && t.Unit == Unit && t.TimeZone == TimeZone;

    public override int GetHashCode() => HashCode.Combine(Id, Unit, TimeZone);

    public override string ToString()
        => TimeZone is null ? $"timestamp[{TemporalText.Unit(Unit)}]" : $"timestamp[{TemporalText.Unit(Unit)}, tz={TimeZone}]";
}

/// <summary>An elapsed time as an int64 count of <see cref="Unit"/>.</summary>
public sealed class DurationType : ArrowType
{
    public DurationType(TimeUnit unit)
        : base(ArrowTypeId.Duration) => Unit = unit;

    public TimeUnit Unit { get; }

    public override int BitWidth => 64;

    public override bool Equals(ArrowType? other) => other is DurationType t && t.Unit == Unit;

    public override int GetHashCode() => HashCode.Combine(Id, Unit);

    public override string ToString() => $"duration[{TemporalText.Unit(Unit)}]";
}

/// <summary>A calendar interval in one of three layouts.</summary>
public sealed class IntervalType : ArrowType
{
    public IntervalType(IntervalUnit unit)
        : base(ArrowTypeId.Interval) => Unit = unit;

    public IntervalUnit Unit { get; }

    public override int BitWidth => Unit switch
    {
        IntervalUnit.YearMonth => 32,
        IntervalUnit.DayTime => 64,
        _ => 128,
    };

    public override bool Equals(ArrowType? other) => other is IntervalType t && t.Unit == Unit;

    public override int GetHashCode() => HashCode.Combine(Id, Unit);

    public override string ToString() => Unit switch
    {
        IntervalUnit.YearMonth => "month_interval",
        IntervalUnit.DayTime => "day_time_interval",
        _ => "month_day_nano_interval",
    };
}

/// <summary>Variable-length lists (int32 offsets for <see cref="ArrowTypeId.List"/>, int64 for <see cref="ArrowTypeId.LargeList"/>).</summary>
public sealed class ListType : ArrowType
{
    public ListType(Field valueField, bool large = false)
        : base(large ? ArrowTypeId.LargeList : ArrowTypeId.List)
        => ValueField = valueField ?? throw new ArgumentNullException(nameof(valueField));

    /// <summary>A list of nullable <paramref name="valueType"/> items named "item".</summary>
    public ListType(ArrowType valueType, bool large = false)
        : this(new Field("item", valueType, nullable: true), large)
    {
    }

    public Field ValueField { get; }

    public ArrowType ValueType => ValueField.Type;

    public bool IsLarge => Id == ArrowTypeId.LargeList;

    public override bool Equals(ArrowType? other) => other is ListType l && l.Id == Id && l.ValueField.Equals(ValueField);

    public override int GetHashCode() => HashCode.Combine(Id, ValueField);

    public override string ToString() => $"{(IsLarge ? "large_list" : "list")}<{ValueField.Name}: {ValueField.Type}{(ValueField.Nullable ? string.Empty : " not null")}>";
}

/// <summary>Lists of exactly <see cref="ListSize"/> items.</summary>
public sealed class FixedSizeListType : ArrowType
{
    public FixedSizeListType(Field valueField, int listSize)
        : base(ArrowTypeId.FixedSizeList)
    {
        ValueField = valueField ?? throw new ArgumentNullException(nameof(valueField));
        ArgumentOutOfRangeException.ThrowIfNegative(listSize);
        ListSize = listSize;
    }

    public FixedSizeListType(ArrowType valueType, int listSize)
        : this(new Field("item", valueType, nullable: true), listSize)
    {
    }

    public Field ValueField { get; }

    public ArrowType ValueType => ValueField.Type;

    public int ListSize { get; }

    public override bool Equals(ArrowType? other) => other is FixedSizeListType l && l.ListSize == ListSize && l.ValueField.Equals(ValueField);

    public override int GetHashCode() => HashCode.Combine(Id, ValueField, ListSize);

    public override string ToString() => $"fixed_size_list<{ValueField.Name}: {ValueField.Type}>[{ListSize}]";
}

/// <summary>Rows of named child fields.</summary>
public sealed class StructType : ArrowType
{
    public StructType(IEnumerable<Field> fields)
        : base(ArrowTypeId.Struct)
        => Fields = fields?.ToArray() ?? throw new ArgumentNullException(nameof(fields));

    public IReadOnlyList<Field> Fields { get; }

    /// <summary>Index of the first child named <paramref name="name"/>, or -1.</summary>
    public int GetFieldIndex(string name)
    {
        for (int i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    public override bool Equals(ArrowType? other) => other is StructType s && s.Fields.SequenceEqual(Fields);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Id);
        foreach (var f in Fields)
        {
            h.Add(f);
        }

        return h.ToHashCode();
    }

    public override string ToString()
    {
        var sb = new StringBuilder("struct<");
        for (int i = 0; i < Fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(Fields[i].Name).Append(": ").Append(Fields[i].Type);
        }

        return sb.Append('>').ToString();
    }
}

/// <summary>
/// A map: physically a list of non-null structs <c>entries&lt;key, value&gt;</c>. Keys are not null.
/// </summary>
public sealed class MapType : ArrowType
{
    public MapType(Field entriesField, bool keysSorted = false)
        : base(ArrowTypeId.Map)
    {
        EntriesField = entriesField ?? throw new ArgumentNullException(nameof(entriesField));
        if (entriesField.Type is not StructType { Fields.Count: 2 })
        {
            throw new ArgumentException("map entries must be a struct of two fields (key, value)", nameof(entriesField));
        }

        KeysSorted = keysSorted;
    }

    /// <summary>A map with the conventional names <c>entries</c>, <c>key</c>, <c>value</c>.</summary>
    public MapType(ArrowType keyType, ArrowType valueType, bool valueNullable = true, bool keysSorted = false)
        : this(new Field("entries", new StructType([new Field("key", keyType, false), new Field("value", valueType, valueNullable)]), false), keysSorted)
    {
    }

    public Field EntriesField { get; }

    public bool KeysSorted { get; }

    public Field KeyField => ((StructType)EntriesField.Type).Fields[0];

    public Field ValueField => ((StructType)EntriesField.Type).Fields[1];

    public override bool Equals(ArrowType? other) => other is MapType m && m.KeysSorted == KeysSorted && m.EntriesField.Equals(EntriesField);

    public override int GetHashCode() => HashCode.Combine(Id, EntriesField, KeysSorted);

    public override string ToString() => $"map<{KeyField.Type}, {ValueField.Type}{(KeysSorted ? ", keys_sorted" : string.Empty)}>";
}

/// <summary>Dictionary encoding (pandas' "categorical"): integer indices into a dictionary array of <see cref="ValueType"/>.</summary>
public sealed class DictionaryType : ArrowType
{
    public DictionaryType(ArrowType indexType, ArrowType valueType, bool ordered = false)
        : base(ArrowTypeId.Dictionary)
    {
        ArgumentNullException.ThrowIfNull(indexType);
        if (!indexType.IsInteger)
        {
            throw new ArgumentException($"dictionary index type must be an integer type, not {indexType}", nameof(indexType));
        }

        IndexType = indexType;
        ValueType = valueType ?? throw new ArgumentNullException(nameof(valueType));
        Ordered = ordered;
    }

    public ArrowType IndexType { get; }

    public ArrowType ValueType { get; }

    public bool Ordered { get; }

    public override int BitWidth => 0;

    public override bool Equals(ArrowType? other)
        => other is DictionaryType d && d.IndexType.Equals(IndexType) && d.ValueType.Equals(ValueType) && d.Ordered == Ordered;

    public override int GetHashCode() => HashCode.Combine(Id, IndexType, ValueType, Ordered);

    public override string ToString() => $"dictionary<values={ValueType}, indices={IndexType}{(Ordered ? ", ordered" : string.Empty)}>";
}

internal static class TemporalText
{
    public static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };
}
