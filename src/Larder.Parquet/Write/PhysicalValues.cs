using System.Buffers.Binary;
using Larder.Columnar;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;

namespace Larder.Parquet.Write;

/// <summary>
/// A growable list of values in their Parquet physical form: fixed-width values back to back (<see cref="Width"/> bytes
/// each, little-endian numbers, one byte 0/1 per BOOLEAN), or BYTE_ARRAY values as offsets over data. Not thread safe.
/// </summary>
internal sealed class PhysicalValues
{
    private byte[] _data = new byte[256];
    private int _dataLength;
    private int[] _offsets = new int[65];

    public PhysicalValues(int width) => Width = width;

    /// <summary>Bytes per value; 0 for BYTE_ARRAY.</summary>
    public int Width { get; }

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Data => _data.AsSpan(0, _dataLength);

    /// <summary>For BYTE_ARRAY: Count + 1 offsets into <see cref="Data"/>.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Count + 1);

    public ReadOnlySpan<byte> this[int index]
        => Width > 0 ? _data.AsSpan(index * Width, Width) : _data.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    /// <summary>PLAIN size of value <paramref name="index"/> (booleans count 1 byte here).</summary>
    public int PlainSize(int index) => Width > 0 ? Width : 4 + _offsets[index + 1] - _offsets[index];

    public void Clear()
    {
        Count = 0;
        _dataLength = 0;
    }

    /// <summary>Appends one value; returns its bytes to fill (fixed width) — for BYTE_ARRAY pass the length.</summary>
    public Span<byte> Append(int length)
    {
        EnsureData(length);
        var span = _data.AsSpan(_dataLength, length);
        _dataLength += length;
        if (Width == 0)
        {
            if (Count + 2 > _offsets.Length)
            {
                Array.Resize(ref _offsets, _offsets.Length * 2);
            }

            _offsets[Count + 1] = _dataLength;
        }

        Count++;
        return span;
    }

    public void Append(ReadOnlySpan<byte> value) => value.CopyTo(Append(Width > 0 ? Width : value.Length));

    public void AppendRange(PhysicalValues source, int start, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Append(source[start + i]);
        }
    }

    private void EnsureData(int extra)
    {
        long needed = (long)_dataLength + extra;
        if (needed > _data.Length)
        {
            Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(needed, _data.Length * 2L)));
        }
    }

    /// <summary>The value width of <paramref name="column"/>'s physical type (0 for BYTE_ARRAY, 1 for BOOLEAN).</summary>
    public static int WidthOf(ParquetColumnSchema column) => column.PhysicalType switch
    {
        PhysicalType.Boolean => 1,
        PhysicalType.Int32 or PhysicalType.Float => 4,
        PhysicalType.Int64 or PhysicalType.Double => 8,
        PhysicalType.Int96 => 12,
        PhysicalType.FixedLenByteArray => column.TypeLength,
        _ => 0,
    };

    /// <summary>
    /// Appends the values of <paramref name="array"/> (all valid: the shredder's present values) converted from the Arrow
    /// type to <paramref name="column"/>'s physical storage (see <see cref="ParquetColumnSchema"/>'s remarks).
    /// </summary>
    public void AppendArrow(ParquetColumnSchema column, ArrayData array)
    {
        var type = array.Type;
        int n = array.Length;
        int off = array.Offset;
        string name = string.Join('.', column.ColumnPath);
        if (type.Id == ArrowTypeId.Null || n == 0)
        {
            return;
        }

        if (type is DictionaryType dt)
        {
            var dict = new PhysicalValues(Width);
            dict.AppendArrow(column, array.Dictionary ?? throw WriteErrors.UnsupportedType(name, type.ToString()));
            var idx = array.Buffers[1].Span;
            for (int i = 0; i < n; i++)
            {
                long k = ReadInteger(idx, dt.IndexType, off + i);
                Append(dict[checked((int)k)]);
            }

            return;
        }

        var physical = column.PhysicalType;
        var values = array.Buffers.Count > 1 ? array.Buffers[1].Span : default;
        switch (type.Id)
        {
            case ArrowTypeId.Boolean:
                for (int i = 0; i < n; i++)
                {
                    int bit = off + i;
                    Append(1)[0] = (byte)((values[bit >> 3] >> (bit & 7)) & 1);
                }

                return;
            case ArrowTypeId.String or ArrowTypeId.Binary:
            {
                var offsets = array.Buffers[1].As<int>();
                var data = array.Buffers[2].Span;
                for (int i = 0; i < n; i++)
                {
                    Append(data[offsets[off + i]..offsets[off + i + 1]]);
                }

                return;
            }

            case ArrowTypeId.LargeString or ArrowTypeId.LargeBinary:
            {
                var offsets = array.Buffers[1].As<long>();
                var data = array.Buffers[2].Span;
                for (int i = 0; i < n; i++)
                {
                    Append(data[checked((int)offsets[off + i])..checked((int)offsets[off + i + 1])]);
                }

                return;
            }

            case ArrowTypeId.FixedSizeBinary or ArrowTypeId.HalfFloat:
            {
                int w = type.BitWidth / 8;
                for (int i = 0; i < n; i++)
                {
                    Append(values.Slice((off + i) * w, w));
                }

                return;
            }

            case ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256:
            {
                int w = type.BitWidth / 8;
                for (int i = 0; i < n; i++)
                {
                    var le = values.Slice((off + i) * w, w);
                    switch (physical)
                    {
                        case PhysicalType.Int32:
                            le[..4].CopyTo(Append(4));
                            break;
                        case PhysicalType.Int64:
                            le[..8].CopyTo(Append(8));
                            break;
                        default:
                        {
                            int len = physical == PhysicalType.FixedLenByteArray ? Width : w;
                            var dst = Append(len);
                            for (int b = 0; b < len; b++)
                            {
                                dst[b] = le[len - 1 - b];
                            }

                            break;
                        }
                    }
                }

                return;
            }

            case ArrowTypeId.Interval:
            {
                var unit = ((IntervalType)type).Unit;
                int w = type.BitWidth / 8;
                for (int i = 0; i < n; i++)
                {
                    var src = values.Slice((off + i) * w, w);
                    if (unit is IntervalUnit.YearMonth or IntervalUnit.DayTime
                        && (BinaryPrimitives.ReadInt32LittleEndian(src) < 0 || (w == 8 && BinaryPrimitives.ReadInt32LittleEndian(src[4..]) < 0)))
                    {
                        // Parquet INTERVAL is three unsigned counts; a negative part has no form there.
                        throw WriteErrors.NegativeInterval(type.ToString(), w == 8
                            ? $"{BinaryPrimitives.ReadInt32LittleEndian(src)} days {BinaryPrimitives.ReadInt32LittleEndian(src[4..])} ms"
                            : $"{BinaryPrimitives.ReadInt32LittleEndian(src)} months");
                    }

                    var dst = Append(Width);
                    dst.Clear();
                    switch (unit)
                    {
                        case IntervalUnit.YearMonth:
                            src.CopyTo(dst);
                            break;
                        case IntervalUnit.DayTime:
                            src.CopyTo(dst[4..]);
                            break;
                        default:
                            src.CopyTo(dst);
                            break;
                    }
                }

                return;
            }
        }

        // Numbers: read as long/double, write the physical width.
        if (type.Id is ArrowTypeId.Float or ArrowTypeId.Double)
        {
            int w = type.BitWidth / 8;
            for (int i = 0; i < n; i++)
            {
                values.Slice((off + i) * w, w).CopyTo(Append(w));
            }

            return;
        }

        long multiplier = 1;
        long divisor = 1;
        switch (type)
        {
            case TimestampType { Unit: Columnar.TimeUnit.Second }:
            case TimeType { Unit: Columnar.TimeUnit.Second }:
                multiplier = 1000;
                break;
            case SimpleType when type.Id == ArrowTypeId.Date64:
                divisor = 86_400_000;
                break;
        }

        if (!(type.IsInteger || type.Id is ArrowTypeId.Date32 or ArrowTypeId.Date64 or ArrowTypeId.Time32 or ArrowTypeId.Time64
                or ArrowTypeId.Timestamp or ArrowTypeId.Duration))
        {
            throw WriteErrors.UnsupportedType(name, type.ToString());
        }

        var readType = type.IsInteger ? type : (type.BitWidth == 32 ? ArrowType.Int32 : ArrowType.Int64);
        for (int i = 0; i < n; i++)
        {
            long v = ReadInteger(values, readType, off + i);
            if (multiplier != 1)
            {
                v = checked(v * multiplier);
            }
            else if (divisor != 1)
            {
                v = Math.DivRem(v, divisor, out long rem) - (rem < 0 ? 1 : 0);
            }

            if (physical == PhysicalType.Int32)
            {
                BinaryPrimitives.WriteInt32LittleEndian(Append(4), unchecked((int)v));
            }
            else if (physical == PhysicalType.Int96)
            {
                Encodings.Int96.FromUnixNanoseconds(v).Write(Append(12));
            }
            else
            {
                BinaryPrimitives.WriteInt64LittleEndian(Append(8), v);
            }
        }
    }

    private static long ReadInteger(ReadOnlySpan<byte> buffer, ArrowType type, int index) => type.Id switch
    {
        ArrowTypeId.Int8 => (sbyte)buffer[index],
        ArrowTypeId.UInt8 => buffer[index],
        ArrowTypeId.Int16 => BinaryPrimitives.ReadInt16LittleEndian(buffer[(index * 2)..]),
        ArrowTypeId.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(buffer[(index * 2)..]),
        ArrowTypeId.Int32 => BinaryPrimitives.ReadInt32LittleEndian(buffer[(index * 4)..]),
        ArrowTypeId.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(buffer[(index * 4)..]),
        _ => BinaryPrimitives.ReadInt64LittleEndian(buffer[(index * 8)..]),
    };
}
