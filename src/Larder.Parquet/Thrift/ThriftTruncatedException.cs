namespace Larder.Parquet.Thrift;

/// <summary>
/// The Thrift input ended before the structure being decoded was complete: unlike other format errors, more bytes may
/// make the same input decodable (a page header read from a stream of unknown length). Built by
/// <see cref="ParquetMetadataErrors.Truncated"/>.
/// </summary>
public sealed class ThriftTruncatedException : LarderFormatException
{
    public ThriftTruncatedException(string message, string? source = null, long? offset = null)
        : base(message, source, offset)
    {
    }
}
