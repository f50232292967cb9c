using System.Buffers;

namespace Larder.Parquet.Write;

/// <summary>
/// A growable byte buffer the column writer reuses from page to page and chunk to chunk (cleared, never shrunk), so a
/// steady stream of pages allocates nothing. Spans and memory handed out stay valid until the buffer next grows; the
/// arrays are plain managed arrays (not pooled), so a <see cref="ColumnChunkResult"/> over them stays readable after its
/// writer is disposed. Not thread safe.
/// </summary>
internal sealed class PageBuffer(int capacity = 4096) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[Math.Max(16, capacity)];

    public int Length { get; private set; }

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Slice(int start, int length) => _buffer.AsMemory(start, length);

    public void Clear() => Length = 0;

    /// <summary>Drops everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => Length = length;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - Length)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(Length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    private void Ensure(int sizeHint)
    {
        long needed = (long)Length + Math.Max(1, sizeHint);
        if (needed > _buffer.Length)
        {
            if (needed > Array.MaxLength)
            {
                throw WriteErrors.TooLarge();
            }

            var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(needed, _buffer.Length * 2L)));
            _buffer.AsSpan(0, Length).CopyTo(grown);
            _buffer = grown;
        }
    }
}
