namespace Larder.Parquet.Metadata;

// The enums of parquet.thrift. Values are the wire values. A file from a newer writer may hold a value not named here: it
// is kept as is (an enum holds any int) rather than rejected, and the layer that needs the value decides what to do.

/// <summary><c>Type</c> of parquet.thrift: the physical (storage) type of a leaf column.</summary>
public enum PhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    /// <summary>Deprecated 12-byte timestamps (nanoseconds of the day, then the Julian day).</summary>
    Int96 = 3,
    Float = 4,
    Double = 5,
    ByteArray = 6,
    FixedLenByteArray = 7,
}

/// <summary><c>ConvertedType</c> of parquet.thrift: the deprecated annotation superseded by <see cref="LogicalType"/>.</summary>
public enum ConvertedType
{
    Utf8 = 0,
    Map = 1,
    MapKeyValue = 2,
    List = 3,
    Enum = 4,
    Decimal = 5,
    Date = 6,
    TimeMillis = 7,
    TimeMicros = 8,
    TimestampMillis = 9,
    TimestampMicros = 10,
    UInt8 = 11,
    UInt16 = 12,
    UInt32 = 13,
    UInt64 = 14,
    Int8 = 15,
    Int16 = 16,
    Int32 = 17,
    Int64 = 18,
    Json = 19,
    Bson = 20,
    Interval = 21,
}

/// <summary><c>FieldRepetitionType</c> of parquet.thrift.</summary>
public enum FieldRepetitionType
{
    Required = 0,
    Optional = 1,
    Repeated = 2,
}

/// <summary><c>Encoding</c> of parquet.thrift: how the values (or levels) of a page are encoded.</summary>
public enum Encoding
{
    Plain = 0,
    /// <summary>Deprecated: dictionary encoding (PLAIN dictionary page, RLE indexes).</summary>
    PlainDictionary = 2,
    Rle = 3,
    /// <summary>Deprecated: bit-packed levels.</summary>
    BitPacked = 4,
    DeltaBinaryPacked = 5,
    DeltaLengthByteArray = 6,
    DeltaByteArray = 7,
    RleDictionary = 8,
    ByteStreamSplit = 9,
}

/// <summary><c>CompressionCodec</c> of parquet.thrift.</summary>
public enum CompressionCodec
{
    Uncompressed = 0,
    Snappy = 1,
    Gzip = 2,
    Lzo = 3,
    Brotli = 4,
    /// <summary>Deprecated: LZ4 with Hadoop framing (or, from some writers, raw blocks).</summary>
    Lz4 = 5,
    Zstd = 6,
    Lz4Raw = 7,
}

/// <summary><c>PageType</c> of parquet.thrift.</summary>
public enum PageType
{
    DataPage = 0,
    IndexPage = 1,
    DictionaryPage = 2,
    DataPageV2 = 3,
}

/// <summary><c>TimeUnit</c> of parquet.thrift (a union of empty structs; the value is the union member id).</summary>
public enum TimeUnit
{
    Millis = 1,
    Micros = 2,
    Nanos = 3,
}

/// <summary>
/// The members of the <c>LogicalType</c> union of parquet.thrift; the value is the union member id.
/// <see cref="Unknown"/> stands for a member this version does not know (or an empty union); <see cref="Null"/> is the
/// member parquet.thrift calls <c>UNKNOWN</c> (a column that is always null).
/// </summary>
public enum LogicalTypeKind
{
    Unknown = 0,
    String = 1,
    Map = 2,
    List = 3,
    Enum = 4,
    Decimal = 5,
    Date = 6,
    Time = 7,
    Timestamp = 8,
    Integer = 10,
    Null = 11,
    Json = 12,
    Bson = 13,
    Uuid = 14,
    Float16 = 15,
}

/// <summary>
/// The members of the <c>ColumnOrder</c> union of parquet.thrift; the value is the union member id. An id this version
/// does not know is kept as is; <see cref="Undefined"/> is an empty union. Readers ignore min/max statistics of columns
/// whose order they do not know.
/// </summary>
public enum ColumnOrderKind
{
    Undefined = 0,
    TypeDefinedOrder = 1,
    Ieee754TotalOrder = 2,
    Int96TimestampOrder = 3,
}
