namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>
/// Locates the read-only conformance data (<c>../shared/testdata</c> beside the repo
/// root): <c>LARDER_TESTDATA</c> when set, else the first <c>shared/testdata</c> found walking up from
/// <see cref="AppContext.BaseDirectory"/>.
/// </summary>
internal static class FlatbufTestData
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The testdata directory.</summary>
    public static string Directory => Root.Value;

    /// <summary>The path of <paramref name="relative"/> under the testdata directory.</summary>
    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>The files of directory <paramref name="relative"/> (non-recursive) matching <paramref name="pattern"/>, sorted.</summary>
    public static string[] Files(string relative, string pattern = "*")
    {
        string[] files = System.IO.Directory.GetFiles(PathOf(relative), pattern);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static string Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("LARDER_TESTDATA");
        if (!string.IsNullOrEmpty(fromEnvironment) && System.IO.Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/testdata was not found above {AppContext.BaseDirectory}; set LARDER_TESTDATA or put the repo beside shared/.");
    }
}
