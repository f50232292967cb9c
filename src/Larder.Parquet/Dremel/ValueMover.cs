using System.Numerics;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Parquet.Dremel;

/// <summary>A run of <see cref="Length"/> consecutive rows copied from source row <see cref="Source"/> to destination row <see cref="Destination"/>.</summary>
internal readonly record struct ValueRun(int Source, int Destination, int Length);

/// <summary>
/// Gathers and scatters rows of leaf (non-nested) arrays by runs: the write side gathers the present values of a leaf,
/// the read side spreads decoded values over the slots of a column that also has nulls. Stateless.
/// </summary>
internal static class ValueMover
{
    /// <summary>
    /// A new array of <paramref name="source"/>'s type with <paramref name="length"/> rows: the rows of each run are
    /// copied from <paramref name="source"/> (logical rows, its offset applied); rows no run covers are zero (or empty).
    /// </summary>
    /// <param name="runs">Sorted by destination, not overlapping, inside both arrays.</param>
    /// <param name="validity">The validity bitmap of the result (empty for none) and its null count.</param>
    /// <exception cref="ArgumentException">The type is nested (not a leaf type).</exception>
    public static ArrayData Move(ArrayData source, ReadOnlySpan<ValueRun> runs, int length, ArrowBuffer validity, int nullCount)
    {
        var type = source.Type;
        switch (type.Id)
        {
            case ArrowTypeId.Null:
                return new ArrayData(type, length, length, 0, []);
            case ArrowTypeId.Dictionary:
                {
                    int width = ((DictionaryType)type).IndexType.BitWidth / 8;
                    var indices = MoveFixed(source.Buffers[1].Span, source.Offset, width, runs, length);
                    return new ArrayData(type, length, nullCount, 0, [validity, indices], null, source.Dictionary);
                }

            case ArrowTypeId.Boolean:
                {
                    var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(length));
                    var src = source.Buffers[1].Span;
                    foreach (var run in runs)
                    {
                        BitUtil.CopyBits(src, source.Offset + run.Source, bits.Span, run.Destination, run.Length);
                    }

                    return new ArrayData(type, length, nullCount, 0, [validity, new ArrowBuffer(bits)]);
                }

            case ArrowTypeId.String or ArrowTypeId.Binary:
                {
                    var (offsets, data) = MoveBinary<int>(source, runs, length);
                    return new ArrayData(type, length, nullCount, 0, [validity, offsets, data]);
                }

            case ArrowTypeId.LargeString or ArrowTypeId.LargeBinary:
                {
                    var (offsets, data) = MoveBinary<long>(source, runs, length);
                    return new ArrayData(type, length, nullCount, 0, [validity, offsets, data]);
                }

            default:
                if (type.IsNested || type.BitWidth == 0 || type.BitWidth % 8 != 0)
                {
                    throw new ArgumentException($"{type} is not a leaf type", nameof(source));
                }

                return new ArrayData(type, length, nullCount, 0, [validity, MoveFixed(source.Buffers[1].Span, source.Offset, type.BitWidth / 8, runs, length)]);
        }
    }

    private static ArrowBuffer MoveFixed(ReadOnlySpan<byte> src, int offset, int width, ReadOnlySpan<ValueRun> runs, int length)
    {
        var memory = BufferAllocator.Allocate(checked((long)length * width));
        var dst = memory.Span;
        int filled = 0;
        foreach (var run in runs)
        {
            int at = run.Destination * width;
            dst[filled..at].Clear();
            int bytes = run.Length * width;
            src.Slice((offset + run.Source) * width, bytes).CopyTo(dst.Slice(at, bytes));
            filled = at + bytes;
        }

        dst[filled..].Clear();
        return new ArrowBuffer(memory);
    }

    private static (ArrowBuffer Offsets, ArrowBuffer Data) MoveBinary<T>(ArrayData source, ReadOnlySpan<ValueRun> runs, int length)
        where T : unmanaged, IBinaryInteger<T>
    {
        var srcOffsets = source.Buffers[1].As<T>();
        var srcData = source.Buffers[2].Span;
        int baseRow = source.Offset;
        long total = 0;
        foreach (var run in runs)
        {
            total += long.CreateTruncating(srcOffsets[baseRow + run.Source + run.Length] - srcOffsets[baseRow + run.Source]);
        }

        var dataMemory = BufferAllocator.Allocate(total);
        var offsetMemory = BufferAllocator.Allocate(checked((long)(length + 1) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
        var dstOffsets = MemoryMarshal.Cast<byte, T>(offsetMemory.Span);
        var dstData = dataMemory.Span;
        int row = 0;
        T current = T.Zero;
        foreach (var run in runs)
        {
            dstOffsets[row..run.Destination].Fill(current);
            row = run.Destination;
            var slice = srcOffsets.Slice(baseRow + run.Source, run.Length + 1);
            T start = slice[0];
            T shift = current - start;
            for (int k = 0; k < run.Length; k++)
            {
                dstOffsets[row + k] = slice[k] + shift;
            }

            int from = int.CreateTruncating(start);
            int bytes = int.CreateTruncating(slice[run.Length] - start);
            srcData.Slice(from, bytes).CopyTo(dstData[int.CreateTruncating(current)..]);
            current += slice[run.Length] - start;
            row += run.Length;
        }

        dstOffsets[row..].Fill(current);
        return (new ArrowBuffer(offsetMemory), new ArrowBuffer(dataMemory));
    }
}
