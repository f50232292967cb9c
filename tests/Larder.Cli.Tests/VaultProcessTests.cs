using System.Diagnostics;
using System.Text.Json;
using Larder.TestKit;
using Larder.Vault;
using Xunit.Abstractions;
using static Larder.Cli.Tests.VaultTestSupport;

namespace Larder.Cli.Tests;

/// <summary>
/// The vault commands as real <c>larder</c> processes: the log as <c>zcat</c> shows it, environment defaults, two
/// processes storing at once, and stores killed with SIGKILL at seeded moments.
/// </summary>
public class VaultProcessTests
{
    private readonly ITestOutputHelper _output;

    public VaultProcessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Zcat_Log_ShowsOneJsonLinePerOperation()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,1\n1,2\n");
        string v = dir["storage.zip"];
        string[][] commands =
        [
            ["vault", "store", "x", dir["x.csv"], "in", "mod", "--vault", v, "--secure", "false"],
            ["vault", "store", "x", dir["x.csv"], "in", "mod", "as", "y", "--vault", v, "--secure", "false"],
            ["vault", "import", "x", "from", "mod", "as", "z", "-o", dir["o.csv"], "--vault", v, "--secure", "false"],
            ["vault", "assert", "y", "in", "mod", "is", "3FDAA797", "--vault", v, "--secure", "false"],
            ["vault", "del", "x", "from", "mod", "--vault", v, "--secure", "false"],
        ];
        foreach (string[] c in commands)
        {
            var r = await CliRunner.RunAsync(c);
            Assert.True(r.ExitCode == 0, r.Error);
        }

        var zcat = await ChildProcess.RunAsync("zcat", [v + ".vault.log.gz"], dir.Root, TimeSpan.FromMinutes(1));

        Assert.Equal(0, zcat.ExitCode);
        string[] lines = zcat.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(commands.Length, lines.Length);
        string[] actions = ["store", "store", "import", "assert", "delete"];
        string[] subjects = ["x", "x as y", "x as z", "y", "x"];
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            JsonElement o = doc.RootElement;
            Assert.Equal(actions[i], o.GetProperty("action").GetString());
            Assert.Equal("larder " + string.Join(' ', commands[i]), o.GetProperty("command").GetString());
            Assert.Equal(subjects[i], o.GetProperty("subject").GetString());
            DateTimeOffset started = DateTimeOffset.Parse(o.GetProperty("started").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            DateTimeOffset finished = DateTimeOffset.Parse(o.GetProperty("finished").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(started <= finished, lines[i]);
            if (actions[i] == "delete")
            {
                Assert.Equal(JsonValueKind.Null, o.GetProperty("crc32").ValueKind);
                Assert.Equal(JsonValueKind.Null, o.GetProperty("sha256").ValueKind);
                Assert.Equal("3FDAA797", o.GetProperty("old_crc32").GetString());
            }
            else
            {
                Assert.Equal("3FDAA797", o.GetProperty("crc32").GetString());
                Assert.Matches("^[0-9a-f]{64}$", o.GetProperty("sha256").GetString());
            }
        }
    }

    [Fact]
    public async Task Process_EnvironmentDefaults_NameTheVaultAndThePasswordVariable()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,1\n1,2\n");
        var env = new Dictionary<string, string?>
        {
            ["LARDER_VAULT"] = dir["from-env.zip"],
            ["LARDER_VAULT_PASSWORD_ENV"] = "MY_VAULT_PW",
            ["MY_VAULT_PW"] = "hunter22",
        };

        var stored = await RunLarderAsync(dir.Root, env, "vault", "store", "x", "x.csv", "in", "mod", "--timestamp", "false");
        var plain = await RunLarderAsync(dir.Root, null, "vault", "store", "x", "x.csv", "in", "mod", "--timestamp", "false");
        var noPassword = await RunLarderAsync(dir.Root, new Dictionary<string, string?> { ["LARDER_VAULT"] = dir["from-env.zip"] }, "vault", "import", "x", "from", "mod", "-o", "o.csv", "--secure", "false");
        var listed = await RunLarderAsync(dir.Root, env, "vault", "list", "--json");

        Assert.Equal((0, "Stored x (None → 3FDAA797)\n", string.Empty), (stored.ExitCode, stored.Out, stored.Error));
        Assert.True(File.Exists(dir["from-env.zip"]));
        Assert.Equal(0, plain.ExitCode);
        Assert.True(File.Exists(dir["storage.zip"]), "the default vault is storage.zip in the working directory");
        Assert.Contains("not encrypted", plain.Error, StringComparison.Ordinal);
        Assert.Equal(5, noPassword.ExitCode);
        Assert.False(File.Exists(dir["o.csv"]));
        Assert.Equal(0, listed.ExitCode);
        Assert.True(JsonDocument.Parse(listed.Out).RootElement.GetProperty("encrypted").GetBoolean());
    }

    [Fact]
    public async Task Process_TwoStoresAtOnce_BothSucceedWithTheirContent()
    {
        using var dir = new TempDir();
        WriteCityCsv(dir["a.csv"], 60_000, seed: 1);
        WriteCityCsv(dir["b.csv"], 70_000, seed: 2);
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,1\n1,2\n");
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "a", dir["a.csv"], "in", "ref", "--vault", dir["ref.zip"], "--secure", "false")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "b", dir["b.csv"], "in", "ref", "--vault", dir["ref.zip"], "--secure", "false")).ExitCode);
        byte[] expectedA = ReadEntry(dir["ref.zip"], "ref/a");
        byte[] expectedB = ReadEntry(dir["ref.zip"], "ref/b");

        for (int round = 0; round < 3; round++)
        {
            string v = dir[$"v{round}.zip"];
            Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", dir["x.csv"], "in", "old", "--vault", v, "--secure", "false")).ExitCode);

            var first = RunLarderAsync(dir.Root, null, "vault", "store", "a", dir["a.csv"], "in", "m", "--vault", v, "--secure", "false");
            var second = RunLarderAsync(dir.Root, null, "vault", "store", "b", dir["b.csv"], "in", "m", "--vault", v, "--secure", "false");
            var results = await Task.WhenAll(first, second);

            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
            Assert.Equal(["m/a", "m/b", "old/x"], EntryNames(v).Order());
            Assert.Equal(expectedA, ReadEntry(v, "m/a"));
            Assert.Equal(expectedB, ReadEntry(v, "m/b"));
            Assert.Equal(3, Vault.Vault.Open(v, new VaultOptions { Secure = false }).ReadLog().Count);
        }
    }

    [Fact]
    public Task Process_StoreKilledAtSeededMoments_VaultHoldsOldOrNewEntry() => KillStoresAsync(24, 20_240_601);

    /// <summary>The same check at 200 more moments (about 3 minutes): <c>bash scripts/test-slow.sh</c>.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public Task Process_StoreKilledAtManySeededMoments_VaultHoldsOldOrNewEntry() => KillStoresAsync(200, 20_261_121);

    private async Task KillStoresAsync(int runs, int seed)
    {
        using var dir = new TempDir();
        WriteCityCsv(dir["old.csv"], 100_000, seed: 3);
        WriteCityCsv(dir["new.csv"], 110_000, seed: 4);
        await File.WriteAllTextAsync(dir["x.csv"], "a,b\n1,1\n1,2\n");
        await File.WriteAllTextAsync(dir["doc.json"], "{\"k\": [1, 2, 3]}");
        string baseline = dir["base.zip"];
        foreach (string[] store in new[] { new[] { "x", dir["x.csv"] }, ["doc", dir["doc.json"]], ["big", dir["old.csv"]] })
        {
            Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", store[0], store[1], "in", "m", "--vault", baseline, "--secure", "false")).ExitCode);
        }

        var expected = EntryNames(baseline).ToDictionary(e => e, e => ReadEntry(baseline, e));
        byte[] oldBig = expected["m/big"];

        // A first run that is not killed gives the new content and the span of time the kills are spread over.
        string firstDir = CopyBaseline(dir, baseline, "first");
        var clock = Stopwatch.StartNew();
        var first = await RunLarderAsync(firstDir, null, "vault", "store", "big", dir["new.csv"], "in", "m", "--vault", "base.zip", "--secure", "false");
        int span = (int)clock.ElapsedMilliseconds;
        Assert.True(first.ExitCode == 0, first.Error);
        byte[] newBig = ReadEntry(Path.Combine(firstDir, "base.zip"), "m/big");
        Assert.NotEqual(oldBig, newBig);
        _output.WriteLine($"unkilled store: {span} ms, entry {oldBig.Length:N0} -> {newBig.Length:N0} bytes");

        var random = new Random(seed);
        int sawOld = 0, sawNew = 0, finished = 0;
        for (int run = 0; run < runs; run++)
        {
            string runDir = CopyBaseline(dir, baseline, $"run{run}");
            int delay = random.Next(span + 1);
            using (Process process = StartLarder(runDir, null, "vault", "store", "big", dir["new.csv"], "in", "m", "--vault", "base.zip", "--secure", "false"))
            {
                await Task.Delay(delay);
                if (process.HasExited)
                {
                    finished++;
                }
                else
                {
                    process.Kill();
                }

                await process.WaitForExitAsync();
            }

            string v = Path.Combine(runDir, "base.zip");
            var vault = Vault.Vault.Open(v, new VaultOptions { Secure = false, Log = false, Durable = false, LockTimeout = TimeSpan.FromSeconds(30) });
            var listed = vault.List();
            Assert.Equal(expected.Keys.Order(), listed.Select(e => e.Entry).Order());
            foreach (VaultEntryInfo entry in listed)
            {
                // The import re-checks the entry's CRC while it reads.
                byte[] bytes = await vault.ImportWithAsync(entry.Name, entry.Module, async (stream, ct) =>
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, ct);
                    return buffer.ToArray();
                });
                Assert.Equal(Crc32(bytes), entry.Crc32);
                if (entry.Entry == "m/big")
                {
                    bool isOld = bytes.AsSpan().SequenceEqual(oldBig);
                    Assert.True(isOld || bytes.AsSpan().SequenceEqual(newBig), $"run {run} (killed after {delay} ms): m/big is neither the old nor the new content");
                    _ = isOld ? sawOld++ : sawNew++;
                }
                else
                {
                    Assert.Equal(expected[entry.Entry], bytes);
                }
            }

            // The killed writer's lock is gone and its temporary archive is cleaned up by the next store.
            await vault.StoreBytesAsync("after", "m", new byte[] { 1, 2, 3 });
            Assert.Empty(Directory.GetFiles(runDir, ".base.zip.*.tmp"));
            Assert.Equal([1, 2, 3], ReadEntry(v, "m/after"));
        }

        _output.WriteLine($"{runs} runs over 0-{span} ms: {sawOld} old, {sawNew} new ({finished} finished before the kill)");
    }

    private static string CopyBaseline(TempDir dir, string baseline, string name)
    {
        string runDir = dir[name];
        Directory.CreateDirectory(runDir);
        File.Copy(baseline, Path.Combine(runDir, "base.zip"));
        File.Copy(baseline + ".vault.log.gz", Path.Combine(runDir, "base.zip.vault.log.gz"));
        return runDir;
    }
}
