using System.Runtime.InteropServices;
using Larder.Memory;

namespace Larder.Columnar;

/// <summary>
/// Full structural validation of array data that came from untrusted bytes: buffer counts and sizes, offsets
/// (monotonic, in range), child lengths, dictionary index ranges, and nesting. After it passes, every typed accessor
/// of <see cref="ArrowArrayFactory"/> arrays stays in bounds. Pure function.
/// </summary>
public static class ArrayValidator
{
    /// <summary>Maximum nesting depth accepted (lists of structs of …).</summary>
    public const int MaxDepth = 64;

    /// <exception cref="LarderFormatException">The data is inconsistent; <paramref name="source"/> names the input in the message.</exception>
    public static void Validate(ArrayData data, string? source = null) => Validate(data, source, 0, "column");

    private static void Validate(ArrayData data, string? source, int depth, string path)
    {
        if (depth > MaxDepth)
        {
            throw LarderErrors.InvalidArray(source, $"{path}: nesting deeper than {MaxDepth} levels");
        }

        var type = data.Type;
        int expectedBuffers = ArrayData.BufferCount(type);
        if (data.Buffers.Count != expectedBuffers)
        {
            throw LarderErrors.InvalidArray(source, $"{path}: {type} needs {expectedBuffers} buffers, found {data.Buffers.Count}");
        }

        long end = (long)data.Offset + data.Length;
        if (end > int.MaxValue)
        {
            throw LarderErrors.InvalidArray(source, $"{path}: offset {data.Offset} + length {data.Length} overflows");
        }

        if (type.Id != ArrowTypeId.Null && !data.Validity.IsEmpty && data.Validity.Length < BitUtil.BytesForBits(end))
        {
            throw LarderErrors.InvalidArray(source, $"{path}: validity bitmap of {data.Validity.Length} bytes is too short for {end} rows");
        }

        if (type.Id != ArrowTypeId.Null && data.NullCount > data.Length)
        {
            throw LarderErrors.InvalidArray(source, $"{path}: null count {data.NullCount} exceeds length {data.Length}");
        }

        switch (type.Id)
        {
            case ArrowTypeId.Null:
                break;

            case ArrowTypeId.Boolean:
                RequireBytes(data, 1, BitUtil.BytesForBits(end), source, path, "values");
                break;

            case ArrowTypeId.String:
            case ArrowTypeId.LargeString:
            case ArrowTypeId.Binary:
            case ArrowTypeId.LargeBinary:
                ValidateOffsets(data, type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary, data.Buffers[2].Length, source, path);
                break;

            case ArrowTypeId.List:
            case ArrowTypeId.LargeList:
            case ArrowTypeId.Map:
                RequireChildren(data, 1, source, path);
                ValidateOffsets(data, type.Id == ArrowTypeId.LargeList, data.Children[0].Length, source, path);
                Validate(data.Children[0], source, depth + 1, path + ".item");
                if (type.Id == ArrowTypeId.Map && data.Children[0].Type.Id != ArrowTypeId.Struct)
                {
                    throw LarderErrors.InvalidArray(source, $"{path}: map entries are not a struct");
                }

                break;

            case ArrowTypeId.FixedSizeList:
                {
                    RequireChildren(data, 1, source, path);
                    long needed = end * ((FixedSizeListType)type).ListSize;
                    if (data.Children[0].Length < needed)
                    {
                        throw LarderErrors.InvalidArray(source, $"{path}: fixed-size list child has {data.Children[0].Length} items, {needed} needed");
                    }

                    Validate(data.Children[0], source, depth + 1, path + ".item");
                    break;
                }

            case ArrowTypeId.Struct:
                {
                    var fields = ((StructType)type).Fields;
                    RequireChildren(data, fields.Count, source, path);
                    for (int i = 0; i < fields.Count; i++)
                    {
                        if (data.Children[i].Length < end)
                        {
                            throw LarderErrors.InvalidArray(source, $"{path}.{fields[i].Name}: struct child has {data.Children[i].Length} rows, {end} needed");
                        }

                        if (!data.Children[i].Type.Equals(fields[i].Type))
                        {
                            throw LarderErrors.InvalidArray(source, $"{path}.{fields[i].Name}: child type {data.Children[i].Type} differs from {fields[i].Type}");
                        }

                        Validate(data.Children[i], source, depth + 1, path + "." + fields[i].Name);
                    }

                    break;
                }

            case ArrowTypeId.Dictionary:
                {
                    var dt = (DictionaryType)type;
                    RequireBytes(data, 1, end * (dt.IndexType.BitWidth / 8), source, path, "indices");
                    if (data.Dictionary is null)
                    {
                        throw LarderErrors.InvalidArray(source, $"{path}: dictionary-encoded column has no dictionary");
                    }

                    if (!data.Dictionary.Type.Equals(dt.ValueType))
                    {
                        throw LarderErrors.InvalidArray(source, $"{path}: dictionary type {data.Dictionary.Type} differs from {dt.ValueType}");
                    }

                    Validate(data.Dictionary, source, depth + 1, path + ".dictionary");
                    ValidateIndices(data, dt.IndexType, data.Dictionary.Length, source, path);
                    break;
                }

            default:
                // Fixed-width: integers, floats, decimals, temporal types, intervals, fixed-size binary.
                RequireBytes(data, 1, end * (type.BitWidth / 8), source, path, "values");
                break;
        }
    }

    private static void RequireChildren(ArrayData data, int count, string? source, string path)
    {
        if (data.Children.Count != count)
        {
            throw LarderErrors.InvalidArray(source, $"{path}: {data.Type} needs {count} children, found {data.Children.Count}");
        }
    }

    private static void RequireBytes(ArrayData data, int buffer, long needed, string? source, string path, string what)
    {
        if (data.Buffers[buffer].Length < needed)
        {
            throw LarderErrors.InvalidArray(source, $"{path}: {what} buffer has {data.Buffers[buffer].Length} bytes, {needed} needed for {data.Offset + data.Length} rows");
        }
    }

    private static void ValidateOffsets(ArrayData data, bool large, long limit, string? source, string path)
    {
        int count = data.Length + 1;
        int first = data.Offset;
        if (data.Length == 0 && data.Buffers[1].IsEmpty)
        {
            return; // A zero-length array may omit its offsets buffer.
        }

        RequireBytes(data, 1, ((long)first + count) * (large ? 8 : 4), source, path, "offsets");
        if (large)
        {
            var offsets = MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span).Slice(first, count);
            long previous = offsets[0];
            if (previous < 0)
            {
                throw LarderErrors.InvalidArray(source, $"{path}: negative offset {previous}");
            }

            for (int i = 1; i < offsets.Length; i++)
            {
                long o = offsets[i];
                if (o < previous)
                {
                    throw LarderErrors.InvalidArray(source, $"{path}: offsets decrease at row {i - 1} ({previous} then {o})");
                }

                previous = o;
            }

            if (previous > limit || previous > int.MaxValue)
            {
                throw LarderErrors.InvalidArray(source, $"{path}: last offset {previous} is past the end of the data ({limit})");
            }
        }
        else
        {
            var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(first, count);
            int previous = offsets[0];
            if (previous < 0)
            {
                throw LarderErrors.InvalidArray(source, $"{path}: negative offset {previous}");
            }

            // Offsets are monotonic when no adjacent difference is negative.
            for (int i = 1; i < offsets.Length; i++)
            {
                int o = offsets[i];
                if (o < previous)
                {
                    throw LarderErrors.InvalidArray(source, $"{path}: offsets decrease at row {i - 1} ({previous} then {o})");
                }

                previous = o;
            }

            if (previous > limit)
            {
                throw LarderErrors.InvalidArray(source, $"{path}: last offset {previous} is past the end of the data ({limit})");
            }
        }
    }

    private static void ValidateIndices(ArrayData data, ArrowType indexType, int dictionaryLength, string? source, string path)
    {
        var bytes = data.Buffers[1].Span;
        var validity = data.Validity.Span;
        bool hasNulls = !validity.IsEmpty && data.NullCount > 0;
        for (int i = 0; i < data.Length; i++)
        {
            int row = data.Offset + i;
            long index = indexType.Id switch
            {
                ArrowTypeId.Int8 => (sbyte)bytes[row],
                ArrowTypeId.UInt8 => bytes[row],
                ArrowTypeId.Int16 => MemoryMarshal.Read<short>(bytes[(row * 2)..]),
                ArrowTypeId.UInt16 => MemoryMarshal.Read<ushort>(bytes[(row * 2)..]),
                ArrowTypeId.Int32 => MemoryMarshal.Read<int>(bytes[(row * 4)..]),
                ArrowTypeId.UInt32 => MemoryMarshal.Read<uint>(bytes[(row * 4)..]),
                ArrowTypeId.Int64 => MemoryMarshal.Read<long>(bytes[(row * 8)..]),
                _ => (long)Math.Min(MemoryMarshal.Read<ulong>(bytes[(row * 8)..]), long.MaxValue),
            };
            if ((ulong)index >= (ulong)dictionaryLength && !(hasNulls && !BitUtil.GetBit(validity, row)))
            {
                throw LarderErrors.InvalidArray(source, $"{path}: row {i} has dictionary index {index} but the dictionary has {dictionaryLength} values");
            }
        }
    }
}
