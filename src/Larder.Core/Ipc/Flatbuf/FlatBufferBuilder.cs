using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Larder.Ipc.Flatbuf;

/// <summary>
/// Builds one FlatBuffers buffer in the standard layout every FlatBuffers reader accepts (Arrow C++, Java, JS, Rust):
/// objects are written back to front into a pooled buffer, children before their parents so that every uoffset_t points
/// forward; scalars, structs and vectors are aligned to their size; vtables precede their tables and identical vtables are
/// shared; <see cref="Finish"/> puts the root uoffset_t at byte 0 and pads the whole buffer to a multiple of 8 bytes.
/// </summary>
/// <remarks>
/// Offsets returned by the Create/End methods are positions counted from the end of the buffer; pass them to
/// <see cref="AddOffset"/> or the vector methods. Tables cannot nest: create all children before <see cref="StartTable"/>.
/// Not thread safe. Dispose returns the buffer to <see cref="ArrayPool{T}.Shared"/>.
/// </remarks>
internal sealed class FlatBufferBuilder : IDisposable
{
    private const int MaxSize = int.MaxValue - 64;

    private byte[] _buffer;
    private int _space;            // bytes still free at the front; data lives in _buffer[_space..]
    private int _minAlign = 1;
    private int[] _slots = new int[16];
    private int _slotCount = -1;   // -1: no table under construction
    private int _tableStart;
    private readonly List<int> _vtables = new();
    private bool _finished;

    /// <summary>Starts an empty builder with room for <paramref name="initialCapacity"/> bytes (it grows as needed).</summary>
    public FlatBufferBuilder(int initialCapacity = 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));
        _space = _buffer.Length;
    }

    /// <summary>Bytes written so far, counted from the end of the buffer (the position of the last object created).</summary>
    public int Offset => _buffer.Length - _space;

    /// <summary>The finished flatbuffer; valid after <see cref="Finish"/> until the builder is disposed.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            if (!_finished)
            {
                throw new InvalidOperationException("FlatBufferBuilder.Finish has not been called.");
            }

            return _buffer.AsSpan(_space);
        }
    }

    /// <summary>Copies the finished flatbuffer into <paramref name="output"/> with one GetSpan/Advance; returns its length.</summary>
    public int WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ReadOnlySpan<byte> bytes = WrittenSpan;
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
        return bytes.Length;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _space = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Creates a string (u32 length, UTF-8 bytes, NUL); returns its offset.</summary>
    public int CreateString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        NotInTable();
        int length = Encoding.UTF8.GetByteCount(value);
        Prep(4, length + 1);
        _space -= 1;
        _buffer[_space] = 0;
        _space -= length;
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_space, length));
        PutUInt32((uint)length);
        return Offset;
    }

    /// <summary>
    /// Reserves a vector of <paramref name="count"/> elements of <paramref name="elementSize"/> bytes, its first element
    /// aligned to <paramref name="alignment"/>; returns the span to fill front to back. Call <see cref="EndVector"/> next.
    /// </summary>
    public Span<byte> StartVector(int elementSize, int count, int alignment)
    {
        NotInTable();
        int bytes = checked(elementSize * count);
        Prep(4, bytes);
        Prep(alignment, bytes);
        _space -= bytes;
        Span<byte> span = _buffer.AsSpan(_space, bytes);
        span.Clear();
        return span;
    }

    /// <summary>Writes the length of the vector reserved by <see cref="StartVector"/>; returns its offset.</summary>
    public int EndVector(int count)
    {
        PutUInt32((uint)count);
        return Offset;
    }

    /// <summary>Creates a vector of offsets to tables or strings; returns its offset.</summary>
    public int CreateOffsetVector(ReadOnlySpan<int> offsets)
    {
        NotInTable();
        int bytes = checked(4 * offsets.Length);
        Prep(4, bytes);
        for (int i = offsets.Length - 1; i >= 0; i--)
        {
            PutUOffset(offsets[i]);
        }

        return EndVector(offsets.Length);
    }

    /// <summary>Creates a vector of int32; returns its offset.</summary>
    public int CreateInt32Vector(ReadOnlySpan<int> values)
    {
        Span<byte> span = StartVector(4, values.Length, 4);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(i * 4, 4), values[i]);
        }

        return EndVector(values.Length);
    }

    /// <summary>Creates a vector of int64; returns its offset.</summary>
    public int CreateInt64Vector(ReadOnlySpan<long> values)
    {
        Span<byte> span = StartVector(8, values.Length, 8);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span.Slice(i * 8, 8), values[i]);
        }

        return EndVector(values.Length);
    }

    /// <summary>Starts a table with up to <paramref name="fieldCount"/> fields; add fields, then call <see cref="EndTable"/>.</summary>
    public void StartTable(int fieldCount)
    {
        NotInTable();
        if (_slots.Length < fieldCount)
        {
            _slots = new int[fieldCount];
        }

        Array.Clear(_slots, 0, fieldCount);
        _slotCount = fieldCount;
        _tableStart = Offset;
    }

    public void AddBool(int slot, bool value, bool defaultValue)
    {
        if (value != defaultValue)
        {
            PutUInt8Field(slot, value ? (byte)1 : (byte)0);
        }
    }

    public void AddUInt8(int slot, byte value, byte defaultValue)
    {
        if (value != defaultValue)
        {
            PutUInt8Field(slot, value);
        }
    }

    private void PutUInt8Field(int slot, byte value)
    {
        Prep(1, 0);
        _space -= 1;
        _buffer[_space] = value;
        Slot(slot);
    }

    public void AddInt8(int slot, sbyte value, sbyte defaultValue)
        => AddUInt8(slot, unchecked((byte)value), unchecked((byte)defaultValue));

    public void AddInt16(int slot, short value, short defaultValue)
    {
        if (value == defaultValue)
        {
            return;
        }

        Prep(2, 0);
        _space -= 2;
        BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(_space, 2), value);
        Slot(slot);
    }

    public void AddInt32(int slot, int value, int defaultValue)
    {
        if (value == defaultValue)
        {
            return;
        }

        Prep(4, 0);
        _space -= 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_space, 4), value);
        Slot(slot);
    }

    public void AddInt64(int slot, long value, long defaultValue)
    {
        if (value == defaultValue)
        {
            return;
        }

        Prep(8, 0);
        _space -= 8;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_space, 8), value);
        Slot(slot);
    }

    /// <summary>Adds a reference to an object created earlier (a table, vector or string).</summary>
    public void AddOffset(int slot, int offset)
    {
        PutUOffset(offset);
        Slot(slot);
    }

    /// <summary>Ends the table: writes its soffset_t and its vtable (or reuses an identical earlier one); returns its offset.</summary>
    public int EndTable()
    {
        if (_slotCount < 0)
        {
            throw new InvalidOperationException("FlatBufferBuilder.EndTable without StartTable.");
        }

        // Placeholder soffset_t to the vtable.
        Prep(4, 0);
        _space -= 4;
        int tableOffset = Offset;

        int used = _slotCount;
        while (used > 0 && _slots[used - 1] == 0)
        {
            used--;
        }

        int vtableSize = 4 + (2 * used);
        int tableSize = tableOffset - _tableStart;
        if (tableSize > ushort.MaxValue)
        {
            throw LarderErrors.FlatbufTooLarge(tableSize);
        }

        // Look for an identical vtable written earlier.
        int existing = 0;
        foreach (int candidate in _vtables)
        {
            ReadOnlySpan<byte> vt = _buffer.AsSpan(_buffer.Length - candidate);
            if (BinaryPrimitives.ReadUInt16LittleEndian(vt) != vtableSize || BinaryPrimitives.ReadUInt16LittleEndian(vt[2..]) != tableSize)
            {
                continue;
            }

            bool same = true;
            for (int i = 0; i < used && same; i++)
            {
                int fieldOffset = _slots[i] == 0 ? 0 : tableOffset - _slots[i];
                same = BinaryPrimitives.ReadUInt16LittleEndian(vt[(4 + (2 * i))..]) == fieldOffset;
            }

            if (same)
            {
                existing = candidate;
                break;
            }
        }

        if (existing == 0)
        {
            // A vtable is a run of u16; the preceding table position keeps it 2-aligned.
            for (int i = used - 1; i >= 0; i--)
            {
                PutUInt16(_slots[i] == 0 ? (ushort)0 : (ushort)(tableOffset - _slots[i]));
            }

            PutUInt16((ushort)tableSize);
            PutUInt16((ushort)vtableSize);
            existing = Offset;
            _vtables.Add(existing);
        }

        // soffset = table position - vtable position (both as positions from the start of the final buffer).
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_buffer.Length - tableOffset, 4), existing - tableOffset);
        _slotCount = -1;
        return tableOffset;
    }

    /// <summary>Writes the root uoffset_t to <paramref name="rootTable"/> and pads the buffer to a multiple of 8 bytes.</summary>
    public void Finish(int rootTable)
    {
        NotInTable();
        _minAlign = Math.Max(_minAlign, 8);
        Prep(_minAlign, 4);
        PutUOffset(rootTable);
        _finished = true;
    }

    private void NotInTable()
    {
        if (_slotCount >= 0)
        {
            throw new InvalidOperationException("FlatBufferBuilder: objects cannot be created while a table is under construction.");
        }

        if (_finished)
        {
            throw new InvalidOperationException("FlatBufferBuilder: the buffer is already finished.");
        }
    }

    private void Slot(int slot)
    {
        if ((uint)slot >= (uint)_slotCount)
        {
            throw new InvalidOperationException($"FlatBufferBuilder: field slot {slot} is outside the table under construction.");
        }

        _slots[slot] = Offset;
    }

    private void PutUOffset(int offset)
    {
        Prep(4, 0);
        if (offset > Offset)
        {
            throw new InvalidOperationException("FlatBufferBuilder: an offset must refer to an object created earlier.");
        }

        PutUInt32((uint)(Offset - offset + 4));
    }

    private void PutUInt32(uint value)
    {
        Prep(4, 0);
        _space -= 4;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_space, 4), value);
    }

    private void PutUInt16(ushort value)
    {
        Prep(2, 0);
        _space -= 2;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_space, 2), value);
    }

    /// <summary>
    /// Pads so that after writing <paramref name="additionalBytes"/> more, the next <paramref name="size"/>-byte value is
    /// aligned to <paramref name="size"/> (relative to the end, which <see cref="Finish"/> aligns to 8); grows as needed.
    /// </summary>
    private void Prep(int size, int additionalBytes)
    {
        if (size > _minAlign)
        {
            _minAlign = size;
        }

        int alignSize = (int)((~((uint)Offset + (uint)additionalBytes) + 1) & (uint)(size - 1));
        long needed = (long)alignSize + size + additionalBytes;
        if (_space < needed)
        {
            Grow(needed);
        }

        if (alignSize > 0)
        {
            _space -= alignSize;
            _buffer.AsSpan(_space, alignSize).Clear();
        }
    }

    private void Grow(long needed)
    {
        long used = Offset;
        long required = used + needed;
        if (required > MaxSize)
        {
            throw LarderErrors.FlatbufTooLarge(required);
        }

        long newLength = Math.Max(Math.Min((long)_buffer.Length * 2, MaxSize), required);
        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)newLength);
        int newSpace = bigger.Length - (int)used;
        _buffer.AsSpan(_space, (int)used).CopyTo(bigger.AsSpan(newSpace));
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _space = newSpace;
    }
}
