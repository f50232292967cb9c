namespace Larder.Core.Tests.Peers;

/// <summary>The peer runner finds the repository and fails loudly, with the fix, when the peers are not installed.</summary>
public sealed class NodePeerTests
{
    [Fact]
    public void LocateRepoRoot_FromTestOutputFolder_FindsFolderWithSolution()
    {
        string root = NodePeer.LocateRepoRoot(null, AppContext.BaseDirectory);
        Assert.True(File.Exists(Path.Combine(root, "Larder.slnx")));
        Assert.True(Directory.Exists(Path.Combine(root, "tests", "peers", "arrow")), $"{root} has no tests/peers/arrow");
    }

    [Fact]
    public void LocateRepoRoot_NoSolutionAbove_ThrowsNamingTheVariable()
    {
        using var dir = new TempFolder("no-repo");
        var e = Assert.Throws<DirectoryNotFoundException>(() => NodePeer.LocateRepoRoot(null, dir.Path));
        Assert.Contains(NodePeer.RepoRootVariable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocateRepoRoot_OverrideWithoutSolution_Throws()
    {
        using var dir = new TempFolder("bad-override");
        var e = Assert.Throws<DirectoryNotFoundException>(() => NodePeer.LocateRepoRoot(dir.Path, AppContext.BaseDirectory));
        Assert.Contains("Larder.slnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInstallation_NoNodeModules_FailsWithSetupHint()
    {
        using var dir = new TempFolder("no-node-modules");
        var e = await Assert.ThrowsAsync<NodePeerException>(() => NodePeer.CheckInstallationAsync(dir.Path, "node"));
        Assert.Contains("bash scripts/setup.sh", e.Message, StringComparison.Ordinal);
        Assert.Contains("node_modules", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInstallation_NodeMissing_FailsWithCommandAndSetupHint()
    {
        var e = await Assert.ThrowsAsync<NodePeerException>(() => NodePeer.CheckInstallationAsync(NodePeer.PeersDirectory, "larder-no-such-node-binary"));
        Assert.Contains("larder-no-such-node-binary --version", e.Message, StringComparison.Ordinal);
        Assert.Contains("bash scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunChecked_ScriptFails_ThrowsWithCommandExitCodeAndStderr()
    {
        using var dir = new TempFolder("bad-input");
        string input = dir.File("not-arrow.bin");
        await File.WriteAllBytesAsync(input, [1, 2, 3, 4, 5, 6, 7, 8]);
        var e = await Assert.ThrowsAsync<NodePeerException>(() => NodePeer.RunCheckedAsync(NodePeer.ArrowScript("roundtrip.mjs"), [input, dir.File("out.arrow"), "file"]));
        Assert.Contains("roundtrip.mjs", e.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("stderr: roundtrip:", e.Message, StringComparison.Ordinal);
    }
}
