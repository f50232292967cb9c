namespace Larder.Parquet;

/// <summary>The errors of the Parquet write side (column chunk writer).</summary>
internal static class WriteErrors
{
    public static LarderUsageException UnknownCodec(string name)
        => new($"'{name}' is not a Parquet compression codec (use none, snappy, gzip, zstd, lz4_raw or brotli)");

    public static LarderUsageException BadOption(string name, string detail) => new($"invalid column write option {name}: {detail}");

    public static LarderNotSupportedException UnsupportedType(string column, string type)
        => new($"column '{column}': cannot write Arrow {type} values");

    public static LarderUsageException WrongLeaf(string column) => new($"the shredded leaf does not belong to column '{column}'");

    public static LarderNotSupportedException NegativeInterval(string type, string value)
        => new($"the {type} value {value} has a negative part, which Parquet INTERVAL (unsigned months, days and milliseconds) cannot hold; store it as a duration or split it into integer columns");

    public static LarderUsageException Finished() => new("the column chunk writer is finished");

    public static LarderUsageException TooLarge()
        => new("a page or column chunk would exceed 2 GiB; write smaller row groups (ParquetWriteOptions.RowGroupBytes) or pages");
}
