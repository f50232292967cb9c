using System.Buffers.Binary;
using System.Text.Unicode;

namespace Larder.Parquet.Thrift;

/// <summary>
/// A verifying reader of the Thrift compact protocol over one span. Every length, count, varint and type id is checked
/// against the remaining input before it is used, so hostile bytes raise <see cref="LarderFormatException"/> (naming what
/// was malformed and its absolute offset, <c>BaseOffset + position</c>) and never an index, overflow, out-of-memory or
/// stack-overflow error:
/// <list type="bullet">
/// <item>input ending inside a value throws <see cref="ThriftTruncatedException"/> (more bytes may complete it);</item>
/// <item>a list, set or map announcing more elements than the remaining bytes can hold fails before anything is allocated
/// (every element occupies at least one byte);</item>
/// <item>nesting of structs and collections is limited (<see cref="ThriftLimits.MaxDepth"/>) and the structs and
/// elements announced are budgeted (<see cref="ThriftLimits.MaxObjects"/>), so decoding is linear in the input.</item>
/// </list>
/// Usage for a struct: <c>var saved = r.BeginStruct("X"); while (r.ReadFieldHeader(out var t, out var id)) { ...
/// default: r.Skip(t); } r.EndStruct(saved);</c>. Not thread safe; a mutable ref struct, pass it by <c>ref</c>.
/// </summary>
internal ref struct ThriftCompactReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly ThriftLimits _limits;
    private int _position;
    private int _depth;
    private long _objects;
    private short _lastFieldId;

    /// <summary>Reads <paramref name="data"/>; <paramref name="source"/> and <paramref name="baseOffset"/> only locate errors.</summary>
    public ThriftCompactReader(ReadOnlySpan<byte> data, string? source, long baseOffset, ThriftLimits limits)
    {
        _data = data;
        _limits = limits;
        Source = source;
        BaseOffset = baseOffset;
    }

    /// <summary>Reads <paramref name="data"/> with <see cref="ThriftLimits.ForLength"/> limits.</summary>
    public ThriftCompactReader(ReadOnlySpan<byte> data, string? source, long baseOffset)
        : this(data, source, baseOffset, ThriftLimits.ForLength(data.Length))
    {
    }

    /// <summary>The file or stream name used in error messages.</summary>
    public string? Source { get; }

    /// <summary>The absolute offset of byte 0 of the input, used in error messages.</summary>
    public long BaseOffset { get; }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>The absolute offset of the next byte.</summary>
    public readonly long Offset => BaseOffset + _position;

    /// <summary>A format error at the current position.</summary>
    public readonly LarderFormatException Malformed(string what) => ParquetMetadataErrors.Malformed(Source, Offset, what);

    /// <summary>A format error for an out-of-range value read just before the current position.</summary>
    public readonly LarderFormatException Invalid(long offset, string what) => ParquetMetadataErrors.InvalidValue(Source, offset, what);

    /// <summary>
    /// Enters a struct: checks the nesting limit, charges the object budget and resets the field-id delta base.
    /// Returns the enclosing struct's last field id, to hand back to <see cref="EndStruct"/>.
    /// </summary>
    public short BeginStruct(string what)
    {
        Enter(what);
        Charge(1, what);
        short saved = _lastFieldId;
        _lastFieldId = 0;
        return saved;
    }

    /// <summary>Leaves a struct whose stop field <see cref="ReadFieldHeader"/> has consumed.</summary>
    public void EndStruct(short saved)
    {
        _lastFieldId = saved;
        _depth--;
    }

    /// <summary>
    /// Reads a field header (short form with a 1–15 id delta, or long form with a zigzag i16 id). Returns false at the
    /// stop field. A bool field's value is in <paramref name="type"/> (<see cref="CompactType.BoolTrue"/> or
    /// <see cref="CompactType.BoolFalse"/>); read it with <see cref="ReadBoolField"/>.
    /// </summary>
    public bool ReadFieldHeader(out CompactType type, out short id)
    {
        long at = Offset;
        byte header = ReadByte("a field header");
        if (header == 0)
        {
            type = CompactType.Stop;
            id = 0;
            return false;
        }

        int typeId = header & 0x0F;
        if (typeId == 0 || typeId > (int)CompactType.Uuid)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"field header 0x{header:X2} has the unknown type id {typeId}");
        }

        int delta = header >> 4;
        int fieldId = delta != 0 ? _lastFieldId + delta : ReadI16();
        if (fieldId > short.MaxValue)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"field id {fieldId} is out of range");
        }

        type = (CompactType)typeId;
        id = (short)fieldId;
        _lastFieldId = id;
        return true;
    }

    /// <summary>The value of a bool field whose header had type <paramref name="type"/>; throws for any other type.</summary>
    public readonly bool ReadBoolField(CompactType type, string field)
        => type switch
        {
            CompactType.BoolTrue => true,
            CompactType.BoolFalse => false,
            _ => throw ParquetMetadataErrors.WrongType(Source, Offset, field, type, CompactType.BoolTrue),
        };

    /// <summary>Throws unless a field's wire type is <paramref name="expected"/>.</summary>
    public readonly void Expect(CompactType actual, CompactType expected, string field)
    {
        if (actual != expected)
        {
            throw ParquetMetadataErrors.WrongType(Source, Offset, field, actual, expected);
        }
    }

    /// <summary>A bool list element (one byte, 0 or 1; other values are accepted as true, as Thrift does).</summary>
    public bool ReadBoolElement() => ReadByte("a bool") != 0;

    /// <summary>An i8 (one byte, two's complement).</summary>
    public sbyte ReadI8() => unchecked((sbyte)ReadByte("an i8"));

    /// <summary>An i16: a zigzag varint that must fit 16 bits.</summary>
    public short ReadI16()
    {
        long at = Offset;
        int value = ReadI32Core("an i16");
        if (value is < short.MinValue or > short.MaxValue)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"the i16 value {value} is out of range");
        }

        return (short)value;
    }

    /// <summary>An i32: a zigzag varint of at most 5 bytes that must fit 32 bits.</summary>
    public int ReadI32() => ReadI32Core("an i32");

    /// <summary>An i64: a zigzag varint of at most 10 bytes.</summary>
    public long ReadI64()
    {
        ulong raw = ReadVarint64("an i64");
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>A double: 8 bytes, little endian (the compact protocol's de-facto order).</summary>
    public double ReadDouble()
    {
        Require(8, "a double");
        double value = BinaryPrimitives.ReadDoubleLittleEndian(_data.Slice(_position, 8));
        _position += 8;
        return value;
    }

    /// <summary>A UUID: 16 bytes as stored.</summary>
    public ReadOnlySpan<byte> ReadUuid()
    {
        Require(16, "a uuid");
        var value = _data.Slice(_position, 16);
        _position += 16;
        return value;
    }

    /// <summary>A binary value: a varint length (non-negative, within the remaining input) and that many bytes, not copied.</summary>
    public ReadOnlySpan<byte> ReadBinary(string what)
    {
        long at = Offset;
        ulong length = ReadVarint64(what);
        if (length > int.MaxValue)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"{what} has the invalid length {length}");
        }

        Require((int)length, what);
        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    /// <summary>A binary value copied into a new array (empty values share <see cref="Array.Empty{T}"/>).</summary>
    public byte[] ReadBinaryCopy(string what)
    {
        var span = ReadBinary(what);
        return span.IsEmpty ? [] : span.ToArray();
    }

    /// <summary>A string: a binary value that must be valid UTF-8.</summary>
    public string ReadString(string what)
    {
        long at = Offset;
        var bytes = ReadBinary(what);
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (!Utf8.IsValid(bytes))
        {
            throw ParquetMetadataErrors.InvalidUtf8(Source, at, what);
        }

        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// A list or set header: short form (size 0–14 in the high nibble) or long form (nibble 15, then a varint size). The
    /// count is checked against the remaining input (each element occupies at least its minimum encoded size) and charged
    /// to the object budget, and nesting is entered: call <see cref="EndCollection"/> after the elements.
    /// </summary>
    public ThriftListHeader BeginList(string what)
    {
        long at = Offset;
        byte header = ReadByte(what);
        var elementType = ElementType(header & 0x0F, at, what);
        int count = header >> 4;
        if (count == 15)
        {
            count = ReadSize(what);
        }

        Enter(what);
        CheckCount(count, MinimumSize(elementType), at, what);
        return new ThriftListHeader(elementType, count);
    }

    /// <summary>
    /// A map header: a varint size, then (when not empty) a byte with the key and value types. Checked and charged like
    /// <see cref="BeginList"/>; call <see cref="EndCollection"/> after the pairs.
    /// </summary>
    public ThriftMapHeader BeginMap(string what)
    {
        long at = Offset;
        int count = ReadSize(what);
        Enter(what);
        if (count == 0)
        {
            return new ThriftMapHeader(CompactType.Stop, CompactType.Stop, 0);
        }

        byte types = ReadByte(what);
        var keyType = ElementType(types >> 4, at, what);
        var valueType = ElementType(types & 0x0F, at, what);
        CheckCount(count, MinimumSize(keyType) + MinimumSize(valueType), at, what);
        return new ThriftMapHeader(keyType, valueType, count);
    }

    /// <summary>Leaves a list, set or map entered with <see cref="BeginList"/> or <see cref="BeginMap"/>.</summary>
    public void EndCollection() => _depth--;

    /// <summary>
    /// Skips one value of wire type <paramref name="type"/> (a field header's type or an element type), whatever it
    /// holds: unknown fields of newer writers are passed over, not rejected. Bounded by the nesting limit.
    /// </summary>
    public void Skip(CompactType type)
    {
        switch (type)
        {
            case CompactType.BoolTrue:
            case CompactType.BoolFalse:
                // A bool field carries its value in the header; callers skipping a bool element use SkipElement.
                return;
            case CompactType.Byte:
                Advance(1, "an i8");
                return;
            case CompactType.I16:
            case CompactType.I32:
            case CompactType.I64:
                ReadVarint64("an integer");
                return;
            case CompactType.Double:
                Advance(8, "a double");
                return;
            case CompactType.Binary:
                ReadBinary("a binary value");
                return;
            case CompactType.Uuid:
                Advance(16, "a uuid");
                return;
            case CompactType.List:
            case CompactType.Set:
                {
                    var list = BeginList("a skipped list");
                    for (int i = 0; i < list.Count; i++)
                    {
                        SkipElement(list.ElementType);
                    }

                    EndCollection();
                    return;
                }

            case CompactType.Map:
                {
                    var map = BeginMap("a skipped map");
                    for (int i = 0; i < map.Count; i++)
                    {
                        SkipElement(map.KeyType);
                        SkipElement(map.ValueType);
                    }

                    EndCollection();
                    return;
                }

            case CompactType.Struct:
                {
                    short saved = BeginStruct("a skipped struct");
                    while (ReadFieldHeader(out var fieldType, out _))
                    {
                        Skip(fieldType);
                    }

                    EndStruct(saved);
                    return;
                }

            default:
                throw Malformed($"the type id {(int)type} cannot be skipped");
        }
    }

    /// <summary>Skips one list, set or map element of <paramref name="type"/> (a bool element is a byte).</summary>
    public void SkipElement(CompactType type)
    {
        if (type is CompactType.BoolTrue or CompactType.BoolFalse)
        {
            Advance(1, "a bool");
        }
        else
        {
            Skip(type);
        }
    }

    private static int MinimumSize(CompactType type)
        => type switch
        {
            CompactType.Double => 8,
            CompactType.Uuid => 16,
            _ => 1,
        };

    private readonly CompactType ElementType(int typeId, long at, string what)
    {
        // Element types are the field types; 1 (true) is accepted for bool as well as 2, as several writers emit it.
        if (typeId == 0 || typeId > (int)CompactType.Uuid)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"{what} has the unknown element type id {typeId}");
        }

        return (CompactType)typeId;
    }

    private void CheckCount(int count, int minimumElementSize, long at, string what)
    {
        long needed = (long)count * minimumElementSize;
        if (needed > Remaining)
        {
            throw ParquetMetadataErrors.Truncated(Source, at, $"{what} of {count} elements", needed, Remaining);
        }

        Charge(count, what);
    }

    private void Charge(long objects, string what)
    {
        _objects += objects;
        if (_objects > _limits.MaxObjects)
        {
            throw ParquetMetadataErrors.BudgetExceeded(Source, Offset, what, _limits.MaxObjects);
        }
    }

    private void Enter(string what)
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw ParquetMetadataErrors.TooDeep(Source, Offset, what, _limits.MaxDepth);
        }
    }

    private int ReadSize(string what)
    {
        long at = Offset;
        ulong size = ReadVarint64(what);
        if (size > int.MaxValue)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"{what} has the invalid size {size}");
        }

        return (int)size;
    }

    private int ReadI32Core(string what)
    {
        long at = Offset;
        ulong raw = ReadVarint64(what);
        if (raw > uint.MaxValue)
        {
            throw ParquetMetadataErrors.Malformed(Source, at, $"the varint of {what} does not fit 32 bits");
        }

        uint value = (uint)raw;
        return (int)(value >> 1) ^ -(int)(value & 1);
    }

    private ulong ReadVarint64(string what)
    {
        ulong result = 0;
        long at = Offset;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw ParquetMetadataErrors.Truncated(Source, at, $"the varint of {what}", (shift / 7) + 1, shift / 7);
            }

            byte b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                throw ParquetMetadataErrors.Malformed(Source, at, $"the varint of {what} overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw ParquetMetadataErrors.Malformed(Source, at, $"the varint of {what} is longer than 10 bytes");
    }

    private byte ReadByte(string what)
    {
        if (_position >= _data.Length)
        {
            throw ParquetMetadataErrors.Truncated(Source, Offset, what, 1, 0);
        }

        return _data[_position++];
    }

    private void Advance(int count, string what)
    {
        Require(count, what);
        _position += count;
    }

    private readonly void Require(int count, string what)
    {
        if (count > _data.Length - _position)
        {
            throw ParquetMetadataErrors.Truncated(Source, Offset, what, count, _data.Length - _position);
        }
    }
}
