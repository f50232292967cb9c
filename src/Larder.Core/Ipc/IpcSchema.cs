using Larder.Columnar;
using Larder.Ipc.Flatbuf;

namespace Larder.Ipc;

/// <summary>
/// A field as the IPC layer sees it: the model field plus, for dictionary-encoded fields, the dictionary id, and the
/// same for children (and for the children of a dictionary's value type).
/// </summary>
internal sealed class IpcField
{
    public IpcField(Field field, long? dictionaryId, IpcField[] children)
    {
        Field = field;
        DictionaryId = dictionaryId;
        Children = children;
    }

    public Field Field { get; }

    /// <summary>Set when <see cref="Field"/> is dictionary-encoded.</summary>
    public long? DictionaryId { get; }

    /// <summary>Children of the field's (value) type: list item, struct fields, map entries, or those of the dictionary value type.</summary>
    public IpcField[] Children { get; }
}

/// <summary>A schema plus the IPC view of its fields and the dictionaries it references (id → value field).</summary>
internal sealed class IpcSchema
{
    public IpcSchema(Schema schema, IpcField[] fields, Dictionary<long, IpcField> dictionaries)
    {
        Schema = schema;
        Fields = fields;
        Dictionaries = dictionaries;
    }

    public Schema Schema { get; }

    public IpcField[] Fields { get; }

    /// <summary>
    /// For each dictionary id, a field whose type is the dictionary's value type and whose children carry the ids of
    /// dictionaries nested inside the values.
    /// </summary>
    public Dictionary<long, IpcField> Dictionaries { get; }
}

/// <summary>Converts between the flatbuffer schema of Arrow IPC and Larder's <see cref="Schema"/>. Stateless.</summary>
internal static class IpcSchemaConverter
{
    private const int MaxDepth = ArrayValidator.MaxDepth;

    public static IpcSchema FromFlatbuf(FbSchema fb, string? source)
    {
        if (fb.Endianness != FbEndianness.Little)
        {
            throw LarderErrors.NotSupported(source, "big-endian Arrow data", "convert the file to little-endian with another Arrow implementation first.");
        }

        var dictionaries = new Dictionary<long, IpcField>();
        var fields = new IpcField[fb.Fields.Count];
        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = FromFlatbuf(fb.Fields[i], dictionaries, source, 0);
        }

        var schema = new Schema(fields.Select(f => f.Field), ToMetadata(fb.CustomMetadata));
        return new IpcSchema(schema, fields, dictionaries);
    }

    private static IpcField FromFlatbuf(FbField fb, Dictionary<long, IpcField> dictionaries, string? source, int depth)
    {
        if (depth > MaxDepth)
        {
            throw LarderErrors.Format(source, null, $"the schema nests deeper than {MaxDepth} levels; it is corrupt or too deep to read.");
        }

        string name = fb.Name ?? string.Empty;
        var children = new IpcField[fb.Children.Count];
        for (int i = 0; i < children.Length; i++)
        {
            children[i] = FromFlatbuf(fb.Children[i], dictionaries, source, depth + 1);
        }

        var valueType = ToType(fb, children, source);
        var metadata = ToMetadata(fb.CustomMetadata);
        if (fb.Dictionary is { } dict)
        {
            var indexType = dict.IndexType;
            if (indexType.Kind != FbTypeKind.Int || indexType.BitWidth is not (8 or 16 or 32 or 64))
            {
                throw LarderErrors.Format(source, null, $"field '{name}' has a dictionary index type {indexType} that is not an integer.");
            }

            var valueField = new Field(name, valueType, fb.Nullable, metadata);
            var valueInfo = new IpcField(valueField, null, children);
            if (dictionaries.TryGetValue(dict.Id, out var existing) && !existing.Field.Type.Equals(valueType))
            {
                throw LarderErrors.Format(source, null, $"dictionary {dict.Id} is used with two value types ({existing.Field.Type} and {valueType}).");
            }

            dictionaries[dict.Id] = valueInfo;
            var dictType = new DictionaryType(ArrowType.Integer(indexType.BitWidth, indexType.IsSigned), valueType, dict.IsOrdered);
            return new IpcField(new Field(name, dictType, fb.Nullable, metadata), dict.Id, children);
        }

        return new IpcField(new Field(name, valueType, fb.Nullable, metadata), null, children);
    }

    private static ArrowType ToType(FbField fb, IpcField[] children, string? source)
    {
        var t = fb.Type;
        string name = fb.Name ?? string.Empty;

        void RequireChildren(int n)
        {
            if (children.Length != n)
            {
                throw LarderErrors.Format(source, null, $"field '{name}' of type {t.Kind} has {children.Length} children, {n} expected.");
            }
        }

        void RequireNoChildren()
        {
            if (children.Length != 0)
            {
                throw LarderErrors.Format(source, null, $"field '{name}' of type {t.Kind} must not have children.");
            }
        }

        switch (t.Kind)
        {
            case FbTypeKind.Null: RequireNoChildren(); return ArrowType.Null;
            case FbTypeKind.Bool: RequireNoChildren(); return ArrowType.Boolean;
            case FbTypeKind.Int:
                RequireNoChildren();
                if (t.BitWidth is not (8 or 16 or 32 or 64))
                {
                    throw LarderErrors.Format(source, null, $"field '{name}' has an integer bit width of {t.BitWidth}.");
                }

                return ArrowType.Integer(t.BitWidth, t.IsSigned);
            case FbTypeKind.FloatingPoint:
                RequireNoChildren();
                return t.Precision switch
                {
                    FbPrecision.Half => ArrowType.HalfFloat,
                    FbPrecision.Single => ArrowType.Float,
                    _ => ArrowType.Double,
                };
            case FbTypeKind.Utf8: RequireNoChildren(); return ArrowType.String;
            case FbTypeKind.LargeUtf8: RequireNoChildren(); return ArrowType.LargeString;
            case FbTypeKind.Binary: RequireNoChildren(); return ArrowType.Binary;
            case FbTypeKind.LargeBinary: RequireNoChildren(); return ArrowType.LargeBinary;
            case FbTypeKind.FixedSizeBinary:
                RequireNoChildren();
                if (t.ByteWidth <= 0)
                {
                    throw LarderErrors.Format(source, null, $"field '{name}' has a fixed-size binary width of {t.ByteWidth}.");
                }

                return new FixedSizeBinaryType(t.ByteWidth);
            case FbTypeKind.Decimal:
                RequireNoChildren();
                if (t.BitWidth is not (128 or 256))
                {
                    throw LarderErrors.NotSupported(source, $"decimal{t.BitWidth} (field '{name}')", "only decimal128 and decimal256 are supported.");
                }

                if (t.DecimalPrecision < 1 || t.DecimalPrecision > (t.BitWidth == 128 ? 38 : 76))
                {
                    throw LarderErrors.Format(source, null, $"field '{name}' has decimal precision {t.DecimalPrecision}, outside 1..{(t.BitWidth == 128 ? 38 : 76)}.");
                }

                return new DecimalType(t.DecimalPrecision, t.DecimalScale, t.BitWidth);
            case FbTypeKind.Date:
                RequireNoChildren();
                return t.DateUnit == FbDateUnit.Day ? ArrowType.Date32 : ArrowType.Date64;
            case FbTypeKind.Time:
                {
                    RequireNoChildren();
                    var unit = ToUnit(t.TimeUnit);
                    int expectedWidth = unit is TimeUnit.Second or TimeUnit.Millisecond ? 32 : 64;
                    if (t.BitWidth != expectedWidth)
                    {
                        throw LarderErrors.Format(source, null, $"field '{name}' is time[{unit}] with bit width {t.BitWidth}; {expectedWidth} expected.");
                    }

                    return new TimeType(unit);
                }

            case FbTypeKind.Timestamp: RequireNoChildren(); return new TimestampType(ToUnit(t.TimeUnit), t.Timezone);
            case FbTypeKind.Duration: RequireNoChildren(); return new DurationType(ToUnit(t.TimeUnit));
            case FbTypeKind.Interval:
                RequireNoChildren();
                return new IntervalType(t.IntervalUnit switch
                {
                    FbIntervalUnit.YearMonth => IntervalUnit.YearMonth,
                    FbIntervalUnit.DayTime => IntervalUnit.DayTime,
                    _ => IntervalUnit.MonthDayNano,
                });
            case FbTypeKind.List:
                RequireChildren(1);
                return new ListType(ValueFieldOf(children[0]));
            case FbTypeKind.LargeList:
                RequireChildren(1);
                return new ListType(ValueFieldOf(children[0]), large: true);
            case FbTypeKind.FixedSizeList:
                RequireChildren(1);
                if (t.ListSize < 0)
                {
                    throw LarderErrors.Format(source, null, $"field '{name}' has a fixed-size list size of {t.ListSize}.");
                }

                return new FixedSizeListType(ValueFieldOf(children[0]), t.ListSize);
            case FbTypeKind.Struct:
                return new StructType(children.Select(ValueFieldOf));
            case FbTypeKind.Map:
                {
                    RequireChildren(1);
                    var entries = ValueFieldOf(children[0]);
                    if (entries.Type is not StructType { Fields.Count: 2 })
                    {
                        throw LarderErrors.Format(source, null, $"map field '{name}' must have one struct child with two fields (key, value).");
                    }

                    return new MapType(entries, t.KeysSorted);
                }

            case FbTypeKind.Union:
                throw LarderErrors.NotSupported(source, $"the union type (field '{name}')", "convert unions to a struct or separate columns before writing the file.");
            case FbTypeKind.RunEndEncoded:
                throw LarderErrors.NotSupported(source, $"the run-end encoded type (field '{name}')", "decode run-end encoding before writing the file.");
            case FbTypeKind.BinaryView or FbTypeKind.Utf8View or FbTypeKind.ListView or FbTypeKind.LargeListView:
                throw LarderErrors.NotSupported(source, $"the view type {t.Kind} (field '{name}')", "write the file with plain (non-view) string, binary and list types.");
            default:
                throw LarderErrors.Format(source, null, $"field '{name}' has an unknown type {t.Kind}.");
        }
    }

    private static Field ValueFieldOf(IpcField f) => f.Field;

    private static TimeUnit ToUnit(FbTimeUnit unit) => unit switch
    {
        FbTimeUnit.Second => TimeUnit.Second,
        FbTimeUnit.Millisecond => TimeUnit.Millisecond,
        FbTimeUnit.Microsecond => TimeUnit.Microsecond,
        _ => TimeUnit.Nanosecond,
    };

    private static FbTimeUnit FromUnit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => FbTimeUnit.Second,
        TimeUnit.Millisecond => FbTimeUnit.Millisecond,
        TimeUnit.Microsecond => FbTimeUnit.Microsecond,
        _ => FbTimeUnit.Nanosecond,
    };

    public static KeyValueMetadata ToMetadata(IReadOnlyList<KeyValuePair<string, string>>? items)
        => items is null || items.Count == 0 ? KeyValueMetadata.Empty : new KeyValueMetadata(items);

    private static IReadOnlyList<KeyValuePair<string, string>>? FromMetadata(KeyValueMetadata metadata)
        => metadata.Count == 0 ? null : metadata.ToArray();

    /// <summary>The flatbuffer schema for <paramref name="schema"/>, assigning dictionary ids 0, 1, … in depth-first order.</summary>
    public static (FbSchema Flatbuf, IpcSchema Ipc) ToFlatbuf(Schema schema)
    {
        var dictionaries = new Dictionary<long, IpcField>();
        long nextId = 0;
        var fbFields = new FbField[schema.Count];
        var ipcFields = new IpcField[schema.Count];
        for (int i = 0; i < schema.Count; i++)
        {
            (fbFields[i], ipcFields[i]) = ToFlatbuf(schema[i], dictionaries, ref nextId);
        }

        var fb = new FbSchema(fbFields, FromMetadata(schema.Metadata));
        return (fb, new IpcSchema(schema, ipcFields, dictionaries));
    }

    private static (FbField, IpcField) ToFlatbuf(Field field, Dictionary<long, IpcField> dictionaries, ref long nextId)
    {
        var type = field.Type;
        FbDictionaryEncoding? encoding = null;
        long? id = null;
        if (type is DictionaryType dt)
        {
            id = nextId++;
            encoding = new FbDictionaryEncoding(id.Value, FbType.Int(dt.IndexType.BitWidth, dt.IndexType.IsSignedInteger), dt.Ordered);
            type = dt.ValueType;
        }

        var childFields = type switch
        {
            ListType l => [l.ValueField],
            FixedSizeListType f => [f.ValueField],
            StructType s => s.Fields,
            MapType m => [m.EntriesField],
            _ => (IReadOnlyList<Field>)[],
        };

        var fbChildren = new FbField[childFields.Count];
        var ipcChildren = new IpcField[childFields.Count];
        for (int i = 0; i < childFields.Count; i++)
        {
            (fbChildren[i], ipcChildren[i]) = ToFlatbuf(childFields[i], dictionaries, ref nextId);
        }

        var fb = new FbField(field.Name, field.Nullable, ToFbType(type), encoding, fbChildren, FromMetadata(field.Metadata));
        var ipc = new IpcField(field, id, ipcChildren);
        if (id is long dictId)
        {
            dictionaries[dictId] = new IpcField(field.WithType(type), null, ipcChildren);
        }

        return (fb, ipc);
    }

    private static FbType ToFbType(ArrowType type) => type switch
    {
        { Id: ArrowTypeId.Null } => FbType.Null,
        { Id: ArrowTypeId.Boolean } => FbType.Bool,
        { IsInteger: true } => FbType.Int(type.BitWidth, type.IsSignedInteger),
        { Id: ArrowTypeId.HalfFloat } => FbType.FloatingPoint(FbPrecision.Half),
        { Id: ArrowTypeId.Float } => FbType.FloatingPoint(FbPrecision.Single),
        { Id: ArrowTypeId.Double } => FbType.FloatingPoint(FbPrecision.Double),
        { Id: ArrowTypeId.String } => FbType.Utf8,
        { Id: ArrowTypeId.LargeString } => FbType.LargeUtf8,
        { Id: ArrowTypeId.Binary } => FbType.Binary,
        { Id: ArrowTypeId.LargeBinary } => FbType.LargeBinary,
        FixedSizeBinaryType f => FbType.FixedSizeBinary(f.ByteWidth),
        DecimalType d => FbType.Decimal(d.Precision, d.Scale, d.DecimalBitWidth),
        { Id: ArrowTypeId.Date32 } => FbType.Date(FbDateUnit.Day),
        { Id: ArrowTypeId.Date64 } => FbType.Date(FbDateUnit.Millisecond),
        TimeType t => FbType.Time(FromUnit(t.Unit), t.BitWidth),
        TimestampType t => FbType.Timestamp(FromUnit(t.Unit), t.TimeZone),
        DurationType d => FbType.Duration(FromUnit(d.Unit)),
        IntervalType i => FbType.Interval(i.Unit switch
        {
            IntervalUnit.YearMonth => FbIntervalUnit.YearMonth,
            IntervalUnit.DayTime => FbIntervalUnit.DayTime,
            _ => FbIntervalUnit.MonthDayNano,
        }),
        ListType l => l.IsLarge ? FbType.LargeList : FbType.List,
        FixedSizeListType f => FbType.FixedSizeList(f.ListSize),
        StructType => FbType.Struct,
        MapType m => FbType.Map(m.KeysSorted),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "type cannot be written to Arrow IPC"),
    };
}
