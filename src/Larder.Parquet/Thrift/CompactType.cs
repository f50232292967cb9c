namespace Larder.Parquet.Thrift;

/// <summary>
/// The 4-bit type ids of the Thrift compact protocol. In a field header <see cref="BoolTrue"/> and <see cref="BoolFalse"/>
/// carry the value of a bool field; as a list, set or map element type, 1 and 2 both mean bool (a byte per element).
/// </summary>
internal enum CompactType : byte
{
    Stop = 0,
    BoolTrue = 1,
    BoolFalse = 2,
    Byte = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Double = 7,
    Binary = 8,
    List = 9,
    Set = 10,
    Map = 11,
    Struct = 12,
    Uuid = 13,
}

/// <summary>The header of a list or set: its element type and element count.</summary>
internal readonly record struct ThriftListHeader(CompactType ElementType, int Count);

/// <summary>The header of a map: key and value types and the pair count (types are <see cref="CompactType.Stop"/> when empty).</summary>
internal readonly record struct ThriftMapHeader(CompactType KeyType, CompactType ValueType, int Count);

/// <summary>
/// Limits that keep a <see cref="ThriftCompactReader"/> linear in its input on hostile bytes.
/// </summary>
/// <param name="MaxDepth">Deepest nesting of structs, lists, sets and maps accepted (a guard against stack exhaustion).</param>
/// <param name="MaxObjects">Most structs and collection elements decoding may announce in total.</param>
internal readonly record struct ThriftLimits(int MaxDepth, long MaxObjects)
{
    /// <summary>The default nesting limit: 64 levels (parquet.thrift needs 6).</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>
    /// Limits for an input of <paramref name="length"/> bytes. Every struct and collection element occupies at least one
    /// byte, so twice the length (plus slack) never rejects valid input while bounding what decoding can allocate.
    /// </summary>
    public static ThriftLimits ForLength(int length) => new(DefaultMaxDepth, (2L * length) + 1024);
}
