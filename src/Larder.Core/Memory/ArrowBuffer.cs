using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Memory;

/// <summary>
/// An immutable run of bytes that backs part of an array (validity bitmap, offsets, values). A view: copying the struct
/// never copies bytes. The memory is garbage collected (pinned managed arrays or a memory-mapped view kept alive by
/// this reference), so a buffer stays valid for as long as it is reachable. Thread safe.
/// </summary>
public readonly struct ArrowBuffer : IEquatable<ArrowBuffer>
{
    public ArrowBuffer(ReadOnlyMemory<byte> memory) => Memory = memory;

    public static ArrowBuffer Empty => default;

    public ReadOnlyMemory<byte> Memory { get; }

    public ReadOnlySpan<byte> Span => Memory.Span;

    public int Length => Memory.Length;

    public bool IsEmpty => Memory.IsEmpty;

    /// <summary>The bytes reinterpreted as <typeparamref name="T"/> (little-endian; alignment is not required).</summary>
    public ReadOnlySpan<T> As<T>()
        where T : unmanaged
        => MemoryMarshal.Cast<byte, T>(Memory.Span);

    public ArrowBuffer Slice(int start, int length) => new(Memory.Slice(start, length));

    /// <summary>A buffer over a copy of <paramref name="bytes"/>, 64-byte aligned.</summary>
    public static ArrowBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var mem = BufferAllocator.Allocate(bytes.Length);
        bytes.CopyTo(mem.Span);
        return new ArrowBuffer(mem);
    }

    /// <summary>A buffer over a copy of <paramref name="values"/>, 64-byte aligned.</summary>
    public static ArrowBuffer CopyOf<T>(ReadOnlySpan<T> values)
        where T : unmanaged
        => CopyOf(MemoryMarshal.AsBytes(values));

    public bool Equals(ArrowBuffer other) => Memory.Equals(other.Memory);

    public override bool Equals(object? obj) => obj is ArrowBuffer b && Equals(b);

    public override int GetHashCode() => Memory.GetHashCode();

    public static bool operator ==(ArrowBuffer a, ArrowBuffer b) => a.Equals(b);

    public static bool operator !=(ArrowBuffer a, ArrowBuffer b) => !a.Equals(b);
}

/// <summary>
/// Allocates 64-byte aligned, pinned, uninitialised memory for column buffers. Stateless: memory is returned to the
/// runtime by the garbage collector when the last buffer over it becomes unreachable.
/// </summary>
public static class BufferAllocator
{
    /// <summary>Alignment of every buffer start, as the Arrow format recommends.</summary>
    public const int Alignment = 64;

    /// <summary>Largest single buffer (bytes): the largest managed array, less the alignment slack.</summary>
    public const int MaxLength = 0x7FFFFFC7 - Alignment;

    /// <summary>Uninitialised memory of <paramref name="length"/> bytes whose first byte is 64-byte aligned.</summary>
    /// <exception cref="LarderFormatException">The length is negative or over <see cref="MaxLength"/>.</exception>
    public static unsafe Memory<byte> Allocate(long length)
    {
        if (length == 0)
        {
            return Memory<byte>.Empty;
        }

        if (length < 0 || length > MaxLength)
        {
            throw LarderErrors.BufferTooLarge(length);
        }

        var array = GC.AllocateUninitializedArray<byte>((int)length + Alignment, pinned: true);
        int misalignment = (int)((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) & (Alignment - 1));
        int start = misalignment == 0 ? 0 : Alignment - misalignment;
        return array.AsMemory(start, (int)length);
    }

    /// <summary>Zeroed memory of <paramref name="length"/> bytes, 64-byte aligned.</summary>
    public static Memory<byte> AllocateZeroed(long length)
    {
        var mem = Allocate(length);
        mem.Span.Clear();
        return mem;
    }
}
