using System.Text;
using System.Text.Json;
using Larder.TestKit;
using static Larder.Cli.Tests.VaultTestSupport;

namespace Larder.Cli.Tests;

/// <summary>
/// <c>--password-env</c>: AES-256 entries that 7-Zip extracts, and imports that fail with exit 5 and leave no file. Each
/// test names its own environment variable, so in-process runs do not see each other's passwords.
/// </summary>
public sealed class VaultEncryptionTests : IDisposable
{
    private const string Password = "correct horse 7!";

    private readonly string _variable = "LARDER_TEST_VAULT_PW_" + Guid.NewGuid().ToString("N");

    public VaultEncryptionTests() => Environment.SetEnvironmentVariable(_variable, Password);

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    private async Task<(TempDir Dir, string Csv, byte[] Blob)> StoreEncryptedAsync()
    {
        var dir = new TempDir();
        string csv = dir["x.csv"];
        await File.WriteAllTextAsync(csv, "a,b\n1,1\n1,2\n");
        byte[] blob = new byte[20_000];
        new Random(11).NextBytes(blob);
        Array.Fill(blob, (byte)'z', 0, 10_000);
        await File.WriteAllBytesAsync(dir["blob.bin"], blob);
        foreach (string vault in new[] { "enc.zip", "plain.zip" })
        {
            string[] password = vault == "enc.zip" ? ["--password-env", _variable] : ["--secure", "false"];
            var x = await CliRunner.RunAsync(["vault", "store", "x", csv, "in", "mod", "--vault", dir[vault], .. password]);
            var b = await CliRunner.RunAsync(["vault", "store", "blob", dir["blob.bin"], "in", "raw", "--vault", dir[vault], .. password]);
            Assert.True(x.ExitCode == 0 && b.ExitCode == 0, x.Error + b.Error);
            Assert.Equal(string.Empty, x.Error + b.Error);
        }

        return (dir, csv, blob);
    }

    [Fact]
    public async Task Store_PasswordEnv_WritesAesEntriesThat7zExtractsByteIdentical()
    {
        var (dir, _, blob) = await StoreEncryptedAsync();
        using var _ = dir;

        var listing = await ChildProcess.RunAsync("7z", ["l", "-slt", dir["enc.zip"]], dir.Root, TimeSpan.FromMinutes(1));
        var extract = await ChildProcess.RunAsync("7z", ["x", "-p" + Password, "-o" + dir["out"], dir["enc.zip"]], dir.Root, TimeSpan.FromMinutes(1));

        Assert.Equal(0, listing.ExitCode);
        Assert.Equal(2, listing.Stdout.Split('\n').Count(l => l.StartsWith("Method = AES-256", StringComparison.Ordinal)));
        Assert.Equal(2, listing.Stdout.Split('\n').Count(l => l.Trim() == "Encrypted = +"));
        Assert.Equal(0, extract.ExitCode);
        Assert.Equal(ReadEntry(dir["plain.zip"], "mod/x"), await File.ReadAllBytesAsync(Path.Combine(dir["out"], "mod", "x")));
        Assert.Equal(ReadEntry(dir["plain.zip"], "raw/blob"), await File.ReadAllBytesAsync(Path.Combine(dir["out"], "raw", "blob")));
        Assert.Equal(blob, await File.ReadAllBytesAsync(Path.Combine(dir["out"], "raw", "blob")));
    }

    [Fact]
    public async Task Store_PasswordEnv_ListShowsEncryptedWithTheCrc()
    {
        var (dir, _, _) = await StoreEncryptedAsync();
        using var _ = dir;

        var r = await CliRunner.RunAsync("vault", "list", "--json", "--vault", dir["enc.zip"], "--secure", "false");

        Assert.Equal(0, r.ExitCode);
        var entries = r.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.True(e.GetProperty("encrypted").GetBoolean()));
        Assert.Equal("3FDAA797", entries[0].GetProperty("crc32").GetString());
    }

    [Fact]
    public async Task Import_RightPassword_WritesTheTable()
    {
        var (dir, _, blob) = await StoreEncryptedAsync();
        using var _ = dir;

        var table = await CliRunner.RunAsync("vault", "import", "x", "from", "mod", "-o", dir["x.tsv"], "--vault", dir["enc.zip"], "--password-env", _variable, "--timestamp", "false");
        var bytes = await CliRunner.RunAsync("vault", "import", "blob", "from", "raw", "-o", dir["blob.out"], "--vault", dir["enc.zip"], "--password-env", _variable);

        Assert.Equal((0, "Imported x (3FDAA797)\n", string.Empty), (table.ExitCode, table.Out, table.Error));
        Assert.Equal("a\tb\n1\t1\n1\t2\n", await File.ReadAllTextAsync(dir["x.tsv"]));
        Assert.Equal(0, bytes.ExitCode);
        Assert.Equal(blob, await File.ReadAllBytesAsync(dir["blob.out"]));
    }

    [Theory]
    [InlineData("none", "x", "mod", "out.csv")]
    [InlineData("unset", "x", "mod", "out.csv")]
    [InlineData("wrong", "x", "mod", "out.csv")]
    [InlineData("wrong", "x", "mod", "out.arrow")]
    [InlineData("none", "blob", "raw", "out.bin")]
    [InlineData("wrong", "blob", "raw", "out.bin")]
    public async Task Import_MissingOrWrongPassword_ExitsFiveWithOneLineAndNoFile(string password, string name, string module, string output)
    {
        var (dir, _, _) = await StoreEncryptedAsync();
        using var _ = dir;
        string wrongVariable = _variable + "_WRONG";
        Environment.SetEnvironmentVariable(wrongVariable, "not the password");
        try
        {
            string[] passwordArgs = password switch
            {
                "none" => [],
                "unset" => ["--password-env", _variable + "_UNSET"],
                _ => ["--password-env", wrongVariable],
            };
            var before = Directory.GetFiles(dir.Root).Order().ToList();

            var r = await CliRunner.RunAsync(["vault", "import", name, "from", module, "-o", dir[output], "--vault", dir["enc.zip"], "--secure", "false", .. passwordArgs]);

            Assert.Equal(5, r.ExitCode);
            Assert.Equal(string.Empty, r.Out);
            string line = Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
            Assert.StartsWith("larder: ", line, StringComparison.Ordinal);
            Assert.Contains(password == "wrong" ? "password" : "encrypted", line, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, line, StringComparison.Ordinal);
            Assert.False(File.Exists(dir[output]));
            Assert.Equal(before, Directory.GetFiles(dir.Root).Order().ToList());
        }
        finally
        {
            Environment.SetEnvironmentVariable(wrongVariable, null);
        }
    }

    [Fact]
    public async Task Store_PasswordEnvUnset_ExitsFiveAndLeavesTheVault()
    {
        var (dir, csv, _) = await StoreEncryptedAsync();
        using var _ = dir;
        byte[] before = await File.ReadAllBytesAsync(dir["enc.zip"]);

        var r = await CliRunner.RunAsync("vault", "store", "y", csv, "in", "mod", "--vault", dir["enc.zip"], "--password-env", _variable + "_UNSET", "--secure", "false");

        Assert.Equal(5, r.ExitCode);
        Assert.Contains(_variable + "_UNSET", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir["enc.zip"]));
    }

    [Fact]
    public async Task Log_PasswordEnv_NeverHoldsThePassword()
    {
        var (dir, _, _) = await StoreEncryptedAsync();
        using var _ = dir;
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "import", "x", "from", "mod", "-o", dir["o.csv"], "--vault", dir["enc.zip"], "--password-env", _variable)).ExitCode);

        var r = await CliRunner.RunAsync("vault", "log", "--json", "--vault", dir["enc.zip"], "--secure", "false");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.Out.TrimEnd('\n').Split('\n').Length);
        Assert.Contains(_variable, r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(dir["enc.zip"])), StringComparison.Ordinal);
    }
}
