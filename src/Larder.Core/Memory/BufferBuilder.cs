using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Memory;

/// <summary>
/// A growable, 64-byte aligned byte buffer that becomes an <see cref="ArrowBuffer"/> without a copy. Not thread safe.
/// After <see cref="Build"/> the builder is empty and can be reused; the built buffer is never written again.
/// <see cref="SplitFront"/> hands the first written bytes to another builder without a copy; this builder then never
/// writes them again.
/// </summary>
public sealed class BufferBuilder
{
    private Memory<byte> _memory;

    // Written bytes are _memory[_start.._end]; bytes before _start belong to a builder split off by SplitFront.
    private int _start;
    private int _end;

    public BufferBuilder(int initialCapacity = 0)
    {
        _memory = initialCapacity > 0 ? BufferAllocator.Allocate(initialCapacity) : Memory<byte>.Empty;
    }

    /// <summary>
    /// Where growth takes new blocks from and leaves old ones (null: allocate, and leave old blocks to the garbage
    /// collector). With a recycler, memory handed out before a growth (by <see cref="SplitFront"/>) is written again
    /// later: only for producers whose consumers are done with it by then.
    /// </summary>
    public BufferRecycler? Recycler { get; init; }

    /// <summary>Bytes written so far.</summary>
    public int Length => _end - _start;

    /// <summary>The bytes written so far (valid until the next append or build).</summary>
    public Span<byte> Written => _memory.Span[_start.._end];

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
        if (_memory.Length - _end < count)
        {
            Grow(count);
        }

        var span = _memory.Span.Slice(_end, count);
        _end += count;
        return span;
    }

    /// <summary>Makes room for <paramref name="count"/> more bytes without marking them written.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_memory.Length - _end < count)
        {
            Grow(count);
        }

        return _memory.Span[_end..];
    }

    /// <summary>Marks <paramref name="count"/> bytes obtained from <see cref="GetSpan"/> as written.</summary>
    public void Advance(int count) => _end += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append<T>(T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (_memory.Length - _end < size)
        {
            Grow(size);
        }

        Unsafe.WriteUnaligned(ref _memory.Span[_end], value);
        _end += size;
    }

    public void AppendRange<T>(ReadOnlySpan<T> values)
        where T : unmanaged
        => MemoryMarshal.AsBytes(values).CopyTo(Extend(values.Length * Unsafe.SizeOf<T>()));

    /// <summary>Appends <paramref name="count"/> zero bytes.</summary>
    public void AppendZeros(int count) => Extend(count).Clear();

    /// <summary>Makes room for <paramref name="capacity"/> written bytes in all (not more).</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _memory.Length - _start)
        {
            Grow(capacity - Length);
        }
    }

    /// <summary>Drops everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _end = _start + Math.Min(Length, Math.Max(0, length));

    /// <summary>
    /// Moves the first <paramref name="count"/> written bytes into a new builder without copying them (it shares this
    /// builder's memory but only that range; growing it allocates afresh). This builder keeps the bytes after them and
    /// never writes the moved range again.
    /// </summary>
    public BufferBuilder SplitFront(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        var front = new BufferBuilder
        {
            _memory = _memory.Slice(_start, count),
            _end = count,
        };
        _start += count;
        return front;
    }

    /// <summary>The written bytes as a buffer, padded with zeros to a multiple of 8 where room allows; the builder is then empty.</summary>
    public ArrowBuffer Build()
    {
        int padded = (int)Math.Min(_start + BitUtil.RoundUpTo8(Length), _memory.Length);
        _memory.Span[_end..padded].Clear();
        var result = new ArrowBuffer(_memory[_start.._end]);
        _memory = Memory<byte>.Empty;
        _start = 0;
        _end = 0;
        return result;
    }

    /// <summary>
    /// Empties the builder and lets go of its memory: to the <see cref="Recycler"/> when there is one (the caller vouches
    /// that nothing still reads it), else to the garbage collector.
    /// </summary>
    public void Release()
    {
        Recycler?.Return(_memory);
        _memory = Memory<byte>.Empty;
        _start = 0;
        _end = 0;
    }

    /// <summary>Empties the builder, keeping its memory (except what <see cref="SplitFront"/> gave away).</summary>
    public void Clear() => _end = _start;

    private void Grow(int extra)
    {
        // Double what is live, not the memory: after SplitFront most of the memory belongs to other builders.
        long needed = (long)Length + extra;
        long capacity = Math.Max(Math.Max(needed, Length * 2L), 64);
        capacity = BitUtil.RoundUpTo64(capacity);
        if (capacity > BufferAllocator.MaxLength)
        {
            capacity = needed;
        }

        if (Recycler is not null && capacity <= (1L << 30))
        {
            // Powers of two, so that blocks given back fit later requests of about the same size.
            capacity = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)capacity);
        }

        var next = Recycler is null ? BufferAllocator.Allocate(capacity) : Recycler.Rent(capacity);
        Written.CopyTo(next.Span);
        Recycler?.Return(_memory);
        _end = Length;
        _start = 0;
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
