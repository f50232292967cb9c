using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;

namespace Larder.Parquet.Write;

/// <summary>How a column's min/max compare (the column order of its physical and logical type).</summary>
internal enum StatisticsOrder
{
    None,
    Boolean,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float,
    Double,
    Half,
    UnsignedBytes,
    SignedBigEndian,
}

/// <summary>Tracks min/max over physical values (see <see cref="PhysicalValues"/>) and produces Parquet <see cref="Statistics"/>.</summary>
internal sealed class StatisticsBuilder(StatisticsOrder order, int maxSize)
{
    private byte[]? _min;
    private byte[]? _max;

    public static StatisticsOrder OrderOf(ParquetColumnSchema column)
    {
        var lt = column.LogicalType;
        return column.PhysicalType switch
        {
            PhysicalType.Boolean => StatisticsOrder.Boolean,
            PhysicalType.Int32 => lt is { Kind: LogicalTypeKind.Integer, IsSigned: false } ? StatisticsOrder.UInt32 : StatisticsOrder.Int32,
            PhysicalType.Int64 => lt is { Kind: LogicalTypeKind.Integer, IsSigned: false } ? StatisticsOrder.UInt64 : StatisticsOrder.Int64,
            PhysicalType.Float => StatisticsOrder.Float,
            PhysicalType.Double => StatisticsOrder.Double,
            PhysicalType.FixedLenByteArray or PhysicalType.ByteArray => lt?.Kind switch
            {
                LogicalTypeKind.Decimal => StatisticsOrder.SignedBigEndian,
                LogicalTypeKind.Float16 => StatisticsOrder.Half,
                null when column.Element.ConvertedType == ConvertedType.Interval => StatisticsOrder.None,
                _ => StatisticsOrder.UnsignedBytes,
            },
            _ => StatisticsOrder.None,
        };
    }

    public void Reset()
    {
        _min = null;
        _max = null;
    }

    public void Add(ReadOnlySpan<byte> value)
    {
        if (order == StatisticsOrder.None || IsNaN(value))
        {
            return;
        }

        if (_min is null || Compare(value, _min) < 0)
        {
            _min = value.ToArray();
        }

        if (_max is null || Compare(value, _max) > 0)
        {
            _max = value.ToArray();
        }
    }

    public void Merge(StatisticsBuilder other)
    {
        if (other._min is not null)
        {
            Add(other._min);
            Add(other._max);
        }
    }

    public Statistics Build(long nullCount)
    {
        byte[]? min = _min;
        byte[]? max = _max;
        bool minExact = true;
        bool maxExact = true;
        if (min is not null && max is not null)
        {
            min = (byte[])min.Clone();
            max = (byte[])max.Clone();
            NormalizeZero(min, max);
            if (min.Length > maxSize)
            {
                minExact = false;
                min = order == StatisticsOrder.UnsignedBytes ? min[..maxSize] : null;
            }

            if (max.Length > maxSize)
            {
                maxExact = false;
                max = order == StatisticsOrder.UnsignedBytes ? IncrementPrefix(max, maxSize) : null;
            }
        }

        bool legacy = order is StatisticsOrder.Boolean or StatisticsOrder.Int32 or StatisticsOrder.Int64 or StatisticsOrder.Float or StatisticsOrder.Double;
        return new Statistics
        {
            NullCount = nullCount,
            MinValue = min,
            MaxValue = max,
            IsMinValueExact = min is null ? null : minExact,
            IsMaxValueExact = max is null ? null : maxExact,
            Min = legacy ? min : null,
            Max = legacy ? max : null,
        };
    }

    private static byte[]? IncrementPrefix(byte[] value, int size)
    {
        for (int len = size; len > 0; len--)
        {
            if (value[len - 1] != 0xFF)
            {
                var r = value[..len];
                r[len - 1]++;
                return r;
            }
        }

        return null;
    }

    private void NormalizeZero(byte[] min, byte[] max)
    {
        // Parquet: a zero min is written -0.0 and a zero max +0.0 so readers need not care about the sign.
        switch (order)
        {
            case StatisticsOrder.Float:
                if (BinaryPrimitives.ReadSingleLittleEndian(min) == 0f)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(min, -0f);
                }

                if (BinaryPrimitives.ReadSingleLittleEndian(max) == 0f)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(max, 0f);
                }

                break;
            case StatisticsOrder.Double:
                if (BinaryPrimitives.ReadDoubleLittleEndian(min) == 0d)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(min, -0d);
                }

                if (BinaryPrimitives.ReadDoubleLittleEndian(max) == 0d)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(max, 0d);
                }

                break;
            case StatisticsOrder.Half:
                if (BinaryPrimitives.ReadHalfLittleEndian(min) == Half.Zero)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(min, Half.NegativeZero);
                }

                if (BinaryPrimitives.ReadHalfLittleEndian(max) == Half.Zero)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(max, Half.Zero);
                }

                break;
        }
    }

    private bool IsNaN(ReadOnlySpan<byte> v) => order switch
    {
        StatisticsOrder.Float => float.IsNaN(BinaryPrimitives.ReadSingleLittleEndian(v)),
        StatisticsOrder.Double => double.IsNaN(BinaryPrimitives.ReadDoubleLittleEndian(v)),
        StatisticsOrder.Half => Half.IsNaN(BinaryPrimitives.ReadHalfLittleEndian(v)),
        _ => false,
    };

    /// <summary>Compares two physical values in the column order.</summary>
    public int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => order switch
    {
        StatisticsOrder.Boolean => a[0].CompareTo(b[0]),
        StatisticsOrder.Int32 => BinaryPrimitives.ReadInt32LittleEndian(a).CompareTo(BinaryPrimitives.ReadInt32LittleEndian(b)),
        StatisticsOrder.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(a).CompareTo(BinaryPrimitives.ReadUInt32LittleEndian(b)),
        StatisticsOrder.Int64 => BinaryPrimitives.ReadInt64LittleEndian(a).CompareTo(BinaryPrimitives.ReadInt64LittleEndian(b)),
        StatisticsOrder.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(a).CompareTo(BinaryPrimitives.ReadUInt64LittleEndian(b)),
        StatisticsOrder.Float => BinaryPrimitives.ReadSingleLittleEndian(a).CompareTo(BinaryPrimitives.ReadSingleLittleEndian(b)),
        StatisticsOrder.Double => BinaryPrimitives.ReadDoubleLittleEndian(a).CompareTo(BinaryPrimitives.ReadDoubleLittleEndian(b)),
        StatisticsOrder.Half => BinaryPrimitives.ReadHalfLittleEndian(a).CompareTo(BinaryPrimitives.ReadHalfLittleEndian(b)),
        StatisticsOrder.SignedBigEndian => CompareSignedBigEndian(a, b),
        _ => a.SequenceCompareTo(b),
    };

    private static int CompareSignedBigEndian(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        bool na = a.Length > 0 && a[0] >= 0x80;
        bool nb = b.Length > 0 && b[0] >= 0x80;
        if (na != nb)
        {
            return na ? -1 : 1;
        }

        // Same sign: sign-extend to a common length, then unsigned lexicographic order.
        int len = Math.Max(a.Length, b.Length);
        byte pad = na ? (byte)0xFF : (byte)0;
        for (int i = 0; i < len; i++)
        {
            byte x = i < len - a.Length ? pad : a[i - (len - a.Length)];
            byte y = i < len - b.Length ? pad : b[i - (len - b.Length)];
            if (x != y)
            {
                return x.CompareTo(y);
            }
        }

        return 0;
    }
}

/// <summary>Vectorised minimum and maximum of numbers, the way Parquet statistics want them (NaN ignored). Stateless.</summary>
internal static class MinMax
{
    /// <summary>
    /// The smallest and largest of <paramref name="values"/> ignoring NaN (so false for an empty span or one of NaN only).
    /// -0.0 and +0.0 compare equal here; <see cref="StatisticsBuilder.Build"/> writes a zero minimum as -0.0 and a zero
    /// maximum as +0.0.
    /// </summary>
    public static bool Find<T>(ReadOnlySpan<T> values, out T min, out T max)
        where T : unmanaged, INumber<T>
    {
        int i = 0;
        while (i < values.Length && T.IsNaN(values[i]))
        {
            i++;
        }

        if (i == values.Length)
        {
            min = max = default;
            return false;
        }

        min = max = values[i];
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && values.Length - i >= 2 * Vector256<T>.Count)
        {
            ref T start = ref MemoryMarshal.GetReference(values);
            var vmin = Vector256.Create(min);
            var vmax = vmin;
            int last = values.Length - Vector256<T>.Count;
            for (; i <= last; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                // Comparisons with NaN are false, so NaN lanes never replace a bound.
                vmin = Vector256.ConditionalSelect(Vector256.LessThan(v, vmin), v, vmin);
                vmax = Vector256.ConditionalSelect(Vector256.GreaterThan(v, vmax), v, vmax);
            }

            for (int k = 0; k < Vector256<T>.Count; k++)
            {
                if (vmin[k] < min)
                {
                    min = vmin[k];
                }

                if (vmax[k] > max)
                {
                    max = vmax[k];
                }
            }
        }

        for (; i < values.Length; i++)
        {
            T v = values[i];
            if (v < min)
            {
                min = v;
            }

            if (v > max)
            {
                max = v;
            }
        }

        return true;
    }
}
