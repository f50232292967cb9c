namespace Larder.Ipc.Flatbuf;

// Enums of Arrow's Schema.fbs / Message.fbs. Numeric values are the on-wire values; the underlying types are the wire
// types. Decoders reject any other value (LarderFormatException).

/// <summary><c>MetadataVersion</c> (short) of Schema.fbs. V4 is Arrow 0.8–0.17, V5 is Arrow ≥ 1.0.</summary>
internal enum MetadataVersion : short
{
    V1 = 0,
    V2 = 1,
    V3 = 2,
    V4 = 3,
    V5 = 4,
}

/// <summary><c>Endianness</c> (short) of Schema.fbs.</summary>
internal enum FbEndianness : short
{
    Little = 0,
    Big = 1,
}

/// <summary>The members of the <c>Type</c> union of Schema.fbs; values are the union discriminants (0 is NONE).</summary>
internal enum FbTypeKind : byte
{
    Null = 1,
    Int = 2,
    FloatingPoint = 3,
    Binary = 4,
    Utf8 = 5,
    Bool = 6,
    Decimal = 7,
    Date = 8,
    Time = 9,
    Timestamp = 10,
    Interval = 11,
    List = 12,

    /// <summary><c>Struct_</c> in Schema.fbs.</summary>
    Struct = 13,
    Union = 14,
    FixedSizeBinary = 15,
    FixedSizeList = 16,
    Map = 17,
    Duration = 18,
    LargeBinary = 19,
    LargeUtf8 = 20,
    LargeList = 21,
    RunEndEncoded = 22,
    BinaryView = 23,
    Utf8View = 24,
    ListView = 25,
    LargeListView = 26,
}

/// <summary><c>Precision</c> (short) of <c>FloatingPoint</c>.</summary>
internal enum FbPrecision : short
{
    Half = 0,
    Single = 1,
    Double = 2,
}

/// <summary><c>DateUnit</c> (short) of <c>Date</c>.</summary>
internal enum FbDateUnit : short
{
    Day = 0,
    Millisecond = 1,
}

/// <summary><c>TimeUnit</c> (short) of <c>Time</c>, <c>Timestamp</c> and <c>Duration</c>.</summary>
internal enum FbTimeUnit : short
{
    Second = 0,
    Millisecond = 1,
    Microsecond = 2,
    Nanosecond = 3,
}

/// <summary><c>IntervalUnit</c> (short) of <c>Interval</c>.</summary>
internal enum FbIntervalUnit : short
{
    YearMonth = 0,
    DayTime = 1,
    MonthDayNano = 2,
}

/// <summary><c>UnionMode</c> (short) of <c>Union</c>.</summary>
internal enum FbUnionMode : short
{
    Sparse = 0,
    Dense = 1,
}

/// <summary><c>DictionaryKind</c> (short) of <c>DictionaryEncoding</c>.</summary>
internal enum FbDictionaryKind : short
{
    DenseArray = 0,
}

/// <summary><c>CompressionType</c> (byte) of <c>BodyCompression</c> (Message.fbs).</summary>
internal enum FbCompressionCodec : sbyte
{
    Lz4Frame = 0,
    Zstd = 1,
}

/// <summary><c>BodyCompressionMethod</c> (byte) of <c>BodyCompression</c> (Message.fbs).</summary>
internal enum FbCompressionMethod : sbyte
{
    /// <summary>Each buffer compressed on its own, prefixed by its uncompressed length as int64 (-1: stored raw).</summary>
    Buffer = 0,
}

/// <summary>The members of the <c>MessageHeader</c> union of Message.fbs; values are the union discriminants.</summary>
internal enum FbMessageHeaderType : byte
{
    None = 0,
    Schema = 1,
    DictionaryBatch = 2,
    RecordBatch = 3,
    Tensor = 4,
    SparseTensor = 5,
}

/// <summary>Values of the <c>Feature</c> enum (long) of Schema.fbs, as found in <see cref="FbSchema.Features"/>.</summary>
internal static class FbFeature
{
    public const long Unused = 0;
    public const long DictionaryReplacement = 1;
    public const long CompressedBody = 2;
}
