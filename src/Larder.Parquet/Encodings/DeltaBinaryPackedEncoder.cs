using System.Buffers;
using System.Runtime.CompilerServices;

namespace Larder.Parquet.Encodings;

/// <summary>
/// Encoder of DELTA_BINARY_PACKED for INT32 and INT64 with blocks of 128 values in 4 miniblocks of 32 (the layout
/// parquet-java and Arrow write). INT32 deltas are computed with 32-bit wrapping arithmetic so no miniblock needs more than
/// 32 bits. Writes block by block into the output. Stateless.
/// </summary>
[SkipLocalsInit]
internal static class DeltaBinaryPackedEncoder
{
    public const int BlockSize = 128;
    public const int MiniblocksPerBlock = 4;
    private const int ValuesPerMiniblock = BlockSize / MiniblocksPerBlock;
    private const int MaxBlockBytes = 10 + MiniblocksPerBlock + (BlockSize * 8);

    /// <summary>Appends the encoding of <paramref name="values"/> (INT64).</summary>
    public static void Encode(ReadOnlySpan<long> values, IBufferWriter<byte> output) => EncodeCore(values, output);

    /// <summary>Appends the encoding of <paramref name="values"/> (INT32).</summary>
    public static void Encode(ReadOnlySpan<int> values, IBufferWriter<byte> output) => EncodeCore(values, output);

    private static void EncodeCore<T>(ReadOnlySpan<T> values, IBufferWriter<byte> output)
        where T : unmanaged
    {
        var header = output.GetSpan(40);
        int h = Varint.WriteUInt64(header, BlockSize);
        h += Varint.WriteUInt64(header[h..], MiniblocksPerBlock);
        h += Varint.WriteUInt64(header[h..], (ulong)values.Length);
        h += Varint.WriteZigZag64(header[h..], values.IsEmpty ? 0 : Load(values, 0));
        output.Advance(h);

        Span<long> deltas = stackalloc long[BlockSize];
        Span<ulong> packed = stackalloc ulong[BlockSize];
        Span<byte> widths = stackalloc byte[MiniblocksPerBlock];
        for (int start = 1; start < values.Length; start += BlockSize)
        {
            int count = Math.Min(BlockSize, values.Length - start);
            long min = long.MaxValue;
            for (int j = 0; j < count; j++)
            {
                long d = Delta(values, start + j);
                deltas[j] = d;
                min = Math.Min(min, d);
            }

            for (int j = 0; j < BlockSize; j++)
            {
                packed[j] = j < count ? Relative<T>(deltas[j], min) : 0;
            }

            int needed = (count + ValuesPerMiniblock - 1) / ValuesPerMiniblock;
            for (int m = 0; m < MiniblocksPerBlock; m++)
            {
                ulong or = 0;
                if (m < needed)
                {
                    foreach (ulong v in packed.Slice(m * ValuesPerMiniblock, ValuesPerMiniblock))
                    {
                        or |= v;
                    }
                }

                widths[m] = (byte)BitPacking.BitWidthOf(or);
            }

            var span = output.GetSpan(MaxBlockBytes);
            int o = Varint.WriteZigZag64(span, min);
            widths.CopyTo(span[o..]);
            o += MiniblocksPerBlock;
            for (int m = 0; m < needed; m++)
            {
                int w = widths[m];
                for (int g = 0; g < ValuesPerMiniblock; g += 8)
                {
                    BitPacking.Pack8(packed.Slice((m * ValuesPerMiniblock) + g, 8), span[o..], w);
                    o += w;
                }
            }

            output.Advance(o);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Load<T>(ReadOnlySpan<T> values, int index)
        where T : unmanaged
        => typeof(T) == typeof(long) ? Unsafe.As<T, long>(ref Unsafe.AsRef(in values[index])) : Unsafe.As<T, int>(ref Unsafe.AsRef(in values[index]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Delta<T>(ReadOnlySpan<T> values, int index)
        where T : unmanaged
        => typeof(T) == typeof(long)
            ? unchecked(Load(values, index) - Load(values, index - 1))
            : unchecked((int)Load(values, index) - (int)Load(values, index - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Relative<T>(long delta, long min)
        => typeof(T) == typeof(long) ? unchecked((ulong)(delta - min)) : unchecked((uint)((int)delta - (int)min));
}
