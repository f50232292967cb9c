namespace Larder.Parquet;

/// <summary>
/// Builds the exceptions of the Parquet schema mapping (<c>Larder.Parquet.SchemaMapping</c>): a malformed schema element list is a
/// <see cref="LarderFormatException"/> naming the source, the element (index and name) and what is wrong; a well-formed
/// schema Larder refuses is a <see cref="LarderNotSupportedException"/>; an Arrow schema Parquet cannot store is a
/// <see cref="LarderNotSupportedException"/> naming the field. Stateless.
/// </summary>
internal static class SchemaErrors
{
    private const string Hint = "the file's schema is corrupt or was written by a faulty writer.";

    /// <summary>The schema element list as a whole is unusable (empty, or elements left outside the tree).</summary>
    public static LarderFormatException InvalidSchema(string? source, string what)
        => new(Prefix(source) + $"invalid Parquet schema: {what}; {Hint}", source);

    /// <summary>Schema element <paramref name="index"/> is malformed.</summary>
    public static LarderFormatException InvalidElement(string? source, int index, string? name, string what)
        => new(Prefix(source) + $"invalid Parquet schema element {index} ('{name}'): {what}; {Hint}", source);

    /// <summary>Schema element <paramref name="index"/> is well formed but uses something this version refuses.</summary>
    public static LarderNotSupportedException UnsupportedElement(string? source, int index, string? name, string what, string hint)
        => new(Prefix(source) + $"Parquet schema element {index} ('{name}'): {what} is not supported; {hint}", source);

    /// <summary>An Arrow field cannot be stored in Parquet.</summary>
    public static LarderNotSupportedException CannotWrite(string fieldPath, string what, string hint)
        => new($"cannot write Arrow field '{fieldPath}' to Parquet: {what} is not supported; {hint}");

    private static string Prefix(string? source) => source is null ? string.Empty : source + ": ";
}
