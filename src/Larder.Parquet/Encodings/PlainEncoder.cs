using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Encoders of the PLAIN encoding for every Parquet physical type, appending to an <see cref="IBufferWriter{T}"/>. Fixed-width
/// values are bulk-copied. Stateless.
/// </summary>
internal static class PlainEncoder
{
    /// <summary>Appends INT32 values (4 bytes little endian each).</summary>
    public static void EncodeInt32(ReadOnlySpan<int> values, IBufferWriter<byte> output) => EncodeFixed(values, output);

    /// <summary>Appends INT64 values (8 bytes little endian each).</summary>
    public static void EncodeInt64(ReadOnlySpan<long> values, IBufferWriter<byte> output) => EncodeFixed(values, output);

    /// <summary>Appends FLOAT values (4 bytes IEEE little endian each).</summary>
    public static void EncodeFloat(ReadOnlySpan<float> values, IBufferWriter<byte> output) => EncodeFixed(values, output);

    /// <summary>Appends DOUBLE values (8 bytes IEEE little endian each).</summary>
    public static void EncodeDouble(ReadOnlySpan<double> values, IBufferWriter<byte> output) => EncodeFixed(values, output);

    /// <summary>Appends INT96 values (12 bytes each).</summary>
    public static void EncodeInt96(ReadOnlySpan<Int96> values, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(checked(values.Length * 12));
        for (int i = 0; i < values.Length; i++)
        {
            values[i].Write(span.Slice(i * 12, 12));
        }

        output.Advance(values.Length * 12);
    }

    /// <summary>Appends FIXED_LEN_BYTE_ARRAY values given back to back (the length is a multiple of the type length).</summary>
    public static void EncodeFixedLenByteArray(ReadOnlySpan<byte> values, IBufferWriter<byte> output) => output.Write(values);

    /// <summary>
    /// Appends BOOLEAN values bit-packed LSB first. The last byte is zero-padded, so a page's booleans must be encoded in
    /// one call (or in calls of multiples of 8 values).
    /// </summary>
    public static void EncodeBoolean(ReadOnlySpan<bool> values, IBufferWriter<byte> output)
    {
        int bytes = (values.Length + 7) >> 3;
        var span = output.GetSpan(bytes)[..bytes];
        span.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                span[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        output.Advance(bytes);
    }

    /// <summary>
    /// Appends BYTE_ARRAY values given in Arrow layout: value i is <c>data[offsets[i]..offsets[i + 1]]</c>
    /// (<c>offsets.Length - 1</c> values; offsets need not start at 0).
    /// </summary>
    /// <exception cref="ArgumentException">The offsets are decreasing or outside <paramref name="data"/>.</exception>
    public static void EncodeByteArray(ReadOnlySpan<int> offsets, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (offsets.Length <= 1)
        {
            return;
        }

        int count = offsets.Length - 1;
        int first = offsets[0];
        int last = offsets[count];
        if (first < 0 || last > data.Length || last < first)
        {
            throw EncodingErrors.Argument(nameof(offsets), "offsets fall outside the data");
        }

        var span = output.GetSpan(checked((count * 4) + (last - first)));
        int o = 0;
        for (int i = 0; i < count; i++)
        {
            int start = offsets[i];
            int length = offsets[i + 1] - start;
            if (length < 0)
            {
                throw EncodingErrors.Argument(nameof(offsets), $"offsets decrease at value {i}");
            }

            BinaryPrimitives.WriteInt32LittleEndian(span[o..], length);
            data.Slice(start, length).CopyTo(span[(o + 4)..]);
            o += 4 + length;
        }

        output.Advance(o);
    }

    /// <summary>Appends one BYTE_ARRAY value.</summary>
    public static void EncodeByteArray(ReadOnlySpan<byte> value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(value.Length + 4);
        BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
        value.CopyTo(span[4..]);
        output.Advance(value.Length + 4);
    }

    private static void EncodeFixed<T>(ReadOnlySpan<T> values, IBufferWriter<byte> output)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        if (BitConverter.IsLittleEndian)
        {
            output.Write(bytes);
            return;
        }

        var span = output.GetSpan(bytes.Length)[..bytes.Length];
        bytes.CopyTo(span);
        PlainDecoder.ReverseInPlace(span, Unsafe.SizeOf<T>());
        output.Advance(bytes.Length);
    }
}
