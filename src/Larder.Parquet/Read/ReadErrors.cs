namespace Larder.Parquet;

/// <summary>
/// Builds the exceptions of the column chunk reader. Every message names the file, the column path, the page index and
/// the page's file offset when known. Stateless.
/// </summary>
internal static class ReadErrors
{
    private static string Where(string? source, string column, int page, long offset)
        => $"{source ?? "Parquet data"}: column {column}, page {page} at offset {offset}";

    /// <summary>A structural problem of a page or the chunk.</summary>
    public static LarderFormatException Page(string? source, string column, int page, long offset, string what, Exception? inner = null)
        => new($"{Where(source, column, page, offset)}: {what.TrimEnd('.')}.", source, offset, inner);

    /// <summary>A problem of the whole chunk (not tied to one page).</summary>
    public static LarderFormatException Chunk(string? source, string column, long offset, string what)
        => new($"{source ?? "Parquet data"}: column {column} (chunk at offset {offset}): {what.TrimEnd('.')}.", source, offset);

    /// <summary>A page CRC that does not match the stored bytes.</summary>
    public static LarderChecksumException Checksum(string? source, string column, int page, long offset, uint stored, uint computed)
        => new($"{Where(source, column, page, offset)}: page CRC32 mismatch (stored 0x{stored:X8}, computed 0x{computed:X8}); the file is corrupt.", source, offset);

    /// <summary>A feature (codec, encoding, conversion) this version cannot read.</summary>
    public static LarderNotSupportedException NotSupported(string? source, string column, long offset, string what)
        => new($"{source ?? "Parquet data"}: column {column} at offset {offset}: {what} is not supported.", source, offset);
}
