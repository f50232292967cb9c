using System.Text;
using Larder.Storage.Zip;
using static Larder.Vault.Tests.Zip.ZipTestSupport;

namespace Larder.Vault.Tests.Zip;

/// <summary>Archives exchanged with Python's <c>zipfile</c> (what data_vault uses) and with 7-Zip.</summary>
public sealed class ZipInteropTests : IDisposable
{
    private const string Password = "PASS-word 1";
    private readonly TempDirectory _dir = new();

    private static readonly (string Name, byte[] Bytes)[] Contents =
    [
        ("datasets/salaries", Encoding.ASCII.GetBytes("\ta\tb\n0\t1\t1\n1\t1\t2\n")),
        ("datasets/text", TextBytes(100_000, 11)),
        ("datasets/random", RandomBytes(70_000, 12)),
        ("datasets/empty", []),
        ("données/σ", Encoding.UTF8.GetBytes("unicode name")),
    ];

    [Theory]
    [InlineData(ZipCompression.Stored)]
    [InlineData(ZipCompression.Deflate)]
    public async Task PythonZipfile_ReadsOurArchive(ZipCompression compression)
    {
        string path = _dir.File("ours.zip");
        var update = new ZipArchiveUpdate();
        foreach (var (name, bytes) in Contents)
        {
            update.Put(name, bytes, new ZipEntryOptions { Compression = compression });
        }

        update.Commit(path);
        WriteExpected();
        var result = await RunAsync("python3", _dir.Path, "-c", """
            import sys, zipfile, os
            with zipfile.ZipFile(sys.argv[1]) as z:
                assert z.testzip() is None
                names = z.namelist()
                for i, name in enumerate(names):
                    with open(os.path.join(sys.argv[2], str(i)), 'rb') as f:
                        assert z.read(name) == f.read(), name
                    assert z.getinfo(name).compress_type == int(sys.argv[3])
                print('\n'.join(names))
            """, path, _dir.Path, ((int)compression).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Contents.Select(c => c.Name), result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("ZIP_STORED", false)]
    [InlineData("ZIP_DEFLATED", false)]
    [InlineData("ZIP_DEFLATED", true)]
    public async Task ReadAllBytes_ArchiveFromPythonZipfile_MatchesContent(string method, bool unseekable)
    {
        string path = _dir.File("python.zip");
        WriteExpected();

        // Writing to an unseekable stream makes zipfile use data descriptors (flag bit 3).
        string target = unseekable ? "Unseekable(open(sys.argv[1], 'wb'))" : "open(sys.argv[1], 'wb')";
        string script = $$"""
            import io, sys, zipfile, os
            class Unseekable(io.RawIOBase):
                def __init__(self, f): self.f = f
                def writable(self): return True
                def write(self, b): return self.f.write(b)
                def close(self): self.f.close(); super().close()
            names = sys.argv[3:]
            with {{target}} as out:
                with zipfile.ZipFile(out, 'w', zipfile.{{method}}) as z:
                    z.comment = b'data_vault'
                    for i, name in enumerate(names):
                        with open(os.path.join(sys.argv[2], str(i)), 'rb') as f:
                            data = f.read()
                        with z.open(name, 'w') as w:
                            w.write(data)
            """;
        await RunAsync("python3", _dir.Path, ["-c", script, path, _dir.Path, .. Contents.Select(c => c.Name)]);
        using ZipArchiveReader reader = ZipArchiveReader.Open(path);
        Assert.Equal("data_vault"u8.ToArray(), reader.Comment);
        Assert.Equal(Contents.Select(c => c.Name), reader.Entries.Select(e => e.Name));
        foreach (var (name, bytes) in Contents)
        {
            Assert.Equal(bytes, reader.ReadAllBytes(reader.Get(name)));
        }
    }

    [Fact]
    public async Task SevenZip_ExtractsOurAesEntriesByteIdentical()
    {
        string path = _dir.File("secret.zip");
        var update = new ZipArchiveUpdate();
        update.Put("m/text", TextBytes(300_000, 21), new ZipEntryOptions { Password = Password });
        update.Put("m/random", RandomBytes(50_000, 22), new ZipEntryOptions { Password = Password, Compression = ZipCompression.Stored });
        update.Put("m/tiny", "x"u8.ToArray(), new ZipEntryOptions { Password = Password });
        update.Commit(path);

        string outDir = _dir.File("out");
        await RunAsync("7z", _dir.Path, "x", "-p" + Password, "-o" + outDir, path);
        Assert.Equal(TextBytes(300_000, 21), await File.ReadAllBytesAsync(Path.Combine(outDir, "m", "text")));
        Assert.Equal(RandomBytes(50_000, 22), await File.ReadAllBytesAsync(Path.Combine(outDir, "m", "random")));
        Assert.Equal("x"u8.ToArray(), await File.ReadAllBytesAsync(Path.Combine(outDir, "m", "tiny")));

        var test = await ChildProcessRun("7z", "t", "-pnot-the-password", path);
        Assert.NotEqual(0, test.ExitCode);
    }

    [Theory]
    [InlineData("zipcrypto", ZipEncryption.ZipCrypto)]
    [InlineData("aes256", ZipEncryption.Aes256)]
    [InlineData("aes128", ZipEncryption.Aes128)]
    public async Task ReadAllBytes_ArchiveFrom7Zip_DecryptsWithPassword(string kind, ZipEncryption expected)
    {
        string path = await SevenZipArchiveAsync(kind);
        using ZipArchiveReader reader = ZipArchiveReader.Open(path);
        Assert.All(reader.Entries, e => Assert.Equal(expected, e.Encryption));
        Assert.Equal(TextBytes(100_000, 31), reader.ReadAllBytes(reader.Get("text"), Password));
        Assert.Equal(RandomBytes(20_000, 32), reader.ReadAllBytes(reader.Get("random"), Password));
    }

    [Theory]
    [InlineData("zipcrypto", null)]
    [InlineData("zipcrypto", "wrong")]
    [InlineData("aes256", null)]
    [InlineData("aes256", "wrong")]
    public async Task ReadAllBytes_ArchiveFrom7ZipWithoutRightPassword_ThrowsAuth(string kind, string? password)
    {
        string path = await SevenZipArchiveAsync(kind);
        using ZipArchiveReader reader = ZipArchiveReader.Open(path);
        foreach (ZipEntry entry in reader.Entries)
        {
            var error = Assert.Throws<LarderAuthException>(() => reader.ReadAllBytes(entry, password));
            Assert.Equal(5, error.ExitCode);
        }
    }

    [Theory]
    [InlineData("zipcrypto")]
    [InlineData("aes256")]
    public async Task WriteTo_UpdateOf7ZipArchive_KeepsEntriesReadableBy7Zip(string kind)
    {
        string path = await SevenZipArchiveAsync(kind);
        using (ZipArchiveReader reader = ZipArchiveReader.Open(path))
        {
            var update = new ZipArchiveUpdate(reader);
            update.Put("added", "new entry"u8.ToArray(), new ZipEntryOptions { Password = Password });
            update.Commit(path);
        }

        using (ZipArchiveReader reader = ZipArchiveReader.Open(path))
        {
            Assert.Equal(TextBytes(100_000, 31), reader.ReadAllBytes(reader.Get("text"), Password));
            Assert.Equal("new entry"u8.ToArray(), reader.ReadAllBytes(reader.Get("added"), Password));
        }

        string outDir = _dir.File("out-" + kind);
        await RunAsync("7z", _dir.Path, "x", "-p" + Password, "-o" + outDir, path);
        Assert.Equal(RandomBytes(20_000, 32), await File.ReadAllBytesAsync(Path.Combine(outDir, "random")));
        Assert.Equal("new entry"u8.ToArray(), await File.ReadAllBytesAsync(Path.Combine(outDir, "added")));
    }

    [Fact]
    public async Task PythonZipfile_ReadsOurZip64EndRecord()
    {
        string path = _dir.File("many.zip");
        var update = new ZipArchiveUpdate();
        for (int i = 0; i < 66_000; i++)
        {
            update.Put($"m/{i}", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new ZipEntryOptions { Compression = ZipCompression.Stored });
        }

        update.Commit(path, durable: false);
        var result = await RunAsync("python3", _dir.Path, "-c", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                print(len(z.infolist()), z.read('m/65999').decode())
            """, path);
        Assert.Equal("66000 65999", result.Stdout.Trim());
    }

    public void Dispose() => _dir.Dispose();

    private void WriteExpected()
    {
        for (int i = 0; i < Contents.Length; i++)
        {
            File.WriteAllBytes(_dir.File(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Contents[i].Bytes);
        }
    }

    private async Task<Larder.TestKit.ChildProcessResult> ChildProcessRun(string command, params string[] arguments)
        => await Larder.TestKit.ChildProcess.RunAsync(command, arguments, _dir.Path, ZipTestSupport.Timeout);

    private async Task<string> SevenZipArchiveAsync(string kind)
    {
        string source = _dir.File("src-" + kind);
        Directory.CreateDirectory(source);
        await File.WriteAllBytesAsync(Path.Combine(source, "text"), TextBytes(100_000, 31));
        await File.WriteAllBytesAsync(Path.Combine(source, "random"), RandomBytes(20_000, 32));
        string path = _dir.File(kind + ".zip");
        var args = new List<string> { "a", "-tzip", "-p" + Password };
        if (kind != "zipcrypto")
        {
            args.Add("-mem=" + kind.ToUpperInvariant());
        }

        args.Add(path);
        args.Add("text");
        args.Add("random");
        await RunAsync("7z", source, [.. args]);
        return path;
    }
}
