using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Memory;
using Larder.Parquet.Encodings;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using ArrowTimeUnit = Larder.Columnar.TimeUnit;

namespace Larder.Parquet.Read;

/// <summary>
/// Turns decoded physical values into an array of the leaf's storage type, then converts it to the leaf's Arrow type
/// (the pairs listed on <see cref="ParquetColumnSchema"/>). Stateless.
/// </summary>
internal static class ValueConversions
{
    public static ArrayData ToArrow(ColumnChunkReader.PhysicalValues values, ParquetColumnSchema column)
    {
        if (values.Type == PhysicalType.Int96 && column.ArrowType is TimestampType target)
        {
            return Int96Timestamps(values, target);
        }

        var storage = ToStorage(values, column.StorageType);
        return Convert(storage, column.ArrowType);
    }

    private static ArrayData ToStorage(ColumnChunkReader.PhysicalValues v, ArrowType type)
    {
        int n = v.Count;
        switch (type.Id)
        {
            case ArrowTypeId.Null:
                return new ArrayData(type, n, n, 0, []);
            case ArrowTypeId.Boolean:
                {
                    var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(n));
                    var src = v.Fixed.Written;
                    var dst = bits.Span;
                    for (int i = 0; i < n; i++)
                    {
                        if (src[i] != 0)
                        {
                            BitUtil.SetBit(dst, i);
                        }
                    }

                    return new ArrayData(type, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bits)]);
                }

            case ArrowTypeId.String or ArrowTypeId.Binary or ArrowTypeId.LargeString or ArrowTypeId.LargeBinary when v.Type == PhysicalType.ByteArray:
                return Convert(new ArrayData(type.IsString ? ArrowType.String : ArrowType.Binary, n, 0, 0, [ArrowBuffer.Empty, v.Offsets.Build(), v.Data.Build()]), type);
            case ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256:
                return Decimal(v, (DecimalType)type);
            case ArrowTypeId.Int8 or ArrowTypeId.UInt8 or ArrowTypeId.Int16 or ArrowTypeId.UInt16 when v.Type == PhysicalType.Int32:
                {
                    int w = type.BitWidth / 8;
                    var src = MemoryMarshal.Cast<byte, int>(v.Fixed.Written);
                    var mem = BufferAllocator.Allocate((long)n * w);
                    var dst = mem.Span;
                    for (int i = 0; i < n; i++)
                    {
                        if (w == 1)
                        {
                            dst[i] = (byte)src[i];
                        }
                        else
                        {
                            BinaryPrimitives.WriteInt16LittleEndian(dst[(i * 2)..], (short)src[i]);
                        }
                    }

                    return new ArrayData(type, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
                }

            default:
                if (v.Type == PhysicalType.ByteArray || type.IsNested || type.BitWidth != v.StoredWidth * 8)
                {
                    throw new LarderNotSupportedException($"Parquet {v.Type} values cannot be read as {type}.");
                }

                return new ArrayData(type, n, 0, 0, [ArrowBuffer.Empty, v.Fixed.Build()]);
        }
    }

    /// <summary>
    /// Legacy INT96 timestamps straight into <paramref name="type"/>'s unit, exactly as Spark reads them: the Julian day
    /// and the nanoseconds of the day as signed numbers, combined in the target unit with 64-bit wrapping arithmetic.
    /// That is the inverse of how Spark (and Arrow, in nanoseconds) compute what they store, so every instant they wrote
    /// comes back exactly, including those whose stored fields wrapped (Spark's year 290000 in int96_from_spark).
    /// </summary>
    private static ArrayData Int96Timestamps(ColumnChunkReader.PhysicalValues v, TimestampType type)
    {
        int n = v.Count;
        long perSecond = UnitFactor(type.Unit);
        long nanosPerUnit = 1_000_000_000 / perSecond;
        long unitsPerDay = 86_400 * perSecond;
        var src = v.Fixed.Written;
        var mem = BufferAllocator.Allocate((long)n * 8);
        var dst = MemoryMarshal.Cast<byte, long>(mem.Span);
        for (int i = 0; i < n; i++)
        {
            var raw = src.Slice(i * 12, 12);
            long nanosOfDay = BinaryPrimitives.ReadInt64LittleEndian(raw);
            int julianDay = BinaryPrimitives.ReadInt32LittleEndian(raw[8..]);
            dst[i] = unchecked(((julianDay - (long)Int96.UnixEpochJulianDay) * unitsPerDay) + (nanosOfDay / nanosPerUnit));
        }

        return new ArrayData(type, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
    }

    private static ArrayData Decimal(ColumnChunkReader.PhysicalValues v, DecimalType type)
    {
        int n = v.Count;
        int w = type.BitWidth / 8;
        var mem = BufferAllocator.AllocateZeroed((long)n * w);
        var dst = mem.Span;
        switch (v.Type)
        {
            case PhysicalType.Int32:
                {
                    var src = MemoryMarshal.Cast<byte, int>(v.Fixed.Written);
                    for (int i = 0; i < n; i++)
                    {
                        SignExtend(src[i], dst.Slice(i * w, w));
                    }

                    break;
                }

            case PhysicalType.Int64:
                {
                    var src = MemoryMarshal.Cast<byte, long>(v.Fixed.Written);
                    for (int i = 0; i < n; i++)
                    {
                        SignExtend(src[i], dst.Slice(i * w, w));
                    }

                    break;
                }

            case PhysicalType.FixedLenByteArray:
                {
                    var src = v.Fixed.Written;
                    int l = v.TypeLength;
                    for (int i = 0; i < n; i++)
                    {
                        BigEndian(src.Slice(i * l, l), dst.Slice(i * w, w));
                    }

                    break;
                }

            case PhysicalType.ByteArray:
                {
                    var offsets = v.Offsets.WrittenAs<int>();
                    var data = v.Data.Written;
                    for (int i = 0; i < n; i++)
                    {
                        BigEndian(data[offsets[i]..offsets[i + 1]], dst.Slice(i * w, w));
                    }

                    break;
                }

            default:
                throw new LarderNotSupportedException($"Parquet {v.Type} values cannot be read as {type}.");
        }

        return new ArrayData(type, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
    }

    private static void SignExtend(long value, Span<byte> dst)
    {
        BinaryPrimitives.WriteInt64LittleEndian(dst, value);
        dst[8..].Fill(value < 0 ? (byte)0xFF : (byte)0);
    }

    /// <summary>Big-endian two's complement of any length into a little-endian value of <c>dst.Length</c> bytes.</summary>
    private static void BigEndian(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (src.IsEmpty)
        {
            dst.Clear();
            return;
        }

        byte sign = (src[0] & 0x80) != 0 ? (byte)0xFF : (byte)0;
        if (src.Length > dst.Length)
        {
            int extra = src.Length - dst.Length;
            foreach (byte b in src[..extra])
            {
                if (b != sign)
                {
                    throw new LarderFormatException($"A decimal of {src.Length} bytes does not fit in {dst.Length * 8} bits.");
                }
            }

            if (((src[extra] & 0x80) != 0 ? (byte)0xFF : (byte)0) != sign)
            {
                throw new LarderFormatException($"A decimal of {src.Length} bytes does not fit in {dst.Length * 8} bits.");
            }

            src = src[extra..];
        }

        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = i < src.Length ? src[src.Length - 1 - i] : sign;
        }
    }

    /// <summary>Converts an array of a storage type to the Arrow type the schema asks for.</summary>
    internal static ArrayData Convert(ArrayData a, ArrowType target)
    {
        var type = a.Type;
        if (type.Equals(target))
        {
            return a;
        }

        int n = a.Length;
        switch (target)
        {
            case DictionaryType dt:
                return DictionaryEncode(Convert(a, dt.ValueType), dt);
            case { Id: ArrowTypeId.LargeString or ArrowTypeId.LargeBinary } when type.Id is ArrowTypeId.String or ArrowTypeId.Binary:
                {
                    var src = a.Buffers[1].As<int>();
                    var mem = BufferAllocator.Allocate((long)(n + 1) * 8);
                    var dst = MemoryMarshal.Cast<byte, long>(mem.Span);
                    for (int i = 0; i <= n; i++)
                    {
                        dst[i] = src[a.Offset + i];
                    }

                    return new ArrayData(target, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem), a.Buffers[2]]);
                }

            case { Id: ArrowTypeId.String or ArrowTypeId.Binary } when type.Id is ArrowTypeId.String or ArrowTypeId.Binary:
                return Relabel(a, target);
            case TimestampType ts when type is TimestampType st:
                return Scale64(a, target, UnitFactor(st.Unit), UnitFactor(ts.Unit));
            case TimeType tt when type is TimeType st:
                if (tt.BitWidth == st.BitWidth)
                {
                    return tt.BitWidth == 32 ? Scale32(a, target, UnitFactor(st.Unit), UnitFactor(tt.Unit)) : Scale64(a, target, UnitFactor(st.Unit), UnitFactor(tt.Unit));
                }

                break;
            case { Id: ArrowTypeId.Date64 } when type.Id == ArrowTypeId.Date32:
                {
                    var src = a.Buffers[1].As<int>();
                    var mem = BufferAllocator.Allocate((long)n * 8);
                    var dst = MemoryMarshal.Cast<byte, long>(mem.Span);
                    for (int i = 0; i < n; i++)
                    {
                        dst[i] = src[a.Offset + i] * 86_400_000L;
                    }

                    return new ArrayData(target, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
                }

            case DurationType when type.Id == ArrowTypeId.Int64:
                return Relabel(a, target);
            case DecimalType dt when type is DecimalType:
                {
                    int sw = type.BitWidth / 8;
                    int tw = dt.BitWidth / 8;
                    var src = a.Buffers[1].Span[(a.Offset * sw)..];
                    var mem = BufferAllocator.Allocate((long)n * tw);
                    var dst = mem.Span;
                    for (int i = 0; i < n; i++)
                    {
                        var s = src.Slice(i * sw, sw);
                        var d = dst.Slice(i * tw, tw);
                        if (tw >= sw)
                        {
                            s.CopyTo(d);
                            d[sw..].Fill((s[sw - 1] & 0x80) != 0 ? (byte)0xFF : (byte)0);
                        }
                        else
                        {
                            s[..tw].CopyTo(d);
                        }
                    }

                    return new ArrayData(target, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
                }

            case IntervalType it when type is FixedSizeBinaryType fb:
                {
                    int tw = it.BitWidth / 8;
                    int skip = it.Unit switch
                    {
                        IntervalUnit.YearMonth => 0,
                        IntervalUnit.DayTime => 4,
                        _ => 0,
                    };
                    if (skip + tw > fb.ByteWidth)
                    {
                        break;
                    }

                    var src = a.Buffers[1].Span[(a.Offset * fb.ByteWidth)..];
                    var mem = BufferAllocator.Allocate((long)n * tw);
                    for (int i = 0; i < n; i++)
                    {
                        src.Slice((i * fb.ByteWidth) + skip, tw).CopyTo(mem.Span.Slice(i * tw, tw));
                    }

                    return new ArrayData(target, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
                }
        }

        if (!type.IsNested && !target.IsNested && !type.IsVariableBinary && !target.IsVariableBinary
            && type.Id != ArrowTypeId.Boolean && target.Id != ArrowTypeId.Boolean && type.BitWidth == target.BitWidth && type.BitWidth > 0)
        {
            return Relabel(a, target);
        }

        throw new LarderNotSupportedException($"Converting Parquet values of {type} to {target} is not supported.");
    }

    private static ArrayData Relabel(ArrayData a, ArrowType target) => new(target, a.Length, 0, a.Offset, [.. a.Buffers], null, a.Dictionary);

    private static long UnitFactor(ArrowTimeUnit unit) => unit switch
    {
        ArrowTimeUnit.Second => 1,
        ArrowTimeUnit.Millisecond => 1_000,
        ArrowTimeUnit.Microsecond => 1_000_000,
        _ => 1_000_000_000,
    };

    private static ArrayData Scale64(ArrayData a, ArrowType target, long from, long to)
    {
        if (from == to)
        {
            return Relabel(a, target);
        }

        int n = a.Length;
        var src = a.Buffers[1].As<long>();
        var mem = BufferAllocator.Allocate((long)n * 8);
        var dst = MemoryMarshal.Cast<byte, long>(mem.Span);
        for (int i = 0; i < n; i++)
        {
            long v = src[a.Offset + i];
            dst[i] = to > from ? checked(v * (to / from)) : v / (from / to);
        }

        return new ArrayData(target, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
    }

    private static ArrayData Scale32(ArrayData a, ArrowType target, long from, long to)
    {
        if (from == to)
        {
            return Relabel(a, target);
        }

        int n = a.Length;
        var src = a.Buffers[1].As<int>();
        var mem = BufferAllocator.Allocate((long)n * 4);
        var dst = MemoryMarshal.Cast<byte, int>(mem.Span);
        for (int i = 0; i < n; i++)
        {
            long v = src[a.Offset + i];
            dst[i] = checked((int)(to > from ? v * (to / from) : v / (from / to)));
        }

        return new ArrayData(target, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
    }

    /// <summary>Dictionary-encodes plain values (first occurrence order).</summary>
    private static ArrayData DictionaryEncode(ArrayData values, DictionaryType type)
    {
        int n = values.Length;
        var vt = values.Type;
        var map = new Dictionary<ByteKey, int>();
        var indices = new int[n];
        var uniques = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var key = new ByteKey(ValueBytes(values, i));
            if (!map.TryGetValue(key, out int index))
            {
                index = map.Count;
                map.Add(key, index);
                uniques.Add(i);
            }

            indices[i] = index;
        }

        var dictionary = Take(values, uniques);
        int iw = type.IndexType.BitWidth / 8;
        long maxIndex = type.IndexType.IsSignedInteger ? (1L << (type.IndexType.BitWidth - 1)) - 1 : (type.IndexType.BitWidth == 64 ? long.MaxValue : (1L << type.IndexType.BitWidth) - 1);
        if (map.Count - 1 > maxIndex)
        {
            throw new LarderFormatException($"{map.Count} distinct values do not fit the dictionary index type {type.IndexType}.");
        }

        var mem = BufferAllocator.Allocate((long)n * iw);
        var dst = mem.Span;
        for (int i = 0; i < n; i++)
        {
            switch (iw)
            {
                case 1: dst[i] = (byte)indices[i]; break;
                case 2: BinaryPrimitives.WriteInt16LittleEndian(dst[(i * 2)..], (short)indices[i]); break;
                case 4: BinaryPrimitives.WriteInt32LittleEndian(dst[(i * 4)..], indices[i]); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(dst[(i * 8)..], indices[i]); break;
            }
        }

        _ = vt;
        return new ArrayData(type, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)], null, dictionary);
    }

    private static ReadOnlyMemory<byte> ValueBytes(ArrayData a, int i)
    {
        var t = a.Type;
        int row = a.Offset + i;
        if (t.Id is ArrowTypeId.String or ArrowTypeId.Binary)
        {
            var o = a.Buffers[1].As<int>();
            return a.Buffers[2].Memory[o[row]..o[row + 1]];
        }

        if (t.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary)
        {
            var o = a.Buffers[1].As<long>();
            return a.Buffers[2].Memory[(int)o[row]..(int)o[row + 1]];
        }

        if (t.Id == ArrowTypeId.Boolean)
        {
            return BitUtil.GetBit(a.Buffers[1].Span, row) ? new byte[] { 1 } : new byte[] { 0 };
        }

        if (t.IsNested || t.BitWidth % 8 != 0 || t.BitWidth == 0)
        {
            throw new LarderNotSupportedException($"Dictionary-encoding values of {t} is not supported.");
        }

        int w = t.BitWidth / 8;
        return a.Buffers[1].Memory.Slice(row * w, w);
    }

    private static ArrayData Take(ArrayData a, List<int> rows)
    {
        var t = a.Type;
        int n = rows.Count;
        if (t.IsVariableBinary)
        {
            bool large = t.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary;
            var offsets = new BufferBuilder();
            var data = new BufferBuilder();
            if (large)
            {
                offsets.Append(0L);
            }
            else
            {
                offsets.Append(0);
            }

            foreach (int r in rows)
            {
                data.AppendRange<byte>(ValueBytes(a, r).Span);
                if (large)
                {
                    offsets.Append((long)data.Length);
                }
                else
                {
                    offsets.Append(data.Length);
                }
            }

            return new ArrayData(t, n, 0, 0, [ArrowBuffer.Empty, offsets.Build(), data.Build()]);
        }

        if (t.Id == ArrowTypeId.Boolean)
        {
            var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(n));
            for (int i = 0; i < n; i++)
            {
                BitUtil.SetBit(bits.Span, i, BitUtil.GetBit(a.Buffers[1].Span, a.Offset + rows[i]));
            }

            return new ArrayData(t, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bits)]);
        }

        int w = t.BitWidth / 8;
        var mem = BufferAllocator.Allocate((long)n * w);
        for (int i = 0; i < n; i++)
        {
            ValueBytes(a, rows[i]).Span.CopyTo(mem.Span.Slice(i * w, w));
        }

        return new ArrayData(t, n, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(mem)]);
    }

    private readonly struct ByteKey(ReadOnlyMemory<byte> bytes) : IEquatable<ByteKey>
    {
        private readonly ReadOnlyMemory<byte> _bytes = bytes;

        public bool Equals(ByteKey other) => _bytes.Span.SequenceEqual(other._bytes.Span);

        public override bool Equals(object? obj) => obj is ByteKey k && Equals(k);

        public override int GetHashCode()
        {
            var h = new HashCode();
            h.AddBytes(_bytes.Span);
            return h.ToHashCode();
        }
    }
}
