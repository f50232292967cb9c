using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Larder.Columnar;

namespace Larder.TestKit;

/// <summary>
/// The row-level comparison behind <see cref="ArrowAssert"/>. Both arrays must have the same layout (their types were
/// compared first). Primitive values are compared through typed spans (a bulk byte comparison first, then a row loop
/// only when that finds a difference or there are nulls), never boxed; nested arrays compare runs of valid rows at once.
/// </summary>
internal static class ArrayComparer
{
    /// <summary>Compares rows [aStart, aStart+count) of <paramref name="a"/> with rows [bStart, bStart+count) of <paramref name="b"/>.</summary>
    public static void CompareRange(IArrowArray a, int aStart, IArrowArray b, int bStart, int count, ComparePath path)
    {
        if (count == 0)
        {
            return;
        }

        switch (a.Type.Id)
        {
            case ArrowTypeId.Null:
                return;
            case ArrowTypeId.Boolean:
                CompareBoolean((BooleanArray)a, aStart, (BooleanArray)b, bStart, count, path);
                return;
            case ArrowTypeId.Int8:
                ComparePrimitive<sbyte, Exact<sbyte>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Int16:
                ComparePrimitive<short, Exact<short>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Int32 or ArrowTypeId.Date32 or ArrowTypeId.Time32:
                ComparePrimitive<int, Exact<int>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Int64 or ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration:
                ComparePrimitive<long, Exact<long>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.UInt8:
                ComparePrimitive<byte, Exact<byte>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.UInt16:
                ComparePrimitive<ushort, Exact<ushort>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.UInt32:
                ComparePrimitive<uint, Exact<uint>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.UInt64:
                ComparePrimitive<ulong, Exact<ulong>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.HalfFloat:
                ComparePrimitive<Half, HalfEq>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Float:
                ComparePrimitive<float, FloatEq>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Double:
                ComparePrimitive<double, DoubleEq>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Decimal128:
                ComparePrimitive<Int128, Exact<Int128>>(a, aStart, b, bStart, count, path);
                return;
            case ArrowTypeId.Interval:
                switch (((IntervalType)a.Type).Unit)
                {
                    case IntervalUnit.YearMonth:
                        ComparePrimitive<int, Exact<int>>(a, aStart, b, bStart, count, path);
                        break;
                    case IntervalUnit.DayTime:
                        ComparePrimitive<IntervalDayTime, Exact<IntervalDayTime>>(a, aStart, b, bStart, count, path);
                        break;
                    default:
                        ComparePrimitive<IntervalMonthDayNano, Exact<IntervalMonthDayNano>>(a, aStart, b, bStart, count, path);
                        break;
                }

                return;
            case ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary:
                CompareBinary((BinaryArray)a, aStart, (BinaryArray)b, bStart, count, path);
                return;
            case ArrowTypeId.FixedSizeBinary or ArrowTypeId.Decimal256:
                CompareFixedSizeBinary((FixedSizeBinaryArray)a, aStart, (FixedSizeBinaryArray)b, bStart, count, path);
                return;
            case ArrowTypeId.List or ArrowTypeId.LargeList:
                CompareList((ListArray)a, aStart, (ListArray)b, bStart, count, path, "item");
                return;
            case ArrowTypeId.Map:
                CompareList((ListArray)a, aStart, (ListArray)b, bStart, count, path, "entry");
                return;
            case ArrowTypeId.FixedSizeList:
                CompareFixedSizeList((FixedSizeListArray)a, aStart, (FixedSizeListArray)b, bStart, count, path);
                return;
            case ArrowTypeId.Struct:
                CompareStruct((StructArray)a, aStart, (StructArray)b, bStart, count, path);
                return;
            case ArrowTypeId.Dictionary:
                CompareDictionary((DictionaryArray)a, aStart, (DictionaryArray)b, bStart, count, path);
                return;
            default:
                throw new NotSupportedException($"ArrowAssert cannot compare arrays of type {a.Type}");
        }
    }

    private static ArrowAssertException Diff(ComparePath path, int k, IArrowArray a, int i, IArrowArray b, int j)
        => ArrowAssert.Fail(path.Element(k), $"expected {ValueText.Format(a, i)}, got {ValueText.Format(b, j)}");

    /// <summary>True when both rows are valid, false when both are null; throws when only one is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BothValid(Validity va, IArrowArray a, int i, Validity vb, IArrowArray b, int j, ComparePath path, int k)
    {
        bool na = va.IsNull(i);
        bool nb = vb.IsNull(j);
        if (na == nb)
        {
            return !na;
        }

        throw Diff(path, k, a, i, b, j);
    }

    private static bool MayHaveNulls(IArrowArray a, IArrowArray b) => a.NullCount != 0 || b.NullCount != 0;

    private static void ComparePrimitive<T, TEq>(IArrowArray a, int aStart, IArrowArray b, int bStart, int count, ComparePath path)
        where T : unmanaged
        where TEq : IEq<T>
    {
        var va = ((PrimitiveArray<T>)a).Values.Slice(aStart, count);
        var vb = ((PrimitiveArray<T>)b).Values.Slice(bStart, count);
        bool nulls = MayHaveNulls(a, b);
        if (!nulls && MemoryMarshal.AsBytes(va).SequenceEqual(MemoryMarshal.AsBytes(vb)))
        {
            return;
        }

        CompareRows(a, aStart, b, bStart, count, path, new PrimitiveRows<T, TEq>(va, vb));
    }

    /// <summary>
    /// The row loop: rows [aStart, aStart+count) of <paramref name="a"/> and [bStart, bStart+count) of <paramref name="b"/>
    /// must be null in both or valid in both, and valid rows equal by <paramref name="rows"/>; throws at the first difference.
    /// </summary>
    private static void CompareRows<TRows>(IArrowArray a, int aStart, IArrowArray b, int bStart, int count, ComparePath path, TRows rows)
        where TRows : IRowEq, allows ref struct
    {
        bool nulls = MayHaveNulls(a, b);
        var na = new Validity(a);
        var nb = new Validity(b);
        for (int k = 0; k < count; k++)
        {
            if (nulls && !BothValid(na, a, aStart + k, nb, b, bStart + k, path, k))
            {
                continue;
            }

            if (!rows.Eq(k))
            {
                throw Diff(path, k, a, aStart + k, b, bStart + k);
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="compareRun"/>(first, end) for each run of rows [first, end) that are valid in both arrays, in
    /// row order; throws at a row that is null in only one (<paramref name="checkNulls"/> false: every row counts as valid).
    /// </summary>
    private static void ForEachValidRun(IArrowArray a, int aStart, IArrowArray b, int bStart, int count, ComparePath path, bool checkNulls, Action<int, int> compareRun)
    {
        var na = new Validity(a);
        var nb = new Validity(b);
        int run = -1;
        for (int k = 0; k <= count; k++)
        {
            bool valid = k < count && (!checkNulls || BothValid(na, a, aStart + k, nb, b, bStart + k, path, k));
            if (valid && run < 0)
            {
                run = k;
            }
            else if (!valid && run >= 0)
            {
                compareRun(run, k);
                run = -1;
            }
        }
    }

    private static void CompareBoolean(BooleanArray a, int aStart, BooleanArray b, int bStart, int count, ComparePath path)
        => CompareRows(a, aStart, b, bStart, count, path, new BooleanRows(a, aStart, b, bStart));

    private static void CompareBinary(BinaryArray a, int aStart, BinaryArray b, int bStart, int count, ComparePath path)
    {
        if (a.Type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary)
        {
            CompareBinary<long>(a, aStart, b, bStart, count, path);
        }
        else
        {
            CompareBinary<int>(a, aStart, b, bStart, count, path);
        }
    }

    private static void CompareBinary<TOffset>(BinaryArray a, int aStart, BinaryArray b, int bStart, int count, ComparePath path)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        var rows = new BinaryRows<TOffset>(Offsets<TOffset>(a.Data, aStart, count), a.ValueBytes, Offsets<TOffset>(b.Data, bStart, count), b.ValueBytes);
        CompareRows(a, aStart, b, bStart, count, path, rows);
    }

    /// <summary>The count + 1 offsets of rows [start, start + count) of a binary, string, list or map array.</summary>
    private static ReadOnlySpan<TOffset> Offsets<TOffset>(ArrayData data, int start, int count)
        where TOffset : unmanaged
        => MemoryMarshal.Cast<byte, TOffset>(data.Buffers[1].Span).Slice(data.Offset + start, count + 1);

    private static void CompareFixedSizeBinary(FixedSizeBinaryArray a, int aStart, FixedSizeBinaryArray b, int bStart, int count, ComparePath path)
        => CompareRows(a, aStart, b, bStart, count, path, new FixedSizeBinaryRows(a, aStart, b, bStart));

    /// <summary>Lists and maps: same nulls and lengths row by row; the items of each run of valid rows are compared at once.</summary>
    private static void CompareList(ListArray a, int aStart, ListArray b, int bStart, int count, ComparePath path, string label)
    {
        if (a.Type.Id == ArrowTypeId.LargeList)
        {
            CompareList<long>(a, aStart, b, bStart, count, path, label);
        }
        else
        {
            CompareList<int>(a, aStart, b, bStart, count, path, label);
        }
    }

    private static void CompareList<TOffset>(ListArray a, int aStart, ListArray b, int bStart, int count, ComparePath path, string label)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        var oa = Offsets<TOffset>(a.Data, aStart, count);
        var ob = Offsets<TOffset>(b.Data, bStart, count);
        var va = new Validity(a);
        var vb = new Validity(b);
        int run = -1;
        for (int k = 0; k < count; k++)
        {
            bool na = va.IsNull(aStart + k);
            bool nb = vb.IsNull(bStart + k);
            long la = na ? 0 : long.CreateChecked(oa[k + 1] - oa[k]);
            long lb = nb ? 0 : long.CreateChecked(ob[k + 1] - ob[k]);
            bool same = na == nb && la == lb;
            if ((!same || na) && run >= 0)
            {
                // Report differences in row order: earlier rows' items first.
                CompareListRun(a, aStart, b, bStart, run, k, path, label);
                run = -1;
            }

            if (!same)
            {
                if (na != nb)
                {
                    throw Diff(path, k, a, aStart + k, b, bStart + k);
                }

                string what = a.Type.Id == ArrowTypeId.Map ? "map size" : "list length";
                throw ArrowAssert.Fail(path.Element(k), $"{what} expected {la}, got {lb} (expected {ValueText.Format(a, aStart + k)}, got {ValueText.Format(b, bStart + k)})");
            }

            if (!na && run < 0)
            {
                run = k;
            }
        }

        if (run >= 0)
        {
            CompareListRun(a, aStart, b, bStart, run, count, path, label);
        }
    }

    private static void CompareListRun(ListArray a, int aStart, ListArray b, int bStart, int r0, int r1, ComparePath path, string label)
    {
        long sa = a.GetValueOffset(aStart + r0);
        long ea = a.GetValueOffset(aStart + r1);
        long sb = b.GetValueOffset(bStart + r0);
        int n = checked((int)(ea - sa));
        if (n == 0)
        {
            return;
        }

        var items = new ItemsPath(path, label, k =>
        {
            for (int r = r0; r < r1; r++)
            {
                long end = a.GetValueOffset(aStart + r + 1) - sa;
                if (k < end)
                {
                    return (r, (int)(k - (a.GetValueOffset(aStart + r) - sa)));
                }
            }

            return (r1 - 1, k);
        });
        CompareRange(a.Values, checked((int)sa), b.Values, checked((int)sb), n, items);
    }

    private static void CompareFixedSizeList(FixedSizeListArray a, int aStart, FixedSizeListArray b, int bStart, int count, ComparePath path)
    {
        int size = a.ListSize;
        ForEachValidRun(a, aStart, b, bStart, count, path, checkNulls: true, (r0, r1) =>
        {
            if (size > 0)
            {
                var items = new ItemsPath(path, "item", i => (r0 + (i / size), i % size));
                CompareRange(
                    a.Values,
                    checked((a.Data.Offset + aStart + r0) * size),
                    b.Values,
                    checked((b.Data.Offset + bStart + r0) * size),
                    checked((r1 - r0) * size),
                    items);
            }
        });
    }

    private static void CompareStruct(StructArray a, int aStart, StructArray b, int bStart, int count, ComparePath path)
    {
        var fields = ((StructType)a.Type).Fields;
        var labels = new string[fields.Count];
        for (int f = 0; f < labels.Length; f++)
        {
            labels[f] = ArrowAssert.FieldLabel("child", fields, f);
        }

        ForEachValidRun(a, aStart, b, bStart, count, path, checkNulls: MayHaveNulls(a, b), (r0, r1) =>
        {
            for (int f = 0; f < labels.Length; f++)
            {
                CompareRange(a.Fields[f], aStart + r0, b.Fields[f], bStart + r0, r1 - r0, path.Shift(r0).Child(labels[f]));
            }
        });
    }

    /// <summary>Dictionary arrays compare by decoded values: a valid index to a null dictionary value counts as null.</summary>
    private static void CompareDictionary(DictionaryArray a, int aStart, DictionaryArray b, int bStart, int count, ComparePath path)
    {
        DictionaryRangeComparer compare = ((DictionaryType)a.Type).IndexType.Id switch
        {
            ArrowTypeId.Int8 => CompareDictionary<sbyte>,
            ArrowTypeId.Int16 => CompareDictionary<short>,
            ArrowTypeId.Int32 => CompareDictionary<int>,
            ArrowTypeId.Int64 => CompareDictionary<long>,
            ArrowTypeId.UInt8 => CompareDictionary<byte>,
            ArrowTypeId.UInt16 => CompareDictionary<ushort>,
            ArrowTypeId.UInt32 => CompareDictionary<uint>,
            _ => CompareDictionary<ulong>,
        };
        compare(a, aStart, b, bStart, count, path);
    }

    private static void CompareDictionary<TIndex>(DictionaryArray a, int aStart, DictionaryArray b, int bStart, int count, ComparePath path)
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        var indicesA = ((PrimitiveArray<TIndex>)a.Indices).Values.Slice(aStart, count);
        var indicesB = ((PrimitiveArray<TIndex>)b.Indices).Values.Slice(bStart, count);
        var rowsA = new Validity(a);
        var rowsB = new Validity(b);
        var valuesA = new Validity(a.Dictionary);
        var valuesB = new Validity(b.Dictionary);
        bool sameDictionary = ReferenceEquals(a.Data.Dictionary, b.Data.Dictionary);

        // Dictionaries are small and indices repeat: compare each (index, index) pair's values once.
        var equalPairs = new HashSet<(long, long)>();
        for (int k = 0; k < count; k++)
        {
            long ia = rowsA.IsNull(aStart + k) ? -1 : Decoded(long.CreateSaturating(indicesA[k]), a.Dictionary.Length, valuesA, path, k);
            long ib = rowsB.IsNull(bStart + k) ? -1 : Decoded(long.CreateSaturating(indicesB[k]), b.Dictionary.Length, valuesB, path, k);
            if ((ia < 0) != (ib < 0))
            {
                throw Diff(path, k, a, aStart + k, b, bStart + k);
            }

            if (ia < 0 || (sameDictionary && ia == ib) || equalPairs.Contains((ia, ib)))
            {
                continue;
            }

            CompareRange(a.Dictionary, (int)ia, b.Dictionary, (int)ib, 1, path.Shift(k));
            equalPairs.Add((ia, ib));
        }
    }

    /// <summary>The dictionary index of a valid row, or -1 when its dictionary value is null.</summary>
    private static long Decoded(long index, int dictionaryLength, Validity values, ComparePath path, int k)
    {
        if (index < 0 || index >= dictionaryLength)
        {
            throw ArrowAssert.Fail(path.Element(k), $"dictionary index {index} is outside the dictionary of {dictionaryLength} values");
        }

        return values.IsNull((int)index) ? -1 : index;
    }

    /// <summary>A validity bitmap read directly (no interface calls per row); empty means no nulls.</summary>
    private readonly ref struct Validity
    {
        private readonly ReadOnlySpan<byte> _bits;
        private readonly int _offset;

        public Validity(IArrowArray array)
        {
            _bits = array.Data.Validity.Span;
            _offset = array.Data.Offset;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsNull(int index)
        {
            if (_bits.IsEmpty)
            {
                return false;
            }

            int bit = _offset + index;
            return (_bits[bit >> 3] & (1 << (bit & 7))) == 0;
        }
    }

    private delegate void DictionaryRangeComparer(DictionaryArray a, int aStart, DictionaryArray b, int bStart, int count, ComparePath path);

    private interface IEq<T>
    {
        static abstract bool Eq(T x, T y);
    }

    /// <summary>Whether row k (counted from the compared starts) has equal values in both arrays.</summary>
    private interface IRowEq
    {
        bool Eq(int k);
    }

    private readonly ref struct PrimitiveRows<T, TEq>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) : IRowEq
        where TEq : IEq<T>
    {
        private readonly ReadOnlySpan<T> _a = a;
        private readonly ReadOnlySpan<T> _b = b;

        public bool Eq(int k) => TEq.Eq(_a[k], _b[k]);
    }

    private readonly struct BooleanRows(BooleanArray a, int aStart, BooleanArray b, int bStart) : IRowEq
    {
        public bool Eq(int k) => a.GetBit(aStart + k) == b.GetBit(bStart + k);
    }

    private readonly ref struct BinaryRows<TOffset>(ReadOnlySpan<TOffset> aOffsets, ReadOnlySpan<byte> aBytes, ReadOnlySpan<TOffset> bOffsets, ReadOnlySpan<byte> bBytes) : IRowEq
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        private readonly ReadOnlySpan<TOffset> _aOffsets = aOffsets;
        private readonly ReadOnlySpan<byte> _aBytes = aBytes;
        private readonly ReadOnlySpan<TOffset> _bOffsets = bOffsets;
        private readonly ReadOnlySpan<byte> _bBytes = bBytes;

        public bool Eq(int k) => Value(_aOffsets, _aBytes, k).SequenceEqual(Value(_bOffsets, _bBytes, k));

        private static ReadOnlySpan<byte> Value(ReadOnlySpan<TOffset> offsets, ReadOnlySpan<byte> bytes, int k)
        {
            int start = int.CreateChecked(offsets[k]);
            return bytes.Slice(start, int.CreateChecked(offsets[k + 1]) - start);
        }
    }

    private readonly struct FixedSizeBinaryRows(FixedSizeBinaryArray a, int aStart, FixedSizeBinaryArray b, int bStart) : IRowEq
    {
        public bool Eq(int k) => a.GetBytes(aStart + k).SequenceEqual(b.GetBytes(bStart + k));
    }

    private readonly struct Exact<T> : IEq<T>
        where T : IEquatable<T>
    {
        public static bool Eq(T x, T y) => x.Equals(y);
    }

    private readonly struct DoubleEq : IEq<double>
    {
        public static bool Eq(double x, double y)
            => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y) || (double.IsNaN(x) && double.IsNaN(y));
    }

    private readonly struct FloatEq : IEq<float>
    {
        public static bool Eq(float x, float y)
            => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y) || (float.IsNaN(x) && float.IsNaN(y));
    }

    private readonly struct HalfEq : IEq<Half>
    {
        public static bool Eq(Half x, Half y)
            => BitConverter.HalfToInt16Bits(x) == BitConverter.HalfToInt16Bits(y) || (Half.IsNaN(x) && Half.IsNaN(y));
    }
}
