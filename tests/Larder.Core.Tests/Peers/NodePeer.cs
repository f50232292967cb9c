using Larder.TestKit;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// Runs the apache-arrow peer of <c>tests/peers/</c> (DESIGN §14): the real library, never a mock. A thin face over
/// the test kit's <see cref="PeerProcess"/>; a missing <c>node</c> or <c>tests/peers/node_modules</c> is a
/// <see cref="NodePeerException"/> with a clear message, never a skip.
/// </summary>
public static class NodePeer
{
    private const string Package = "apache-arrow";

    /// <inheritdoc cref="PeerProcess.RepoRootVariable"/>
    public const string RepoRootVariable = PeerProcess.RepoRootVariable;

    /// <inheritdoc cref="PeerProcess.SetupHint"/>
    public const string SetupHint = PeerProcess.SetupHint;

    /// <summary>The repository root (absolute).</summary>
    public static string RepoRoot => PeerProcess.RepoRoot;

    /// <summary><c>&lt;repo&gt;/tests/peers</c>.</summary>
    public static string PeersDirectory => PeerProcess.PeersDirectory;

    /// <summary>The path of an apache-arrow peer script, e.g. <c>roundtrip.mjs</c>.</summary>
    public static string ArrowScript(string name) => Path.Combine(PeersDirectory, "arrow", name);

    /// <inheritdoc cref="PeerProcess.LocateRepoRoot"/>
    public static string LocateRepoRoot(string? overrideDirectory, string startDirectory) => PeerProcess.LocateRepoRoot(overrideDirectory, startDirectory);

    /// <summary>Checks once that node runs and apache-arrow is installed; returns node's version.</summary>
    public static Task<string> EnsureAvailableAsync() => Translate(() => PeerProcess.EnsureAvailableAsync(Package));

    /// <summary>Checks that apache-arrow is installed under <paramref name="peersDirectory"/> and <paramref name="nodeCommand"/> runs.</summary>
    public static Task<string> CheckInstallationAsync(string peersDirectory, string nodeCommand)
        => Translate(() => PeerProcess.CheckInstallationAsync(peersDirectory, nodeCommand, Package));

    /// <summary>Runs <c>node <paramref name="script"/> <paramref name="arguments"/></c> and returns what it did, whatever its exit code.</summary>
    public static Task<PeerRun> RunAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
        => Translate(() => PeerProcess.RunAsync(Package, Relative(script), arguments, timeout));

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit code is a <see cref="NodePeerException"/> naming the command and its stderr.</summary>
    public static Task<PeerRun> RunCheckedAsync(string script, IEnumerable<string> arguments, TimeSpan? timeout = null)
        => Translate(() => PeerProcess.RunCheckedAsync(Package, Relative(script), arguments, timeout));

    private static string Relative(string script) => Path.GetRelativePath(PeersDirectory, Path.GetFullPath(script));

    private static async Task<T> Translate<T>(Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (PeerException e)
        {
            throw new NodePeerException(e.Message, e);
        }
    }
}

/// <summary>The apache-arrow peer could not be run, or it failed.</summary>
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
