using Larder.TestKit;

namespace Larder.Core.Tests.Arrays;

/// <summary>Runs /usr/bin/python3 with numpy for the NPY/NPZ interop tests; fails (never skips) when either is missing.</summary>
internal static class NumpyPeer
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; its stdout. Fails the test on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: the NPY interop tests need it (apt-get install -y python3 python3-numpy).");
        }

        var result = await ChildProcess.RunAsync(Python, ["-c", script, .. args], Path.GetTempPath(), TimeSpan.FromSeconds(180));
        if (result.ExitCode != 0)
        {
            if (result.Stderr.Contains("No module named 'numpy'", StringComparison.Ordinal))
            {
                Assert.Fail("python3-numpy is missing: the NPY interop tests need it (apt-get install -y python3-numpy).");
            }

            Assert.Fail($"python3 failed with exit code {result.ExitCode}: {result.Stderr}");
        }

        return result.Stdout;
    }
}
