namespace Larder;

public static partial class LarderErrors
{
    public static LarderUsageException UnknownFormat(string what, IEnumerable<string> known)
        => new($"{what}: unknown table format; use one of {string.Join(", ", known.Distinct())}.");
}

public static partial class LarderErrors
{
    public static LarderNotFoundException DirectoryNotFound(string path)
        => new($"{path}: no such directory; create it first or check the path.");
}
