namespace Larder.TestKit;

/// <summary>
/// Finds the shared, read-only conformance data (<c>arrow-ipc/</c>, <c>parquet/</c>, <c>delta/</c>): the folder named by
/// the environment variable <c>LARDER_TESTDATA</c> when set, else <c>&lt;repo&gt;/../shared/testdata</c>, where
/// <c>&lt;repo&gt;</c> is the nearest folder above <see cref="AppContext.BaseDirectory"/> holding <c>Larder.slnx</c>.
/// </summary>
public static class TestData
{
    /// <summary>The environment variable that overrides the location.</summary>
    public const string EnvironmentVariable = "LARDER_TESTDATA";

    private static readonly Lazy<string> RootDirectory = new(
        () => Locate(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The conformance data folder (absolute).</summary>
    /// <exception cref="DirectoryNotFoundException">It cannot be found; the message says where it was looked for.</exception>
    public static string Root => RootDirectory.Value;

    /// <summary>A path under <see cref="Root"/>, e.g. <c>TestData.Path("arrow-ipc", "integration")</c>.</summary>
    public static string Path(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return System.IO.Path.Combine([Root, .. parts]);
    }

    /// <summary>
    /// The resolution rule behind <see cref="Root"/>: <paramref name="overrideDirectory"/> when not empty (it must
    /// exist), else <c>&lt;repo&gt;/../shared/testdata</c> for the nearest folder at or above
    /// <paramref name="startDirectory"/> that holds <c>Larder.slnx</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist or no repository root was found.</exception>
    public static string Locate(string? overrideDirectory, string startDirectory)
    {
        if (!string.IsNullOrWhiteSpace(overrideDirectory))
        {
            string full = System.IO.Path.GetFullPath(overrideDirectory);
            return Directory.Exists(full)
                ? full
                : throw new DirectoryNotFoundException($"{EnvironmentVariable} is set to '{overrideDirectory}', which is not a directory; point it at the shared conformance data (the folder holding arrow-ipc/ and parquet/) or unset it.");
        }

        ArgumentNullException.ThrowIfNull(startDirectory);
        for (var dir = new DirectoryInfo(System.IO.Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Larder.slnx")))
            {
                string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "testdata"));
                return Directory.Exists(candidate)
                    ? candidate
                    : throw new DirectoryNotFoundException($"the shared conformance data is not at '{candidate}' (next to the repository '{dir.FullName}'); put it there or set {EnvironmentVariable} to its folder.");
            }
        }

        throw new DirectoryNotFoundException($"no Larder.slnx found in '{startDirectory}' or any folder above it, so the shared conformance data cannot be located; set {EnvironmentVariable} to its folder.");
    }
}
