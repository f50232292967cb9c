using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static Larder.Cli.Tests.VaultTestSupport;

namespace Larder.Cli.Tests;

/// <summary>The <c>larder vault</c> grammar, outputs and exit codes, run in-process.</summary>
public class VaultCommandTests
{
    private const string PandasTsv = "\ta\tb\n0\t1\t1\n1\t1\t2\n";

    /// <summary><c>Stored x (None → 3FDAA797) at Sunday, 08. Dec 2019 11:58</c> with any time.</summary>
    private const string StoredLinePattern = @"^Stored x \(None → 3FDAA797\) at (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d\d\. [A-Z][a-z]{2} \d{4} \d\d:\d\d$";

    private static async Task<string> WriteSmallCsvAsync(TempDir dir)
    {
        string path = dir["x.csv"];
        await File.WriteAllTextAsync(path, "a,b\n1,1\n1,2\n");
        return path;
    }

    /// <summary>A 50-row table: id 0..49 and a word that holds "needle" in rows 3, 8, 13, …</summary>
    private static async Task<string> WriteWordsCsvAsync(TempDir dir)
    {
        var text = new StringBuilder("id,word\n");
        for (int i = 0; i < 50; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{(i % 5 == 3 ? $"hay-needle-{i}" : $"hay-{i}")}\n");
        }

        string path = dir["words.csv"];
        await File.WriteAllTextAsync(path, text.ToString());
        return path;
    }

    private static string ExpectedWord(int i) => i % 5 == 3 ? $"hay-needle-{i}" : $"hay-{i}";

    [Fact]
    public async Task Store_CsvTable_PrintsStoredLineAndWritesPandasTsv()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);

        var r = await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        Assert.Matches(StoredLinePattern, r.Out.TrimEnd('\n'));
        Assert.Equal(PandasTsv, Encoding.UTF8.GetString(ReadEntry(dir["v.zip"], "mod/x")));
    }

    [Fact]
    public async Task Store_Again_PrintsOldAndNewCrc()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);
        await File.WriteAllTextAsync(csv, "a,b\n1,1\n1,3\n");

        var r = await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false", "--timestamp", "false");

        Assert.Equal(0, r.ExitCode);
        uint crc = Crc32("\ta\tb\n0\t1\t1\n1\t1\t3\n"u8);
        Assert.Equal($"Stored x (3FDAA797 → {crc:X8})\n", r.Out);
    }

    [Fact]
    public async Task Store_WithoutPassword_WarnsOnStderrUnlessSecureFalse()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);

        var warned = await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--timestamp", "false");
        var quiet = await CliRunner.RunAsync("vault", "store", "y", csv, "in", "mod", "--vault", dir["v.zip"], "--timestamp", "false", "--secure", "false");

        Assert.Equal(0, warned.ExitCode);
        Assert.Equal("Stored x (None → 3FDAA797)\n", warned.Out);
        Assert.Contains("not encrypted", warned.Error, StringComparison.Ordinal);
        Assert.Single(warned.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("Stored y (None → 3FDAA797)\n", quiet.Out);
        Assert.Equal(string.Empty, quiet.Error);
    }

    [Fact]
    public async Task Store_AsAlias_StoresUnderAliasAndNamesBoth()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);

        var r = await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod/sub", "as", "y", "--vault", dir["v.zip"], "--secure", "false", "--timestamp", "false");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Stored x as y (None → 3FDAA797)\n", r.Out);
        Assert.Equal(["mod/sub/y"], EntryNames(dir["v.zip"]));
        Assert.Equal(PandasTsv, Encoding.UTF8.GetString(ReadEntry(dir["v.zip"], "mod/sub/y")));
    }

    [Theory]
    [InlineData("tsv", "\tid\tword\n0\t0\thay-0\n")]
    [InlineData("parquet", "PAR1")]
    [InlineData("arrow", "ARROW1")]
    public async Task Store_TableFormat_EntryHasThatLayoutAndImportsBack(string format, string magic)
    {
        using var dir = new TempDir();
        string csv = await WriteWordsCsvAsync(dir);

        var store = await CliRunner.RunAsync("vault", "store", "w", csv, "in", "m", "--format", format, "--vault", dir["v.zip"], "--secure", "false");
        var import = await CliRunner.RunAsync("vault", "import", "w", "from", "m", "-o", dir["back.csv"], "--vault", dir["v.zip"], "--secure", "false");

        Assert.Equal(0, store.ExitCode);
        Assert.StartsWith(magic, Encoding.Latin1.GetString(ReadEntry(dir["v.zip"], "m/w"))[..magic.Length], StringComparison.Ordinal);
        Assert.Equal(0, import.ExitCode);
        var back = await ReadTableAsync(dir["back.csv"]);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(CultureInfo.InvariantCulture)), Column(back, "id"));
        Assert.Equal(Enumerable.Range(0, 50).Select(ExpectedWord), Column(back, "word"));
    }

    [Theory]
    [InlineData("data.npy", null)]
    [InlineData("data.json", null)]
    [InlineData("data.bin", null)]
    [InlineData("data.csv", "bytes")]
    public async Task Store_NonTableFile_ImportsBackByteIdentical(string fileName, string? format)
    {
        using var dir = new TempDir();
        byte[] content = fileName switch
        {
            "data.npy" => NpyBytes(),
            "data.json" => "{\"a\": [1, 2.5, \"x\"], \"b\": null}"u8.ToArray(),
            _ => SeededBytes(10_000, 7),
        };
        await File.WriteAllBytesAsync(dir[fileName], content);
        string[] formatArgs = format is null ? [] : ["--format", format];

        var store = await CliRunner.RunAsync(["vault", "store", "d", dir[fileName], "in", "m", .. formatArgs, "--vault", dir["v.zip"], "--secure", "false"]);
        var import = await CliRunner.RunAsync("vault", "import", "d", "from", "m", "-o", dir["out.bin"], "--vault", dir["v.zip"], "--secure", "false");

        Assert.Equal(0, store.ExitCode);
        Assert.Equal(content, ReadEntry(dir["v.zip"], "m/d"));
        Assert.Equal(0, import.ExitCode);
        Assert.Equal(content, await File.ReadAllBytesAsync(dir["out.bin"]));
    }

    private static byte[] SeededBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A little-endian int32 array of shape (3,) as NumPy 1.0 writes it.</summary>
    private static byte[] NpyBytes()
    {
        string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
        header = header.PadRight(128 - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (int v in new[] { 7, -1, 300 })
        {
            bytes.AddRange(BitConverter.GetBytes(v));
        }

        return bytes.ToArray();
    }

    [Fact]
    public async Task Import_AsAlias_WritesTableAndPrintsAlias()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);

        var r = await CliRunner.RunAsync("vault", "import", "x", "from", "mod", "as", "frame", "-o", dir["out.csv"], "--vault", dir["v.zip"], "--secure", "false", "--timestamp", "false");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Imported x as frame (3FDAA797)\n", r.Out);
        Assert.Equal("a,b\n1,1\n1,2\n", await File.ReadAllTextAsync(dir["out.csv"]));
        Assert.Contains(ReadLogRecords(dir["v.zip"]), l => l.Action == "import" && l.Subject == "x as frame");
    }

    [Fact]
    public async Task Import_Rows_WritesExactlyThoseRows()
    {
        using var dir = new TempDir();
        string csv = await WriteWordsCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "w", csv, "in", "m", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);

        var r = await CliRunner.RunAsync("vault", "import", "w", "from", "m", "-o", dir["out.csv"], "--rows", "10:20", "--vault", dir["v.zip"], "--secure", "false");

        Assert.Equal(0, r.ExitCode);
        var rows = await ReadTableAsync(dir["out.csv"]);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)), Column(rows, "id"));
        Assert.Equal(Enumerable.Range(10, 10).Select(ExpectedWord), Column(rows, "word"));
    }

    [Fact]
    public async Task Import_Grep_WritesExactlyMatchingRows()
    {
        using var dir = new TempDir();
        string csv = await WriteWordsCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "w", csv, "in", "m", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);

        var r = await CliRunner.RunAsync("vault", "import", "w", "from", "m", "-o", dir["out.csv"], "--grep", "needle", "--vault", dir["v.zip"], "--secure", "false");

        Assert.Equal(0, r.ExitCode);
        var rows = await ReadTableAsync(dir["out.csv"]);
        int[] expected = Enumerable.Range(0, 50).Where(i => i % 5 == 3).ToArray();
        Assert.Equal(expected.Select(i => i.ToString(CultureInfo.InvariantCulture)), Column(rows, "id"));
        Assert.Equal(expected.Select(ExpectedWord), Column(rows, "word"));
    }

    [Fact]
    public async Task Import_RowsAndGrep_GrepsWithinTheRange()
    {
        using var dir = new TempDir();
        string csv = await WriteWordsCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "w", csv, "in", "m", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);

        var r = await CliRunner.RunAsync("vault", "import", "w", "from", "m", "-o", dir["out.tsv"], "--rows", "10:30", "--grep", "needle", "--vault", dir["v.zip"], "--secure", "false");

        Assert.Equal(0, r.ExitCode);
        var rows = await ReadTableAsync(dir["out.tsv"]);
        Assert.Equal(["13", "18", "23", "28"], Column(rows, "id"));
    }

    [Fact]
    public async Task Assert_RightAndWrongCrc32AndSha256_ExitZeroOrOne()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        string v = dir["v.zip"];
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", v, "--secure", "false")).ExitCode);
        string sha = Convert.ToHexStringLower(SHA256.HashData(ReadEntry(v, "mod/x")));
        Assert.Equal(sha, ReadLogRecords(v).Single().Sha256);
        string wrongSha = sha[..^1] + (sha[^1] == '0' ? '1' : '0');

        var crcOk = await CliRunner.RunAsync("vault", "assert", "x", "in", "mod", "is", "3fdaa797", "--vault", v, "--secure", "false", "--timestamp", "false");
        var shaOk = await CliRunner.RunAsync("vault", "assert", "x", "in", "mod", "is", sha.ToUpperInvariant(), "--vault", v, "--secure", "false");
        var crcBad = await CliRunner.RunAsync("vault", "assert", "x", "in", "mod", "is", "3FDAA796", "--vault", v, "--secure", "false");
        var shaBad = await CliRunner.RunAsync("vault", "assert", "x", "in", "mod", "is", wrongSha, "--vault", v, "--secure", "false");

        Assert.Equal((0, "Asserted x (3FDAA797)\n"), (crcOk.ExitCode, crcOk.Out));
        Assert.Equal(0, shaOk.ExitCode);
        Assert.Equal(1, crcBad.ExitCode);
        Assert.Contains("3FDAA797", crcBad.Error, StringComparison.Ordinal);
        Assert.Single(crcBad.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(1, shaBad.ExitCode);
        Assert.Equal(string.Empty, shaBad.Out);
    }

    [Theory]
    [InlineData("import", "nope", "from", "mod", "-o", "OUT")]
    [InlineData("import", "x", "from", "other", "-o", "OUT")]
    [InlineData("assert", "nope", "in", "mod", "is", "3FDAA797")]
    [InlineData("del", "nope", "from", "mod")]
    public async Task Command_MissingEntry_ExitsThree(params string[] words)
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);
        string[] args = ["vault", .. words.Select(w => w == "OUT" ? dir["out.csv"] : w), "--vault", dir["v.zip"], "--secure", "false"];

        var r = await CliRunner.RunAsync(args);

        Assert.Equal(3, r.ExitCode);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("vault list", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["out.csv"]));
        Assert.Equal(["mod/x"], EntryNames(dir["v.zip"]));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("log")]
    [InlineData("import", "x", "from", "mod", "-o", "OUT")]
    [InlineData("assert", "x", "in", "mod", "is", "3FDAA797")]
    [InlineData("del", "x", "from", "mod")]
    public async Task Command_MissingVault_ExitsThree(params string[] words)
    {
        using var dir = new TempDir();
        string[] args = ["vault", .. words.Select(w => w == "OUT" ? dir["out.csv"] : w), "--vault", dir["none.zip"], "--secure", "false"];

        var r = await CliRunner.RunAsync(args);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("no such vault", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["none.zip"]));
    }

    [Theory]
    [InlineData(VaultCommand.StoreForm, "store", "x", "FILE", "into", "mod")]
    [InlineData(VaultCommand.StoreForm, "store", "x", "FILE", "in")]
    [InlineData(VaultCommand.StoreForm, "store", "x", "FILE", "in", "mod", "as")]
    [InlineData(VaultCommand.StoreForm, "store", "x", "FILE", "in", "mod", "like", "y")]
    [InlineData(VaultCommand.StoreForm, "store", "x", "FILE", "in", "mod", "as", "y", "z")]
    [InlineData(VaultCommand.StoreForm, "store", "x", "FILE", "from", "mod")]
    [InlineData(VaultCommand.StoreForm, "store", "x")]
    [InlineData(VaultCommand.StoreForm, "store")]
    [InlineData(VaultCommand.ImportForm, "import", "x", "in", "mod", "-o", "OUT")]
    [InlineData(VaultCommand.ImportForm, "import", "x", "from", "-o", "OUT")]
    [InlineData(VaultCommand.ImportForm, "import", "x", "from", "mod", "is", "y", "-o", "OUT")]
    [InlineData(VaultCommand.ImportForm, "import", "x", "from", "mod")]
    [InlineData(VaultCommand.DeleteForm, "del", "x", "in", "mod")]
    [InlineData(VaultCommand.DeleteForm, "del", "x", "from", "mod", "as", "y")]
    [InlineData(VaultCommand.DeleteForm, "del", "x")]
    [InlineData(VaultCommand.AssertForm, "assert", "x", "in", "mod", "3FDAA797")]
    [InlineData(VaultCommand.AssertForm, "assert", "x", "from", "mod", "is", "3FDAA797")]
    [InlineData(VaultCommand.AssertForm, "assert", "x", "in", "mod", "was", "3FDAA797")]
    [InlineData(VaultCommand.AssertForm, "assert", "x", "in", "mod", "is")]
    public async Task Command_BadGrammar_ExitsTwoAndShowsTheForm(string form, params string[] words)
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);
        byte[] before = await File.ReadAllBytesAsync(dir["v.zip"]);
        string[] args = ["vault", .. words.Select(w => w switch { "FILE" => csv, "OUT" => dir["out.csv"], _ => w }), "--vault", dir["v.zip"], "--secure", "false"];

        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal(string.Empty, r.Out);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains(form, r.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir["v.zip"]));
        Assert.False(File.Exists(dir["out.csv"]));
        Assert.Single(ReadLogRecords(dir["v.zip"]));
    }

    [Theory]
    [InlineData("store", "x", "FILE", "in", "mod", "--format", "xml")]
    [InlineData("store", "x", "FILE", "in", "mod", "--secure", "maybe")]
    [InlineData("import", "x", "from", "mod", "-o", "OUT", "--rows", "5")]
    [InlineData("import", "x", "from", "mod", "-o", "OUT", "--rows", "a:b")]
    [InlineData("assert", "x", "in", "mod", "is", "3FDAA79")]
    [InlineData("store", "x/y", "FILE", "in", "mod")]
    [InlineData("store", "x", "FILE", "in", "../mod")]
    [InlineData("frobnicate")]
    [InlineData]
    public async Task Command_BadValue_ExitsTwo(params string[] words)
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false")).ExitCode);
        byte[] before = await File.ReadAllBytesAsync(dir["v.zip"]);
        string[] args = ["vault", .. words.Select(w => w switch { "FILE" => csv, "OUT" => dir["out.csv"], _ => w }), "--vault", dir["v.zip"], "--secure", "false"];

        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir["v.zip"]));
        Assert.False(File.Exists(dir["out.csv"]));
    }

    [Fact]
    public async Task List_TextAndJson_ShowEveryEntryAsTheArchiveRecordsIt()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        string v = dir["v.zip"];
        await File.WriteAllBytesAsync(dir["blob.bin"], SeededBytes(5000, 3));
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", v, "--secure", "false")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "blob", dir["blob.bin"], "in", "raw/files", "--vault", v, "--secure", "false")).ExitCode);

        var text = await CliRunner.RunAsync("vault", "list", "--vault", v, "--secure", "false");
        var json = await CliRunner.RunAsync("vault", "list", "--json", "--vault", v, "--secure", "false");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(0, json.ExitCode);
        using ZipArchive zip = ZipFile.OpenRead(v);
        string[] lines = text.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(["ENTRY", "SIZE", "CRC32", "MODIFIED", "(UTC)", "ENCRYPTED"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string[] jsonLines = json.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(2, jsonLines.Length);
        for (int i = 0; i < 2; i++)
        {
            ZipArchiveEntry entry = zip.Entries[i];
            string[] cells = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(entry.FullName, cells[0]);
            Assert.Equal(entry.Length.ToString(CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal(entry.Crc32.ToString("X8", CultureInfo.InvariantCulture), cells[2]);
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", cells[3] + " " + cells[4]);
            Assert.Equal("no", cells[5]);

            using var doc = JsonDocument.Parse(jsonLines[i]);
            JsonElement o = doc.RootElement;
            Assert.Equal(entry.FullName, o.GetProperty("entry").GetString());
            Assert.Equal(entry.FullName, o.GetProperty("module").GetString() + "/" + o.GetProperty("name").GetString());
            Assert.Equal(entry.Length, o.GetProperty("size").GetInt64());
            Assert.Equal(entry.CompressedLength, o.GetProperty("compressed_size").GetInt64());
            Assert.Equal(entry.Crc32.ToString("X8", CultureInfo.InvariantCulture), o.GetProperty("crc32").GetString());
            Assert.False(o.GetProperty("encrypted").GetBoolean());
            Assert.EndsWith("Z", o.GetProperty("modified").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("raw/files", JsonDocument.Parse(jsonLines[1]).RootElement.GetProperty("module").GetString());
    }

    [Fact]
    public async Task Log_TextAndJson_ShowEveryOperationWithTheCommandAsTyped()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        string v = dir["v.zip"];
        string[][] commands =
        [
            ["vault", "store", "x", csv, "in", "mod", "--vault", v, "--secure", "false"],
            ["vault", "import", "x", "from", "mod", "as", "y", "-o", dir["o.csv"], "--vault", v, "--secure", "false"],
            ["vault", "assert", "x", "in", "mod", "is", "3FDAA797", "--vault", v, "--secure", "false"],
            ["vault", "del", "x", "from", "mod", "--vault", v, "--secure", "false"],
        ];
        foreach (string[] c in commands)
        {
            Assert.Equal(0, (await CliRunner.RunAsync(c)).ExitCode);
        }

        var text = await CliRunner.RunAsync("vault", "log", "--vault", v, "--secure", "false");
        var json = await CliRunner.RunAsync("vault", "log", "--json", "--vault", v, "--secure", "false");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(0, json.ExitCode);
        string[] jsonLines = json.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(4, jsonLines.Length);
        Assert.Equal(Decompress(v + ".vault.log.gz"), json.Out);
        string[] textLines = text.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(5, textLines.Length);
        Assert.StartsWith("FINISHED (UTC)", textLines[0], StringComparison.Ordinal);
        string[] actions = ["store", "import", "assert", "delete"];
        for (int i = 0; i < 4; i++)
        {
            using var doc = JsonDocument.Parse(jsonLines[i]);
            Assert.Equal(actions[i], doc.RootElement.GetProperty("action").GetString());
            Assert.Equal("larder " + string.Join(' ', commands[i]), doc.RootElement.GetProperty("command").GetString());
            Assert.EndsWith("larder " + string.Join(' ', commands[i]), textLines[i + 1], StringComparison.Ordinal);
            Assert.Contains($"  {actions[i]}  ", textLines[i + 1], StringComparison.Ordinal);
            Assert.Contains("3FDAA797", textLines[i + 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Log_False_WritesNoLog()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);

        var r = await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", dir["v.zip"], "--secure", "false", "--log", "false");

        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(dir["v.zip"]));
        Assert.False(File.Exists(dir["v.zip.vault.log.gz"]));
    }

    [Fact]
    public async Task Del_Entry_RemovesOnlyThatEntryAndPrintsDeleted()
    {
        using var dir = new TempDir();
        string csv = await WriteSmallCsvAsync(dir);
        string v = dir["v.zip"];
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "mod", "--vault", v, "--secure", "false")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("vault", "store", "x", csv, "in", "keep", "--vault", v, "--secure", "false")).ExitCode);

        var r = await CliRunner.RunAsync("vault", "del", "x", "from", "mod", "--vault", v, "--secure", "false", "--timestamp", "false");

        Assert.Equal((0, "Deleted x (3FDAA797)\n"), (r.ExitCode, r.Out));
        Assert.Equal(["keep/x"], EntryNames(v));
        Assert.Equal(PandasTsv, Encoding.UTF8.GetString(ReadEntry(v, "keep/x")));
    }

    private static string Decompress(string gzPath)
    {
        using var file = File.OpenRead(gzPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static List<(string Action, string Subject, string? Sha256)> ReadLogRecords(string vault)
        => Decompress(vault + ".vault.log.gz").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement o = doc.RootElement;
            return (o.GetProperty("action").GetString()!, o.GetProperty("subject").GetString()!, o.GetProperty("sha256").GetString());
        }).ToList();
}
