using Larder.TestKit;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// Runs the Node interop peers of <c>tests/peers/</c> (DESIGN §14): the real apache-arrow library, never a mock.
/// A missing <c>node</c> or a missing <c>tests/peers/node_modules</c> is a failure with a clear message, never a skip.
/// </summary>
public static class NodePeer
{
    /// <summary>The environment variable that names the repository root (the folder holding <c>Larder.slnx</c>).</summary>
    public const string RepoRootVariable = "LARDER_REPO_ROOT";

    /// <summary>How to install the peers; every setup failure says so.</summary>
    public const string SetupHint = "run `bash scripts/setup.sh` from the repository root (it installs node's peers into tests/peers/node_modules)";

    /// <summary>Default time limit of one peer run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string> Root = new(
        () => LocateRepoRoot(Environment.GetEnvironmentVariable(RepoRootVariable), AppContext.BaseDirectory),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly SemaphoreSlim CheckLock = new(1, 1);
    private static string? _nodeVersion;

    /// <summary>The repository root (absolute).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary><c>&lt;repo&gt;/tests/peers</c>.</summary>
    public static string PeersDirectory => Path.Combine(RepoRoot, "tests", "peers");

    /// <summary>The path of an apache-arrow peer script, e.g. <c>ArrowScript("roundtrip.mjs")</c>.</summary>
    public static string ArrowScript(string name) => Path.Combine(PeersDirectory, "arrow", name);

    /// <summary>
    /// <paramref name="overrideDirectory"/> when set (it must hold <c>Larder.slnx</c>), else the nearest folder at or
    /// above <paramref name="startDirectory"/> that holds <c>Larder.slnx</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder; the message says where it looked.</exception>
    public static string LocateRepoRoot(string? overrideDirectory, string startDirectory)
    {
        if (!string.IsNullOrWhiteSpace(overrideDirectory))
        {
            string full = Path.GetFullPath(overrideDirectory);
            return File.Exists(Path.Combine(full, "Larder.slnx"))
                ? full
                : throw new DirectoryNotFoundException($"{RepoRootVariable} is set to '{overrideDirectory}', which does not hold Larder.slnx; point it at the repository root or unset it.");
        }

        ArgumentNullException.ThrowIfNull(startDirectory);
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Larder.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Larder.slnx in '{startDirectory}' or any folder above it, so tests/peers cannot be found; set {RepoRootVariable} to the repository root.");
    }

    /// <summary>
    /// Checks once that <c>node</c> runs and that apache-arrow is installed under <c>tests/peers/node_modules</c>;
    /// returns node's version.
    /// </summary>
    /// <exception cref="NodePeerException">Either is missing; the message says what and how to fix it.</exception>
    public static async Task<string> EnsureAvailableAsync()
    {
        if (_nodeVersion is not null)
        {
            return _nodeVersion;
        }

        await CheckLock.WaitAsync();
        try
        {
            if (_nodeVersion is not null)
            {
                return _nodeVersion;
            }

            _nodeVersion = await CheckInstallationAsync(PeersDirectory, "node");
            return _nodeVersion;
        }
        finally
        {
            CheckLock.Release();
        }
    }

    /// <summary>
    /// Checks that apache-arrow is installed under <paramref name="peersDirectory"/><c>/node_modules</c> and that
    /// <paramref name="nodeCommand"/> runs; returns its version.
    /// </summary>
    /// <exception cref="NodePeerException">Either is missing; the message says what and how to fix it.</exception>
    public static async Task<string> CheckInstallationAsync(string peersDirectory, string nodeCommand)
    {
        string arrowPackage = Path.Combine(peersDirectory, "node_modules", "apache-arrow", "package.json");
        if (!File.Exists(arrowPackage))
        {
            throw new NodePeerException($"the apache-arrow peer is not installed: '{arrowPackage}' does not exist; {SetupHint}.");
        }

        var result = await StartAsync(nodeCommand, ["--version"], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new NodePeerException($"`{result.Command}` exited with code {result.ExitCode}: {result.Stderr.Trim()}; {SetupHint}.");
        }

        return result.Stdout.Trim();
    }

    /// <summary>Runs <c>node <paramref name="script"/> <paramref name="arguments"/></c> and returns what it did, whatever its exit code.</summary>
    public static async Task<NodeResult> RunAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(arguments);
        await EnsureAvailableAsync();
        if (!File.Exists(script))
        {
            throw new NodePeerException($"the peer script '{script}' does not exist (is {RepoRoot} a complete checkout?).");
        }

        return await StartAsync("node", [script, .. arguments], timeout ?? DefaultTimeout);
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit code is a <see cref="NodePeerException"/> naming the command and its stderr.</summary>
    public static async Task<NodeResult> RunCheckedAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await RunAsync(script, arguments, timeout);
        if (result.ExitCode != 0)
        {
            throw new NodePeerException($"`{result.Command}` exited with code {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s.{Environment.NewLine}stderr: {result.Stderr.Trim()}{Environment.NewLine}stdout: {Truncate(result.Stdout.Trim(), 2000)}");
        }

        return result;
    }

    private static async Task<NodeResult> StartAsync(string nodeCommand, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        try
        {
            var r = await ChildProcess.RunAsync(nodeCommand, arguments, RepoRoot, timeout);
            return new NodeResult(r.CommandLine, r.ExitCode, r.Stdout, r.Stderr, r.Elapsed);
        }
        catch (ChildProcessException e)
        {
            throw new NodePeerException($"{e.Message} (is node 20+ on PATH?); {SetupHint}.", e);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

/// <summary>What one run of node did.</summary>
public sealed record NodeResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>A peer could not be run, or it failed.</summary>
public sealed class NodePeerException : Exception
{
    public NodePeerException()
    {
    }

    public NodePeerException(string message)
        : base(message)
    {
    }

    public NodePeerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
