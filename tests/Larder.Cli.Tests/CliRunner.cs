using System.Diagnostics;

namespace Larder.Cli.Tests;

/// <summary>Runs the command line in-process (fast) or as a real process (exit codes, stderr, memory).</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error, long PeakRssBytes = 0);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, OutputRedirected: true, ErrorRedirected: true);
        int code = await LarderCli.RunAsync(args, console);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>dotnet Larder.Cli.dll ARGS</c> as a child process and records its peak resident memory.</summary>
    public static async Task<Result> RunProcessAsync(TimeSpan timeout, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Larder.Cli.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ReadPeakRss(process.Id));
            if (DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"larder {string.Join(' ', args)} did not finish in {timeout}");
            }

            await Task.Delay(50);
        }

        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr, peak);
    }

    /// <summary>VmHWM (peak resident set) of a live process, in bytes; 0 once it is gone.</summary>
    private static long ReadPeakRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "larder-cli-" + Guid.NewGuid().ToString("N"));

    public string this[string name] => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
