using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Memory;

/// <summary>
/// A growable, 64-byte aligned byte buffer that becomes an <see cref="ArrowBuffer"/> without a copy. Not thread safe.
/// After <see cref="Build"/> the builder is empty and can be reused; the built buffer is never written again.
/// </summary>
public sealed class BufferBuilder
{
    private Memory<byte> _memory;
    private int _length;

    public BufferBuilder(int initialCapacity = 0)
    {
        _memory = initialCapacity > 0 ? BufferAllocator.Allocate(initialCapacity) : Memory<byte>.Empty;
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far (valid until the next append or build).</summary>
    public Span<byte> Written => _memory.Span[.._length];

    public Span<T> WrittenAs<T>()
        where T : unmanaged
        => MemoryMarshal.Cast<byte, T>(Written);

    /// <summary>
    /// Makes room for <paramref name="count"/> more bytes and returns them (uninitialised); they count as written.
    /// (Not an <c>Append</c> overload: <c>Append(int)</c> must mean "append this int value".)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Extend(int count)
    {
        if (_memory.Length - _length < count)
        {
            Grow(count);
        }

        var span = _memory.Span.Slice(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Makes room for <paramref name="count"/> more bytes without marking them written.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_memory.Length - _length < count)
        {
            Grow(count);
        }

        return _memory.Span[_length..];
    }

    /// <summary>Marks <paramref name="count"/> bytes obtained from <see cref="GetSpan"/> as written.</summary>
    public void Advance(int count) => _length += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append<T>(T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (_memory.Length - _length < size)
        {
            Grow(size);
        }

        Unsafe.WriteUnaligned(ref _memory.Span[_length], value);
        _length += size;
    }

    public void AppendRange<T>(ReadOnlySpan<T> values)
        where T : unmanaged
        => MemoryMarshal.AsBytes(values).CopyTo(Extend(values.Length * Unsafe.SizeOf<T>()));

    /// <summary>Appends <paramref name="count"/> zero bytes.</summary>
    public void AppendZeros(int count) => Extend(count).Clear();

    public void EnsureCapacity(int capacity)
    {
        if (capacity > _memory.Length)
        {
            Grow(capacity - _length);
        }
    }

    /// <summary>Drops everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _length = Math.Min(_length, length);

    /// <summary>The written bytes as a buffer, padded with zeros to a multiple of 8; the builder is then empty.</summary>
    public ArrowBuffer Build()
    {
        int padded = (int)Math.Min(BitUtil.RoundUpTo8(_length), _memory.Length);
        _memory.Span[_length..padded].Clear();
        var result = new ArrowBuffer(_memory[.._length]);
        _memory = Memory<byte>.Empty;
        _length = 0;
        return result;
    }

    public void Clear() => _length = 0;

    private void Grow(int extra)
    {
        long needed = (long)_length + extra;
        long capacity = Math.Max(Math.Max(needed, _memory.Length * 2L), 64);
        capacity = BitUtil.RoundUpTo64(capacity);
        if (capacity > BufferAllocator.MaxLength)
        {
            capacity = needed;
        }

        var next = BufferAllocator.Allocate(capacity);
        _memory.Span[.._length].CopyTo(next.Span);
        _memory = next;
    }
}

/// <summary>
/// Builds a validity bitmap lazily: nothing is stored until the first null, so all-valid columns get an empty buffer.
/// Not thread safe.
/// </summary>
public sealed class ValidityBuilder
{
    private BufferBuilder? _bits;
    private int _length;
    private int _nullCount;

    public int Length => _length;

    public int NullCount => _nullCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendValid()
    {
        if (_bits is null)
        {
            _length++;
            return;
        }

        AppendBit(true);
    }

    public void AppendValid(int count)
    {
        if (_bits is null)
        {
            _length += count;
            return;
        }

        for (int i = 0; i < count; i++)
        {
            AppendBit(true);
        }
    }

    public void AppendNull()
    {
        Materialize();
        AppendBit(false);
        _nullCount++;
    }

    public void AppendNulls(int count)
    {
        Materialize();
        for (int i = 0; i < count; i++)
        {
            AppendBit(false);
        }

        _nullCount += count;
    }

    public void Append(bool valid)
    {
        if (valid)
        {
            AppendValid();
        }
        else
        {
            AppendNull();
        }
    }

    /// <summary>The bitmap (empty when there was no null) and the null count; the builder is then empty.</summary>
    public ArrowBuffer Build(out int nullCount)
    {
        nullCount = _nullCount;
        var result = _bits is null ? ArrowBuffer.Empty : _bits.Build();
        _bits = null;
        _length = 0;
        _nullCount = 0;
        return result;
    }

    private void Materialize()
    {
        if (_bits is not null)
        {
            return;
        }

        _bits = new BufferBuilder(Math.Max(64, BitUtil.BytesForBits(_length * 2L)));
        int full = _length >> 3;
        _bits.Extend(full).Fill(0xFF);
        int rest = _length & 7;
        if (rest != 0)
        {
            _bits.Append((byte)((1 << rest) - 1));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendBit(bool value)
    {
        if ((_length & 7) == 0)
        {
            _bits!.Append((byte)0);
        }

        if (value)
        {
            _bits!.Written[_length >> 3] |= (byte)(1 << (_length & 7));
        }

        _length++;
    }
}
