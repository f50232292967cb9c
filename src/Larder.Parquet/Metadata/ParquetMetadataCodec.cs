using System.Buffers;
using Larder.Parquet.Thrift;

namespace Larder.Parquet.Metadata;

/// <summary>
/// Decodes and encodes the Thrift (compact protocol) metadata of Parquet files: the footer (<see cref="FileMetaData"/>)
/// and page headers (<see cref="PageHeader"/>). Pure functions, thread safe. Decoding is hostile-input safe: any malformed,
/// truncated or out-of-range input throws <see cref="LarderFormatException"/> naming <c>source</c> and the absolute offset
/// (<c>baseOffset</c> + position), in time and allocations linear in the input; nothing else escapes. Fields and union
/// members this version does not know are skipped, so files from newer writers decode.
/// </summary>
public static class ParquetMetadataCodec
{
    /// <summary>
    /// Decodes the footer metadata: the <c>FileMetaData</c> struct at the start of <paramref name="metadata"/> (the bytes
    /// before the footer's length and magic). Trailing bytes after the struct are ignored.
    /// </summary>
    /// <param name="metadata">The serialized FileMetaData.</param>
    /// <param name="source">The file name for error messages, or null.</param>
    /// <param name="baseOffset">The file offset of <paramref name="metadata"/>[0], for error messages.</param>
    /// <exception cref="LarderNotSupportedException">The file uses modular encryption.</exception>
    /// <exception cref="LarderFormatException">The metadata is malformed, truncated, or lacks a required field.</exception>
    public static FileMetaData ReadFileMetaData(ReadOnlySpan<byte> metadata, string? source, long baseOffset)
    {
        var reader = new ThriftCompactReader(metadata, source, baseOffset);
        return ThriftMetadataDecoder.FileMetaData(ref reader);
    }

    /// <summary>
    /// Decodes the page header at the start of <paramref name="data"/>, which may hold more bytes (the page itself) or
    /// fewer (a header cut by a read boundary). <paramref name="headerLength"/> is the size of the header: the page's
    /// bytes start there.
    /// </summary>
    /// <exception cref="ThriftTruncatedException">
    /// <paramref name="data"/> ends inside the header (or inside a list or string it announces): more bytes may complete
    /// it. Use <see cref="TryReadPageHeader"/> to get false instead; callers should cap how far they extend the input.
    /// </exception>
    /// <exception cref="LarderFormatException">The header is malformed, lacks a required field or holds a negative size.</exception>
    public static PageHeader ReadPageHeader(ReadOnlySpan<byte> data, string? source, long baseOffset, out int headerLength)
    {
        var reader = new ThriftCompactReader(data, source, baseOffset);
        var header = ThriftMetadataDecoder.PageHeader(ref reader);
        headerLength = reader.Position;
        return header;
    }

    /// <summary>
    /// Like <see cref="ReadPageHeader"/>, but returns false (with <paramref name="header"/> null and
    /// <paramref name="headerLength"/> 0) when <paramref name="data"/> ends before the header does, so the caller can
    /// fetch more bytes and retry. Malformed headers still throw <see cref="LarderFormatException"/>.
    /// </summary>
    public static bool TryReadPageHeader(ReadOnlySpan<byte> data, string? source, long baseOffset, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PageHeader? header, out int headerLength)
    {
        try
        {
            header = ReadPageHeader(data, source, baseOffset, out headerLength);
            return true;
        }
        catch (ThriftTruncatedException)
        {
            header = null;
            headerLength = 0;
            return false;
        }
    }

    /// <summary>Encodes <paramref name="metadata"/> as a FileMetaData struct into <paramref name="output"/>; returns the bytes written.</summary>
    /// <exception cref="LarderUsageException">The model holds a null where a value is required, or a value the format cannot carry.</exception>
    public static int WriteFileMetaData(FileMetaData metadata, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var writer = new ThriftCompactWriter(output);
        ThriftMetadataEncoder.FileMetaData(ref writer, metadata);
        return checked((int)writer.BytesWritten);
    }

    /// <summary>Encodes <paramref name="header"/> as a PageHeader struct into <paramref name="output"/>; returns the bytes written.</summary>
    public static int WritePageHeader(PageHeader header, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(header);
        var writer = new ThriftCompactWriter(output);
        ThriftMetadataEncoder.PageHeader(ref writer, header);
        return checked((int)writer.BytesWritten);
    }
}
