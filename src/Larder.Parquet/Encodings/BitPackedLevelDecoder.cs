namespace Larder.Parquet.Encodings;

/// <summary>
/// Decoder of the deprecated BIT_PACKED level encoding (old files): values of a fixed width packed back to back from the most
/// significant bit of each byte, no header, last byte zero-padded. Stateless.
/// </summary>
internal static class BitPackedLevelDecoder
{
    private const string Name = "BIT_PACKED";

    /// <summary>The bytes <paramref name="count"/> values of <paramref name="bitWidth"/> bits occupy.</summary>
    public static long EncodedLength(long count, int bitWidth) => ((count * bitWidth) + 7) >> 3;

    /// <summary>
    /// Decodes <c>destination.Length</c> levels of <paramref name="bitWidth"/> (0..32) bits; returns the bytes consumed
    /// (the section length, so the next section of the page starts there).
    /// </summary>
    /// <exception cref="LarderFormatException">The bit width is invalid or the data is short.</exception>
    public static int Decode(ReadOnlySpan<byte> source, int bitWidth, Span<int> destination, long baseOffset = 0)
    {
        if ((uint)bitWidth > 32)
        {
            throw EncodingErrors.BitWidth(Name, bitWidth, 32, baseOffset);
        }

        long bytes = EncodedLength(destination.Length, bitWidth);
        if (bytes > source.Length)
        {
            throw EncodingErrors.Truncated(Name, $"{destination.Length} levels of {bitWidth} bits", baseOffset + source.Length);
        }

        if (bitWidth == 0)
        {
            destination.Clear();
            return 0;
        }

        long bit = 0;
        for (int i = 0; i < destination.Length; i++, bit += bitWidth)
        {
            // Gather up to 5 bytes big-endian so the value's bits are contiguous from the top.
            int at = (int)(bit >> 3);
            ulong window = 0;
            for (int b = 0; b < 5; b++)
            {
                window = (window << 8) | (at + b < source.Length ? source[at + b] : 0u);
            }

            int shift = 40 - (int)(bit & 7) - bitWidth;
            destination[i] = (int)((window >> shift) & ((1UL << bitWidth) - 1));
        }

        return (int)bytes;
    }
}
