using Larder.Memory;

namespace Larder.Columnar;

/// <summary>
/// The physical form of an array: type, length, offset into the buffers, null count, buffers, children and (for
/// dictionary arrays) the dictionary. Immutable. Buffers follow the Arrow layout of <see cref="Type"/>:
/// fixed width and boolean [validity, values]; utf8/binary [validity, offsets, data]; list/map [validity, offsets];
/// fixed-size list and struct [validity]; dictionary [validity, indices]; null none. An empty validity buffer means no nulls.
/// </summary>
public sealed class ArrayData
{
    private int _nullCount;

    /// <param name="nullCount">The number of nulls, or -1 to count them from the validity bitmap when first asked.</param>
    public ArrayData(ArrowType type, int length, int nullCount, int offset, ArrowBuffer[] buffers, ArrayData[]? children = null, ArrayData? dictionary = null)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Length = length;
        Offset = offset;
        Buffers = buffers ?? throw new ArgumentNullException(nameof(buffers));
        Children = children ?? [];
        Dictionary = dictionary;
        _nullCount = type.Id == ArrowTypeId.Null ? length : nullCount;
    }

    public ArrowType Type { get; }

    public int Length { get; }

    /// <summary>Logical start (in elements) inside the buffers; non-zero after slicing.</summary>
    public int Offset { get; }

    public IReadOnlyList<ArrowBuffer> Buffers { get; }

    public IReadOnlyList<ArrayData> Children { get; }

    /// <summary>The dictionary values, for <see cref="ArrowTypeId.Dictionary"/> arrays; otherwise null.</summary>
    public ArrayData? Dictionary { get; }

    /// <summary>The validity bitmap (bit i+Offset set = row i valid); empty when no row is null.</summary>
    public ArrowBuffer Validity => Type.Id == ArrowTypeId.Null || Buffers.Count == 0 ? ArrowBuffer.Empty : Buffers[0];

    /// <summary>Number of null rows (computed once from the bitmap when it was not given).</summary>
    public int NullCount
    {
        get
        {
            if (_nullCount < 0)
            {
                var validity = Validity;
                _nullCount = validity.IsEmpty ? 0 : Length - BitUtil.CountSetBits(validity.Span, Offset, Length);
            }

            return _nullCount;
        }
    }

    /// <summary>True when row <paramref name="index"/> is null.</summary>
    public bool IsNull(int index)
    {
        if (Type.Id == ArrowTypeId.Null)
        {
            return true;
        }

        var validity = Validity;
        return !validity.IsEmpty && !BitUtil.GetBit(validity.Span, Offset + index);
    }

    /// <summary>A zero-copy view of rows [<paramref name="offset"/>, <paramref name="offset"/>+<paramref name="length"/>).</summary>
    public ArrayData Slice(int offset, int length)
    {
        if ((uint)offset > (uint)Length || (uint)length > (uint)(Length - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"slice [{offset}, {offset}+{length}) is outside an array of {Length} rows");
        }

        if (offset == 0 && length == Length)
        {
            return this;
        }

        // Struct and fixed-size-list children are sliced lazily through the parent's offset, as Arrow does.
        int nulls = NullCount == 0 ? 0 : (NullCount == Length && Length > 0 ? length : -1);
        return new ArrayData(Type, length, nulls, Offset + offset, [.. Buffers], [.. Children], Dictionary);
    }

    /// <summary>How many buffers an array of <paramref name="type"/> has in the Arrow layout.</summary>
    public static int BufferCount(ArrowType type) => type.Id switch
    {
        ArrowTypeId.Null => 0,
        ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary => 3,
        ArrowTypeId.FixedSizeList or ArrowTypeId.Struct => 1,
        _ => 2,
    };
}
