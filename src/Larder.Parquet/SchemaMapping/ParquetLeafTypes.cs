using System.Numerics;
using Larder.Columnar;
using Larder.Parquet.Metadata;
using ArrowTimeUnit = Larder.Columnar.TimeUnit;
using ParquetTimeUnit = Larder.Parquet.Metadata.TimeUnit;

namespace Larder.Parquet.SchemaMapping;

/// <summary>
/// The leaf type rules of the schema mapping (as Arrow C++ <c>parquet/arrow/schema.cc</c> applies them): Parquet physical
/// type plus annotation → Arrow type, and Arrow type → Parquet physical type plus annotations. Stateless.
/// </summary>
internal static class ParquetLeafTypes
{
    /// <summary>Digits a FIXED_LEN_BYTE_ARRAY of 1..32 bytes can hold: floor(log10(2^(8n-1) - 1)); index = byte length.</summary>
    private static readonly int[] FixedDecimalDigits = BuildDigits();

    /// <summary>
    /// The annotation that decides <paramref name="e"/>'s decoding: its logical type when known, else the one its
    /// converted type stands for (TIMESTAMP_* and TIME_* converted types imply UTC adjustment), else null.
    /// </summary>
    public static LogicalType? EffectiveLogicalType(SchemaElement e, int index, string? source)
    {
        if (e.LogicalType is { Kind: not LogicalTypeKind.Unknown } lt)
        {
            return lt;
        }

        return e.ConvertedType switch
        {
            ConvertedType.Utf8 => LogicalType.String,
            ConvertedType.Enum => LogicalType.Enum,
            ConvertedType.Json => LogicalType.Json,
            ConvertedType.Bson => LogicalType.Bson,
            ConvertedType.Date => LogicalType.Date,
            ConvertedType.Decimal => LogicalType.Decimal(
                e.Scale ?? 0,
                e.Precision ?? throw SchemaErrors.InvalidElement(source, index, e.Name, "the DECIMAL converted type has no precision")),
            ConvertedType.TimeMillis => LogicalType.Time(true, ParquetTimeUnit.Millis),
            ConvertedType.TimeMicros => LogicalType.Time(true, ParquetTimeUnit.Micros),
            ConvertedType.TimestampMillis => LogicalType.Timestamp(true, ParquetTimeUnit.Millis),
            ConvertedType.TimestampMicros => LogicalType.Timestamp(true, ParquetTimeUnit.Micros),
            ConvertedType.Int8 => LogicalType.Integer(8, true),
            ConvertedType.Int16 => LogicalType.Integer(16, true),
            ConvertedType.Int32 => LogicalType.Integer(32, true),
            ConvertedType.Int64 => LogicalType.Integer(64, true),
            ConvertedType.UInt8 => LogicalType.Integer(8, false),
            ConvertedType.UInt16 => LogicalType.Integer(16, false),
            ConvertedType.UInt32 => LogicalType.Integer(32, false),
            ConvertedType.UInt64 => LogicalType.Integer(64, false),
            _ => null,
        };
    }

    /// <summary>
    /// The Arrow type of a valid leaf element (physical type checked by the caller). Annotations that do not fit the
    /// physical type, and invalid decimal parameters, are format errors (as in Arrow C++); an annotation Larder does not
    /// know falls back to the physical type.
    /// </summary>
    public static ArrowType ToArrow(SchemaElement e, LogicalType? logical, int index, string? source)
    {
        var physical = e.Type!.Value;
        int length = e.TypeLength ?? 0;
        if (logical is null)
        {
            return Physical(physical, length);
        }

        LarderFormatException Mismatch() => SchemaErrors.InvalidElement(source, index, e.Name, $"the annotation {logical} cannot apply to the physical type {physical}{(physical == PhysicalType.FixedLenByteArray ? $"({length})" : string.Empty)}");

        switch (logical.Kind)
        {
            case LogicalTypeKind.String or LogicalTypeKind.Enum or LogicalTypeKind.Json:
                return physical == PhysicalType.ByteArray ? ArrowType.String : throw Mismatch();
            case LogicalTypeKind.Bson:
                return physical == PhysicalType.ByteArray ? ArrowType.Binary : throw Mismatch();
            case LogicalTypeKind.Uuid:
                return physical == PhysicalType.FixedLenByteArray && length == 16 ? new FixedSizeBinaryType(16) : throw Mismatch();
            case LogicalTypeKind.Float16:
                return physical == PhysicalType.FixedLenByteArray && length == 2 ? ArrowType.HalfFloat : throw Mismatch();
            case LogicalTypeKind.Date:
                return physical == PhysicalType.Int32 ? ArrowType.Date32 : throw Mismatch();
            case LogicalTypeKind.Null:
                return ArrowType.Null;
            case LogicalTypeKind.Time:
                return (physical, logical.Unit) switch
                {
                    (PhysicalType.Int32, ParquetTimeUnit.Millis) => new TimeType(ArrowTimeUnit.Millisecond),
                    (PhysicalType.Int64, ParquetTimeUnit.Micros) => new TimeType(ArrowTimeUnit.Microsecond),
                    (PhysicalType.Int64, ParquetTimeUnit.Nanos) => new TimeType(ArrowTimeUnit.Nanosecond),
                    _ => throw Mismatch(),
                };
            case LogicalTypeKind.Timestamp:
                if (physical != PhysicalType.Int64 || !Enum.IsDefined(logical.Unit))
                {
                    throw Mismatch();
                }

                return new TimestampType(ToArrowUnit(logical.Unit), logical.IsAdjustedToUtc ? "UTC" : null);
            case LogicalTypeKind.Integer:
                return (physical, logical.BitWidth) switch
                {
                    (PhysicalType.Int32, 8 or 16 or 32) or (PhysicalType.Int64, 64) => ArrowType.Integer(logical.BitWidth, logical.IsSigned),
                    _ => throw Mismatch(),
                };
            case LogicalTypeKind.Decimal:
                return Decimal(e, logical, index, source);
            default:
                // LIST / MAP on a leaf, or an annotation this version cannot interpret: use the physical type.
                return Physical(physical, length);
        }
    }

    /// <summary>
    /// The Arrow type of an un-annotated physical type. INT96 → timestamp[us] without zone: Spark, its main writer,
    /// means microseconds, and 64-bit nanoseconds cannot hold the instants it writes (years 0001 to 9999 and beyond);
    /// an <c>ARROW:schema</c> asking for nanoseconds is honoured.
    /// </summary>
    public static ArrowType Physical(PhysicalType physical, int length) => physical switch
    {
        PhysicalType.Boolean => ArrowType.Boolean,
        PhysicalType.Int32 => ArrowType.Int32,
        PhysicalType.Int64 => ArrowType.Int64,
        PhysicalType.Int96 => new TimestampType(ArrowTimeUnit.Microsecond),
        PhysicalType.Float => ArrowType.Float,
        PhysicalType.Double => ArrowType.Double,
        PhysicalType.ByteArray => ArrowType.Binary,
        _ => new FixedSizeBinaryType(length),
    };

    /// <summary>The most decimal digits a FIXED_LEN_BYTE_ARRAY of <paramref name="length"/> bytes holds.</summary>
    public static int MaxDigits(int length) => length < FixedDecimalDigits.Length ? FixedDecimalDigits[length] : int.MaxValue;

    /// <summary>The fewest bytes a FIXED_LEN_BYTE_ARRAY needs for <paramref name="precision"/> digits.</summary>
    public static int BytesForPrecision(int precision)
    {
        for (int n = 1; n < FixedDecimalDigits.Length; n++)
        {
            if (FixedDecimalDigits[n] >= precision)
            {
                return n;
            }
        }

        return FixedDecimalDigits.Length;
    }

    public static ArrowTimeUnit ToArrowUnit(ParquetTimeUnit unit) => unit switch
    {
        ParquetTimeUnit.Millis => ArrowTimeUnit.Millisecond,
        ParquetTimeUnit.Micros => ArrowTimeUnit.Microsecond,
        _ => ArrowTimeUnit.Nanosecond,
    };

    private static ArrowType Decimal(SchemaElement e, LogicalType logical, int index, string? source)
    {
        var physical = e.Type!.Value;
        int p = logical.Precision;
        int s = logical.Scale;
        if (p < 1 || s < 0 || s > p)
        {
            throw SchemaErrors.InvalidElement(source, index, e.Name, $"decimal precision {p} and scale {s} are invalid (1 ≤ precision, 0 ≤ scale ≤ precision)");
        }

        int max = physical switch
        {
            PhysicalType.Int32 => 9,
            PhysicalType.Int64 => 18,
            PhysicalType.FixedLenByteArray => MaxDigits(e.TypeLength ?? 0),
            PhysicalType.ByteArray => int.MaxValue,
            _ => 0,
        };
        if (max == 0)
        {
            throw SchemaErrors.InvalidElement(source, index, e.Name, $"the DECIMAL annotation cannot apply to the physical type {physical}");
        }

        if (p > max)
        {
            throw SchemaErrors.InvalidElement(source, index, e.Name, $"decimal precision {p} does not fit the physical type {physical} (at most {max} digits)");
        }

        if (p > 76)
        {
            throw SchemaErrors.UnsupportedElement(source, index, e.Name, $"decimal precision {p}", "Arrow decimals hold at most 76 digits.");
        }

        return new DecimalType(p, s, p <= 38 ? 128 : 256);
    }

    private static int[] BuildDigits()
    {
        var digits = new int[33];
        for (int n = 1; n < digits.Length; n++)
        {
            var max = BigInteger.Pow(2, (8 * n) - 1) - 1;
            digits[n] = max.ToString(System.Globalization.CultureInfo.InvariantCulture).Length - 1;
        }

        return digits;
    }
}
