using Larder.TestKit;
using System.Text.Json;

namespace Larder.Parquet.Tests.Peers;

public sealed class PeerProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-peer-process-" + Guid.NewGuid().ToString("N"));

    public PeerProcessTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CheckInstallationAsync_PackageMissing_FailsWithSetupHint()
    {
        var e = await Assert.ThrowsAsync<PeerException>(() => PeerProcess.CheckInstallationAsync(_dir, "node", "@duckdb/node-api"));

        Assert.Contains("@duckdb/node-api is not installed", e.Message, StringComparison.Ordinal);
        Assert.Contains("bash scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInstallationAsync_NodeMissing_FailsWithSetupHint()
    {
        string package = Path.Combine(_dir, "node_modules", "hyparquet");
        Directory.CreateDirectory(package);
        await File.WriteAllTextAsync(Path.Combine(package, "package.json"), "{}");

        var e = await Assert.ThrowsAsync<PeerException>(() => PeerProcess.CheckInstallationAsync(_dir, Path.Combine(_dir, "no-such-node"), "hyparquet"));

        Assert.Contains("cannot start", e.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-node", e.Message, StringComparison.Ordinal);
        Assert.Contains("bash scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAvailableAsync_InstalledPeers_ReturnsNodeVersion()
    {
        string version = await PeerProcess.EnsureAvailableAsync(DuckDbPeer.Package);

        Assert.StartsWith("v", version, StringComparison.Ordinal);
        Assert.Equal(version, await PeerProcess.EnsureAvailableAsync(HyparquetPeer.Package));
    }

    [Fact]
    public async Task StartAsync_Timeout_KillsAndThrows()
    {
        var e = await Assert.ThrowsAsync<PeerException>(() => PeerProcess.StartAsync("node", ["-e", "setTimeout(() => {}, 60000)"], TimeSpan.FromSeconds(1)));

        Assert.Contains("did not finish within 1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_HeadersAndRows_SplitsIntoResultSets()
    {
        string stdout = """
            {"columns":[{"name":"a","type":"INTEGER"}],"rowCount":2,"sql":"x"}
            [1]
            [null]
            {"columns":[{"name":"b","type":"VARCHAR"},{"name":"b","type":"BLOB"}],"rowCount":0}
            """;

        var sets = PeerResultSet.ParseAll(stdout, "test");

        Assert.Equal(2, sets.Count);
        Assert.Equal(["a"], sets[0].ColumnNames);
        Assert.Equal(JsonValueKind.Null, sets[0].Value(1, "a").ValueKind);
        Assert.Equal("x", sets[0].Header.GetProperty("sql").GetString());
        Assert.Equal(["VARCHAR", "BLOB"], sets[1].ColumnTypes);
        Assert.Empty(sets[1].Rows);
    }

    [Theory]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"type\":\"INTEGER\"}],\"rowCount\":2}\n[1]", "announced 2 rows but 1")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"type\":\"INTEGER\"}]}\n[1,2]", "has 2 values for 1 columns")]
    [InlineData("[1]", "unexpected line 1")]
    [InlineData("{\"columns\":[]}\nnot json", "not JSON (line 2)")]
    public void ParseAll_BrokenOutput_ThrowsNamingTheProblem(string stdout, string expected)
    {
        var e = Assert.Throws<PeerException>(() => PeerResultSet.ParseAll(stdout, "node peer.mjs"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"timestamp","unit":"ms","raw":"1500","iso":"x"}""", """{"kind":"timestamp","unit":"us","raw":"1500000","iso":"y"}""", true)]
    [InlineData("""{"kind":"timestamp","unit":"us","raw":"1","iso":"x"}""", """{"kind":"timestamp","unit":"ns","raw":"1001","iso":"y"}""", false)]
    [InlineData("""{"kind":"timestamp","unit":"us","raw":"1","iso":"x"}""", """{"kind":"timestamptz","unit":"us","raw":"1","iso":"x"}""", false)]
    [InlineData("""{"kind":"date","unit":"day","raw":"1","iso":"x"}""", """{"kind":"date","unit":"day","raw":"1","iso":"x"}""", true)]
    [InlineData("[1,\"2\",{\"a\":null}]", "[1.0,\"2\",{\"a\":null}]", true)]
    [InlineData("[1,\"2\"]", "[1,2]", false)]
    [InlineData("{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", false)]
    [InlineData("[[\"k\",1]]", "[[\"k\",1],[\"j\",2]]", false)]
    public void AreEqual_NormalisedValues_FollowTheRules(string a, string b, bool equal)
    {
        using var da = JsonDocument.Parse(a);
        using var db = JsonDocument.Parse(b);

        Assert.Equal(equal, PeerValues.AreEqual(da.RootElement, db.RootElement));
    }
}
