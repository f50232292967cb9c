using Larder.Columnar;

namespace Larder.Parquet.SchemaMapping;

/// <summary>
/// Applies a stored Arrow schema (<c>ARROW:schema</c>) to the fields derived from a Parquet schema: where the stored type
/// is compatible with the Parquet column, the stored type wins; elsewhere the derived type stays. Nullability always
/// comes from Parquet (it decides the definition levels). Stateless.
/// </summary>
/// <remarks>
/// Compatible means: the same type; or one of the conversions listed on <see cref="ParquetColumnSchema"/> (dictionary over
/// its value type, large over small, fixed-size or large list over list, duration over int64, date64 over date32,
/// timestamp[s] over timestamp[ms] and time32[s] over time32[ms], any zone over "UTC" and none over none, decimal256 over
/// decimal128 with equal precision and scale and vice versa, intervals over fixed_size_binary[12] / [16]). Structs must
/// have the same field names in the same order; list and map children take the stored names (Parquet's
/// <c>element</c> / <c>key_value</c> are conventions); map key sortedness and field metadata come from the stored schema
/// (the <c>PARQUET:field_id</c> of the file is kept).
/// </remarks>
internal static class ArrowSchemaRestorer
{
    /// <summary>The stored field when compatible (with Parquet's nullability), else <paramref name="derived"/>.</summary>
    public static Field Restore(Field derived, Field stored)
    {
        if (derived.Name != stored.Name)
        {
            return derived;
        }

        return RestoreNested(derived, stored);
    }

    private static Field RestoreNested(Field derived, Field stored)
    {
        var type = RestoreType(derived.Type, stored.Type) ?? derived.Type;
        var metadata = stored.Metadata;
        foreach (var kv in derived.Metadata)
        {
            if (!metadata.ContainsKey(kv.Key))
            {
                metadata = metadata.With(kv.Key, kv.Value);
            }
        }

        return new Field(derived.Name, type, derived.Nullable, metadata);
    }

    private static ArrowType? RestoreType(ArrowType derived, ArrowType stored)
    {
        if (stored is DictionaryType dictionary)
        {
            var values = RestoreType(derived, dictionary.ValueType);
            return values is null || values.IsNested ? null : new DictionaryType(dictionary.IndexType, values, dictionary.Ordered);
        }

        switch (derived)
        {
            case StructType ds when stored is StructType ss:
                {
                    if (ds.Fields.Count != ss.Fields.Count)
                    {
                        return null;
                    }

                    var fields = new Field[ds.Fields.Count];
                    for (int i = 0; i < fields.Length; i++)
                    {
                        fields[i] = Restore(ds.Fields[i], ss.Fields[i]);
                    }

                    return new StructType(fields);
                }

            case ListType dl:
                {
                    switch (stored)
                    {
                        case ListType sl:
                            return new ListType(Renamed(dl.ValueField, sl.ValueField), sl.IsLarge);
                        case FixedSizeListType sf:
                            return new FixedSizeListType(Renamed(dl.ValueField, sf.ValueField), sf.ListSize);
                        default:
                            return null;
                    }
                }

            case MapType dm when stored is MapType sm:
                {
                    var key = Renamed(dm.KeyField, sm.KeyField);
                    var value = Renamed(dm.ValueField, sm.ValueField);
                    var entries = new Field(sm.EntriesField.Name, new StructType([key, value]), nullable: false, sm.EntriesField.Metadata);
                    return new MapType(entries, sm.KeysSorted);
                }

            default:
                return derived.IsNested || stored.IsNested ? null : (LeafCompatible(derived, stored) ? stored : null);
        }
    }

    /// <summary>A list or map child: restored under the stored name.</summary>
    private static Field Renamed(Field derived, Field stored) => RestoreNested(derived.WithName(stored.Name), stored);

    private static bool LeafCompatible(ArrowType derived, ArrowType stored)
    {
        if (derived.Equals(stored))
        {
            return true;
        }

        return (derived, stored) switch
        {
            ({ Id: ArrowTypeId.String }, { Id: ArrowTypeId.LargeString }) => true,
            ({ Id: ArrowTypeId.Binary }, { Id: ArrowTypeId.LargeBinary }) => true,
            ({ Id: ArrowTypeId.Int64 }, DurationType) => true,
            ({ Id: ArrowTypeId.Date32 }, { Id: ArrowTypeId.Date64 }) => true,
            (TimeType { Unit: TimeUnit.Millisecond }, TimeType { Unit: TimeUnit.Second }) => true,
            (TimestampType d, TimestampType s) => (d.TimeZone is null) == (s.TimeZone is null)
                && (d.Unit == s.Unit || (d.Unit == TimeUnit.Millisecond && s.Unit == TimeUnit.Second)),
            (DecimalType d, DecimalType s) => d.Precision == s.Precision && d.Scale == s.Scale,
            (FixedSizeBinaryType { ByteWidth: 12 }, IntervalType { Unit: IntervalUnit.YearMonth or IntervalUnit.DayTime }) => true,
            (FixedSizeBinaryType { ByteWidth: 16 }, IntervalType { Unit: IntervalUnit.MonthDayNano }) => true,
            _ => false,
        };
    }
}
