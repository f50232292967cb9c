using Larder.Parquet.Thrift;

namespace Larder.Parquet;

/// <summary>
/// Builds the exceptions of the Parquet metadata layer (<c>Larder.Parquet.Thrift</c>, <c>Larder.Parquet.Metadata</c>):
/// every one is a <see cref="LarderFormatException"/> naming the source, the absolute byte offset and what was wrong.
/// (<see cref="LarderErrors"/> is partial in Larder.Core and cannot be extended from this assembly.) Stateless.
/// </summary>
internal static class ParquetMetadataErrors
{
    private const string Hint = "the Parquet metadata is corrupt or the file is not Parquet.";

    /// <summary>The input ends inside <paramref name="what"/>: more bytes may complete it (see <see cref="ThriftTruncatedException"/>).</summary>
    public static ThriftTruncatedException Truncated(string? source, long offset, string what, long needed, long available)
        => new(Describe(source, offset) + $"Parquet metadata ends inside {what} ({needed} bytes needed, {available} left); the file is truncated or not Parquet.", source, offset);

    /// <summary>The Thrift compact encoding is malformed at <paramref name="offset"/> (bad varint, bad type id, negative length).</summary>
    public static LarderFormatException Malformed(string? source, long offset, string what)
        => new(Describe(source, offset) + $"malformed Parquet metadata (Thrift compact protocol): {what}; {Hint}", source, offset);

    /// <summary>Structures nest deeper than the reader allows (a guard against stack exhaustion).</summary>
    public static LarderFormatException TooDeep(string? source, long offset, string what, int maxDepth)
        => Malformed(source, offset, $"{what} is nested more than {maxDepth} levels deep");

    /// <summary>Decoding would create more objects than the input size can legitimately describe.</summary>
    public static LarderFormatException BudgetExceeded(string? source, long offset, string what, long limit)
        => Malformed(source, offset, $"decoding {what} exceeds the limit of {limit} objects for this input's size");

    /// <summary>A field the Parquet format requires is absent.</summary>
    public static LarderFormatException MissingField(string? source, long offset, string structName, string field)
        => new(Describe(source, offset) + $"invalid Parquet metadata: {structName}.{field} is required but absent; {Hint}", source, offset);

    /// <summary>A field holds a wire type other than the one parquet.thrift declares for it.</summary>
    public static LarderFormatException WrongType(string? source, long offset, string field, CompactType actual, CompactType expected)
        => Malformed(source, offset, $"{field} is encoded as {actual}, but parquet.thrift declares {expected}");

    /// <summary>A field holds a value outside its valid range (a negative size or count).</summary>
    public static LarderFormatException InvalidValue(string? source, long offset, string what)
        => new(Describe(source, offset) + $"invalid Parquet metadata: {what}; {Hint}", source, offset);

    /// <summary>A string field is not valid UTF-8.</summary>
    public static LarderFormatException InvalidUtf8(string? source, long offset, string what)
        => Malformed(source, offset, $"{what} is not valid UTF-8");

    /// <summary>The file uses Parquet modular encryption, which this version refuses.</summary>
    public static LarderNotSupportedException Encrypted(string? source, long offset, string what)
        => new(Describe(source, offset) + $"Parquet modular encryption ({what}) is not supported; decrypt the file with the writer's tooling first.", source, offset);

    /// <summary>A model handed to a writer cannot be encoded.</summary>
    public static LarderUsageException InvalidModel(string what)
        => new($"cannot write Parquet metadata: {what}; fix the metadata model.");

    private static string Describe(string? source, long offset)
        => source is null ? $"at offset {offset}: " : $"{source} at offset {offset}: ";
}
