using System.Collections;
using System.Globalization;
using System.Numerics;

namespace Larder.Columnar;

/// <summary>Converts boxed .NET values to the storage of fixed-width Arrow types (the slow, generic path of builders).</summary>
internal static class ValueConverter
{
    /// <summary>The storage value of <paramref name="value"/> for <paramref name="type"/>, or null when it cannot be converted.</summary>
    public static T? ToStorage<T>(object value, ArrowType type)
        where T : unmanaged
    {
        object? storage = Convert(value, type);
        return storage is T t ? t : null;
    }

    /// <summary>A (key, value) pair from a map item, or null.</summary>
    public static (object? Key, object? Value)? AsPair(object? item)
    {
        switch (item)
        {
            case DictionaryEntry e:
                return (e.Key, e.Value);
            case object?[] { Length: 2 } a:
                return (a[0], a[1]);
            case IList { Count: 2 } l:
                return (l[0], l[1]);
            case null:
                return null;
        }

        var t = item.GetType();
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            return (t.GetProperty("Key")!.GetValue(item), t.GetProperty("Value")!.GetValue(item));
        }

        return null;
    }

    private static object? Convert(object value, ArrowType type)
    {
        try
        {
            return type.Id switch
            {
                ArrowTypeId.Int8 => checked((sbyte)ToInt64(value)!),
                ArrowTypeId.Int16 => checked((short)ToInt64(value)!),
                ArrowTypeId.Int32 => checked((int)ToInt64(value)!),
                ArrowTypeId.Int64 => ToInt64(value),
                ArrowTypeId.UInt8 => checked((byte)ToInt64(value)!),
                ArrowTypeId.UInt16 => checked((ushort)ToInt64(value)!),
                ArrowTypeId.UInt32 => checked((uint)ToInt64(value)!),
                ArrowTypeId.UInt64 => value is ulong u ? u : checked((ulong)ToInt64(value)!),
                ArrowTypeId.HalfFloat => value is Half h ? h : (Half?)ToDouble(value),
                ArrowTypeId.Float => (float?)ToDouble(value),
                ArrowTypeId.Double => ToDouble(value),
                ArrowTypeId.Date32 => value switch
                {
                    DateOnly d => Temporal.ToDate32(d),
                    DateTime dt => Temporal.ToDate32(DateOnly.FromDateTime(dt)),
                    DateTimeOffset dto => Temporal.ToDate32(DateOnly.FromDateTime(dto.UtcDateTime)),
                    _ => checked((int)ToInt64(value)!),
                },
                ArrowTypeId.Date64 => value switch
                {
                    DateOnly d => Temporal.ToDate32(d) * 86_400_000L,
                    DateTime dt => Temporal.FromDateTime(dt, TimeUnit.Millisecond),
                    DateTimeOffset dto => Temporal.FromDateTimeOffset(dto, TimeUnit.Millisecond),
                    _ => ToInt64(value),
                },
                ArrowTypeId.Time32 => value switch
                {
                    TimeOnly t => checked((int)(t.Ticks / (TimeSpan.TicksPerSecond / Temporal.PerSecond(((TimeType)type).Unit)))),
                    TimeSpan ts => checked((int)(ts.Ticks / (TimeSpan.TicksPerSecond / Temporal.PerSecond(((TimeType)type).Unit)))),
                    _ => checked((int)ToInt64(value)!),
                },
                ArrowTypeId.Time64 => value switch
                {
                    TimeOnly t => TicksTo(t.Ticks, ((TimeType)type).Unit),
                    TimeSpan ts => TicksTo(ts.Ticks, ((TimeType)type).Unit),
                    _ => ToInt64(value),
                },
                ArrowTypeId.Timestamp => value switch
                {
                    DateTimeOffset dto => Temporal.FromDateTimeOffset(dto, ((TimestampType)type).Unit),
                    DateTime dt => Temporal.FromDateTime(dt, ((TimestampType)type).Unit),
                    string s => Temporal.FromDateTimeOffset(DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), ((TimestampType)type).Unit),
                    _ => ToInt64(value),
                },
                ArrowTypeId.Duration => value is TimeSpan ts ? TicksTo(ts.Ticks, ((DurationType)type).Unit) : ToInt64(value),
                ArrowTypeId.Decimal128 => value switch
                {
                    Int128 i => i,
                    decimal m => DecimalMath.FromDecimal(m, ((DecimalType)type).Scale),
                    BigInteger b => (Int128)b,
                    string s => DecimalMath.TryParse(s, ((DecimalType)type).Scale, out var parsed) ? (Int128)parsed : null,
                    _ => ToInt64(value) is long l ? checked((Int128)l * (Int128)BigInteger.Pow(10, ((DecimalType)type).Scale)) : null,
                },
                ArrowTypeId.Interval => value switch
                {
                    IntervalDayTime or IntervalMonthDayNano => value,
                    _ => checked((int)ToInt64(value)!),
                },
                _ => null,
            };
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException or NullReferenceException or InvalidOperationException)
        {
            return null;
        }
    }

    private static long TicksTo(long ticks, TimeUnit unit) => unit switch
    {
        TimeUnit.Second => ticks / TimeSpan.TicksPerSecond,
        TimeUnit.Millisecond => ticks / TimeSpan.TicksPerMillisecond,
        TimeUnit.Microsecond => ticks / 10,
        _ => checked(ticks * 100),
    };

    private static long? ToInt64(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte sb => sb,
        byte b => b,
        ushort us => us,
        uint ui => ui,
        ulong ul => checked((long)ul),
        Int128 i128 => checked((long)i128),
        BigInteger bi => (long)bi,
        decimal m when decimal.Truncate(m) == m => (long)m,
        double d when Math.Truncate(d) == d => checked((long)d),
        float f when MathF.Truncate(f) == f => checked((long)f),
        _ => null,
    };

    private static double? ToDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        Half h => (double)h,
        decimal m => (double)m,
        _ => ToInt64(value),
    };
}
