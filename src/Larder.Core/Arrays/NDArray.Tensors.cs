using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Larder.Arrays;

public sealed partial class NDArray
{
    /// <summary>
    /// A view of the elements as a <see cref="TensorSpan{T}"/> with this array's shape and order (C or Fortran strides), no
    /// copy: writes go to the array. Valid while the array is not disposed.
    /// </summary>
    /// <exception cref="LarderUsageException"><typeparamref name="T"/> is not the dtype's element type.</exception>
    public TensorSpan<T> AsTensorSpan<T>()
        where T : unmanaged
    {
        Span<T> values = AsSpan<T>();
        nint[] lengths = new nint[Rank];
        nint[] strides = new nint[Rank];
        ElementStrides(lengths, strides);
        return new TensorSpan<T>(values, lengths, strides);
    }

    /// <summary>A new <see cref="Tensor{T}"/> (dense, row-major) holding a copy of the elements.</summary>
    /// <exception cref="LarderUsageException"><typeparamref name="T"/> is not the dtype's element type.</exception>
    public Tensor<T> ToTensor<T>()
        where T : unmanaged
    {
        T[] values = ToArray<T>();
        nint[] lengths = new nint[Rank];
        for (int i = 0; i < Rank; i++)
        {
            lengths[i] = checked((nint)_shape[i]);
        }

        return Tensor.Create(values, lengths);
    }

    /// <summary>
    /// A C-order array holding a copy of <paramref name="tensor"/>'s elements, whatever its strides (a sliced, transposed
    /// or broadcast view is read element by element in row-major order).
    /// </summary>
    /// <exception cref="LarderUsageException"><typeparamref name="T"/> has no NumPy dtype, or the tensor has more than <see cref="MaxRank"/> dimensions.</exception>
    public static NDArray FromTensor<T>(scoped in ReadOnlyTensorSpan<T> tensor)
        where T : unmanaged
    {
        ReadOnlySpan<nint> lengths = tensor.Lengths;
        if (lengths.Length > MaxRank)
        {
            throw LarderErrors.Usage($"a tensor of rank {lengths.Length} has more than the {MaxRank} dimensions an NDArray holds; reshape it first.");
        }

        long[] shape = new long[lengths.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = lengths[i];
        }

        NDArray array = Create(NpyDType.Of<T>(), shape, NDArrayOrder.C);
        try
        {
            if (array.Length > 0)
            {
                Span<T> target = MemoryMarshal.Cast<byte, T>(array.Bytes);
                tensor.FlattenTo(target);
            }

            return array;
        }
        catch
        {
            array.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="FromTensor{T}(in ReadOnlyTensorSpan{T})"/>
    public static NDArray FromTensor<T>(Tensor<T> tensor)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ReadOnlyTensorSpan<T> span = tensor.AsReadOnlyTensorSpan();
        return FromTensor(in span);
    }

    private void ElementStrides(Span<nint> lengths, Span<nint> strides)
    {
        nint step = 1;
        for (int k = 0; k < Rank; k++)
        {
            // C order: the last dimension varies fastest; Fortran order: the first.
            int i = Order == NDArrayOrder.C ? Rank - 1 - k : k;
            lengths[i] = checked((nint)_shape[i]);
            strides[i] = step;
            step = checked(step * (nint)Math.Max(1, _shape[i]));
        }
    }
}
