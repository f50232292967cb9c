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
/// distinct bit pattern gets the next index (so -0.0 and 0.0, and distinct NaN payloads, stay distinct). Open addressing,
/// no per-value allocation. Not thread safe.
/// </summary>
internal sealed class FixedWidthDictionaryBuilder<T>
    where T : unmanaged
{
    private T[] _values = new T[16];
    private int[] _table = new int[32];
    private int _count;

    /// <summary>Distinct values so far.</summary>
    public int Count => _count;

    /// <summary>The dictionary entries in index order.</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, _count);

    /// <summary>The size of the dictionary page body (PLAIN) in bytes.</summary>
    public long PlainSize => (long)_count * Unsafe.SizeOf<T>();

    /// <summary>Returns the index of <paramref name="value"/>, adding it if new.</summary>
    public int Add(T value)
    {
        uint mask = (uint)_table.Length - 1;
        uint slot = Hash(value) & mask;
        while (true)
        {
            int entry = _table[slot];
            if (entry == 0)
            {
                return Insert(value, slot);
            }

            if (BitEquals(_values[entry - 1], value))
            {
                return entry - 1;
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
        Array.Clear(_table);
    }

    private int Insert(T value, uint slot)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[_count] = value;
        _table[slot] = ++_count;
        if (_count * 2 > _table.Length)
        {
            Rehash();
        }

        return _count - 1;
    }

    private void Rehash()
    {
        _table = new int[_table.Length * 2];
        uint mask = (uint)_table.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            uint slot = Hash(_values[i]) & mask;
            while (_table[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _table[slot] = i + 1;
        }
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
}

/// <summary>
/// Builds a dictionary of byte strings (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY) for RLE_DICTIONARY writing. Entries are kept in
/// one growing byte buffer with offsets; lookups hash the bytes. No per-value allocation. Not thread safe.
/// </summary>
internal sealed class ByteArrayDictionaryBuilder
{
    private byte[] _data = new byte[256];
    private int[] _offsets = new int[17];
    private uint[] _hashes = new uint[16];
    private int[] _table = new int[32];
    private int _count;

    /// <summary>Distinct values so far.</summary>
    public int Count => _count;

    /// <summary>Entry offsets (Count + 1) into <see cref="Data"/>.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, _count + 1);

    /// <summary>The entries' bytes back to back.</summary>
    public ReadOnlySpan<byte> Data => _data.AsSpan(0, _offsets[_count]);

    /// <summary>The size of the dictionary page body as PLAIN BYTE_ARRAY (4 + length per entry).</summary>
    public long PlainSize => (4L * _count) + _offsets[_count];

    /// <summary>Returns the index of <paramref name="value"/>, adding it if new.</summary>
    public int Add(ReadOnlySpan<byte> value)
    {
        uint hash = DictionaryHash.Bytes(value);
        uint mask = (uint)_table.Length - 1;
        uint slot = hash & mask;
        while (true)
        {
            int entry = _table[slot];
            if (entry == 0)
            {
                return Insert(value, hash, slot);
            }

            int e = entry - 1;
            if (_hashes[e] == hash && _data.AsSpan(_offsets[e], _offsets[e + 1] - _offsets[e]).SequenceEqual(value))
            {
                return e;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Adds values given in Arrow layout (offsets over data), writing each index to <paramref name="indices"/>.</summary>
    public void AddRange(ReadOnlySpan<int> offsets, ReadOnlySpan<byte> data, Span<int> indices)
    {
        for (int i = 0; i + 1 < offsets.Length; i++)
        {
            indices[i] = Add(data[offsets[i]..offsets[i + 1]]);
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
        Array.Clear(_table);
    }

    private int Insert(ReadOnlySpan<byte> value, uint hash, uint slot)
    {
        if (_count + 1 == _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
            Array.Resize(ref _hashes, _offsets.Length - 1);
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
        _hashes[_count] = hash;
        _offsets[_count + 1] = (int)end;
        _table[slot] = ++_count;
        if (_count * 2 > _table.Length)
        {
            Rehash();
        }

        return _count - 1;
    }

    private void Rehash()
    {
        _table = new int[_table.Length * 2];
        uint mask = (uint)_table.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            uint slot = _hashes[i] & mask;
            while (_table[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _table[slot] = i + 1;
        }
    }
}
