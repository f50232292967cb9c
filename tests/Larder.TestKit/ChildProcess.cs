using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Larder.TestKit;

/// <summary>What one run of a child process did.</summary>
public sealed record ChildProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>A child process could not be started or did not finish in time.</summary>
public sealed class ChildProcessException : Exception
{
    public ChildProcessException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>Runs peer programs (node, python, CLI tools) for interop tests: UTF-8 output captured, a hard timeout.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/> and waits
    /// for it; after <paramref name="timeout"/> it is killed with its children (only the tree this method started).
    /// </summary>
    /// <exception cref="ChildProcessException">It could not be started, or it ran out of time (stderr included).</exception>
    public static async Task<ChildProcessResult> RunAsync(string command, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        string text = command + " " + string.Join(' ', arguments.Select(Quote));
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ChildProcessException($"cannot start `{Truncate(text, 500)}`: {e.Message}", e);
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            string err = await stderr;
            throw new ChildProcessException($"`{Truncate(text, 500)}` did not finish within {timeout.TotalSeconds:0} s and was killed.{Environment.NewLine}stderr: {err.Trim()}");
        }

        return new ChildProcessResult(text, process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    /// <summary>An argument as a shell would need it quoted (for messages only).</summary>
    public static string Quote(string argument)
        => argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '=' or ':' or '@')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
