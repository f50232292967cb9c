using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Parquet.Encodings;

/// <summary>
/// BYTE_STREAM_SPLIT decoder for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY (FLOAT16 is FLBA(2)): the page holds
/// K streams of N bytes, stream k holding byte k of every value. The value count N is the page length divided by K, so
/// decoding takes the whole encoded page and a start index (to read a page in batches). Stateless.
/// </summary>
internal static class ByteStreamSplitDecoder
{
    private const string Name = "BYTE_STREAM_SPLIT";

    /// <summary>The number of values a page of <paramref name="encodedLength"/> bytes holds for values of <paramref name="width"/> bytes.</summary>
    /// <exception cref="LarderFormatException">The length is not a multiple of the width.</exception>
    public static int ValueCount(int encodedLength, int width)
    {
        if (width <= 0)
        {
            throw EncodingErrors.Argument(nameof(width), $"value width {width} must be positive");
        }

        if (encodedLength % width != 0)
        {
            throw EncodingErrors.Invalid(Name, $"page length {encodedLength} is not a multiple of the value width {width}", 0);
        }

        return encodedLength / width;
    }

    /// <summary>
    /// Decodes <c>destination.Length / width</c> values starting at value <paramref name="startIndex"/> of the page
    /// <paramref name="encoded"/> into <paramref name="destination"/> (values back to back, little endian).
    /// </summary>
    /// <exception cref="LarderFormatException">The page length is not a multiple of the width or holds too few values.</exception>
    public static void Decode(ReadOnlySpan<byte> encoded, int width, int startIndex, Span<byte> destination)
    {
        int n = ValueCount(encoded.Length, width);
        if (destination.Length % width != 0)
        {
            throw EncodingErrors.Argument(nameof(destination), $"destination length {destination.Length} is not a multiple of {width}");
        }

        int count = destination.Length / width;
        if (startIndex < 0 || (long)startIndex + count > n)
        {
            throw EncodingErrors.Truncated(Name, $"values {startIndex}..{(long)startIndex + count} of a page of {n}", encoded.Length);
        }

        ref byte src = ref Unsafe.Add(ref MemoryMarshal.GetReference(encoded), startIndex);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        switch (width)
        {
            case 4:
                for (int i = 0; i < count; i++)
                {
                    uint v = Unsafe.Add(ref src, i)
                        | ((uint)Unsafe.Add(ref src, n + i) << 8)
                        | ((uint)Unsafe.Add(ref src, (2 * n) + i) << 16)
                        | ((uint)Unsafe.Add(ref src, (3 * n) + i) << 24);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i * 4), BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v));
                }

                return;
            case 8:
            {
                ref byte s0 = ref src;
                ref byte s1 = ref Unsafe.Add(ref src, n);
                ref byte s2 = ref Unsafe.Add(ref src, 2 * n);
                ref byte s3 = ref Unsafe.Add(ref src, 3 * n);
                ref byte s4 = ref Unsafe.Add(ref src, 4 * n);
                ref byte s5 = ref Unsafe.Add(ref src, 5 * n);
                ref byte s6 = ref Unsafe.Add(ref src, 6 * n);
                ref byte s7 = ref Unsafe.Add(ref src, 7 * n);
                for (int i = 0; i < count; i++)
                {
                    ulong v = Unsafe.Add(ref s0, i)
                        | ((ulong)Unsafe.Add(ref s1, i) << 8)
                        | ((ulong)Unsafe.Add(ref s2, i) << 16)
                        | ((ulong)Unsafe.Add(ref s3, i) << 24)
                        | ((ulong)Unsafe.Add(ref s4, i) << 32)
                        | ((ulong)Unsafe.Add(ref s5, i) << 40)
                        | ((ulong)Unsafe.Add(ref s6, i) << 48)
                        | ((ulong)Unsafe.Add(ref s7, i) << 56);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i * 8), BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v));
                }

                return;
            }

            default:
                for (int k = 0; k < width; k++)
                {
                    var stream = encoded.Slice((k * n) + startIndex, count);
                    for (int i = 0; i < count; i++)
                    {
                        destination[(i * width) + k] = stream[i];
                    }
                }

                return;
        }
    }

    /// <summary>Decodes FLOAT values; see <see cref="Decode(ReadOnlySpan{byte}, int, int, Span{byte})"/>.</summary>
    public static void DecodeFloat(ReadOnlySpan<byte> encoded, int startIndex, Span<float> destination)
        => Decode(encoded, 4, startIndex, MemoryMarshal.AsBytes(destination));

    /// <summary>Decodes DOUBLE values.</summary>
    public static void DecodeDouble(ReadOnlySpan<byte> encoded, int startIndex, Span<double> destination)
        => Decode(encoded, 8, startIndex, MemoryMarshal.AsBytes(destination));

    /// <summary>Decodes INT32 values.</summary>
    public static void DecodeInt32(ReadOnlySpan<byte> encoded, int startIndex, Span<int> destination)
        => Decode(encoded, 4, startIndex, MemoryMarshal.AsBytes(destination));

    /// <summary>Decodes INT64 values.</summary>
    public static void DecodeInt64(ReadOnlySpan<byte> encoded, int startIndex, Span<long> destination)
        => Decode(encoded, 8, startIndex, MemoryMarshal.AsBytes(destination));

    /// <summary>Decodes FLOAT16 values (FIXED_LEN_BYTE_ARRAY of 2).</summary>
    public static void DecodeHalf(ReadOnlySpan<byte> encoded, int startIndex, Span<Half> destination)
        => Decode(encoded, 2, startIndex, MemoryMarshal.AsBytes(destination));
}

/// <summary>BYTE_STREAM_SPLIT encoder; a page's values must be encoded in one call (the streams span the page). Stateless.</summary>
internal static class ByteStreamSplitEncoder
{
    /// <summary>Appends the K streams of <paramref name="values"/> (values of <paramref name="width"/> bytes back to back).</summary>
    public static void Encode(ReadOnlySpan<byte> values, int width, IBufferWriter<byte> output)
    {
        if (width <= 0 || values.Length % width != 0)
        {
            throw EncodingErrors.Argument(nameof(values), $"values length {values.Length} is not a multiple of the width {width}");
        }

        int n = values.Length / width;
        var span = output.GetSpan(values.Length)[..values.Length];
        for (int k = 0; k < width; k++)
        {
            var stream = span.Slice(k * n, n);
            for (int i = 0; i < n; i++)
            {
                stream[i] = values[(i * width) + k];
            }
        }

        output.Advance(values.Length);
    }

    /// <summary>Appends FLOAT values.</summary>
    public static void EncodeFloat(ReadOnlySpan<float> values, IBufferWriter<byte> output) => Encode(MemoryMarshal.AsBytes(values), 4, output);

    /// <summary>Appends DOUBLE values.</summary>
    public static void EncodeDouble(ReadOnlySpan<double> values, IBufferWriter<byte> output) => Encode(MemoryMarshal.AsBytes(values), 8, output);

    /// <summary>Appends INT32 values.</summary>
    public static void EncodeInt32(ReadOnlySpan<int> values, IBufferWriter<byte> output) => Encode(MemoryMarshal.AsBytes(values), 4, output);

    /// <summary>Appends INT64 values.</summary>
    public static void EncodeInt64(ReadOnlySpan<long> values, IBufferWriter<byte> output) => Encode(MemoryMarshal.AsBytes(values), 8, output);

    /// <summary>Appends FLOAT16 values.</summary>
    public static void EncodeHalf(ReadOnlySpan<Half> values, IBufferWriter<byte> output) => Encode(MemoryMarshal.AsBytes(values), 2, output);
}
