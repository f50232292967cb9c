using System.Numerics.Tensors;
using Larder.Arrays;

namespace Larder.Core.Tests.Arrays;

public sealed class NDArrayTensorTests
{
    [Theory]
    [InlineData(NDArrayOrder.C)]
    [InlineData(NDArrayOrder.Fortran)]
    public void AsTensorSpan_EitherOrder_SeesEveryElementAtItsIndexAndWritesThrough(NDArrayOrder order)
    {
        using var array = NDArray.Create(NpyDType.Float64, [2, 3, 4], order);
        for (long i = 0; i < 2; i++)
        {
            for (long j = 0; j < 3; j++)
            {
                for (long k = 0; k < 4; k++)
                {
                    array.SetValue((double)((i * 100) + (j * 10) + k), i, j, k);
                }
            }
        }

        TensorSpan<double> span = array.AsTensorSpan<double>();
        Assert.Equal([2, 3, 4], span.Lengths.ToArray());
        Assert.Equal(123.0, span[1, 2, 3]);
        Assert.Equal(10.0, span[0, 1, 0]);
        span[1, 0, 2] = -5;
        Assert.Equal(-5.0, array.GetValue<double>(1, 0, 2));
    }

    [Theory]
    [InlineData(NDArrayOrder.C)]
    [InlineData(NDArrayOrder.Fortran)]
    public void ToTensor_EitherOrder_RowMajorCopy(NDArrayOrder order)
    {
        using var source = NDArray.FromSpan<int>([1, 2, 3, 4, 5, 6], [2, 3]);
        using var array = source.ToOrder(order);
        Tensor<int> tensor = array.ToTensor<int>();
        Assert.Equal([2, 3], tensor.Lengths.ToArray());
        Assert.Equal(6, tensor[1, 2]);
        Assert.Equal(4, tensor[1, 0]);
        int[] flat = new int[6];
        tensor.FlattenTo(flat);
        Assert.Equal([1, 2, 3, 4, 5, 6], flat);
    }

    [Fact]
    public void FromTensor_DenseTensor_EqualValuesAndDtype()
    {
        Tensor<float> tensor = Tensor.Create([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);
        using var array = NDArray.FromTensor(tensor);
        Assert.Equal(NpyDType.Float32, array.DType);
        Assert.Equal([3L, 2L], array.Shape);
        Assert.Equal(NDArrayOrder.C, array.Order);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], array.ToArray<float>());
    }

    [Fact]
    public void FromTensor_StridedView_CopiesInLogicalOrder()
    {
        // A transposed view of a 2x3 row-major buffer: lengths 3x2, strides (1, 3).
        long[] values = [1, 2, 3, 4, 5, 6];
        var view = new ReadOnlyTensorSpan<long>(values, [3, 2], [1, 3]);
        using var array = NDArray.FromTensor(in view);
        Assert.Equal([1L, 4L, 2L, 5L, 3L, 6L], array.ToArray<long>());
    }

    [Fact]
    public void FromTensor_Empty_EmptyArrayOfThatShape()
    {
        Tensor<double> tensor = Tensor.Create(Array.Empty<double>(), [0, 4]);
        using var array = NDArray.FromTensor(tensor);
        Assert.Equal([0L, 4L], array.Shape);
        Assert.Equal(0, array.Length);
    }

    [Fact]
    public void AsTensorSpan_WrongElementType_ThrowsUsage()
    {
        using var array = NDArray.FromArray(new[] { 1.0, 2.0 });
        Assert.Throws<LarderUsageException>(() => array.AsTensorSpan<float>());
        Assert.Throws<LarderUsageException>(() => array.ToTensor<long>());
    }
}
