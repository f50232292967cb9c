namespace Larder.Parquet;

/// <summary>
/// Builds the exceptions the Parquet value and level encodings throw on malformed input. Every message names the encoding,
/// says what was wrong and, when known, the byte offset within the encoded buffer (the page's values or levels section).
/// Stateless.
/// </summary>
internal static class EncodingErrors
{
    /// <summary>The encoded data ends before a structure it announced is complete.</summary>
    public static LarderFormatException Truncated(string encoding, string what, long offset)
        => new($"Parquet {encoding} data at offset {offset}: input ends inside {what}; the page is truncated or corrupt.", offset: offset);

    /// <summary>A bit width outside the range the encoding allows.</summary>
    public static LarderFormatException BitWidth(string encoding, int bitWidth, int max, long offset)
        => new($"Parquet {encoding} data at offset {offset}: bit width {bitWidth} is outside 0..{max}; the page is corrupt.", offset: offset);

    /// <summary>A header field (block size, run length, count, length) with a value the encoding forbids.</summary>
    public static LarderFormatException Invalid(string encoding, string what, long offset)
        => new($"Parquet {encoding} data at offset {offset}: {what}; the page is corrupt.", offset: offset);

    /// <summary>A value count that disagrees with what the caller (the page header) expects.</summary>
    public static LarderFormatException CountMismatch(string encoding, long declared, long expected, long offset)
        => new($"Parquet {encoding} data at offset {offset}: encoded value count {declared} does not match the expected {expected}; the page is corrupt.", offset: offset);

    /// <summary>A dictionary index outside the dictionary.</summary>
    public static LarderFormatException DictionaryIndex(long index, int dictionarySize, long position)
        => new($"Parquet RLE_DICTIONARY data: index {index} at value {position} is outside the dictionary of {dictionarySize} entries; the page is corrupt.");

    /// <summary>Decoded output would exceed the largest buffer Larder builds.</summary>
    public static LarderFormatException OutputTooLarge(string encoding, long bytes, long limit, long offset)
        => new($"Parquet {encoding} data at offset {offset}: decoded values need {bytes} bytes, over the limit of {limit}; the page is corrupt or too large to read.", offset: offset);

    /// <summary>An INT96 timestamp whose instant does not fit in 64-bit nanoseconds since the epoch.</summary>
    public static LarderFormatException Int96OutOfRange(uint julianDay, ulong nanosOfDay)
        => new($"Parquet INT96 timestamp (Julian day {julianDay}, {nanosOfDay} ns of day) is outside the range of 64-bit nanoseconds since 1970; read it with a coarser unit.");

    /// <summary>The caller passed arguments that cannot describe a valid operation (a programming error, not bad input).</summary>
    public static ArgumentException Argument(string paramName, string what) => new(what, paramName);
}
