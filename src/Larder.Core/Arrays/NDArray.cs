using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Arrays;

/// <summary>Element layout of an <see cref="NDArray"/>: row-major (C) or column-major (Fortran).</summary>
public enum NDArrayOrder
{
    /// <summary>The last index varies fastest.</summary>
    C,

    /// <summary>The first index varies fastest.</summary>
    Fortran,
}

/// <summary>
/// A dense n-dimensional array of one NumPy numeric dtype (DESIGN §9): shape, C or Fortran order and the element bytes,
/// always in this machine's (little-endian) byte order. Contiguous: the strides follow from shape, order and item size.
/// </summary>
/// <remarks>
/// Owns its memory, rented from <see cref="ArrayPool{T}.Shared"/>: <see cref="Dispose"/> gives it back, after which the
/// array must not be used and spans taken from it must not be touched. Not disposing is safe (the garbage collector
/// reclaims the memory). Reading from several threads at once is safe; writing elements while others read, or disposing
/// while others use it, is not.
/// </remarks>
public sealed partial class NDArray : IDisposable
{
    /// <summary>Most dimensions an array may have (NumPy 2's limit).</summary>
    public const int MaxRank = 64;

    /// <summary>Most element bytes one array may hold (the largest managed byte array).</summary>
    public const long MaxByteLength = 0x7FFFFFC7;

    private readonly long[] _shape;
    private readonly long[] _strides;
    private byte[]? _rented;

    private NDArray(NpyDType dtype, long[] shape, NDArrayOrder order, long length)
    {
        DType = dtype;
        _shape = shape;
        Order = order;
        Length = length;
        ByteLength = length * dtype.ItemSize;
        _strides = ComputeStrides(shape, order, dtype.ItemSize);
        _rented = ByteLength == 0 ? [] : ArrayPool<byte>.Shared.Rent((int)ByteLength);
        Shape = Array.AsReadOnly(_shape);
        Strides = Array.AsReadOnly(_strides);
    }

    /// <summary>The element type, always little-endian (or one byte).</summary>
    public NpyDType DType { get; }

    /// <summary>Size of each dimension; empty for a 0-d (scalar) array.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Bytes between consecutive elements along each dimension.</summary>
    public IReadOnlyList<long> Strides { get; }

    public NDArrayOrder Order { get; }

    public int Rank => _shape.Length;

    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a 0-d array).</summary>
    public long Length { get; }

    /// <summary><see cref="Length"/> times the item size.</summary>
    public long ByteLength { get; }

    /// <summary>The element bytes in <see cref="Order"/>, little-endian.</summary>
    /// <exception cref="ObjectDisposedException">The array was disposed.</exception>
    public Span<byte> Bytes => Rented.AsSpan(0, (int)ByteLength);

    /// <summary>The element bytes as memory; valid until <see cref="Dispose"/>.</summary>
    public Memory<byte> Memory => Rented.AsMemory(0, (int)ByteLength);

    private byte[] Rented => _rented ?? throw new ObjectDisposedException(nameof(NDArray));

    /// <summary>
    /// True when C and Fortran order put the elements in the same sequence (at most one dimension longer than 1, or no
    /// elements); NPY then records <c>fortran_order: False</c> as numpy does.
    /// </summary>
    public bool IsOrderFree => Length == 0 || _shape.Count(d => d > 1) <= 1;

    /// <summary>A zero-filled array.</summary>
    /// <exception cref="LarderUsageException">A dimension is negative, the rank is over <see cref="MaxRank"/>, or it would exceed <see cref="MaxByteLength"/>.</exception>
    public static NDArray Create(NpyDType dtype, ReadOnlySpan<long> shape, NDArrayOrder order = NDArrayOrder.C)
    {
        var array = CreateUninitialized(dtype, shape, order);
        array.Bytes.Clear();
        return array;
    }

    /// <summary>An array whose bytes are not cleared; the caller fills all of them.</summary>
    internal static NDArray CreateUninitialized(NpyDType dtype, ReadOnlySpan<long> shape, NDArrayOrder order)
    {
        if (dtype.ItemSize == 0)
        {
            throw LarderErrors.Usage("an NDArray needs a dtype; use one of NpyDType's members or NpyDType.Parse.");
        }

        long[] dims = shape.ToArray();
        string? problem = CheckShape(dims, dtype.ItemSize, out long length);
        if (problem is not null)
        {
            throw LarderErrors.NDArrayBadShape(FormatShape(dims), problem);
        }

        return new NDArray(dtype.ToLittleEndian(), dims, order, length);
    }

    /// <summary>Why <paramref name="shape"/> cannot hold items of <paramref name="itemSize"/> bytes, or null; the element count.</summary>
    internal static string? CheckShape(ReadOnlySpan<long> shape, int itemSize, out long length)
    {
        length = 1;
        if (shape.Length > MaxRank)
        {
            return $"more than {MaxRank} dimensions";
        }

        bool overflow = false;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                return "a dimension is negative";
            }

            // Keep multiplying past an overflow only to learn whether a zero dimension makes the array empty.
            if (!overflow && d != 0 && length > MaxByteLength / d)
            {
                overflow = true;
            }
            else if (!overflow)
            {
                length *= d;
            }

            if (d == 0)
            {
                length = 0;
                overflow = false;
                break;
            }
        }

        if (overflow || length > MaxByteLength / itemSize)
        {
            return $"it needs more than {MaxByteLength} bytes";
        }

        return null;
    }

    /// <summary>A 1-d array holding a copy of <paramref name="values"/>.</summary>
    public static NDArray FromArray<T>(T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        return FromSpan<T>(values, [values.LongLength]);
    }

    /// <summary>A 2-d C-order array holding a copy of <paramref name="values"/> (shape: rows, columns).</summary>
    public static NDArray FromArray<T>(T[,] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        var span = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(values)), values.Length);
        return FromSpan(span, [values.GetLongLength(0), values.GetLongLength(1)]);
    }

    /// <summary>An array of <paramref name="shape"/> holding a copy of <paramref name="values"/>, which are in <paramref name="order"/>.</summary>
    /// <exception cref="LarderUsageException">The count of values is not the shape's element count, or <typeparamref name="T"/> has no dtype.</exception>
    public static NDArray FromSpan<T>(ReadOnlySpan<T> values, ReadOnlySpan<long> shape, NDArrayOrder order = NDArrayOrder.C)
        where T : unmanaged
    {
        var array = CreateUninitialized(NpyDType.Of<T>(), shape, order);
        if (array.Length != values.Length)
        {
            long length = array.Length;
            array.Dispose();
            throw LarderErrors.Usage($"{values.Length} values cannot fill an array of shape {FormatShape(shape.ToArray())} ({length} elements); give exactly one value per element.");
        }

        MemoryMarshal.AsBytes(values).CopyTo(array.Bytes);
        return array;
    }

    /// <summary>The elements as <typeparamref name="T"/>, in <see cref="Order"/>; writes go to the array.</summary>
    /// <exception cref="LarderUsageException"><typeparamref name="T"/> is not <see cref="NpyDType.ClrType"/> of the dtype.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        CheckType<T>();
        return MemoryMarshal.Cast<byte, T>(Bytes);
    }

    /// <summary>A copy of the elements in C (row-major) order, whatever <see cref="Order"/> is.</summary>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        CheckType<T>();
        var result = new T[Length];
        CopyInOrder(MemoryMarshal.AsBytes(result.AsSpan()), NDArrayOrder.C);
        return result;
    }

    /// <summary>A copy of a 2-d array as <c>T[rows, columns]</c>.</summary>
    /// <exception cref="LarderUsageException">The array is not 2-d, or <typeparamref name="T"/> does not match.</exception>
    public T[,] ToArray2D<T>()
        where T : unmanaged
    {
        CheckType<T>();
        if (Rank != 2)
        {
            throw LarderErrors.Usage($"ToArray2D needs a 2-d array but this one has shape {FormatShape(_shape)}; use ToArray for a flat copy.");
        }

        var result = new T[_shape[0], _shape[1]];
        var span = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        CopyInOrder(MemoryMarshal.AsBytes(span), NDArrayOrder.C);
        return result;
    }

    /// <summary>A copy of this array in <paramref name="order"/> (a copy even when the order is the same).</summary>
    public NDArray ToOrder(NDArrayOrder order)
    {
        var copy = new NDArray(DType, (long[])_shape.Clone(), order, Length);
        CopyInOrder(copy.Bytes, order);
        return copy;
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension; none for a 0-d array).</summary>
    public T GetValue<T>(params long[] index)
        where T : unmanaged
    {
        CheckType<T>();
        return MemoryMarshal.Read<T>(Bytes[(int)ByteOffset(index)..]);
    }

    /// <summary>Sets the element at <paramref name="index"/>.</summary>
    public void SetValue<T>(T value, params long[] index)
        where T : unmanaged
    {
        CheckType<T>();
        MemoryMarshal.Write(Bytes[(int)ByteOffset(index)..], in value);
    }

    /// <summary>The element at <paramref name="index"/>, boxed as <see cref="NpyDType.ClrType"/>.</summary>
    public object this[params long[] index]
    {
        get
        {
            var at = Bytes[(int)ByteOffset(index)..];
            return (DType.Kind, DType.ItemSize) switch
            {
                (NpyKind.Bool, _) => at[0] != 0,
                (NpyKind.Int, 1) => (sbyte)at[0],
                (NpyKind.Int, 2) => MemoryMarshal.Read<short>(at),
                (NpyKind.Int, 4) => MemoryMarshal.Read<int>(at),
                (NpyKind.Int, _) => MemoryMarshal.Read<long>(at),
                (NpyKind.UInt, 1) => at[0],
                (NpyKind.UInt, 2) => MemoryMarshal.Read<ushort>(at),
                (NpyKind.UInt, 4) => MemoryMarshal.Read<uint>(at),
                (NpyKind.UInt, _) => MemoryMarshal.Read<ulong>(at),
                (NpyKind.Float, 2) => MemoryMarshal.Read<Half>(at),
                (NpyKind.Float, 4) => MemoryMarshal.Read<float>(at),
                (NpyKind.Float, _) => MemoryMarshal.Read<double>(at),
                (NpyKind.Complex, 8) => MemoryMarshal.Read<Complex64>(at),
                _ => MemoryMarshal.Read<System.Numerics.Complex>(at),
            };
        }
    }

    /// <summary>Gives the memory back to the pool; idempotent.</summary>
    public void Dispose()
    {
        byte[]? rented = Interlocked.Exchange(ref _rented, null);
        if (rented is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override string ToString() => $"NDArray {DType} {FormatShape(_shape)} {Order}";

    /// <summary>A shape as Python writes a tuple: <c>()</c>, <c>(3,)</c>, <c>(3, 4)</c>.</summary>
    internal static string FormatShape(IReadOnlyList<long> shape)
        => shape.Count switch
        {
            0 => "()",
            1 => string.Create(CultureInfo.InvariantCulture, $"({shape[0]},)"),
            _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };

    private static long[] ComputeStrides(long[] shape, NDArrayOrder order, int itemSize)
    {
        var strides = new long[shape.Length];
        long stride = itemSize;
        for (int k = 0; k < shape.Length; k++)
        {
            int i = order == NDArrayOrder.C ? shape.Length - 1 - k : k;
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    private void CheckType<T>()
        where T : unmanaged
    {
        if (typeof(T) != DType.ClrType)
        {
            throw LarderErrors.NDArrayTypeMismatch(DType.ToString(), typeof(T));
        }
    }

    private long ByteOffset(long[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != _shape.Length)
        {
            throw LarderErrors.NDArrayBadIndex(FormatShape(index), FormatShape(_shape));
        }

        long offset = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((ulong)index[i] >= (ulong)_shape[i])
            {
                throw LarderErrors.NDArrayBadIndex(FormatShape(index), FormatShape(_shape));
            }

            offset += index[i] * _strides[i];
        }

        return offset;
    }

    /// <summary>Copies the elements into <paramref name="destination"/> laid out in <paramref name="order"/>.</summary>
    private void CopyInOrder(Span<byte> destination, NDArrayOrder order)
    {
        var source = Bytes;
        if (order == Order || IsOrderFree)
        {
            source.CopyTo(destination);
            return;
        }

        // Walk the destination in its order; the source offset follows this array's strides.
        int rank = _shape.Length;
        int size = DType.ItemSize;
        var counter = new long[rank];
        long src = 0;
        for (long n = 0, dst = 0; n < Length; n++, dst += size)
        {
            source.Slice((int)src, size).CopyTo(destination.Slice((int)dst, size));
            for (int k = 0; k < rank; k++)
            {
                int axis = order == NDArrayOrder.C ? rank - 1 - k : k;
                if (++counter[axis] < _shape[axis])
                {
                    src += _strides[axis];
                    break;
                }

                src -= (counter[axis] - 1) * _strides[axis];
                counter[axis] = 0;
            }
        }
    }
}
