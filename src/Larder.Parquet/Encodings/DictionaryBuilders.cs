using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Parquet.Encodings;

/// <summary>Hashing shared by the dictionary builders (in-process only; not a stable format). Stateless.</summary>
internal static class DictionaryHash
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(ulong x)
    {
        x ^= x >> 33;
        x *= Multiplier;
        x ^= x >> 29;
        return (uint)(x >> 32);
    }

    /// <summary>Hashes bytes 8 at a time.</summary>
    public static uint Bytes(ReadOnlySpan<byte> bytes)
    {
        ulong h = (ulong)bytes.Length * Multiplier;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            h = BitOperations.RotateLeft(h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]), 27) * Multiplier;
        }

        ulong tail = 0;
        for (int k = 0; i < bytes.Length; i++, k += 8)
        {
            tail |= (ulong)bytes[i] << k;
        }

        return Mix(h ^ tail);
    }
}

/// <summary>
/// Builds a dictionary of fixed-width values (INT32, INT64, FLOAT, DOUBLE, INT96, ...) for RLE_DICTIONARY writing: each
/// distinct bit pattern gets the next index (so -0.0 and 0.0, and distinct NaN payloads, stay distinct). Open addressing
/// with the values kept in the slots (one memory access per probe), no per-value allocation. Not thread safe.
/// </summary>
internal sealed class FixedWidthDictionaryBuilder<T>
    where T : unmanaged
{
    private T[] _values = new T[16];
    private Slot[] _slots = new Slot[32];
    private int _count;

    /// <summary>Distinct values so far.</summary>
    public int Count => _count;

    /// <summary>The dictionary entries in index order.</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, _count);

    /// <summary>The size of the dictionary page body (PLAIN) in bytes.</summary>
    public long PlainSize => (long)_count * Unsafe.SizeOf<T>();

    /// <summary>Returns the index of <paramref name="value"/>, adding it if new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(T value)
    {
        var slots = _slots;
        uint mask = (uint)slots.Length - 1;
        uint slot = Hash(value) & mask;
        while (true)
        {
            ref var s = ref slots[slot];
            if (s.Entry == 0)
            {
                return Insert(value, ref s);
            }

            if (BitEquals(s.Value, value))
            {
                return s.Entry - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds every value, writing its index to <paramref name="indices"/> (same length).</summary>
    public void AddRange(ReadOnlySpan<T> values, Span<int> indices)
    {
        for (int i = 0; i < values.Length; i++)
        {
            indices[i] = Add(values[i]);
        }
    }

    /// <summary>
    /// Adds values in order, writing their indices, until the dictionary would hold more than <paramref name="maxCount"/>
    /// entries: returns how many values were added (all of them, or the position of the value that did not fit, which is
    /// not added).
    /// </summary>
    public int AddRange(ReadOnlySpan<T> values, Span<int> indices, int maxCount)
    {
        for (int i = 0; i < values.Length; i++)
        {
            int index = Add(values[i]);
            if (index >= maxCount)
            {
                Truncate(maxCount);
                return i;
            }

            indices[i] = index;
        }

        return values.Length;
    }

    /// <summary>Appends the dictionary page body: the entries PLAIN encoded.</summary>
    public void EncodeDictionaryPage(IBufferWriter<byte> output)
    {
        var bytes = MemoryMarshal.AsBytes(Values);
        if (!BitConverter.IsLittleEndian)
        {
            var span = output.GetSpan(bytes.Length)[..bytes.Length];
            bytes.CopyTo(span);
            PlainDecoder.ReverseInPlace(span, Unsafe.SizeOf<T>());
            output.Advance(bytes.Length);
            return;
        }

        output.Write(bytes);
    }

    /// <summary>Forgets every entry (for the next column chunk).</summary>
    public void Clear()
    {
        _count = 0;
        Array.Clear(_slots);
    }

    /// <summary>Forgets the entries from index <paramref name="count"/> on (those added since the dictionary had that many).</summary>
    public void Truncate(int count)
    {
        if (count >= _count)
        {
            return;
        }

        _count = Math.Max(0, count);
        Array.Clear(_slots);
        uint mask = (uint)_slots.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            Place(_slots, mask, _values[i], i);
        }
    }

    private int Insert(T value, ref Slot slot)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[_count] = value;
        slot.Value = value;
        slot.Entry = ++_count;
        if (_count * 2 > _slots.Length)
        {
            Rehash();
        }

        return _count - 1;
    }

    private void Rehash()
    {
        var slots = new Slot[_slots.Length * 2];
        uint mask = (uint)slots.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            Place(slots, mask, _values[i], i);
        }

        _slots = slots;
    }

    private static void Place(Slot[] slots, uint mask, T value, int index)
    {
        uint slot = Hash(value) & mask;
        while (slots[slot].Entry != 0)
        {
            slot = (slot + 1) & mask;
        }

        slots[slot].Value = value;
        slots[slot].Entry = index + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(T value)
    {
        if (Unsafe.SizeOf<T>() == 4)
        {
            return DictionaryHash.Mix(Unsafe.As<T, uint>(ref value));
        }

        if (Unsafe.SizeOf<T>() == 8)
        {
            return DictionaryHash.Mix(Unsafe.As<T, ulong>(ref value));
        }

        return DictionaryHash.Bytes(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref value)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BitEquals(T a, T b)
    {
        if (Unsafe.SizeOf<T>() == 4)
        {
            return Unsafe.As<T, uint>(ref a) == Unsafe.As<T, uint>(ref b);
        }

        if (Unsafe.SizeOf<T>() == 8)
        {
            return Unsafe.As<T, ulong>(ref a) == Unsafe.As<T, ulong>(ref b);
        }

        return MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref b)));
    }

    private struct Slot
    {
        public T Value;

        /// <summary>Index + 1; 0 for an empty slot.</summary>
        public int Entry;
    }
}

/// <summary>
/// Builds a dictionary of byte strings (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY) for RLE_DICTIONARY writing. Entries are kept in
/// one growing byte buffer with offsets. The hash table's slots hold each entry's hash, length and first 8 bytes, so a
/// lookup touches one slot and values of up to 8 bytes are compared without reading the entry. No per-value allocation.
/// Not thread safe.
/// </summary>
internal sealed class ByteArrayDictionaryBuilder
{
    private byte[] _data = new byte[256];
    private int[] _offsets = new int[17];
    private Slot[] _slots = new Slot[32];
    private int _count;

    /// <summary>Distinct values so far.</summary>
    public int Count => _count;

    /// <summary>Entry offsets (Count + 1) into <see cref="Data"/>.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, _count + 1);

    /// <summary>The entries' bytes back to back.</summary>
    public ReadOnlySpan<byte> Data => _data.AsSpan(0, _offsets[_count]);

    /// <summary>The size of the dictionary page body as PLAIN BYTE_ARRAY (4 + length per entry).</summary>
    public long PlainSize => (4L * _count) + _offsets[_count];

    /// <summary>Entry <paramref name="index"/>'s bytes.</summary>
    public ReadOnlySpan<byte> this[int index] => _data.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    /// <summary>Returns the index of <paramref name="value"/>, adding it if new.</summary>
    public int Add(ReadOnlySpan<byte> value) => Add(value, 0, value.Length);

    /// <summary>
    /// Returns the index of <c>data[start..start+length]</c>, adding it if new. Reads the value's first 8 bytes in one load
    /// when <paramref name="data"/> extends that far.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(ReadOnlySpan<byte> data, int start, int length)
    {
        if ((uint)start > (uint)data.Length || (uint)length > (uint)(data.Length - start))
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        ulong prefix;
        if (data.Length - start >= 8)
        {
            prefix = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(data), start));
            if (!BitConverter.IsLittleEndian)
            {
                prefix = BinaryPrimitives.ReverseEndianness(prefix);
            }

            if (length < 8)
            {
                prefix &= (1UL << (length * 8)) - 1;
            }
        }
        else
        {
            prefix = Prefix(data.Slice(start, length));
        }

        uint hash = length <= 8 ? DictionaryHash.Mix(prefix ^ ((ulong)(uint)length << 56)) : DictionaryHash.Bytes(data.Slice(start, length));
        var slots = _slots;
        uint mask = (uint)slots.Length - 1;
        uint slot = hash & mask;
        while (true)
        {
            ref var s = ref slots[slot];
            if (s.Entry == 0)
            {
                return Insert(data.Slice(start, length), hash, prefix, ref s);
            }

            if (s.Hash == hash && s.Prefix == prefix && s.Length == length
                && (length <= 8 || _data.AsSpan(_offsets[s.Entry - 1] + 8, length - 8).SequenceEqual(data.Slice(start + 8, length - 8))))
            {
                return s.Entry - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds values given in Arrow layout (offsets over data), writing each index to <paramref name="indices"/>.</summary>
    public void AddRange(ReadOnlySpan<int> offsets, ReadOnlySpan<byte> data, Span<int> indices)
    {
        for (int i = 0; i + 1 < offsets.Length; i++)
        {
            indices[i] = Add(data, offsets[i], offsets[i + 1] - offsets[i]);
        }
    }

    /// <summary>Appends the dictionary page body as PLAIN BYTE_ARRAY.</summary>
    public void EncodeDictionaryPage(IBufferWriter<byte> output) => PlainEncoder.EncodeByteArray(Offsets, Data, output);

    /// <summary>Appends the dictionary page body as PLAIN FIXED_LEN_BYTE_ARRAY (entries must all have the type length).</summary>
    public void EncodeFixedLenDictionaryPage(IBufferWriter<byte> output) => output.Write(Data);

    /// <summary>Forgets every entry (for the next column chunk).</summary>
    public void Clear()
    {
        _count = 0;
        Array.Clear(_slots);
    }

    /// <summary>Forgets the entries from index <paramref name="count"/> on (those added since the dictionary had that many).</summary>
    public void Truncate(int count)
    {
        if (count >= _count)
        {
            return;
        }

        var old = _slots;
        _count = Math.Max(0, count);
        _slots = new Slot[old.Length];
        uint mask = (uint)_slots.Length - 1;
        foreach (var s in old)
        {
            if (s.Entry != 0 && s.Entry <= _count)
            {
                Place(_slots, mask, s);
            }
        }
    }

    private static ulong Prefix(ReadOnlySpan<byte> value)
    {
        if (value.Length >= 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(value);
        }

        ulong prefix = 0;
        for (int i = 0; i < value.Length; i++)
        {
            prefix |= (ulong)value[i] << (8 * i);
        }

        return prefix;
    }

    private int Insert(ReadOnlySpan<byte> value, uint hash, ulong prefix, ref Slot slot)
    {
        if (_count + 1 == _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
        }

        int start = _offsets[_count];
        long end = (long)start + value.Length;
        if (end > Array.MaxLength)
        {
            throw EncodingErrors.Argument(nameof(value), "dictionary exceeds 2 GiB; fall back to PLAIN earlier");
        }

        if (end > _data.Length)
        {
            Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(end, _data.Length * 2L)));
        }

        value.CopyTo(_data.AsSpan(start));
        _offsets[_count + 1] = (int)end;
        slot = new Slot { Prefix = prefix, Hash = hash, Length = value.Length, Entry = ++_count };
        if (_count * 2 > _slots.Length)
        {
            var old = _slots;
            _slots = new Slot[old.Length * 2];
            uint mask = (uint)_slots.Length - 1;
            foreach (var s in old)
            {
                if (s.Entry != 0)
                {
                    Place(_slots, mask, s);
                }
            }
        }

        return _count - 1;
    }

    private static void Place(Slot[] slots, uint mask, Slot entry)
    {
        uint slot = entry.Hash & mask;
        while (slots[slot].Entry != 0)
        {
            slot = (slot + 1) & mask;
        }

        slots[slot] = entry;
    }

    private struct Slot
    {
        /// <summary>The entry's first 8 bytes (zero padded), little endian.</summary>
        public ulong Prefix;

        public uint Hash;

        public int Length;

        /// <summary>Index + 1; 0 for an empty slot.</summary>
        public int Entry;
    }
}
