using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Larder.Memory;

namespace Larder.Columnar;

/// <summary>
/// Physical concatenation of arrays of one type into a single, compact array (offset 0, fresh 64-byte aligned buffers).
/// Every input's <see cref="ArrayData.Offset"/> and length are honoured, so sliced inputs contribute exactly their rows
/// and only the part of their data, child and dictionary buffers that those rows reference. Pure functions; thread safe.
/// </summary>
/// <remarks>
/// Per layout: validity bitmaps are bit-copied (and omitted when the result has no null); fixed-width values are copied as
/// one byte range per input; booleans are bit-copied; utf8/binary and list/large_list/map offsets are rebased and the
/// referenced data or child range is copied; fixed_size_list copies child rows [offset×size, (offset+length)×size);
/// struct children are sliced by the parent's offset and length, then concatenated; dictionary arrays keep a shared
/// dictionary (same instance) or concatenate the distinct dictionaries and rebase the later inputs' indices.
/// </remarks>
public static class ArrayConcatenator
{
    /// <summary>
    /// Concatenates <paramref name="arrays"/> (all of one <see cref="ArrowType"/>, compared by value) into one array of that
    /// type holding their rows in order. A single input is returned unchanged (arrays are immutable, so no copy is needed);
    /// otherwise the result is a new, compact array with offset 0.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="arrays"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">
    /// No input; the inputs' types differ; or dictionary arrays with different dictionaries whose merged dictionary is
    /// longer than the index type can address.
    /// </exception>
    /// <exception cref="LarderUsageException">
    /// The result would exceed int32 offsets (utf8, binary, list, map: use the large types) or the 2^31-1 rows of one array.
    /// </exception>
    /// <exception cref="LarderFormatException">An input's buffers are shorter than its length and offset require.</exception>
    public static ArrayData Concatenate(IReadOnlyList<ArrayData> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Count == 0)
        {
            throw LarderErrors.ConcatNothing("array");
        }

        var type = (arrays[0] ?? throw new ArgumentNullException(nameof(arrays), "input 0 is null")).Type;
        for (int i = 1; i < arrays.Count; i++)
        {
            var a = arrays[i] ?? throw new ArgumentNullException(nameof(arrays), $"input {i} is null");
            if (!ReferenceEquals(a.Type, type) && !a.Type.Equals(type))
            {
                throw LarderErrors.ConcatTypeMismatch(i, a.Type, type);
            }
        }

        return arrays.Count == 1 ? arrays[0] : ConcatenateCore(type, arrays);
    }

    /// <summary>Concatenates typed arrays; see <see cref="Concatenate(IReadOnlyList{ArrayData})"/> for the contract.</summary>
    public static IArrowArray Concatenate(IReadOnlyList<IArrowArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Count == 1 && arrays[0] is { } single)
        {
            return single;
        }

        var data = new ArrayData[arrays.Count];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (arrays[i] ?? throw new ArgumentNullException(nameof(arrays), $"input {i} is null")).Data;
        }

        return ArrowArrayFactory.Create(Concatenate(data));
    }

    /// <summary>
    /// Concatenates record batches column by column into one batch with the first batch's schema. Every batch must have
    /// the same column names and types (nullability and metadata may differ; the first batch's are kept). A single batch
    /// is returned unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">No batch, or the batches' columns differ.</exception>
    /// <exception cref="LarderUsageException">A concatenated column would exceed int32 offsets or 2^31-1 rows.</exception>
    public static RecordBatch ConcatenateBatches(IReadOnlyList<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0)
        {
            throw LarderErrors.ConcatNothing("record batch");
        }

        var schema = (batches[0] ?? throw new ArgumentNullException(nameof(batches), "batch 0 is null")).Schema;
        long total = 0;
        for (int b = 0; b < batches.Count; b++)
        {
            var batch = batches[b] ?? throw new ArgumentNullException(nameof(batches), $"batch {b} is null");
            if (!SameColumns(batch.Schema, schema))
            {
                throw LarderErrors.SchemaMismatch(
                    $"batch {b} has columns ({string.Join(", ", batch.Schema.Fields)}) but batch 0 has ({string.Join(", ", schema.Fields)})");
            }

            total += batch.Length;
        }

        if (batches.Count == 1)
        {
            return batches[0];
        }

        if (total > int.MaxValue)
        {
            throw LarderErrors.ConcatTooLong(schema.Count > 0 ? schema[0].Type : ArrowType.Null, total);
        }

        var columns = new IArrowArray[schema.Count];
        var pieces = new ArrayData[batches.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            for (int b = 0; b < pieces.Length; b++)
            {
                pieces[b] = batches[b].Column(c).Data;
            }

            columns[c] = ArrowArrayFactory.Create(ConcatenateCore(schema[c].Type, pieces));
        }

        return new RecordBatch(schema, columns, (int)total);
    }

    /// <summary>
    /// All batches of <paramref name="table"/> as one batch with the table's schema (an empty batch when it has none).
    /// </summary>
    /// <exception cref="LarderUsageException">A concatenated column would exceed int32 offsets or 2^31-1 rows.</exception>
    public static RecordBatch ConcatenateBatches(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Batches.Count == 0)
        {
            return new RecordBatch(table.Schema, table.Schema.Fields.Select(f => ArrowArrayFactory.Create(ConcatenateCore(f.Type, []))), 0);
        }

        var batch = ConcatenateBatches(table.Batches);
        return ReferenceEquals(batch.Schema, table.Schema) ? batch : batch.WithSchema(table.Schema);
    }

    private static bool SameColumns(Schema a, Schema b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Name != b[i].Name || !a[i].Type.Equals(b[i].Type))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Concatenates inputs already known to share <paramref name="type"/>; no input gives an empty array.</summary>
    private static ArrayData ConcatenateCore(ArrowType type, IReadOnlyList<ArrayData> arrays)
    {
        long totalLong = 0;
        foreach (var a in arrays)
        {
            totalLong += a.Length;
        }

        if (totalLong > int.MaxValue)
        {
            throw LarderErrors.ConcatTooLong(type, totalLong);
        }

        int total = (int)totalLong;
        switch (type.Id)
        {
            case ArrowTypeId.Null:
                return new ArrayData(type, total, total, 0, []);
            case ArrowTypeId.Boolean:
                {
                    var validity = ConcatValidity(arrays, total, out int nulls);
                    return new ArrayData(type, total, nulls, 0, [validity, ConcatBooleanValues(arrays, total)]);
                }

            case ArrowTypeId.String or ArrowTypeId.Binary:
                return ConcatVariableBinary<int>(type, arrays, total);
            case ArrowTypeId.LargeString or ArrowTypeId.LargeBinary:
                return ConcatVariableBinary<long>(type, arrays, total);
            case ArrowTypeId.List or ArrowTypeId.Map:
                return ConcatList<int>(type, arrays, total);
            case ArrowTypeId.LargeList:
                return ConcatList<long>(type, arrays, total);
            case ArrowTypeId.FixedSizeList:
                return ConcatFixedSizeList((FixedSizeListType)type, arrays, total);
            case ArrowTypeId.Struct:
                return ConcatStruct((StructType)type, arrays, total);
            case ArrowTypeId.Dictionary:
                return ConcatDictionary((DictionaryType)type, arrays, total);
            default:
                if (type.BitWidth <= 0 || type.BitWidth % 8 != 0)
                {
                    throw new ArgumentException($"cannot concatenate arrays of type {type}: its layout is not supported", nameof(arrays));
                }

                {
                    var validity = ConcatValidity(arrays, total, out int nulls);
                    return new ArrayData(type, total, nulls, 0, [validity, ConcatFixedWidth(arrays, total, type.BitWidth / 8, 1)]);
                }
        }
    }

    private static void RequireBuffers(ArrayData a, int count)
    {
        if (a.Buffers.Count < count)
        {
            throw LarderErrors.InvalidArray(null, $"a {a.Type} array has {a.Buffers.Count} buffers, {count} expected");
        }
    }

    /// <summary>The concatenated validity bitmap, or an empty buffer when no row is null.</summary>
    private static ArrowBuffer ConcatValidity(IReadOnlyList<ArrayData> arrays, int total, out int nullCount)
    {
        long nulls = 0;
        foreach (var a in arrays)
        {
            nulls += a.NullCount;
        }

        nullCount = (int)nulls;
        if (nulls == 0)
        {
            return ArrowBuffer.Empty;
        }

        var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(total));
        var dst = bits.Span;
        int position = 0;
        foreach (var a in arrays)
        {
            int length = a.Length;
            if (length == 0)
            {
                continue;
            }

            int n = a.NullCount;
            if (n == 0)
            {
                SetBits(dst, position, length);
            }
            else if (n != length)
            {
                var validity = a.Validity;
                if (validity.IsEmpty || (long)validity.Length * 8 < (long)a.Offset + length)
                {
                    throw LarderErrors.InvalidArray(null, $"a {a.Type} array of {length} rows at offset {a.Offset} with {n} nulls has a validity bitmap of {validity.Length} bytes");
                }

                CopyBits(validity.Span, a.Offset, dst, position, length);
            }

            // All-null inputs leave their (zeroed) bits clear.
            position += length;
        }

        return new ArrowBuffer(bits);
    }

    private static ArrowBuffer ConcatBooleanValues(IReadOnlyList<ArrayData> arrays, int total)
    {
        var bits = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(total));
        int position = 0;
        foreach (var a in arrays)
        {
            if (a.Length == 0)
            {
                continue;
            }

            RequireBuffers(a, 2);
            var values = a.Buffers[1];
            if ((long)values.Length * 8 < (long)a.Offset + a.Length)
            {
                throw LarderErrors.InvalidArray(null, $"a bool array of {a.Length} rows at offset {a.Offset} has a values bitmap of {values.Length} bytes");
            }

            CopyBits(values.Span, a.Offset, bits.Span, position, a.Length);
            position += a.Length;
        }

        return new ArrowBuffer(bits);
    }

    /// <summary>Copies each input's value range [Offset, Offset+Length) × <paramref name="width"/> bytes from buffer <paramref name="bufferIndex"/>.</summary>
    private static ArrowBuffer ConcatFixedWidth(IReadOnlyList<ArrayData> arrays, int total, int width, int bufferIndex)
    {
        var values = BufferAllocator.Allocate((long)total * width);
        var dst = values.Span;
        int position = 0;
        foreach (var a in arrays)
        {
            if (a.Length == 0)
            {
                continue;
            }

            RequireBuffers(a, bufferIndex + 1);
            var src = a.Buffers[bufferIndex];
            long start = (long)a.Offset * width;
            int bytes = a.Length * width;
            if (start + bytes > src.Length)
            {
                throw LarderErrors.InvalidArray(null, $"a {a.Type} array of {a.Length} rows at offset {a.Offset} has a values buffer of {src.Length} bytes, {start + bytes} needed");
            }

            src.Span.Slice((int)start, bytes).CopyTo(dst[position..]);
            position += bytes;
        }

        return new ArrowBuffer(values);
    }

    /// <summary>The offsets of rows [Offset, Offset+Length] of <paramref name="a"/> (Length+1 entries), validated against <paramref name="limit"/>.</summary>
    private static ReadOnlySpan<TOffset> ReadOffsets<TOffset>(ArrayData a, long limit, string what)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        RequireBuffers(a, 2);
        var all = MemoryMarshal.Cast<byte, TOffset>(a.Buffers[1].Span);
        if ((long)a.Offset + a.Length + 1 > all.Length)
        {
            throw LarderErrors.InvalidArray(null, $"a {a.Type} array of {a.Length} rows at offset {a.Offset} has {all.Length} offsets, {(long)a.Offset + a.Length + 1} needed");
        }

        var offsets = all.Slice(a.Offset, a.Length + 1);
        long start = long.CreateTruncating(offsets[0]);
        long end = long.CreateTruncating(offsets[^1]);
        if (start < 0 || end < start || end > limit)
        {
            throw LarderErrors.InvalidArray(null, $"a {a.Type} array references {what} [{start}, {end}) of {limit}");
        }

        return offsets;
    }

    private static ArrayData ConcatVariableBinary<TOffset>(ArrowType type, IReadOnlyList<ArrayData> arrays, int total)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        // First pass: validate and size the data.
        long dataLength = 0;
        foreach (var a in arrays)
        {
            if (a.Length == 0)
            {
                continue;
            }

            RequireBuffers(a, 3);
            var offsets = ReadOffsets<TOffset>(a, a.Buffers[2].Length, "data bytes");
            dataLength += long.CreateTruncating(offsets[^1]) - long.CreateTruncating(offsets[0]);
        }

        if (typeof(TOffset) == typeof(int) && dataLength > int.MaxValue)
        {
            throw LarderErrors.ConcatOffsetOverflow(type, dataLength, "bytes of data");
        }

        var offsetsMemory = BufferAllocator.Allocate(((long)total + 1) * System.Runtime.CompilerServices.Unsafe.SizeOf<TOffset>());
        var dataMemory = BufferAllocator.Allocate(dataLength);
        var dstOffsets = MemoryMarshal.Cast<byte, TOffset>(offsetsMemory.Span);
        var dstData = dataMemory.Span;
        dstOffsets[0] = TOffset.Zero;
        int row = 1;
        long position = 0;
        foreach (var a in arrays)
        {
            if (a.Length == 0)
            {
                continue;
            }

            var offsets = ReadOffsets<TOffset>(a, a.Buffers[2].Length, "data bytes");
            long start = long.CreateTruncating(offsets[0]);
            long end = long.CreateTruncating(offsets[^1]);
            AddScalar(offsets[1..], dstOffsets.Slice(row, a.Length), TOffset.CreateTruncating(position - start));
            a.Buffers[2].Span.Slice((int)start, (int)(end - start)).CopyTo(dstData[(int)position..]);
            row += a.Length;
            position += end - start;
        }

        var validity = ConcatValidity(arrays, total, out int nulls);
        return new ArrayData(type, total, nulls, 0, [validity, new ArrowBuffer(offsetsMemory), new ArrowBuffer(dataMemory)]);
    }

    private static ArrayData ConcatList<TOffset>(ArrowType type, IReadOnlyList<ArrayData> arrays, int total)
        where TOffset : unmanaged, IBinaryInteger<TOffset>
    {
        var childPieces = new ArrayData[arrays.Count];
        long childLength = 0;
        for (int i = 0; i < arrays.Count; i++)
        {
            var a = arrays[i];
            if (a.Children.Count != 1)
            {
                throw LarderErrors.InvalidArray(null, $"a {a.Type} array has {a.Children.Count} children, 1 expected");
            }

            var child = a.Children[0];
            if (a.Length == 0)
            {
                childPieces[i] = child.Slice(0, 0);
                continue;
            }

            var offsets = ReadOffsets<TOffset>(a, child.Length, "child rows");
            int start = int.CreateTruncating(offsets[0]);
            int end = int.CreateTruncating(offsets[^1]);
            childPieces[i] = child.Slice(start, end - start);
            childLength += end - start;
        }

        if (childLength > int.MaxValue)
        {
            throw typeof(TOffset) == typeof(int)
                ? LarderErrors.ConcatOffsetOverflow(type, childLength, "child values")
                : LarderErrors.ConcatTooLong(type, childLength);
        }

        var offsetsMemory = BufferAllocator.Allocate(((long)total + 1) * System.Runtime.CompilerServices.Unsafe.SizeOf<TOffset>());
        var dstOffsets = MemoryMarshal.Cast<byte, TOffset>(offsetsMemory.Span);
        dstOffsets[0] = TOffset.Zero;
        int row = 1;
        long position = 0;
        foreach (var a in arrays)
        {
            if (a.Length == 0)
            {
                continue;
            }

            var offsets = ReadOffsets<TOffset>(a, a.Children[0].Length, "child rows");
            long start = long.CreateTruncating(offsets[0]);
            AddScalar(offsets[1..], dstOffsets.Slice(row, a.Length), TOffset.CreateTruncating(position - start));
            row += a.Length;
            position += long.CreateTruncating(offsets[^1]) - start;
        }

        var childType = type is MapType map ? map.EntriesField.Type : ((ListType)type).ValueType;
        var children = ConcatenateCore(childType, childPieces);
        var validity = ConcatValidity(arrays, total, out int nulls);
        return new ArrayData(type, total, nulls, 0, [validity, new ArrowBuffer(offsetsMemory)], [children]);
    }

    private static ArrayData ConcatFixedSizeList(FixedSizeListType type, IReadOnlyList<ArrayData> arrays, int total)
    {
        int size = type.ListSize;
        var childPieces = new ArrayData[arrays.Count];
        for (int i = 0; i < arrays.Count; i++)
        {
            var a = arrays[i];
            if (a.Children.Count != 1)
            {
                throw LarderErrors.InvalidArray(null, $"a {a.Type} array has {a.Children.Count} children, 1 expected");
            }

            var child = a.Children[0];
            long start = (long)a.Offset * size;
            long count = (long)a.Length * size;
            if (start + count > child.Length)
            {
                throw LarderErrors.InvalidArray(null, $"a {a.Type} array of {a.Length} rows at offset {a.Offset} has {child.Length} child values, {start + count} needed");
            }

            childPieces[i] = child.Slice((int)start, (int)count);
        }

        if ((long)total * size > int.MaxValue)
        {
            throw LarderErrors.ConcatTooLong(type.ValueType, (long)total * size);
        }

        var children = ConcatenateCore(type.ValueType, childPieces);
        var validity = ConcatValidity(arrays, total, out int nulls);
        return new ArrayData(type, total, nulls, 0, [validity], [children]);
    }

    private static ArrayData ConcatStruct(StructType type, IReadOnlyList<ArrayData> arrays, int total)
    {
        int fieldCount = type.Fields.Count;
        var children = new ArrayData[fieldCount];
        var pieces = new ArrayData[arrays.Count];
        for (int f = 0; f < fieldCount; f++)
        {
            for (int i = 0; i < arrays.Count; i++)
            {
                var a = arrays[i];
                if (a.Children.Count != fieldCount)
                {
                    throw LarderErrors.InvalidArray(null, $"a {a.Type} array has {a.Children.Count} children, {fieldCount} expected");
                }

                var child = a.Children[f];
                if ((long)a.Offset + a.Length > child.Length)
                {
                    throw LarderErrors.InvalidArray(null, $"struct field '{type.Fields[f].Name}' has {child.Length} rows, {(long)a.Offset + a.Length} needed");
                }

                // Struct children share the parent's row numbering: the parent's offset applies to them.
                pieces[i] = child.Slice(a.Offset, a.Length);
            }

            children[f] = ConcatenateCore(type.Fields[f].Type, pieces);
        }

        var validity = ConcatValidity(arrays, total, out int nulls);
        return new ArrayData(type, total, nulls, 0, [validity], children);
    }

    private static ArrayData ConcatDictionary(DictionaryType type, IReadOnlyList<ArrayData> arrays, int total)
    {
        // Distinct dictionaries (by instance) in order of first use, and where each starts in the merged dictionary.
        var distinct = new List<ArrayData>();
        var distinctBases = new List<long>();
        var bases = new long[arrays.Count];
        long merged = 0;
        for (int i = 0; i < arrays.Count; i++)
        {
            var dictionary = arrays[i].Dictionary ?? throw LarderErrors.InvalidArray(null, $"input {i} is a {type} array without a dictionary");
            int known = -1;
            for (int d = 0; d < distinct.Count; d++)
            {
                if (ReferenceEquals(distinct[d], dictionary))
                {
                    known = d;
                    break;
                }
            }

            if (known < 0)
            {
                distinct.Add(dictionary);
                distinctBases.Add(merged);
                bases[i] = merged;
                merged += dictionary.Length;
            }
            else
            {
                bases[i] = distinctBases[known];
            }
        }

        int width = type.IndexType.BitWidth / 8;
        var validity = ConcatValidity(arrays, total, out int nulls);
        if (distinct.Count <= 1)
        {
            var dictionary = distinct.Count == 1 ? distinct[0] : ConcatenateCore(type.ValueType, []);
            return new ArrayData(type, total, nulls, 0, [validity, ConcatFixedWidth(arrays, total, width, 1)], null, dictionary);
        }

        if (merged > 0 && !IndexFits(type.IndexType, merged - 1))
        {
            throw LarderErrors.ConcatDictionaryIndexOverflow(type.IndexType, merged);
        }

        var dictionaryData = ConcatenateCore(type.ValueType, distinct);
        var indices = type.IndexType.Id switch
        {
            ArrowTypeId.Int8 => RebaseIndices<sbyte>(arrays, bases, total),
            ArrowTypeId.Int16 => RebaseIndices<short>(arrays, bases, total),
            ArrowTypeId.Int32 => RebaseIndices<int>(arrays, bases, total),
            ArrowTypeId.Int64 => RebaseIndices<long>(arrays, bases, total),
            ArrowTypeId.UInt8 => RebaseIndices<byte>(arrays, bases, total),
            ArrowTypeId.UInt16 => RebaseIndices<ushort>(arrays, bases, total),
            ArrowTypeId.UInt32 => RebaseIndices<uint>(arrays, bases, total),
            _ => RebaseIndices<ulong>(arrays, bases, total),
        };
        return new ArrayData(type, total, nulls, 0, [validity, indices], null, dictionaryData);
    }

    private static bool IndexFits(ArrowType indexType, long maxIndex) => indexType.Id switch
    {
        ArrowTypeId.Int8 => maxIndex <= sbyte.MaxValue,
        ArrowTypeId.Int16 => maxIndex <= short.MaxValue,
        ArrowTypeId.Int32 => maxIndex <= int.MaxValue,
        ArrowTypeId.UInt8 => maxIndex <= byte.MaxValue,
        ArrowTypeId.UInt16 => maxIndex <= ushort.MaxValue,
        ArrowTypeId.UInt32 => maxIndex <= uint.MaxValue,
        _ => true,
    };

    private static ArrowBuffer RebaseIndices<T>(IReadOnlyList<ArrayData> arrays, long[] bases, int total)
        where T : unmanaged, IBinaryInteger<T>
    {
        int width = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var memory = BufferAllocator.Allocate((long)total * width);
        var dst = MemoryMarshal.Cast<byte, T>(memory.Span);
        int position = 0;
        for (int i = 0; i < arrays.Count; i++)
        {
            var a = arrays[i];
            if (a.Length == 0)
            {
                continue;
            }

            RequireBuffers(a, 2);
            var src = MemoryMarshal.Cast<byte, T>(a.Buffers[1].Span);
            if ((long)a.Offset + a.Length > src.Length)
            {
                throw LarderErrors.InvalidArray(null, $"a {a.Type} array of {a.Length} rows at offset {a.Offset} has {src.Length} indices");
            }

            // Null slots may hold any value; wrapping addition keeps them harmless.
            AddScalar(src.Slice(a.Offset, a.Length), dst.Slice(position, a.Length), T.CreateTruncating(bases[i]));
            position += a.Length;
        }

        return new ArrowBuffer(memory);
    }

    /// <summary>dst[i] = src[i] + delta (wrapping), vectorised.</summary>
    private static void AddScalar<T>(ReadOnlySpan<T> src, Span<T> dst, T delta)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (T.IsZero(delta))
        {
            src.CopyTo(dst);
            return;
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && src.Length >= Vector<T>.Count)
        {
            var d = new Vector<T>(delta);
            int last = src.Length - Vector<T>.Count;
            for (; i <= last; i += Vector<T>.Count)
            {
                (new Vector<T>(src[i..]) + d).CopyTo(dst[i..]);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = src[i] + delta;
        }
    }

    /// <summary>
    /// ORs <paramref name="length"/> bits of <paramref name="src"/> from bit <paramref name="srcOffset"/> into
    /// <paramref name="dst"/> at bit <paramref name="dstOffset"/>. The destination range must be clear. Works 64 bits at a time.
    /// </summary>
    internal static void CopyBits(ReadOnlySpan<byte> src, int srcOffset, Span<byte> dst, int dstOffset, int length)
    {
        if (((srcOffset | dstOffset) & 7) == 0)
        {
            int whole = length >> 3;
            src.Slice(srcOffset >> 3, whole).CopyTo(dst[(dstOffset >> 3)..]);
            int rest = length & 7;
            if (rest != 0)
            {
                dst[(dstOffset >> 3) + whole] |= (byte)(src[(srcOffset >> 3) + whole] & ((1 << rest) - 1));
            }

            return;
        }

        int done = 0;
        while (done < length)
        {
            int n = Math.Min(64, length - done);
            OrBits(dst, dstOffset + done, LoadBits(src, srcOffset + done, n), n);
            done += n;
        }
    }

    /// <summary>Sets bits [offset, offset+length) of a clear destination range.</summary>
    private static void SetBits(Span<byte> dst, int offset, int length)
    {
        int done = 0;
        while (done < length)
        {
            int n = Math.Min(64, length - done);
            OrBits(dst, offset + done, n == 64 ? ulong.MaxValue : (1UL << n) - 1, n);
            done += n;
        }
    }

    /// <summary>Bits [bitOffset, bitOffset+count) of <paramref name="src"/> as the low bits of a word (count 1..64).</summary>
    private static ulong LoadBits(ReadOnlySpan<byte> src, int bitOffset, int count)
    {
        int index = bitOffset >> 3;
        int shift = bitOffset & 7;
        int bytes = (shift + count + 7) >> 3;
        ulong low;
        if (src.Length - index >= 8)
        {
            low = BinaryPrimitives.ReadUInt64LittleEndian(src[index..]);
        }
        else
        {
            low = 0;
            for (int k = 0; k < Math.Min(bytes, 8); k++)
            {
                low |= (ulong)src[index + k] << (8 * k);
            }
        }

        ulong result = low >> shift;
        if (bytes == 9)
        {
            result |= (ulong)src[index + 8] << (64 - shift);
        }

        return count == 64 ? result : result & ((1UL << count) - 1);
    }

    /// <summary>ORs the low <paramref name="count"/> bits of <paramref name="bits"/> (higher bits must be 0) into <paramref name="dst"/> at bit <paramref name="bitOffset"/>.</summary>
    private static void OrBits(Span<byte> dst, int bitOffset, ulong bits, int count)
    {
        int index = bitOffset >> 3;
        int shift = bitOffset & 7;
        int bytes = (shift + count + 7) >> 3;
        ulong low = bits << shift;
        if (dst.Length - index >= 8)
        {
            var word = dst.Slice(index, 8);
            BinaryPrimitives.WriteUInt64LittleEndian(word, BinaryPrimitives.ReadUInt64LittleEndian(word) | low);
        }
        else
        {
            for (int k = 0; k < Math.Min(bytes, 8); k++)
            {
                dst[index + k] |= (byte)(low >> (8 * k));
            }
        }

        if (bytes == 9)
        {
            dst[index + 8] |= (byte)(bits >> (64 - shift));
        }
    }
}
