
namespace Larder.TestKit;

/// <summary>
/// Runs the Node interop peers of <c>tests/peers/</c> (DESIGN §14) — the real DuckDB and hyparquet, never mocks.
/// A missing <c>node</c> or a missing npm package is a failure whose message names the command and says to run
/// <c>bash scripts/setup.sh</c>; never a skip.
/// </summary>
public static class PeerProcess
{
    /// <summary>The environment variable that names the repository root (the folder holding <c>Larder.slnx</c>).</summary>
    public const string RepoRootVariable = "LARDER_REPO_ROOT";

    /// <summary>How to install the peers; every setup failure says so.</summary>
    public const string SetupHint = "run `bash scripts/setup.sh` from the repository root (it installs the npm peers into tests/peers/node_modules)";

    /// <summary>Default time limit of one peer run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string> Root = new(
        () => LocateRepoRoot(Environment.GetEnvironmentVariable(RepoRootVariable), AppContext.BaseDirectory),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly SemaphoreSlim CheckLock = new(1, 1);
    private static readonly Dictionary<string, string> Checked = new(StringComparer.Ordinal);

    /// <summary>The repository root (absolute).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary><c>&lt;repo&gt;/tests/peers</c>.</summary>
    public static string PeersDirectory => Path.Combine(RepoRoot, "tests", "peers");

    /// <summary>
    /// <paramref name="overrideDirectory"/> when set (it must hold <c>Larder.slnx</c>), else the nearest folder at or
    /// above <paramref name="startDirectory"/> that holds <c>Larder.slnx</c>.
    /// </summary>
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
    /// Checks once per package that <c>node</c> runs and that <paramref name="package"/> (e.g. <c>@duckdb/node-api</c>)
    /// is installed under <c>tests/peers/node_modules</c>; returns node's version.
    /// </summary>
    /// <exception cref="PeerException">Either is missing; the message says what and how to fix it.</exception>
    public static async Task<string> EnsureAvailableAsync(string package)
    {
        ArgumentNullException.ThrowIfNull(package);
        await CheckLock.WaitAsync();
        try
        {
            if (!Checked.TryGetValue(package, out string? version))
            {
                version = await CheckInstallationAsync(PeersDirectory, "node", package);
                Checked[package] = version;
            }

            return version;
        }
        finally
        {
            CheckLock.Release();
        }
    }

    /// <summary>
    /// Checks that <paramref name="package"/> is installed under <paramref name="peersDirectory"/><c>/node_modules</c>
    /// and that <paramref name="nodeCommand"/> runs; returns its version.
    /// </summary>
    /// <exception cref="PeerException">Either is missing; the message says what and how to fix it.</exception>
    public static async Task<string> CheckInstallationAsync(string peersDirectory, string nodeCommand, string package)
    {
        ArgumentNullException.ThrowIfNull(peersDirectory);
        ArgumentNullException.ThrowIfNull(package);
        string manifest = Path.Combine([peersDirectory, "node_modules", .. package.Split('/'), "package.json"]);
        if (!File.Exists(manifest))
        {
            throw new PeerException($"the npm peer {package} is not installed: '{manifest}' does not exist; {SetupHint}.");
        }

        var result = await StartAsync(nodeCommand, ["--version"], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new PeerException($"`{result.Command}` exited with code {result.ExitCode}: {result.Stderr.Trim()}; {SetupHint}.");
        }

        return result.Stdout.Trim();
    }

    /// <summary>
    /// Runs <c>node tests/peers/<paramref name="script"/> <paramref name="arguments"/></c> after checking that
    /// <paramref name="package"/> is installed; a non-zero exit code is a <see cref="PeerException"/> naming the
    /// command, the exit code and stderr.
    /// </summary>
    public static async Task<PeerRun> RunCheckedAsync(string package, string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await RunAsync(package, script, arguments, timeout);
        if (result.ExitCode != 0)
        {
            throw new PeerException($"`{result.Command}` exited with code {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s.{Environment.NewLine}stderr: {result.Stderr.Trim()}{Environment.NewLine}stdout: {ChildProcess.Truncate(result.Stdout.Trim(), 2000)}{Environment.NewLine}(if a package or node is missing: {SetupHint})");
        }

        return result;
    }

    /// <summary>Like <see cref="RunCheckedAsync"/>, but returns what node did whatever its exit code.</summary>
    public static async Task<PeerRun> RunAsync(string package, string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(arguments);
        await EnsureAvailableAsync(package);
        string path = Path.Combine(PeersDirectory, script);
        if (!File.Exists(path))
        {
            throw new PeerException($"the peer script '{path}' does not exist (is {RepoRoot} a complete checkout?).");
        }

        return await StartAsync("node", [path, .. arguments], timeout ?? DefaultTimeout);
    }

    /// <summary>Starts <paramref name="command"/> in the repository root and waits for it (killing it after <paramref name="timeout"/>).</summary>
    public static async Task<PeerRun> StartAsync(string command, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        try
        {
            var r = await ChildProcess.RunAsync(command, arguments, RepoRoot, timeout);
            return new PeerRun(r.CommandLine, r.ExitCode, r.Stdout, r.Stderr, r.Elapsed);
        }
        catch (ChildProcessException e)
        {
            throw new PeerException($"{e.Message} (is node 20+ on PATH?); {SetupHint}.", e);
        }
    }

}

/// <summary>What one run of a peer did.</summary>
public sealed record PeerRun(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>A peer could not be run, it failed, or its output was not what its contract says.</summary>
public sealed class PeerException : Exception
{
    public PeerException()
    {
    }

    public PeerException(string message)
        : base(message)
    {
    }

    public PeerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
