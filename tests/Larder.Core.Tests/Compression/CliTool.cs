using System.Diagnostics;

namespace Larder.Core.Tests.Compression;

/// <summary>
/// Runs the interop peers (<c>zstd</c>, <c>lz4</c>, <c>gzip</c>, <c>bzip2</c>, <c>python3</c>) as real processes. A missing
/// tool fails the test with the command that installs it; these tools are part of the test environment (DESIGN §14),
/// and xunit 2.9 has no dynamic skip, so the tests never pass silently without them.
/// </summary>
internal static class CliTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The full path of <paramref name="tool"/>, or a test failure that says how to install it.</summary>
    public static string Require(string tool, string package)
    {
        string? pathVariable = Environment.GetEnvironmentVariable("PATH");
        foreach (string directory in (pathVariable ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{tool} is not installed but this interop test needs it: install it (apt-get install {package}).");
        return tool;
    }

    /// <summary>Runs the tool, feeding <paramref name="stdin"/>, and returns its standard output; a non-zero exit fails the test.</summary>
    public static byte[] Run(string tool, string package, IEnumerable<string> arguments, byte[]? stdin = null)
    {
        var startInfo = new ProcessStartInfo(Require(tool, package))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {tool}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task<byte[]> stdout = Task.Run(() =>
        {
            var buffer = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            return buffer.ToArray();
        });
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', startInfo.ArgumentList)} did not finish within {Timeout}.");
        }

        byte[] output = stdout.GetAwaiter().GetResult();
        string errors = stderr.GetAwaiter().GetResult();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', startInfo.ArgumentList)} exited with {process.ExitCode}: {errors}");
        return output;
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("larder-codec-").FullName;
    }

    public string Path { get; }

    public string File(string name, byte[] contents)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
