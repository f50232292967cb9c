namespace Larder;

/// <summary>
/// Builds every <see cref="LarderException"/> Larder throws, so that messages are worded consistently: what failed, where,
/// and what to do. Split by area into partial files (<c>LarderErrors.*.cs</c>); stateless.
/// </summary>
public static partial class LarderErrors
{
    /// <summary>Malformed input at a known place.</summary>
    public static LarderFormatException Format(string? source, long? offset, string what, Exception? inner = null)
        => new(Describe(source, offset) + what, source, offset, inner);

    /// <summary>Input ends before a structure it announced is complete.</summary>
    public static LarderFormatException Truncated(string? source, long? offset, string what)
        => new(Describe(source, offset) + $"input ends inside {what}; the file is truncated or not of this format.", source, offset);

    /// <summary>A well-formed feature this version refuses.</summary>
    public static LarderNotSupportedException NotSupported(string? source, string what, string hint)
        => new(Describe(source, null) + $"{what} is not supported; {hint}", source);

    public static LarderChecksumException Checksum(string? source, long? offset, string kind, string expected, string actual)
        => new(Describe(source, offset) + $"{kind} mismatch: stored {expected}, computed {actual}; the data is corrupt, restore it from a good copy.", source, offset);

    public static LarderUsageException Usage(string what) => new(what);

    public static LarderNotFoundException FileNotFound(string path)
        => new($"{path}: no such file; check the path.");

    public static LarderConflictException AlreadyExists(string what)
        => new($"{what} already exists; choose another name or replace it explicitly.");

    public static LarderIOException IO(string what, Exception inner)
        => new($"{what}: {inner.Message}", inner);

    /// <summary>Prefix "source: " or "source at offset N: " (or nothing) for a message.</summary>
    internal static string Describe(string? source, long? offset)
        => (source, offset) switch
        {
            (null, null) => string.Empty,
            (null, long o) => $"at offset {o}: ",
            (string s, null) => $"{s}: ",
            (string s, long o) => $"{s} at offset {o}: ",
        };
}
