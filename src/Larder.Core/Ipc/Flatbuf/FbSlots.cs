namespace Larder.Ipc.Flatbuf;

// Vtable slot numbers of the Arrow tables: the field's position in its .fbs table, where a union field takes two slots
// (its `_type` discriminant, then the value). Sizes: a table has as many slots as its last field + 1.

internal static class MessageSlots
{
    public const int Count = 5;
    public const int Version = 0;
    public const int HeaderType = 1;
    public const int Header = 2;
    public const int BodyLength = 3;
    public const int CustomMetadata = 4;
}

internal static class FooterSlots
{
    public const int Count = 5;
    public const int Version = 0;
    public const int Schema = 1;
    public const int Dictionaries = 2;
    public const int RecordBatches = 3;
    public const int CustomMetadata = 4;
}

internal static class SchemaSlots
{
    public const int Count = 4;
    public const int Endianness = 0;
    public const int Fields = 1;
    public const int CustomMetadata = 2;
    public const int Features = 3;
}

internal static class FieldSlots
{
    public const int Count = 7;
    public const int Name = 0;
    public const int Nullable = 1;
    public const int TypeType = 2;
    public const int Type = 3;
    public const int Dictionary = 4;
    public const int Children = 5;
    public const int CustomMetadata = 6;
}

internal static class KeyValueSlots
{
    public const int Count = 2;
    public const int Key = 0;
    public const int Value = 1;
}

internal static class DictionaryEncodingSlots
{
    public const int Count = 4;
    public const int Id = 0;
    public const int IndexType = 1;
    public const int IsOrdered = 2;
    public const int DictionaryKind = 3;
}

internal static class RecordBatchSlots
{
    public const int Count = 5;
    public const int Length = 0;
    public const int Nodes = 1;
    public const int Buffers = 2;
    public const int Compression = 3;
    public const int VariadicBufferCounts = 4;
}

internal static class BodyCompressionSlots
{
    public const int Count = 2;
    public const int Codec = 0;
    public const int Method = 1;
}

internal static class DictionaryBatchSlots
{
    public const int Count = 3;
    public const int Id = 0;
    public const int Data = 1;
    public const int IsDelta = 2;
}

/// <summary>Slots of the tables of the <c>Type</c> union (each has at most three fields).</summary>
internal static class TypeSlots
{
    public const int IntBitWidth = 0;
    public const int IntIsSigned = 1;
    public const int FloatingPointPrecision = 0;
    public const int DecimalPrecision = 0;
    public const int DecimalScale = 1;
    public const int DecimalBitWidth = 2;
    public const int DateUnit = 0;
    public const int TimeUnit = 0;
    public const int TimeBitWidth = 1;
    public const int TimestampUnit = 0;
    public const int TimestampTimezone = 1;
    public const int IntervalUnit = 0;
    public const int DurationUnit = 0;
    public const int FixedSizeBinaryByteWidth = 0;
    public const int FixedSizeListListSize = 0;
    public const int MapKeysSorted = 0;
    public const int UnionMode = 0;
    public const int UnionTypeIds = 1;
}

/// <summary>Byte sizes of the Arrow structs in vectors.</summary>
internal static class StructSizes
{
    /// <summary>FieldNode: length i64, null_count i64.</summary>
    public const int FieldNode = 16;

    /// <summary>Buffer: offset i64, length i64.</summary>
    public const int Buffer = 16;

    /// <summary>Block: offset i64, metaDataLength i32, 4 bytes padding, bodyLength i64.</summary>
    public const int Block = 24;
}
