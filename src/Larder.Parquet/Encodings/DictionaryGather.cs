using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Larder.Memory;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Materialises dictionary-encoded values (RLE_DICTIONARY / PLAIN_DICTIONARY) from decoded indices and a decoded dictionary
/// page. Every index is range-checked; a bad index fails with <see cref="LarderFormatException"/> before anything is
/// written for byte arrays. Stateless.
/// </summary>
internal static class DictionaryGather
{
    /// <summary>
    /// Writes <c>dictionary[indices[i]]</c> to <c>destination[i]</c> for fixed-width values (INT32, INT64, FLOAT, DOUBLE,
    /// INT96 and the like). <paramref name="destination"/> must be at least as long as <paramref name="indices"/>.
    /// </summary>
    /// <exception cref="LarderFormatException">An index is negative or not below the dictionary size.</exception>
    public static void Gather<T>(ReadOnlySpan<int> indices, ReadOnlySpan<T> dictionary, Span<T> destination)
        where T : unmanaged
    {
        if (destination.Length < indices.Length)
        {
            throw EncodingErrors.Argument(nameof(destination), "destination is shorter than the indices");
        }

        uint size = (uint)dictionary.Length;
        ref T dict = ref MemoryMarshal.GetReference(dictionary);
        ref T dst = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < indices.Length; i++)
        {
            uint index = (uint)indices[i];
            if (index >= size)
            {
                throw EncodingErrors.DictionaryIndex(indices[i], dictionary.Length, i);
            }

            Unsafe.Add(ref dst, i) = Unsafe.Add(ref dict, (nint)index);
        }
    }

    /// <summary>
    /// Gathers FIXED_LEN_BYTE_ARRAY values of <paramref name="typeLength"/> bytes from a dictionary stored back to back
    /// into <paramref name="destination"/> (indices.Length × typeLength bytes).
    /// </summary>
    public static void GatherFixedLen(ReadOnlySpan<int> indices, ReadOnlySpan<byte> dictionary, int typeLength, Span<byte> destination)
    {
        if (typeLength <= 0 || (long)indices.Length * typeLength > destination.Length)
        {
            throw EncodingErrors.Argument(nameof(destination), "destination is shorter than indices × type length");
        }

        int size = dictionary.Length / typeLength;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)size)
            {
                throw EncodingErrors.DictionaryIndex(index, size, i);
            }

            dictionary.Slice(index * typeLength, typeLength).CopyTo(destination.Slice(i * typeLength, typeLength));
        }
    }

    /// <summary>
    /// Gathers BYTE_ARRAY values into Arrow layout: the dictionary is <paramref name="dictionaryOffsets"/> (entries + 1)
    /// over <paramref name="dictionaryData"/>; output offsets go to <paramref name="offsets"/> (indices.Length + 1, the first
    /// set to the data length on entry) and bytes are appended to <paramref name="data"/>, which grows once.
    /// When <paramref name="longestValue"/> is at most 16 and <paramref name="dictionaryData"/> has 16 readable bytes past
    /// its last value, every value moves as one 16-byte block (no copy call per value, the common case of a few short
    /// strings); <paramref name="longestValue"/> is the caller's promise of the longest dictionary value.
    /// </summary>
    /// <exception cref="LarderFormatException">An index is out of range, or the output would exceed the largest buffer.</exception>
    public static void GatherByteArray(ReadOnlySpan<int> indices, ReadOnlySpan<int> dictionaryOffsets, ReadOnlySpan<byte> dictionaryData, Span<int> offsets, BufferBuilder data, int longestValue = int.MaxValue)
    {
        if (offsets.Length != indices.Length + 1 || dictionaryOffsets.IsEmpty)
        {
            throw EncodingErrors.Argument(nameof(offsets), "offsets must have one entry more than indices, and the dictionary offsets at least one");
        }

        int size = dictionaryOffsets.Length - 1;
        int start = data.Length;
        long total = start;
        offsets[0] = start;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)size)
            {
                throw EncodingErrors.DictionaryIndex(index, size, i);
            }

            total += dictionaryOffsets[index + 1] - dictionaryOffsets[index];
            if (total > BufferAllocator.MaxLength - 16)
            {
                throw EncodingErrors.OutputTooLarge("RLE_DICTIONARY", total, BufferAllocator.MaxLength, 0);
            }

            offsets[i + 1] = (int)total;
        }

        int bytes = (int)(total - start);
        var destination = data.GetSpan(bytes + 16);
        if (longestValue <= 16 && (long)dictionaryData.Length >= (long)dictionaryOffsets[size] + 16)
        {
            ref byte dst = ref MemoryMarshal.GetReference(destination);
            ref byte src = ref MemoryMarshal.GetReference(dictionaryData);
            int o = 0;
            for (int i = 0; i < indices.Length; i++)
            {
                // Every index was checked above; the data has 16 bytes past its last value, destination 16 past its end.
                int index = indices[i];
                int from = dictionaryOffsets[index];
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, o), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref src, from)));
                o += dictionaryOffsets[index + 1] - from;
            }
        }
        else
        {
            int o = 0;
            for (int i = 0; i < indices.Length; i++)
            {
                int index = indices[i];
                int from = dictionaryOffsets[index];
                int length = dictionaryOffsets[index + 1] - from;
                dictionaryData.Slice(from, length).CopyTo(destination[o..]);
                o += length;
            }
        }

        data.Advance(bytes);
    }
}
