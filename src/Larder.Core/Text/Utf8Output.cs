using System.Buffers;
using System.Runtime.CompilerServices;

namespace Larder.Text;

/// <summary>
/// A growable output buffer over pooled memory (an <see cref="IBufferWriter{T}"/>), drained to a stream by the writers
/// at row boundaries. Not thread safe.
/// </summary>
internal sealed class Utf8Output : IBufferWriter<byte>, IDisposable
{
    /// <summary>Drain when this much is buffered.</summary>
    public const int FlushThreshold = 1 << 20;

    private byte[] _buffer;
    private int _length;

    public Utf8Output() => _buffer = ArrayPool<byte>.Shared.Rent(FlushThreshold + (64 * 1024));

    public int Length => _length;

    public bool ShouldFlush => _length >= FlushThreshold;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 256));
        return _buffer.AsMemory(_length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (_buffer.Length - _length < sizeHint || sizeHint == 0)
        {
            Ensure(Math.Max(sizeHint, 256));
        }

        return _buffer.AsSpan(_length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte value)
    {
        if (_length == _buffer.Length)
        {
            Ensure(1);
        }

        _buffer[_length++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<byte> value)
    {
        if (_buffer.Length - _length < value.Length)
        {
            Ensure(value.Length);
        }

        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _length >= count)
        {
            return;
        }

        long needed = (long)_length + count;
        if (needed > Array.MaxLength)
        {
            throw LarderErrors.BufferTooLarge(needed);
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, _buffer.Length * 2L), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Writes the buffered bytes to <paramref name="stream"/> and empties the buffer.</summary>
    public async ValueTask DrainAsync(Stream stream, bool async, CancellationToken cancellationToken)
    {
        if (_length == 0)
        {
            return;
        }

        if (async)
        {
            await stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            stream.Write(_buffer, 0, _length);
        }

        _length = 0;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _length = 0;
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
