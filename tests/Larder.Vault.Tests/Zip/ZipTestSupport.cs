using Larder.TestKit;
using Larder.Storage.Zip;

namespace Larder.Vault.Tests.Zip;

/// <summary>A temporary directory per test class, and helpers to build and read archives in memory.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "larder-zip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class ZipTestSupport
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Text-like bytes that deflate well.</summary>
    public static byte[] TextBytes(int length, int seed)
    {
        var random = new Random(seed);
        string[] words = ["alpha", "beta", "gamma", "\t", "\n", "1", "2.5", "salaries", "2019-12-08"];
        var sb = new System.Text.StringBuilder();
        while (sb.Length < length)
        {
            sb.Append(words[random.Next(words.Length)]);
        }

        return System.Text.Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }

    public static byte[] Build(Action<ZipArchiveUpdate> changes, ZipArchiveReader? source = null)
    {
        var update = new ZipArchiveUpdate(source);
        changes(update);
        using var output = new MemoryStream();
        update.WriteTo(output);
        return output.ToArray();
    }

    public static ZipArchiveReader Open(byte[] archive) => ZipArchiveReader.Open(new MemoryStream(archive, writable: false), "test.zip");

    public static async Task<ChildProcessResult> RunAsync(string command, string workingDirectory, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(command, arguments, workingDirectory, Timeout);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }
}
