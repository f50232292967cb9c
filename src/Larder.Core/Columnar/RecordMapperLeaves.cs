using System.Collections.Frozen;

namespace Larder.Columnar.RecordMapping;

/// <summary>The mappings of scalar .NET types (numbers, text, bytes, time, decimal, Guid). See <see cref="RecordMapper"/>.</summary>
internal static class LeafMappings
{
    private static readonly FrozenSet<Type> Leaves = new[]
    {
        typeof(bool), typeof(sbyte), typeof(short), typeof(int), typeof(long), typeof(byte), typeof(ushort), typeof(uint), typeof(ulong),
        typeof(Half), typeof(float), typeof(double), typeof(decimal), typeof(string), typeof(byte[]), typeof(ReadOnlyMemory<byte>),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan),
    }.ToFrozenSet();

    public static bool IsLeaf(Type type) => Leaves.Contains(type);

    /// <summary>The mapping of a scalar type, or null when <paramref name="type"/> is not one.</summary>
    public static ValueMapping? TryCreate(Type type, bool nullable, DecimalType decimalType, string path)
    {
        if (!Leaves.Contains(type))
        {
            return null;
        }

        return type switch
        {
            _ when type == typeof(bool) => new BooleanMapping(path),
            _ when type == typeof(sbyte) => new PrimitiveMapping<sbyte>(ArrowType.Int8, path),
            _ when type == typeof(short) => new PrimitiveMapping<short>(ArrowType.Int16, path),
            _ when type == typeof(int) => new PrimitiveMapping<int>(ArrowType.Int32, path),
            _ when type == typeof(long) => new PrimitiveMapping<long>(ArrowType.Int64, path),
            _ when type == typeof(byte) => new PrimitiveMapping<byte>(ArrowType.UInt8, path),
            _ when type == typeof(ushort) => new PrimitiveMapping<ushort>(ArrowType.UInt16, path),
            _ when type == typeof(uint) => new PrimitiveMapping<uint>(ArrowType.UInt32, path),
            _ when type == typeof(ulong) => new PrimitiveMapping<ulong>(ArrowType.UInt64, path),
            _ when type == typeof(Half) => new PrimitiveMapping<Half>(ArrowType.HalfFloat, path),
            _ when type == typeof(float) => new PrimitiveMapping<float>(ArrowType.Float, path),
            _ when type == typeof(double) => new PrimitiveMapping<double>(ArrowType.Double, path),
            _ when type == typeof(decimal) => new DecimalMapping(decimalType, path),
            _ when type == typeof(string) => new Utf8Mapping(nullable, path),
            _ when type == typeof(byte[]) => new ByteArrayMapping(nullable, path),
            _ when type == typeof(ReadOnlyMemory<byte>) => new MemoryMapping(path),
            _ when type == typeof(Guid) => new GuidMapping(path),
            _ when type == typeof(DateTime) => new DateTimeMapping(path),
            _ when type == typeof(DateTimeOffset) => new DateTimeOffsetMapping(path),
            _ when type == typeof(DateOnly) => new DateOnlyMapping(path),
            _ when type == typeof(TimeOnly) => new TimeOnlyMapping(path),
            _ => new TimeSpanMapping(path),
        };
    }

    /// <summary>Ticks of the Unix epoch (1970-01-01T00:00:00), the zero of timestamps and dates.</summary>
    public const long EpochTicks = 621_355_968_000_000_000;

    /// <summary>(multiplier, divisor) from days (date32) or milliseconds (date64) to ticks.</summary>
    public static (long Multiplier, long Divisor) DateFactor(ArrowType type)
        => type.Id == ArrowTypeId.Date32 ? (TimeSpan.TicksPerDay, 1) : (TimeSpan.TicksPerMillisecond, 1);
}

internal sealed class PrimitiveMapping<T>(ArrowType type, string path) : ValueMapping<T>(type, false, path)
    where T : unmanaged
{
    public override ColumnWriter<T> CreateTypedWriter(int capacity) => new PrimitiveWriter<T>(ArrowType, capacity);

    protected override ColumnReader<T>? TryCreateReader(ArrayData data)
        => data.Type.Id == ArrowType.Id ? new PrimitiveReader<T>(data, Path) : null;
}

internal sealed class BooleanMapping(string path) : ValueMapping<bool>(ArrowType.Boolean, false, path)
{
    public override ColumnWriter<bool> CreateTypedWriter(int capacity) => new BooleanWriter();

    protected override ColumnReader<bool>? TryCreateReader(ArrayData data)
        => data.Type.Id == ArrowTypeId.Boolean ? new BooleanReader(data, Path) : null;
}

internal sealed class DecimalMapping(DecimalType type, string path) : ValueMapping<decimal>(type, false, path)
{
    protected override string Reads => "decimal128 of any precision and a scale up to 28";

    public override ColumnWriter<decimal> CreateTypedWriter(int capacity) => new DecimalWriter((DecimalType)ArrowType, capacity, Path);

    protected override ColumnReader<decimal>? TryCreateReader(ArrayData data)
        => data.Type.Id == ArrowTypeId.Decimal128 ? new DecimalReader(data, Path) : null;
}

internal sealed class Utf8Mapping(bool nullable, string path) : ValueMapping<string?>(ArrowType.String, nullable, path)
{
    protected override string Reads => "utf8 or large_utf8";

    public override ColumnWriter<string?> CreateTypedWriter(int capacity) => new Utf8Writer(Nullable, Path, capacity);

    protected override ColumnReader<string?>? TryCreateReader(ArrayData data)
        => data.Type.IsString ? new Utf8Reader(data, Path) : null;
}

internal sealed class ByteArrayMapping(bool nullable, string path) : ValueMapping<byte[]?>(ArrowType.Binary, nullable, path)
{
    protected override string Reads => "binary, large_binary, fixed_size_binary, utf8 or large_utf8";

    public override ColumnWriter<byte[]?> CreateTypedWriter(int capacity) => new ByteArrayWriter(Nullable, Path, capacity);

    protected override ColumnReader<byte[]?>? TryCreateReader(ArrayData data)
        => data.Type.IsVariableBinary || data.Type.Id == ArrowTypeId.FixedSizeBinary ? new ByteArrayReader(data, Path) : null;
}

internal sealed class MemoryMapping(string path) : ValueMapping<ReadOnlyMemory<byte>>(ArrowType.Binary, false, path)
{
    protected override string Reads => "binary, large_binary, fixed_size_binary, utf8 or large_utf8";

    public override ColumnWriter<ReadOnlyMemory<byte>> CreateTypedWriter(int capacity) => new MemoryWriter(capacity);

    protected override ColumnReader<ReadOnlyMemory<byte>>? TryCreateReader(ArrayData data)
        => data.Type.IsVariableBinary || data.Type.Id == ArrowTypeId.FixedSizeBinary ? new MemoryReader(data, Path) : null;
}

internal sealed class GuidMapping(string path) : ValueMapping<Guid>(new FixedSizeBinaryType(16), false, path)
{
    public override ColumnWriter<Guid> CreateTypedWriter(int capacity) => new GuidWriter();

    protected override ColumnReader<Guid>? TryCreateReader(ArrayData data)
        => data.Type is FixedSizeBinaryType { ByteWidth: 16 } ? new GuidReader(data, Path) : null;
}

/// <summary>DateTime: timestamp[us] without a time zone (Local values converted to UTC first; Unspecified and Utc kept as wall time).</summary>
internal sealed class DateTimeMapping(string path) : ValueMapping<DateTime>(new TimestampType(TimeUnit.Microsecond), false, path)
{
    protected override string Reads => "timestamp of any unit (Kind Utc when it has a time zone, else Unspecified), date32 or date64";

    public override ColumnWriter<DateTime> CreateTypedWriter(int capacity)
        => new ConvertingWriter<DateTime, long, DateTimeToMicros>(ArrowType, capacity);

    protected override ColumnReader<DateTime>? TryCreateReader(ArrayData data) => data.Type switch
    {
        TimestampType { TimeZone: null } t => new TemporalReader<DateTime, DateTimeUnspecifiedFromTicks>(data, Path, LeafMappings.EpochTicks, t.Unit),
        TimestampType t => new TemporalReader<DateTime, DateTimeUtcFromTicks>(data, Path, LeafMappings.EpochTicks, t.Unit),
        { Id: ArrowTypeId.Date32 or ArrowTypeId.Date64 } => new TemporalReader<DateTime, DateTimeUnspecifiedFromTicks>(
            data, Path, LeafMappings.EpochTicks, LeafMappings.DateFactor(data.Type).Multiplier, 1),
        _ => null,
    };
}

/// <summary>DateTimeOffset: timestamp[us, tz=UTC] (the instant; the offset is not kept and reads back as +00:00).</summary>
internal sealed class DateTimeOffsetMapping(string path) : ValueMapping<DateTimeOffset>(new TimestampType(TimeUnit.Microsecond, "UTC"), false, path)
{
    protected override string Reads => "timestamp of any unit (a zone-less timestamp is taken as UTC), date32 or date64";

    public override ColumnWriter<DateTimeOffset> CreateTypedWriter(int capacity)
        => new ConvertingWriter<DateTimeOffset, long, DateTimeOffsetToMicros>(ArrowType, capacity);

    protected override ColumnReader<DateTimeOffset>? TryCreateReader(ArrayData data) => data.Type switch
    {
        TimestampType t => new TemporalReader<DateTimeOffset, DateTimeOffsetFromTicks>(data, Path, LeafMappings.EpochTicks, t.Unit),
        { Id: ArrowTypeId.Date32 or ArrowTypeId.Date64 } => new TemporalReader<DateTimeOffset, DateTimeOffsetFromTicks>(
            data, Path, LeafMappings.EpochTicks, LeafMappings.DateFactor(data.Type).Multiplier, 1),
        _ => null,
    };
}

internal sealed class DateOnlyMapping(string path) : ValueMapping<DateOnly>(ArrowType.Date32, false, path)
{
    protected override string Reads => "date32 or date64";

    public override ColumnWriter<DateOnly> CreateTypedWriter(int capacity)
        => new ConvertingWriter<DateOnly, int, DateOnlyToDays>(ArrowType, capacity);

    protected override ColumnReader<DateOnly>? TryCreateReader(ArrayData data)
        => data.Type.Id is ArrowTypeId.Date32 or ArrowTypeId.Date64
            ? new TemporalReader<DateOnly, DateOnlyFromTicks>(data, Path, LeafMappings.EpochTicks, LeafMappings.DateFactor(data.Type).Multiplier, 1)
            : null;
}

internal sealed class TimeOnlyMapping(string path) : ValueMapping<TimeOnly>(new TimeType(TimeUnit.Microsecond), false, path)
{
    protected override string Reads => "time32 or time64 of any unit";

    public override ColumnWriter<TimeOnly> CreateTypedWriter(int capacity)
        => new ConvertingWriter<TimeOnly, long, TimeOnlyToMicros>(ArrowType, capacity);

    protected override ColumnReader<TimeOnly>? TryCreateReader(ArrayData data)
        => data.Type is TimeType t ? new TemporalReader<TimeOnly, TimeOnlyFromTicks>(data, Path, 0, t.Unit) : null;
}

internal sealed class TimeSpanMapping(string path) : ValueMapping<TimeSpan>(new DurationType(TimeUnit.Microsecond), false, path)
{
    protected override string Reads => "duration of any unit";

    public override ColumnWriter<TimeSpan> CreateTypedWriter(int capacity)
        => new ConvertingWriter<TimeSpan, long, TimeSpanToMicros>(ArrowType, capacity);

    protected override ColumnReader<TimeSpan>? TryCreateReader(ArrayData data)
        => data.Type is DurationType t ? new TemporalReader<TimeSpan, TimeSpanFromTicks>(data, Path, 0, t.Unit) : null;
}
