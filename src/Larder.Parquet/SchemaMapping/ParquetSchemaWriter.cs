using System.Globalization;
using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using ArrowTimeUnit = Larder.Columnar.TimeUnit;
using ParquetTimeUnit = Larder.Parquet.Metadata.TimeUnit;

namespace Larder.Parquet.SchemaMapping;

using Schema = Larder.Columnar.Schema;

/// <summary>
/// Builds the Parquet schema elements for an Arrow schema. Stateless.
/// </summary>
/// <remarks>
/// Nullable fields are OPTIONAL, others REQUIRED. Lists (large and fixed-size too) are
/// <c>&lt;name&gt; (LIST) { repeated group list { element } }</c>; maps <c>(MAP) { repeated group key_value { required key; value } }</c>;
/// structs groups; a dictionary is written as its value type. Leaves get the modern logical type and, where one exists,
/// the legacy converted type: int8/16 → INT32 INT(8|16, signed) INT_8/16; int32 → INT32; int64 → INT64; uint8/16/32 →
/// INT32 INT(n, unsigned) UINT_n; uint64 → INT64 INT(64, unsigned) UINT_64; float16 → FIXED_LEN_BYTE_ARRAY(2) FLOAT16;
/// float32/64 → FLOAT/DOUBLE; utf8 and large_utf8 → BYTE_ARRAY STRING UTF8; binary and large_binary → BYTE_ARRAY;
/// fixed_size_binary[n] → FIXED_LEN_BYTE_ARRAY(n); decimal(p, s) → DECIMAL on INT32 when p ≤ 9, INT64 when p ≤ 18 (as
/// DuckDB writes; readers decode both), else FIXED_LEN_BYTE_ARRAY of the fewest bytes holding p digits; date32 and
/// date64 → INT32 DATE; time32[s|ms] → INT32 TIME(MILLIS, adjusted) TIME_MILLIS; time64[us] → INT64 TIME(MICROS)
/// TIME_MICROS; time64[ns] → INT64 TIME(NANOS); timestamp[s|ms|us|ns] → INT64 TIMESTAMP(MILLIS|MILLIS|MICROS|NANOS),
/// adjusted to UTC exactly when the type has a time zone (any zone), with TIMESTAMP_MILLIS/MICROS converted types only
/// when adjusted (the converted types imply UTC); duration → INT64; interval[year_month|day_time] →
/// FIXED_LEN_BYTE_ARRAY(12) INTERVAL; interval[month_day_nano] → FIXED_LEN_BYTE_ARRAY(16) (raw); null → INT32 UNKNOWN.
/// The writer converts values for timestamp[s] and time32[s] (× 1000), date64 (÷ 86 400 000), decimals (unscaled
/// integers or big-endian bytes) and year_month / day_time intervals (see <see cref="ParquetColumnSchema"/>).
/// A field's <c>PARQUET:field_id</c> metadata (an int32) becomes its element's field id.
/// </remarks>
internal static class ParquetSchemaWriter
{
    public static (IReadOnlyList<SchemaElement> Elements, IReadOnlyList<ParquetColumnSchema> Columns) Write(Schema schema)
    {
        var elements = new List<SchemaElement> { new() { Name = "schema", NumChildren = schema.Count } };
        var columns = new List<ParquetColumnSchema>();
        for (int i = 0; i < schema.Count; i++)
        {
            var field = schema[i];
            var leafElements = new List<SchemaElement>();
            Emit(field, field.Name, field.Name, field.Nullable, elements, leafElements, depth: 0);
            var paths = LeafPaths.For(field);
            for (int j = 0; j < paths.Count; j++)
            {
                var element = leafElements[j];
                columns.Add(new ParquetColumnSchema(columns.Count, i, paths[j], element, StorageType(element), ParquetLeafTypes.EffectiveLogicalType(element, 0, null)));
            }
        }

        return (elements, columns);
    }

    private static ArrowType StorageType(SchemaElement e)
        => e.ConvertedType == ConvertedType.Interval
            ? new FixedSizeBinaryType(12)
            : ParquetLeafTypes.ToArrow(e, ParquetLeafTypes.EffectiveLogicalType(e, 0, null), 0, null);

    private static void Emit(Field field, string name, string path, bool nullable, List<SchemaElement> elements, List<SchemaElement> leaves, int depth)
    {
        if (depth > LeafPaths.MaxDepth)
        {
            throw SchemaErrors.CannotWrite(path, $"nesting deeper than {LeafPaths.MaxDepth} levels", "flatten the schema.");
        }

        var repetition = nullable ? FieldRepetitionType.Optional : FieldRepetitionType.Required;
        int? fieldId = FieldId(field);
        var type = field.Type is DictionaryType d ? d.ValueType : field.Type;
        switch (type)
        {
            case StructType s:
                if (s.Fields.Count == 0)
                {
                    throw SchemaErrors.CannotWrite(path, "a struct without fields", "add a field or drop the struct.");
                }

                elements.Add(new SchemaElement { Name = name, RepetitionType = repetition, NumChildren = s.Fields.Count, FieldId = fieldId });
                foreach (var child in s.Fields)
                {
                    Emit(child, child.Name, path + "." + child.Name, child.Nullable, elements, leaves, depth + 1);
                }

                break;

            case ListType or FixedSizeListType:
                {
                    var value = type is ListType l ? l.ValueField : ((FixedSizeListType)type).ValueField;
                    elements.Add(new SchemaElement { Name = name, RepetitionType = repetition, NumChildren = 1, FieldId = fieldId, LogicalType = LogicalType.List, ConvertedType = ConvertedType.List });
                    elements.Add(new SchemaElement { Name = "list", RepetitionType = FieldRepetitionType.Repeated, NumChildren = 1 });
                    Emit(value, "element", path + ".list.element", value.Nullable, elements, leaves, depth + 1);
                    break;
                }

            case MapType m:
                elements.Add(new SchemaElement { Name = name, RepetitionType = repetition, NumChildren = 1, FieldId = fieldId, LogicalType = LogicalType.Map, ConvertedType = ConvertedType.Map });
                elements.Add(new SchemaElement { Name = "key_value", RepetitionType = FieldRepetitionType.Repeated, NumChildren = 2 });
                Emit(m.KeyField, "key", path + ".key_value.key", nullable: false, elements, leaves, depth + 1);
                Emit(m.ValueField, "value", path + ".key_value.value", m.ValueField.Nullable, elements, leaves, depth + 1);
                break;

            default:
                {
                    var leaf = Leaf(type, path) with { Name = name, RepetitionType = repetition, FieldId = fieldId };
                    elements.Add(leaf);
                    leaves.Add(leaf);
                    break;
                }
        }
    }

    private static int? FieldId(Field field)
        => field.Metadata.TryGetValue(ParquetSchemaMapper.FieldIdKey, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) ? id : null;

    private static SchemaElement Leaf(ArrowType type, string path)
    {
        switch (type.Id)
        {
            case ArrowTypeId.Null: return Element(PhysicalType.Int32, LogicalType.Null);
            case ArrowTypeId.Boolean: return Element(PhysicalType.Boolean);
            case ArrowTypeId.Int8: return Element(PhysicalType.Int32, LogicalType.Integer(8, true), ConvertedType.Int8);
            case ArrowTypeId.Int16: return Element(PhysicalType.Int32, LogicalType.Integer(16, true), ConvertedType.Int16);
            case ArrowTypeId.Int32: return Element(PhysicalType.Int32);
            case ArrowTypeId.Int64: return Element(PhysicalType.Int64);
            case ArrowTypeId.UInt8: return Element(PhysicalType.Int32, LogicalType.Integer(8, false), ConvertedType.UInt8);
            case ArrowTypeId.UInt16: return Element(PhysicalType.Int32, LogicalType.Integer(16, false), ConvertedType.UInt16);
            case ArrowTypeId.UInt32: return Element(PhysicalType.Int32, LogicalType.Integer(32, false), ConvertedType.UInt32);
            case ArrowTypeId.UInt64: return Element(PhysicalType.Int64, LogicalType.Integer(64, false), ConvertedType.UInt64);
            case ArrowTypeId.HalfFloat: return Element(PhysicalType.FixedLenByteArray, LogicalType.Float16) with { TypeLength = 2 };
            case ArrowTypeId.Float: return Element(PhysicalType.Float);
            case ArrowTypeId.Double: return Element(PhysicalType.Double);
            case ArrowTypeId.String or ArrowTypeId.LargeString: return Element(PhysicalType.ByteArray, LogicalType.String, ConvertedType.Utf8);
            case ArrowTypeId.Binary or ArrowTypeId.LargeBinary: return Element(PhysicalType.ByteArray);
            case ArrowTypeId.FixedSizeBinary: return Element(PhysicalType.FixedLenByteArray) with { TypeLength = ((FixedSizeBinaryType)type).ByteWidth };
            case ArrowTypeId.Date32 or ArrowTypeId.Date64: return Element(PhysicalType.Int32, LogicalType.Date, ConvertedType.Date);
            case ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256:
                {
                    var dec = (DecimalType)type;
                    if (dec.Scale < 0 || dec.Scale > dec.Precision)
                    {
                        throw SchemaErrors.CannotWrite(path, $"{dec} (Parquet decimals need 0 ≤ scale ≤ precision)", "rescale the values first.");
                    }

                    var element = dec.Precision <= 9 ? Element(PhysicalType.Int32)
                        : dec.Precision <= 18 ? Element(PhysicalType.Int64)
                        : Element(PhysicalType.FixedLenByteArray) with { TypeLength = ParquetLeafTypes.BytesForPrecision(dec.Precision) };
                    return element with
                    {
                        LogicalType = LogicalType.Decimal(dec.Scale, dec.Precision),
                        ConvertedType = ConvertedType.Decimal,
                        Scale = dec.Scale,
                        Precision = dec.Precision,
                    };
                }

            case ArrowTypeId.Time32:
                return Element(PhysicalType.Int32, LogicalType.Time(true, ParquetTimeUnit.Millis), ConvertedType.TimeMillis);
            case ArrowTypeId.Time64:
                return ((TimeType)type).Unit == ArrowTimeUnit.Microsecond
                    ? Element(PhysicalType.Int64, LogicalType.Time(true, ParquetTimeUnit.Micros), ConvertedType.TimeMicros)
                    : Element(PhysicalType.Int64, LogicalType.Time(true, ParquetTimeUnit.Nanos));
            case ArrowTypeId.Timestamp:
                {
                    var ts = (TimestampType)type;
                    bool utc = ts.TimeZone is not null;
                    var unit = ts.Unit switch
                    {
                        ArrowTimeUnit.Second or ArrowTimeUnit.Millisecond => ParquetTimeUnit.Millis,
                        ArrowTimeUnit.Microsecond => ParquetTimeUnit.Micros,
                        _ => ParquetTimeUnit.Nanos,
                    };
                    ConvertedType? converted = !utc ? null : unit switch
                    {
                        ParquetTimeUnit.Millis => ConvertedType.TimestampMillis,
                        ParquetTimeUnit.Micros => ConvertedType.TimestampMicros,
                        _ => null,
                    };
                    return Element(PhysicalType.Int64, LogicalType.Timestamp(utc, unit), converted);
                }

            case ArrowTypeId.Duration: return Element(PhysicalType.Int64);
            case ArrowTypeId.Interval:
                return ((IntervalType)type).Unit == IntervalUnit.MonthDayNano
                    ? Element(PhysicalType.FixedLenByteArray) with { TypeLength = 16 }
                    : Element(PhysicalType.FixedLenByteArray, null, ConvertedType.Interval) with { TypeLength = 12 };
            default:
                throw SchemaErrors.CannotWrite(path, $"the Arrow type {type}", "convert the column to a supported type first.");
        }
    }

    private static SchemaElement Element(PhysicalType physical, LogicalType? logical = null, ConvertedType? converted = null)
        => new() { Name = string.Empty, Type = physical, LogicalType = logical, ConvertedType = converted };
}
