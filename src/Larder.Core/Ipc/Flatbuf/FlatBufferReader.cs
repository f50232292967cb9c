using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Larder.Ipc.Flatbuf;

/// <summary>
/// Limits that keep a <see cref="FlatBufferReader"/> linear in its input on hostile bytes.
/// </summary>
/// <param name="MaxDepth">Deepest nesting of recursive tables (Field.children) accepted.</param>
/// <param name="MaxObjects">Most tables, vectors and strings decoding may visit (shared references count each visit).</param>
/// <param name="MaxMaterializedBytes">Most bytes of strings and vector elements decoding may copy out.</param>
internal readonly record struct FlatBufferLimits(int MaxDepth, long MaxObjects, long MaxMaterializedBytes)
{
    /// <summary>The default nesting limit: 64 levels.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>
    /// Limits for a buffer of <paramref name="bufferLength"/> bytes. A well-formed flatbuffer visits each object once and each
    /// object occupies at least 4 bytes, so twice those bounds (plus slack for tiny buffers) never rejects valid metadata,
    /// while shared references (a DAG that would expand exponentially) are cut off after linear work.
    /// </summary>
    public static FlatBufferLimits ForLength(int bufferLength)
        => new(DefaultMaxDepth, (bufferLength / 2L) + 1024, (2L * bufferLength) + 4096);
}

/// <summary>A verified table: its position, its vtable and both sizes, all checked against the buffer bounds.</summary>
internal readonly struct FbTable
{
    internal FbTable(string name, int position, int vtable, int vtableSize, int tableSize)
    {
        Name = name;
        Position = position;
        Vtable = vtable;
        VtableSize = vtableSize;
        TableSize = tableSize;
    }

    /// <summary>What the table is (e.g. <c>Field.children[]</c>), for error messages.</summary>
    public string Name { get; }

    /// <summary>Position of the table (its soffset_t to the vtable) in the buffer.</summary>
    public int Position { get; }

    /// <summary>Position of the vtable in the buffer.</summary>
    public int Vtable { get; }

    /// <summary>Size of the vtable in bytes, including its 4-byte header.</summary>
    public int VtableSize { get; }

    /// <summary>Inline size of the table in bytes, including its soffset_t.</summary>
    public int TableSize { get; }
}

/// <summary>A verified vector: the position of its first element, its element count and element size.</summary>
internal readonly struct FbVector
{
    internal FbVector(int start, int count, int elementSize)
    {
        Start = start;
        Count = count;
        ElementSize = elementSize;
    }

    /// <summary>Position of element 0 in the buffer.</summary>
    public int Start { get; }

    /// <summary>Number of elements; <c>Start + Count * ElementSize</c> is within the buffer.</summary>
    public int Count { get; }

    /// <summary>Size of one element in bytes (4 for offsets to tables and strings).</summary>
    public int ElementSize { get; }
}

/// <summary>
/// A verifying reader of one FlatBuffers buffer. Every offset, vtable, field, vector length and string length is checked
/// against the buffer bounds (with 64-bit arithmetic) before it is used; every violation throws
/// <see cref="LarderFormatException"/> naming what was malformed and its absolute offset (<c>baseOffset + position</c>).
/// Nesting is limited by <see cref="EnterNested"/>, and the total objects visited and bytes materialized are budgeted
/// (<see cref="FlatBufferLimits"/>), so decoding hostile input is linear in its size. Scalar alignment is not required
/// (reads are unaligned-safe). Not thread safe; a mutable ref struct, pass it by <c>ref</c>.
/// </summary>
internal ref struct FlatBufferReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly FlatBufferLimits _limits;
    private long _objects;
    private long _materialized;
    private int _depth;

    /// <summary>Reads <paramref name="buffer"/>; <paramref name="source"/> and <paramref name="baseOffset"/> only locate errors.</summary>
    public FlatBufferReader(ReadOnlySpan<byte> buffer, string? source, long baseOffset, FlatBufferLimits limits)
    {
        _buffer = buffer;
        Source = source;
        BaseOffset = baseOffset;
        _limits = limits;
    }

    /// <summary>Reads <paramref name="buffer"/> with <see cref="FlatBufferLimits.ForLength"/> limits.</summary>
    public FlatBufferReader(ReadOnlySpan<byte> buffer, string? source, long baseOffset)
        : this(buffer, source, baseOffset, FlatBufferLimits.ForLength(buffer.Length))
    {
    }

    /// <summary>The file or stream name used in error messages.</summary>
    public string? Source { get; }

    /// <summary>The absolute offset of byte 0 of the buffer, used in error messages.</summary>
    public long BaseOffset { get; }

    /// <summary>Length of the buffer in bytes.</summary>
    public readonly int Length => _buffer.Length;

    /// <summary>Objects visited so far (tables, vectors, strings).</summary>
    public readonly long ObjectsVisited => _objects;

    /// <summary>Verifies and returns the root table (the uoffset_t at byte 0).</summary>
    public FbTable ReadRoot(string what)
    {
        if (_buffer.Length < 8)
        {
            throw LarderErrors.FlatbufTooShort(Source, BaseOffset, _buffer.Length);
        }

        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(_buffer);
        return VerifyTable(ResolveOffset(0, offset, what), what);
    }

    /// <summary>Builds a format error at buffer position <paramref name="position"/>.</summary>
    public readonly LarderFormatException Invalid(int position, string what)
        => LarderErrors.FlatbufInvalidValue(Source, BaseOffset + position, what);

    /// <summary>Builds an unknown-enum error for a field of <paramref name="table"/>.</summary>
    public readonly LarderFormatException UnknownEnum(in FbTable table, string field, long value)
        => LarderErrors.FlatbufUnknownEnum(Source, BaseOffset + table.Position, field, value);

    /// <summary>Builds a missing-field error for <paramref name="table"/>; <paramref name="field"/> as in <c>Message.header</c>.</summary>
    public readonly LarderFormatException Missing(in FbTable table, string field)
        => LarderErrors.FlatbufMissingField(Source, BaseOffset + table.Position, field);

    /// <summary>Enters one level of recursion (e.g. Field.children); throws past <see cref="FlatBufferLimits.MaxDepth"/>.</summary>
    public void EnterNested(int position, string what)
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw LarderErrors.FlatbufTooDeep(Source, BaseOffset + position, what, _limits.MaxDepth);
        }
    }

    /// <summary>Leaves a level entered with <see cref="EnterNested"/>.</summary>
    public void ExitNested() => _depth--;

    /// <summary>True when the field in <paramref name="slot"/> is present (its vtable entry is non-zero).</summary>
    public readonly bool HasField(in FbTable table, int slot) => FieldOffset(table, slot) != 0;

    public readonly bool GetBool(in FbTable table, int slot, bool defaultValue)
    {
        int p = FieldPosition(table, slot, 1);
        return p == 0 ? defaultValue : _buffer[p] != 0;
    }

    public readonly byte GetUInt8(in FbTable table, int slot, byte defaultValue)
    {
        int p = FieldPosition(table, slot, 1);
        return p == 0 ? defaultValue : _buffer[p];
    }

    public readonly sbyte GetInt8(in FbTable table, int slot, sbyte defaultValue)
    {
        int p = FieldPosition(table, slot, 1);
        return p == 0 ? defaultValue : unchecked((sbyte)_buffer[p]);
    }

    public readonly short GetInt16(in FbTable table, int slot, short defaultValue)
    {
        int p = FieldPosition(table, slot, 2);
        return p == 0 ? defaultValue : BinaryPrimitives.ReadInt16LittleEndian(_buffer.Slice(p, 2));
    }

    public readonly int GetInt32(in FbTable table, int slot, int defaultValue)
    {
        int p = FieldPosition(table, slot, 4);
        return p == 0 ? defaultValue : BinaryPrimitives.ReadInt32LittleEndian(_buffer.Slice(p, 4));
    }

    public readonly long GetInt64(in FbTable table, int slot, long defaultValue)
    {
        int p = FieldPosition(table, slot, 8);
        return p == 0 ? defaultValue : BinaryPrimitives.ReadInt64LittleEndian(_buffer.Slice(p, 8));
    }

    /// <summary>The sub-table in <paramref name="slot"/>, verified; false when the field is absent.</summary>
    public bool TryGetTable(in FbTable table, int slot, string what, out FbTable result)
    {
        int p = FieldPosition(table, slot, 4);
        if (p == 0)
        {
            result = default;
            return false;
        }

        result = VerifyTable(ResolveOffset(p, BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(p, 4)), what), what);
        return true;
    }

    /// <summary>The sub-table in <paramref name="slot"/>, verified; throws when absent. <paramref name="field"/>: e.g. <c>Message.header</c>.</summary>
    public FbTable GetRequiredTable(in FbTable table, int slot, string field)
    {
        if (!TryGetTable(table, slot, field, out FbTable result))
        {
            throw Missing(table, field);
        }

        return result;
    }

    /// <summary>The string in <paramref name="slot"/>, verified and decoded as UTF-8; null when absent.</summary>
    public string? GetString(in FbTable table, int slot, string what)
    {
        int p = FieldPosition(table, slot, 4);
        if (p == 0)
        {
            return null;
        }

        return ReadString(ResolveOffset(p, BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(p, 4)), what), what);
    }

    /// <summary>
    /// The vector in <paramref name="slot"/> with elements of <paramref name="elementSize"/> bytes, its byte length
    /// (count × size, checked 64-bit) verified within the buffer; false when absent.
    /// </summary>
    public bool TryGetVector(in FbTable table, int slot, int elementSize, string what, out FbVector result)
    {
        int p = FieldPosition(table, slot, 4);
        if (p == 0)
        {
            result = default;
            return false;
        }

        int at = ResolveOffset(p, BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(p, 4)), what);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(at, 4));
        long bytes = checked(count * (long)elementSize);
        long end = checked(at + 4L + bytes);
        if (end > _buffer.Length)
        {
            throw LarderErrors.FlatbufOutOfBounds(Source, BaseOffset + at, $"{what} (a vector of {count} elements of {elementSize} bytes)", end, _buffer.Length);
        }

        CountObject(at, what);
        Materialize(at, bytes, what);
        result = new FbVector(at + 4, (int)count, elementSize);
        return true;
    }

    /// <summary>Element <paramref name="index"/> of a vector of tables, verified.</summary>
    public FbTable GetTableAt(in FbVector vector, int index, string what)
    {
        int p = ElementPosition(vector, index, 4);
        return VerifyTable(ResolveOffset(p, BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(p, 4)), what), what);
    }

    /// <summary>Element <paramref name="index"/> of a vector of strings, verified and decoded.</summary>
    public string GetStringAt(in FbVector vector, int index, string what)
    {
        int p = ElementPosition(vector, index, 4);
        return ReadString(ResolveOffset(p, BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(p, 4)), what), what);
    }

    public readonly int GetInt32At(in FbVector vector, int index)
        => BinaryPrimitives.ReadInt32LittleEndian(_buffer.Slice(ElementPosition(vector, index, 4), 4));

    public readonly long GetInt64At(in FbVector vector, int index)
        => BinaryPrimitives.ReadInt64LittleEndian(_buffer.Slice(ElementPosition(vector, index, 8), 8));

    /// <summary>The verified bytes of all elements of <paramref name="vector"/> (structs and scalars, read in place).</summary>
    public readonly ReadOnlySpan<byte> GetVectorBytes(in FbVector vector)
        => _buffer.Slice(vector.Start, checked(vector.Count * vector.ElementSize));

    /// <summary>
    /// Turns the uoffset_t <paramref name="offset"/> stored at <paramref name="at"/> into a position, requiring it to point
    /// forward and leave room for at least a 4-byte header (a table's soffset_t, a vector's or string's length).
    /// </summary>
    private readonly int ResolveOffset(int at, uint offset, string what)
    {
        if (offset == 0 || offset > int.MaxValue)
        {
            throw LarderErrors.FlatbufMalformed(Source, BaseOffset + at, $"{what} has the invalid offset {offset}");
        }

        long target = at + (long)offset;
        long end = target + 4;
        if (end > _buffer.Length)
        {
            throw LarderErrors.FlatbufOutOfBounds(Source, BaseOffset + at, $"the offset to {what} ({offset})", end, _buffer.Length);
        }

        return (int)target;
    }

    private FbTable VerifyTable(int position, string what)
    {
        // ResolveOffset guaranteed position + 4 <= length.
        int soffset = BinaryPrimitives.ReadInt32LittleEndian(_buffer.Slice(position, 4));
        long vtable = position - (long)soffset;
        if (vtable < 0 || vtable + 4 > _buffer.Length)
        {
            throw LarderErrors.FlatbufMalformed(Source, BaseOffset + position, $"the vtable of {what} (soffset {soffset}) lies outside the {_buffer.Length}-byte flatbuffer");
        }

        int vt = (int)vtable;
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Slice(vt, 2));
        int tableSize = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Slice(vt + 2, 2));
        if (vtableSize < 4 || (vtableSize & 1) != 0)
        {
            throw LarderErrors.FlatbufMalformed(Source, BaseOffset + vt, $"the vtable of {what} has the invalid size {vtableSize}");
        }

        if (vt + (long)vtableSize > _buffer.Length)
        {
            throw LarderErrors.FlatbufOutOfBounds(Source, BaseOffset + vt, $"the vtable of {what}", vt + (long)vtableSize, _buffer.Length);
        }

        if (tableSize < 4)
        {
            throw LarderErrors.FlatbufMalformed(Source, BaseOffset + vt, $"the vtable of {what} gives the invalid table size {tableSize}");
        }

        if (position + (long)tableSize > _buffer.Length)
        {
            throw LarderErrors.FlatbufOutOfBounds(Source, BaseOffset + position, $"table {what}", position + (long)tableSize, _buffer.Length);
        }

        CountObject(position, what);
        return new FbTable(what, position, vt, vtableSize, tableSize);
    }

    private string ReadString(int at, string what)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(at, 4));
        long end = at + 4L + length + 1; // the NUL terminator
        if (end > _buffer.Length)
        {
            throw LarderErrors.FlatbufOutOfBounds(Source, BaseOffset + at, $"string {what} ({length} bytes)", end, _buffer.Length);
        }

        if (_buffer[(int)(end - 1)] != 0)
        {
            throw LarderErrors.FlatbufMalformed(Source, BaseOffset + at, $"string {what} lacks its NUL terminator");
        }

        CountObject(at, what);
        Materialize(at, length, what);
        ReadOnlySpan<byte> bytes = _buffer.Slice(at + 4, (int)length);
        if (!Utf8.IsValid(bytes))
        {
            throw LarderErrors.FlatbufInvalidUtf8(Source, BaseOffset + at, $"string {what}");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The vtable entry of <paramref name="slot"/>: 0 when absent or beyond the vtable.</summary>
    private readonly int FieldOffset(in FbTable table, int slot)
    {
        int entry = 4 + (2 * slot);
        if (slot < 0 || entry + 2 > table.VtableSize)
        {
            return 0;
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Slice(table.Vtable + entry, 2));
    }

    /// <summary>The position of a field of <paramref name="size"/> bytes, verified within its table; 0 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int FieldPosition(in FbTable table, int slot, int size)
    {
        int offset = FieldOffset(table, slot);
        if (offset == 0)
        {
            return 0;
        }

        if (offset < 4 || offset + size > table.TableSize)
        {
            throw LarderErrors.FlatbufMalformed(Source, BaseOffset + table.Position, $"field {slot} of {table.Name} lies at offset {offset}, outside the table's {table.TableSize} bytes");
        }

        // The table itself was verified to lie within the buffer.
        return table.Position + offset;
    }

    private readonly int ElementPosition(in FbVector vector, int index, int size)
    {
        if ((uint)index >= (uint)vector.Count || vector.ElementSize != size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "vector element outside the verified vector");
        }

        return vector.Start + (index * size);
    }

    private void CountObject(int position, string what)
    {
        if (++_objects > _limits.MaxObjects)
        {
            throw LarderErrors.FlatbufAmplification(Source, BaseOffset + position, what + " (objects visited)", _limits.MaxObjects);
        }
    }

    private void Materialize(int position, long bytes, string what)
    {
        _materialized += bytes;
        if (_materialized > _limits.MaxMaterializedBytes)
        {
            throw LarderErrors.FlatbufAmplification(Source, BaseOffset + position, what + " (bytes decoded)", _limits.MaxMaterializedBytes);
        }
    }
}
