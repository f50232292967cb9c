using System.Numerics;
using Larder.Arrays;

namespace Larder.Core.Tests.Arrays;

/// <summary>NDArray's layout and typed access, NpyDType's type strings, and NPY/NPZ round trips in memory.</summary>
public sealed class NDArrayTests
{
    [Theory]
    [InlineData("<f8", NpyKind.Float, 8, NpyByteOrder.Little, "<f8")]
    [InlineData(">i4", NpyKind.Int, 4, NpyByteOrder.Big, ">i4")]
    [InlineData("|b1", NpyKind.Bool, 1, NpyByteOrder.NotApplicable, "|b1")]
    [InlineData("<u1", NpyKind.UInt, 1, NpyByteOrder.NotApplicable, "|u1")]
    [InlineData("=f2", NpyKind.Float, 2, NpyByteOrder.Little, "<f2")]
    [InlineData(">c16", NpyKind.Complex, 16, NpyByteOrder.Big, ">c16")]
    [InlineData("<c8", NpyKind.Complex, 8, NpyByteOrder.Little, "<c8")]
    public void NpyDTypeParse_NumpyTypeString_ParsesAndFormats(string text, NpyKind kind, int size, NpyByteOrder order, string formatted)
    {
        var dtype = NpyDType.Parse(text);
        Assert.Equal((kind, size, order), (dtype.Kind, dtype.ItemSize, dtype.ByteOrder));
        Assert.Equal(formatted, dtype.ToString());
    }

    [Fact]
    public void NpyDTypeOf_EveryClrType_RoundTripsThroughClrType()
    {
        foreach (var dtype in NpyDType.All)
        {
            Assert.True(NpyDType.TryOf(dtype.ClrType, out var back));
            Assert.Equal(dtype, back);
        }

        Assert.Throws<LarderUsageException>(() => NpyDType.Of<decimal>());
    }

    [Fact]
    public void FromArray2D_ToArray2D_RoundTripsAndIndexesRowMajor()
    {
        int[,] values = { { 1, 2, 3 }, { 4, 5, 6 } };
        using var array = NDArray.FromArray(values);
        Assert.Equal([2L, 3L], array.Shape);
        Assert.Equal([12L, 4L], array.Strides);
        Assert.Equal(6, array[1, 2]);
        Assert.Equal(2, array.GetValue<int>(0, 1));
        Assert.Equal([1, 2, 3, 4, 5, 6], array.AsSpan<int>().ToArray());
        Assert.Equal(values, array.ToArray2D<int>());
    }

    [Fact]
    public void ToOrder_Fortran_TransposesStorageButKeepsElements()
    {
        using var c = NDArray.FromSpan<long>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], [2, 3, 4]);
        using var f = c.ToOrder(NDArrayOrder.Fortran);
        Assert.Equal([8L, 16L, 48L], f.Strides);
        Assert.Equal(12L + 4 + 3, f[1, 1, 3]);
        Assert.Equal([0L, 12, 4, 16, 8, 20], f.AsSpan<long>()[..6].ToArray());
        Assert.Equal(c.ToArray<long>(), f.ToArray<long>());
    }

    [Fact]
    public void AsSpan_WrongElementType_ThrowsUsage()
    {
        using var array = NDArray.FromArray(new[] { 1.0, 2.0 });
        Assert.Throws<LarderUsageException>(() => array.AsSpan<long>());
        Assert.Throws<LarderUsageException>(() => array.GetValue<double>(2));
        Assert.Throws<LarderUsageException>(() => array.GetValue<double>(0, 0));
    }

    [Fact]
    public void Create_NegativeOrTooLargeShape_ThrowsUsage()
    {
        Assert.Throws<LarderUsageException>(() => NDArray.Create(NpyDType.Float64, [-1]));
        Assert.Throws<LarderUsageException>(() => NDArray.Create(NpyDType.Float64, [1L << 40]));
        Assert.Throws<LarderUsageException>(() => NDArray.Create(NpyDType.Int8, new long[65]));
    }

    [Fact]
    public void Dispose_ThenAccess_ThrowsObjectDisposed()
    {
        var array = NDArray.FromArray(new byte[] { 1, 2 });
        array.Dispose();
        array.Dispose();
        Assert.Throws<ObjectDisposedException>(() => array.Bytes.Length);
    }

    [Fact]
    public void NpyWriteRead_EveryDTypeThroughOneStream_ReadsEqualInTurn()
    {
        var rng = new Random(5);
        var written = NpyDType.All.Select((d, i) => ArrayTestData.Random(d, [3, 1 + (i % 3)], i % 2 == 0 ? NDArrayOrder.C : NDArrayOrder.Fortran, rng)).ToList();
        var stream = new MemoryStream();
        foreach (var array in written)
        {
            NpyWriter.Write(stream, array, leaveOpen: true);
        }

        stream.Position = 0;
        foreach (var expected in written)
        {
            using var actual = NpyReader.Read(stream, leaveOpen: true);
            Assert.Equal(expected.DType, actual.DType);
            Assert.Equal(expected.Shape, actual.Shape);
            using var e = expected.ToOrder(NDArrayOrder.C);
            using var a = actual.ToOrder(NDArrayOrder.C);
            Assert.True(e.Bytes.SequenceEqual(a.Bytes), expected.ToString());
            expected.Dispose();
        }

        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void NpyWrite_Header_IsPaddedTo64BytesWithNewline()
    {
        using var array = NDArray.FromArray(new[,] { { 1.5, 2.5 } });
        byte[] bytes = NpyWriter.ToBytes(array);
        Assert.Equal(128 + 16, bytes.Length);
        Assert.Equal((byte)'\n', bytes[127]);
        var header = NpyReader.ReadHeader(new MemoryStream(bytes));
        Assert.Equal(1, header.Version);
        Assert.Equal(128, header.DataOffset);
    }

    [Fact]
    public void Read_BigEndianComplexAndHalf_ConvertsToLittleEndian()
    {
        byte[] c16 = NpyHostileInputTests.Npy("{'descr': '>c16', 'fortran_order': False, 'shape': (1,), }",
            [.. BitConverter.GetBytes(1.5).Reverse(), .. BitConverter.GetBytes(-2.0).Reverse()]);
        using var complex = NpyReader.Read(c16);
        Assert.Equal(new Complex(1.5, -2.0), complex[0]);
        byte[] f2 = NpyHostileInputTests.Npy("{'descr': '>f2', 'fortran_order': False, 'shape': (), }", [.. BitConverter.GetBytes((Half)3.25).Reverse()]);
        using var half = NpyReader.Read(f2);
        Assert.Equal((Half)3.25, half.GetValue<Half>());
    }

    [Fact]
    public async Task Npz_WriteAndReadAsync_RoundTripsAndMissingNameThrowsNotFound()
    {
        var stream = new MemoryStream();
        await using (var writer = new NpzWriter(stream, compressed: true, leaveOpen: true))
        {
            using var a = NDArray.FromArray(new[] { true, false, true });
            await writer.AddAsync("flags", a);
            Assert.Throws<LarderUsageException>(() => writer.Add("flags", a));
        }

        stream.Position = 0;
        await using var reader = await NpzReader.OpenAsync(stream);
        Assert.Equal(["flags"], reader.Names);
        using var flags = await reader.ReadAsync("flags");
        Assert.Equal([true, false, true], flags.ToArray<bool>());
        await Assert.ThrowsAsync<LarderNotFoundException>(() => reader.ReadAsync("other"));
    }
}
