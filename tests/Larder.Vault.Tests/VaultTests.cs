using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Arrays;
using Larder.Checksums;
using Larder.Columnar;
using Larder.Formats;
using Larder.Parquet.Files;
using Larder.TestKit;
using Larder.Vault.Tables;
using Larder.Vault.Tests.Zip;
using Larder.Storage.Zip;

namespace Larder.Vault.Tests;

/// <summary>The Vault API: every kind of value, names, hashes, the log, printed lines, passwords, damage and concurrency.</summary>
public sealed class VaultTests : IDisposable
{
    private const string SalariesTsv = "\ta\tb\n0\t1\t1\n1\t1\t2\n";
    private const string ExampleTime = "Sunday, 08. Dec 2019 11:58";

    private static readonly VaultOptions Quiet = new() { Secure = false, Durable = false };

    private readonly TempDirectory _dir = new();

    public static TheoryData<bool> SyncAndAsync => new() { false, true };

    private string VaultPath => _dir.File("storage.zip");

    public void Dispose() => _dir.Dispose();

    // ---- tables ----

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task StoreTableImport_Tsv_EqualValuesNullsTimestampsAwkwardStrings(bool async)
    {
        var vault = Open();
        Table table = VaultTestData.MixedTable(300, 1);

        var stored = await StoreTable(vault, async, "mixed", "datasets", table);
        using var imported = await Import(vault, async, "mixed", "datasets", new VaultImportOptions { Optimise = false });

        Assert.Equal(VaultEntryKind.Table, imported.Kind);
        Assert.Equal(VaultFormat.Tsv, imported.Format);
        Assert.Equal(stored.New!.Crc32, imported.Operation.New!.Crc32);
        Assert.Equal(stored.New.Sha256, imported.Operation.New.Sha256);
        Table read = imported.Table!;
        Assert.Equal(table.Schema.Fields.Select(f => f.Name), read.Schema.Fields.Select(f => f.Name));
        Assert.Equal(300, read.RowCount);
        for (int c = 0; c < table.Schema.Count; c++)
        {
            Assert.Equal(VaultPeer.Column(table, c), VaultPeer.Column(read, c));
        }

        Assert.Equal(ArrowTypeId.Timestamp, read.Schema[5].Type.Id);
        Assert.Equal("UTC", ((TimestampType)read.Schema[6].Type).TimeZone);
    }

    [Theory]
    [InlineData(VaultFormat.Parquet, false)]
    [InlineData(VaultFormat.Parquet, true)]
    [InlineData(VaultFormat.Arrow, false)]
    [InlineData(VaultFormat.Arrow, true)]
    public async Task StoreTableImport_ParquetOrArrow_SameTable(VaultFormat format, bool async)
    {
        var vault = Open();
        Table table = VaultTestData.MixedTable(200, 2);

        await StoreTable(vault, async, "mixed", "datasets", table, new VaultStoreOptions { Format = format });
        using var imported = await Import(vault, async, "mixed", "datasets", new VaultImportOptions { Optimise = false });

        Assert.Equal(VaultEntryKind.Table, imported.Kind);
        Assert.Equal(format, imported.Format);
        Assert.Equal(table.Schema.Fields.Select(f => f.Type.ToString()), imported.Table!.Schema.Fields.Select(f => f.Type.ToString()));
        for (int c = 0; c < table.Schema.Count; c++)
        {
            Assert.Equal(VaultPeer.Column(table, c), VaultPeer.Column(imported.Table, c));
        }
    }

    [Fact]
    public async Task StoreTableAsync_BatchStream_SameEntryAsTable()
    {
        var vault = Open();
        Table table = VaultTestData.MixedTable(150, 3, batchRows: 40);

        var fromTable = await vault.StoreTableAsync("a", "m", table);
        var fromStream = await vault.StoreTableAsync("b", "m", table.Schema, table.ToAsyncEnumerable());

        Assert.Equal(fromTable.New!.Sha256, fromStream.New!.Sha256);
        Assert.Equal(fromTable.New.Crc32, fromStream.New.Crc32);
    }

    [Fact]
    public void StoreTable_DataVaultExample_ExactEntryBytesAndCrc()
    {
        var vault = Open();

        var operation = vault.StoreTable("salaries", "datasets", VaultTestData.SalariesTable());

        Assert.Equal(0x3FDAA797u, operation.New!.Crc32);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(SalariesTsv))), operation.New.Sha256);
        using ZipArchiveReader archive = ZipArchiveReader.Open(VaultPath);
        ZipEntry entry = archive.Get("datasets/salaries");
        Assert.Equal(SalariesTsv, Encoding.ASCII.GetString(archive.ReadAllBytes(entry)));
        Assert.Equal((int)ZipCompression.Deflate, entry.CompressionMethod);
    }

    // ---- arrays, JSON, bytes ----

    public static TheoryData<string, long[], bool> Arrays => new()
    {
        { "<f8", [7, 5], false },
        { "<f8", [7, 5], true },
        { "<f4", [4, 3, 2], true },
        { "<f2", [9], false },
        { "|i1", [3, 11], false },
        { "<i2", [2, 2, 2, 2], true },
        { "<i4", [100], false },
        { "<i8", [6, 4], true },
        { "|u1", [33], false },
        { "<u2", [5, 3], false },
        { "<u4", [3, 5], true },
        { "<u8", [8], false },
        { "|b1", [5, 5], true },
        { "<c8", [4], false },
        { "<c16", [3, 2], true },
        { "<f8", [], false },
        { "<i4", [0, 3], false },
    };

    [Theory]
    [MemberData(nameof(Arrays))]
    public async Task StoreArrayImport_Dtypes_SameDtypeShapeOrderBytes(string dtype, long[] shape, bool fortran)
    {
        var vault = Open();
        using NDArray array = SeededArray(dtype, shape, fortran ? NDArrayOrder.Fortran : NDArrayOrder.C, 7);

        vault.StoreArray("sync", "arrays", array);
        await vault.StoreArrayAsync("async", "arrays", array);

        foreach (string name in new[] { "sync", "async" })
        {
            using var imported = name == "sync" ? vault.Import(name, "arrays") : await vault.ImportAsync(name, "arrays");
            Assert.Equal(VaultEntryKind.Array, imported.Kind);
            Assert.Equal(VaultFormat.Npy, imported.Format);
            NDArray read = imported.Array!;
            Assert.Equal(dtype, read.DType.ToString());
            Assert.Equal(shape, read.Shape);
            Assert.Equal(array.Order, read.Order);
            Assert.Equal(array.Bytes.ToArray(), read.Bytes.ToArray());
        }
    }

    [Theory]
    [InlineData("""{"a":[1,2.5,{"b":null}],"σ":"tab\there","nested":{"deep":[[[]]]}}""")]
    [InlineData("""[1,-2,3.25e10,"x",true,false,null]""")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("-0.5")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    public async Task StoreJsonImport_Values_DeepEqual(string json)
    {
        var vault = Open();
        JsonNode? value = JsonNode.Parse(json);

        vault.StoreJson("sync", "config", value);
        await vault.StoreJsonAsync("async", "config", value);

        foreach (string name in new[] { "sync", "async" })
        {
            using var imported = name == "sync" ? vault.Import(name, "config") : await vault.ImportAsync(name, "config");
            Assert.Equal(VaultEntryKind.Json, imported.Kind);
            Assert.True(JsonNode.DeepEquals(value, imported.Json), $"{name}: {imported.Json?.ToJsonString()} is not {json}");
        }
    }

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task StoreBytesImport_RandomBytes_Equal(bool async)
    {
        var vault = Open();
        byte[] bytes = ZipTestSupport.RandomBytes(100_000, 9);

        var stored = async ? await vault.StoreBytesAsync("blob", "raw", bytes) : vault.StoreBytes("blob", "raw", bytes);
        using var imported = await Import(vault, async, "blob", "raw");

        Assert.Equal(VaultEntryKind.Bytes, imported.Kind);
        Assert.Equal(bytes, imported.Bytes);
        Assert.Equal(Crc32.Compute(bytes), stored.New!.Crc32);
    }

    public static TheoryData<string, VaultEntryKind, VaultFormat> DetectedContents => new()
    {
        { "npy", VaultEntryKind.Array, VaultFormat.Npy },
        { "tsv", VaultEntryKind.Table, VaultFormat.Tsv },
        { "json", VaultEntryKind.Json, VaultFormat.Json },
        { "binary", VaultEntryKind.Bytes, VaultFormat.Bytes },
        { "not-utf8", VaultEntryKind.Bytes, VaultFormat.Bytes },
        { "parquet", VaultEntryKind.Table, VaultFormat.Parquet },
        { "arrow", VaultEntryKind.Table, VaultFormat.Arrow },
    };

    [Theory]
    [MemberData(nameof(DetectedContents))]
    public async Task Import_BytesStoredAsBytes_KindToldByContent(string content, VaultEntryKind kind, VaultFormat format)
    {
        var vault = Open();
        byte[] bytes = await ContentBytesAsync(content);

        vault.StoreBytes("x", "m", bytes);
        using var imported = vault.Import("x", "m", new VaultImportOptions { Optimise = false });

        Assert.Equal(kind, imported.Kind);
        Assert.Equal(format, imported.Format);
        switch (kind)
        {
            case VaultEntryKind.Table:
                Assert.Equal(["1", "1"], VaultPeer.Column(imported.Table!, 0));
                Assert.Equal(["1", "2"], VaultPeer.Column(imported.Table!, 1));
                break;
            case VaultEntryKind.Array:
                Assert.Equal([1.5, -2.0], imported.Array!.ToArray<double>());
                break;
            case VaultEntryKind.Json:
                Assert.Equal(7, imported.Json!["x"]!.GetValue<int>());
                break;
            default:
                Assert.Equal(bytes, imported.Bytes);
                break;
        }
    }

    [Theory]
    [InlineData(".csv", null, VaultEntryKind.Table, VaultFormat.Tsv)]
    [InlineData(".csv", VaultFormat.Parquet, VaultEntryKind.Table, VaultFormat.Parquet)]
    [InlineData(".csv", VaultFormat.Arrow, VaultEntryKind.Table, VaultFormat.Arrow)]
    [InlineData(".csv", VaultFormat.Bytes, VaultEntryKind.Bytes, VaultFormat.Bytes)]
    [InlineData(".npy", null, VaultEntryKind.Array, VaultFormat.Npy)]
    [InlineData(".json", null, VaultEntryKind.Json, VaultFormat.Json)]
    [InlineData(".bin", null, VaultEntryKind.Bytes, VaultFormat.Bytes)]
    public async Task StoreFile_ByExtensionOrFormat_ImportsAsThatKind(string extension, VaultFormat? format, VaultEntryKind kind, VaultFormat stored)
    {
        var vault = Open();
        string path = _dir.File("input" + extension);
        byte[] content = extension switch
        {
            ".csv" => "a,b\n1,1\n1,2\n"u8.ToArray(),
            ".npy" => await ContentBytesAsync("npy"),
            ".json" => """{"x":7}"""u8.ToArray(),
            _ => ZipTestSupport.RandomBytes(5000, 4),
        };
        await File.WriteAllBytesAsync(path, content);

        vault.StoreFile("x", "m", path, new VaultStoreOptions { Format = format });
        await vault.StoreFileAsync("y", "m", path, new VaultStoreOptions { Format = format });

        foreach (string name in new[] { "x", "y" })
        {
            using var imported = vault.Import(name, "m", new VaultImportOptions { Optimise = false });
            Assert.Equal(kind, imported.Kind);
            Assert.Equal(stored, imported.Format);
            if (kind == VaultEntryKind.Table && stored == VaultFormat.Tsv && format is null)
            {
                Assert.Equal(SalariesTsv, Encoding.ASCII.GetString(RawEntry($"m/{name}")));
            }
            else if (format == VaultFormat.Bytes || extension == ".bin")
            {
                Assert.Equal(content, RawEntry($"m/{name}"));
            }
        }
    }

    [Fact]
    public async Task StoreFile_TableFormatForNonTableFile_ThrowsUsageAndStoresNothing()
    {
        var vault = Open();
        string path = _dir.File("input.bin");
        await File.WriteAllBytesAsync(path, [1, 2, 3]);

        Assert.Throws<LarderUsageException>(() => vault.StoreFile("x", "m", path, new VaultStoreOptions { Format = VaultFormat.Parquet }));
        Assert.Throws<LarderNotFoundException>(() => vault.StoreFile("x", "m", _dir.File("missing.csv")));
        Assert.Empty(vault.List());
    }

    // ---- import to a file, custom loaders ----

    [Theory]
    [InlineData(".parquet")]
    [InlineData(".arrow")]
    [InlineData(".csv")]
    public async Task ImportToFile_TableToTableFile_EqualValuesDictionaryForColumnarOutputs(string extension)
    {
        var vault = Open();
        Table table = VaultTestData.CitiesTable(1000, 5);
        vault.StoreTable("cities", "m", table);
        string output = _dir.File("out" + extension);

        var operation = await vault.ImportToFileAsync("cities", "m", output);

        Table read = await ReadTableFileAsync(output);
        Assert.Equal(1000, read.RowCount);
        Assert.Equal(VaultPeer.Column(table, 0), VaultPeer.Column(read, 0));
        Assert.Equal(VaultPeer.Column(table, 1), VaultPeer.Column(read, 1));
        Assert.Equal(extension == ".csv" ? ArrowTypeId.String : ArrowTypeId.Dictionary, read.Schema[0].Type.Id);
        Assert.Equal("import", operation.Action);
    }

    [Fact]
    public void ImportToFile_BytesEntryWithRows_ThrowsUsageAndLeavesNoFile()
    {
        var vault = Open();
        vault.StoreBytes("blob", "m", ZipTestSupport.RandomBytes(1000, 1));
        string output = _dir.File("out.bin");

        Assert.Throws<LarderUsageException>(() => vault.ImportToFile("blob", "m", output, new VaultImportOptions { Rows = RowRange.Parse("0:1") }));
        Assert.False(File.Exists(output));
        vault.ImportToFile("blob", "m", output);
        Assert.Equal(ZipTestSupport.RandomBytes(1000, 1), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task ImportWithAsync_LoaderReadsPart_ResultAndCrcChecked()
    {
        var output = new StringWriter();
        var vault = Open(Quiet with { Output = output, PrintTimestamps = false });
        vault.StoreTable("salaries", "datasets", VaultTestData.SalariesTable());

        string header = await vault.ImportWithAsync("salaries", "datasets", async (stream, ct) =>
        {
            byte[] buffer = new byte[5];
            await stream.ReadExactlyAsync(buffer, ct);
            return Encoding.ASCII.GetString(buffer);
        });

        Assert.Equal("\ta\tb\n", header);
        Assert.EndsWith("Imported salaries (3FDAA797)" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
    }

    // ---- alias, rows, grep ----

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task StoreImport_Alias_EntrySubjectCommandAndPrintedLine(bool async)
    {
        var output = new StringWriter();
        var vault = Open(Quiet with { Output = output, PrintTimestamps = false });

        var stored = await StoreTable(vault, async, "x", "datasets", VaultTestData.SalariesTable(), new VaultStoreOptions { Alias = "y" });
        using var imported = await Import(vault, async, "y", "datasets", new VaultImportOptions { Alias = "z", Optimise = false });

        Assert.Equal("datasets/y", stored.Entry);
        Assert.Equal("x as y", stored.Subject);
        Assert.Equal("store x in datasets as y", stored.Command);
        Assert.Equal(["datasets/y"], vault.List().Select(e => e.Entry));
        Assert.Equal("y as z", imported.Operation.Subject);
        Assert.Equal("import y from datasets as z", imported.Operation.Command);
        Assert.Equal(["Stored x as y (None → 3FDAA797)", "Imported y as z (3FDAA797)"], Lines(output));
        Assert.Throws<LarderNotFoundException>(() => vault.Import("x", "datasets"));
    }

    [Theory]
    [InlineData("10:20", null, new long[] { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 })]
    [InlineData(":3", null, new long[] { 0, 1, 2 })]
    [InlineData("95:", null, new long[] { 95, 96, 97, 98, 99 })]
    [InlineData(null, "seven", new long[] { 0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98 })]
    [InlineData("10:50", "seven", new long[] { 14, 21, 28, 35, 42, 49 })]
    [InlineData(null, "row-43", new long[] { 43 })]
    [InlineData("200:300", null, new long[0])]
    [InlineData(null, "absent", new long[0])]
    public async Task Import_RowsAndGrep_KeepsThoseRows(string? rows, string? grep, long[] expected)
    {
        var vault = Open();
        vault.StoreTable("numbers", "m", VaultTestData.NumberedTable(100));
        var options = new VaultImportOptions { Rows = rows is null ? null : RowRange.Parse(rows), Grep = grep, Optimise = false };

        using var sync = vault.Import("numbers", "m", options);
        using var async = await vault.ImportAsync("numbers", "m", options);

        foreach (var imported in new[] { sync, async })
        {
            Assert.Equal(expected.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), VaultPeer.Column(imported.Table!, 0));
            Assert.Equal(["i", "text"], imported.Table!.Schema.Fields.Select(f => f.Name));
        }
    }

    [Fact]
    public void Import_RowsOnNonTable_ThrowsUsage()
    {
        var vault = Open();
        vault.StoreJson("j", "m", JsonNode.Parse("[1,2,3]"));

        var error = Assert.Throws<LarderUsageException>(() => vault.Import("j", "m", new VaultImportOptions { Rows = RowRange.Parse("0:1") }));
        Assert.Equal(2, error.ExitCode);
        Assert.Throws<LarderUsageException>(() => vault.Import("j", "m", new VaultImportOptions { Grep = "1" }));
    }

    // ---- delete, assert, list ----

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task Delete_OneOfTwo_OtherStaysAndDeletedIsGone(bool async)
    {
        var vault = Open();
        vault.StoreTable("x", "m", VaultTestData.SalariesTable());
        vault.StoreBytes("y", "m", "keep\0"u8.ToArray());

        var deleted = async ? await vault.DeleteAsync("x", "m") : vault.Delete("x", "m");

        Assert.Equal(0x3FDAA797u, deleted.Old!.Crc32);
        Assert.Equal("del x from m", deleted.Command);
        Assert.Equal(["m/y"], vault.List().Select(e => e.Entry));
        Assert.Throws<LarderNotFoundException>(() => vault.Import("x", "m"));
        await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.DeleteAsync("x", "m"));
        using var kept = vault.Import("y", "m");
        Assert.Equal("keep\0"u8.ToArray(), kept.Bytes);
    }

    [Theory]
    [InlineData("3FDAA797", true)]
    [InlineData("3fdaa797", true)]
    [InlineData(" 3FDAA797 ", true)]
    [InlineData("3FDAA798", false)]
    [InlineData("00000000", false)]
    [InlineData("sha", true)]
    [InlineData("SHA", true)]
    [InlineData("sha-wrong", false)]
    public async Task Assert_CrcOrSha_PassesOnlyWhenRight(string hash, bool right)
    {
        var vault = Open();
        vault.StoreTable("salaries", "datasets", VaultTestData.SalariesTable());
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(SalariesTsv)));
        hash = hash switch
        {
            "sha" => sha,
            "SHA" => sha.ToUpperInvariant(),
            "sha-wrong" => sha[..63] + (sha[63] == '0' ? '1' : '0'),
            _ => hash,
        };

        if (right)
        {
            var sync = vault.Assert("salaries", "datasets", hash);
            var async = await vault.AssertAsync("salaries", "datasets", hash);
            Assert.Equal("assert", sync.Action);
            Assert.Equal(0x3FDAA797u, async.New!.Crc32);
        }
        else
        {
            var sync = Assert.Throws<LarderAssertionException>(() => vault.Assert("salaries", "datasets", hash));
            await Assert.ThrowsAsync<LarderAssertionException>(() => vault.AssertAsync("salaries", "datasets", hash));
            Assert.Equal(1, sync.ExitCode);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("3FDAA79")]
    [InlineData("3FDAA797A")]
    [InlineData("XYZAA797")]
    public void Assert_MalformedHash_ThrowsUsage(string hash)
    {
        var vault = Open();
        vault.StoreTable("salaries", "datasets", VaultTestData.SalariesTable());

        var error = Assert.Throws<LarderUsageException>(() => vault.Assert("salaries", "datasets", hash));
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void List_SeveralModules_EntriesWithSizesCrcsAndEncryption()
    {
        var clock = new FixedClock(FixedClock.DataVaultExample);
        var vault = Open(Quiet with { TimeProvider = clock });
        Assert.Empty(vault.List());
        byte[] blob = ZipTestSupport.RandomBytes(3000, 3);
        vault.StoreTable("salaries", "datasets", VaultTestData.SalariesTable());
        vault.StoreBytes("blob", "deep/er/module", blob);
        var secret = Open(Quiet with { Password = "pw", TimeProvider = clock });
        secret.StoreBytes("secret", "datasets", blob);

        var entries = vault.List();

        Assert.Equal(["datasets/salaries", "deep/er/module/blob", "datasets/secret"], entries.Select(e => e.Entry));
        Assert.Equal(["datasets", "deep/er/module", "datasets"], entries.Select(e => e.Module));
        Assert.Equal(["salaries", "blob", "secret"], entries.Select(e => e.Name));
        Assert.Equal([17L, 3000L, 3000L], entries.Select(e => e.Length));
        Assert.Equal([0x3FDAA797u, Crc32.Compute(blob), Crc32.Compute(blob)], entries.Select(e => e.Crc32));
        Assert.Equal([false, false, true], entries.Select(e => e.Encrypted));
        Assert.All(entries, e => Assert.Equal(FixedClock.DataVaultExample, e.Modified));
        Assert.True(entries[0].CompressedLength < 17 + 10);
    }

    // ---- log and printed lines ----

    [Fact]
    public async Task ReadLog_OneRecordPerOperation_FieldsFilled()
    {
        var clock = new FixedClock(FixedClock.DataVaultExample);
        var vault = Open(Quiet with { TimeProvider = clock });
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(SalariesTsv)));

        vault.StoreTable("x", "datasets", VaultTestData.SalariesTable());
        await vault.StoreTableAsync("x", "datasets", VaultTestData.SalariesTable(), new VaultStoreOptions { Command = "store x in datasets --again" });
        vault.Import("x", "datasets", new VaultImportOptions { Alias = "y" }).Dispose();
        await vault.AssertAsync("x", "datasets", "3FDAA797");
        vault.Delete("x", "datasets");

        var log = vault.ReadLog();

        Assert.Equal(["store", "store", "import", "assert", "delete"], log.Select(r => r.Action));
        Assert.Equal(["store x in datasets", "store x in datasets --again", "import x from datasets as y", "assert x in datasets is 3FDAA797", "del x from datasets"], log.Select(r => r.Command));
        Assert.Equal(["x", "x", "x as y", "x", "x"], log.Select(r => r.Subject));
        Assert.All(log, r => Assert.Equal("datasets/x", r.Entry));
        Assert.Equal(["3FDAA797", "3FDAA797", "3FDAA797", "3FDAA797", null], log.Select(r => r.Crc32));
        Assert.Equal([sha, sha, sha, sha, null], log.Select(r => r.Sha256));
        Assert.Equal([null, "3FDAA797", null, null, "3FDAA797"], log.Select(r => r.OldCrc32));
        Assert.All(log, r => Assert.Equal(FixedClock.DataVaultExample, r.Started));
        Assert.All(log, r => Assert.Equal(FixedClock.DataVaultExample, r.Finished));

        // On disk: one gzip member per JSON line, with data_vault's keys.
        Assert.Equal(VaultPath + ".vault.log.gz", vault.LogPath);
        byte[] raw = await File.ReadAllBytesAsync(vault.LogPath);
        Assert.Equal(5, CountGzipMembers(raw));
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        string[] lines = new StreamReader(gzip).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(["action", "command", "subject", "entry", "crc32", "sha256", "old_crc32", "started", "finished"], first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2019-12-08T11:58:00.000000Z", first.RootElement.GetProperty("started").GetString());
        Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("old_crc32").ValueKind);
    }

    [Fact]
    public void Log_Disabled_NoLogFile()
    {
        var vault = Open(Quiet with { Log = false });

        vault.StoreTable("x", "m", VaultTestData.SalariesTable());
        vault.Import("x", "m").Dispose();
        vault.Delete("x", "m");

        Assert.False(File.Exists(vault.LogPath));
        Assert.Empty(vault.ReadLog());
    }

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task Output_FixedClock_DataVaultLines(bool async)
    {
        var output = new StringWriter();
        var warnings = new StringWriter();
        var vault = Open(new VaultOptions { Output = output, Warnings = warnings, Durable = false, TimeProvider = new FixedClock(FixedClock.DataVaultExample) });

        var operation = await StoreTable(vault, async, "x", "datasets", VaultTestData.SalariesTable());
        await StoreTable(vault, async, "x", "datasets", VaultTestData.SalariesTable());
        (await Import(vault, async, "x", "datasets", new VaultImportOptions { Optimise = false })).Dispose();
        _ = async ? await vault.AssertAsync("x", "datasets", "3FDAA797") : vault.Assert("x", "datasets", "3FDAA797");
        _ = async ? await vault.DeleteAsync("x", "datasets") : vault.Delete("x", "datasets");

        Assert.Equal($"Stored x (None → 3FDAA797) at {ExampleTime}", operation.Describe());
        Assert.Equal(
            [
                $"Stored x (None → 3FDAA797) at {ExampleTime}",
                $"Stored x (3FDAA797 → 3FDAA797) at {ExampleTime}",
                $"Imported x (3FDAA797) at {ExampleTime}",
                $"Asserted x (3FDAA797) at {ExampleTime}",
                $"Deleted x (3FDAA797) at {ExampleTime}",
            ],
            Lines(output));
        Assert.Single(Lines(warnings));
    }

    [Fact]
    public void Output_PrintTimestampsFalse_LinesEndAfterChecksums()
    {
        var output = new StringWriter();
        var vault = Open(Quiet with { Output = output, PrintTimestamps = false, TimeProvider = new FixedClock(FixedClock.DataVaultExample) });

        var operation = vault.StoreTable("x", "datasets", VaultTestData.SalariesTable());

        Assert.Equal(["Stored x (None → 3FDAA797)"], Lines(output));
        Assert.Equal("Stored x (None → 3FDAA797)", operation.Describe(timestamp: false));
        Assert.Equal($"Stored x (None → 3FDAA797) at {ExampleTime}", operation.Describe(timestamp: true));
    }

    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(false, null, null, false)]
    [InlineData(true, "pw", null, false)]
    [InlineData(true, null, "LARDER_VAULT_TEST_UNSET_VARIABLE", true)]
    public void Open_SecureWithoutPassword_WarnsOnce(bool secure, string? password, string? variable, bool warned)
    {
        var output = new StringWriter();
        var warnings = new StringWriter();

        Vault.Open(VaultPath, new VaultOptions { Secure = secure, Password = password, EncryptionVariable = variable, Output = output, Warnings = warnings });

        Assert.Empty(output.ToString());
        if (warned)
        {
            string line = Assert.Single(Lines(warnings));
            Assert.StartsWith("Warning: ", line, StringComparison.Ordinal);
            Assert.Contains("not encrypted", line, StringComparison.Ordinal);
            Assert.Contains("not encrypted", line, StringComparison.Ordinal);
            Assert.Contains(variable ?? "--password-env", line, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(warnings.ToString());
        }
    }

    [Fact]
    public void Open_WarningsUnset_WarningGoesToOutput()
    {
        var output = new StringWriter();

        Vault.Open(VaultPath, new VaultOptions { Output = output });

        Assert.StartsWith("Warning: no password is set for the vault", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    // ---- memory optimisation ----

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task Import_Optimise_DictionaryColumnInt8AndReductionLinePrintedFirst(bool async)
    {
        var output = new StringWriter();
        var vault = Open(Quiet with { Output = output, PrintTimestamps = false });
        Table table = VaultTestData.CitiesTable(1000, 8);
        vault.StoreTable("cities", "m", table);
        output.GetStringBuilder().Clear();

        using var imported = await Import(vault, async, "cities", "m");

        Assert.NotNull(imported.ReductionMessage);
        Assert.StartsWith("Reduced memory usage by", imported.ReductionMessage, StringComparison.Ordinal);
        Assert.Equal(ArrowTypeId.Dictionary, imported.Table!.Schema[0].Type.Id);
        Assert.Equal(ArrowTypeId.Int8, imported.Table.Schema[1].Type.Id);
        Assert.Equal(VaultPeer.Column(table, 0), VaultPeer.Column(imported.Table, 0));
        Assert.Equal(VaultPeer.Column(table, 1), VaultPeer.Column(imported.Table, 1));
        var dictionary = (DictionaryArray)imported.Table.Batches[0].Column(0);
        Assert.Equal(["Bergen", "Oslo", "Zürich", "Åre"], Enumerable.Range(0, dictionary.Dictionary.Length).Select(i => (string?)dictionary.Dictionary.GetValue(i)));
        Assert.Equal([imported.ReductionMessage, imported.Operation.Describe(timestamp: false)], Lines(output));
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    public void Import_OptimiseSwitches_VaultDefaultAndPerImportOverride(bool vaultOptimise, bool? importOptimise, bool optimised)
    {
        var vault = Open(Quiet with { Optimise = vaultOptimise });
        Table table = VaultTestData.CitiesTable(1000, 8);
        vault.StoreTable("cities", "m", table);

        using var imported = vault.Import("cities", "m", new VaultImportOptions { Optimise = importOptimise });

        Assert.Equal(optimised, imported.ReductionMessage is not null);
        Assert.Equal(optimised ? ArrowTypeId.Dictionary : ArrowTypeId.String, imported.Table!.Schema[0].Type.Id);
        Assert.Equal(optimised ? ArrowTypeId.Int8 : ArrowTypeId.Int64, imported.Table.Schema[1].Type.Id);
        Assert.Equal(VaultPeer.Column(table, 0), VaultPeer.Column(imported.Table, 0));
    }

    [Fact]
    public void Import_ManyDistinctStrings_NotOptimised()
    {
        var vault = Open();
        vault.StoreTable("numbers", "m", VaultTestData.NumberedTable(100));

        using var imported = vault.Import("numbers", "m");

        Assert.Equal(ArrowTypeId.String, imported.Table!.Schema[1].Type.Id);
    }

    // ---- names, missing things, passwords, damage ----

    public static TheoryData<string, string> BadNames => new()
    {
        { "..", "datasets" },
        { ".", "datasets" },
        { "a/b", "datasets" },
        { "a\u0001b", "datasets" },
        { "a\nb", "datasets" },
        { "a\\b", "datasets" },
        { "", "datasets" },
        { "x", "" },
        { "x", ".." },
        { "x", "datasets/../other" },
        { "x", "/datasets" },
        { "x", "datasets/" },
        { "x", "data\u007Fsets" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task Operations_BadName_ThrowUsageBeforeTouchingTheArchive(string name, string module)
    {
        var vault = Open();
        vault.StoreTable("x", "m", VaultTestData.SalariesTable());
        byte[] archive = await File.ReadAllBytesAsync(VaultPath);
        byte[] log = await File.ReadAllBytesAsync(vault.LogPath);
        var table = VaultTestData.SalariesTable();

        var errors = new List<LarderUsageException>
        {
            Assert.Throws<LarderUsageException>(() => vault.StoreTable(name, module, table)),
            await Assert.ThrowsAsync<LarderUsageException>(() => vault.StoreTableAsync(name, module, table)),
            Assert.Throws<LarderUsageException>(() => vault.StoreBytes(name, module, new byte[] { 1 })),
            await Assert.ThrowsAsync<LarderUsageException>(() => vault.StoreJsonAsync(name, module, JsonNode.Parse("1"))),
            Assert.Throws<LarderUsageException>(() => vault.Import(name, module)),
            await Assert.ThrowsAsync<LarderUsageException>(() => vault.ImportAsync(name, module)),
            Assert.Throws<LarderUsageException>(() => vault.Delete(name, module)),
            await Assert.ThrowsAsync<LarderUsageException>(() => vault.DeleteAsync(name, module)),
            Assert.Throws<LarderUsageException>(() => vault.Assert(name, module, "3FDAA797")),
            Assert.Throws<LarderUsageException>(() => vault.ImportToFile(name, module, _dir.File("out.bin"))),
        };
        if (module == "datasets" && name.Length > 0)
        {
            errors.Add(Assert.Throws<LarderUsageException>(() => vault.StoreTable("ok", module, table, new VaultStoreOptions { Alias = name })));
        }

        Assert.All(errors, e => Assert.Equal(2, e.ExitCode));
        Assert.Equal(archive, await File.ReadAllBytesAsync(VaultPath));
        Assert.Equal(log, await File.ReadAllBytesAsync(vault.LogPath));
        Assert.False(File.Exists(_dir.File("out.bin")));
        Assert.Equal(["storage.zip", "storage.zip.lock", "storage.zip.vault.log.gz"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task Operations_MissingVaultOrEntry_ThrowNotFound(bool async)
    {
        var vault = Open();
        string output = _dir.File("out.csv");

        var noVault = async ? await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.ImportAsync("x", "m")) : Assert.Throws<LarderNotFoundException>(() => vault.Import("x", "m"));
        Assert.Equal(3, noVault.ExitCode);
        vault.StoreTable("x", "m", VaultTestData.SalariesTable());

        var errors = new List<LarderNotFoundException>
        {
            async ? await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.ImportAsync("y", "m")) : Assert.Throws<LarderNotFoundException>(() => vault.Import("y", "m")),
            async ? await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.ImportAsync("x", "other")) : Assert.Throws<LarderNotFoundException>(() => vault.Import("x", "other")),
            async ? await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.DeleteAsync("y", "m")) : Assert.Throws<LarderNotFoundException>(() => vault.Delete("y", "m")),
            async ? await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.AssertAsync("y", "m", "3FDAA797")) : Assert.Throws<LarderNotFoundException>(() => vault.Assert("y", "m", "3FDAA797")),
            async ? await Assert.ThrowsAsync<LarderNotFoundException>(() => vault.ImportToFileAsync("y", "m", output)) : Assert.Throws<LarderNotFoundException>(() => vault.ImportToFile("y", "m", output)),
        };

        Assert.All(errors, e => Assert.Equal(3, e.ExitCode));
        Assert.Equal([true, true, true, true, true], errors.Select((e, i) => e.Message.Contains(i == 1 ? "other/x" : "m/y", StringComparison.Ordinal)));
        Assert.False(File.Exists(output));
        Assert.Throws<LarderNotFoundException>(() => Vault.Open(Path.Combine(_dir.Path, "no-such-dir", "storage.zip"), Quiet));
    }

    [Theory]
    [MemberData(nameof(SyncAndAsync))]
    public async Task Import_EncryptedEntryWrongOrMissingPassword_ThrowsAuth(bool async)
    {
        var secret = Open(Quiet with { Password = "right password" });
        Table table = VaultTestData.MixedTable(100, 4);
        await StoreTable(secret, async, "mixed", "datasets", table);
        secret.StoreArray("array", "datasets", SeededArray("<f8", [10, 10], NDArrayOrder.C, 1));
        string output = _dir.File("out.csv");

        foreach (var vault in new[] { Open(Quiet with { Password = "wrong password" }), Open(Quiet) })
        {
            foreach (string name in new[] { "mixed", "array" })
            {
                var error = async
                    ? await Assert.ThrowsAsync<LarderAuthException>(() => vault.ImportAsync(name, "datasets"))
                    : Assert.Throws<LarderAuthException>(() => vault.Import(name, "datasets"));
                Assert.Equal(5, error.ExitCode);
            }

            await Assert.ThrowsAsync<LarderAuthException>(() => vault.ImportToFileAsync("mixed", "datasets", output));
            Assert.False(File.Exists(output));
        }

        using var imported = await Import(secret, async, "mixed", "datasets", new VaultImportOptions { Optimise = false });
        Assert.Equal(VaultPeer.Column(table, 4), VaultPeer.Column(imported.Table!, 4));
        Assert.All(secret.List(), e => Assert.True(e.Encrypted));
        using var archive = ZipArchiveReader.Open(VaultPath);
        Assert.All(archive.Entries, e => Assert.Equal(ZipEncryption.Aes256, e.Encryption));
    }

    [Fact]
    public void Store_EncryptionVariable_PasswordReadFromEnvironmentAtEachOperation()
    {
        string variable = "LARDER_VAULT_TEST_PW_" + Guid.NewGuid().ToString("N");
        var vault = Open(Quiet with { EncryptionVariable = variable });
        try
        {
            var unset = Assert.Throws<LarderAuthException>(() => vault.StoreBytes("x", "m", new byte[] { 1, 2 }));
            Assert.Contains(variable, unset.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(VaultPath));

            Environment.SetEnvironmentVariable(variable, "from the environment");
            vault.StoreTable("x", "m", VaultTestData.SalariesTable());
            Assert.True(Assert.Single(vault.List()).Encrypted);
            using var imported = Open(Quiet with { Password = "from the environment" }).Import("x", "m");
            Assert.Equal(["1", "1"], VaultPeer.Column(imported.Table!, 0));

            Environment.SetEnvironmentVariable(variable, "changed");
            Assert.Throws<LarderAuthException>(() => vault.Import("x", "m"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Assert_EncryptedEntryWithoutPassword_ComparesRecordedCrc()
    {
        Open(Quiet with { Password = "pw" }).StoreTable("x", "m", VaultTestData.SalariesTable());
        var vault = Open(Quiet);

        Assert.Equal(0x3FDAA797u, vault.Assert("x", "m", "3FDAA797").New!.Crc32);
        Assert.Throws<LarderAssertionException>(() => vault.Assert("x", "m", "3FDAA798"));
        Assert.Throws<LarderAuthException>(() => vault.Assert("x", "m", Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(SalariesTsv)))));
    }

    [Theory]
    [InlineData("stored", null)]
    [InlineData("deflated", null)]
    [InlineData("stored", "pw")]
    [InlineData("deflated", "pw")]
    public async Task Import_CorruptedEntryByte_ThrowsFormatChecksumOrAuth(string kind, string? password)
    {
        var vault = Open(Quiet with { Password = password });
        byte[] content = kind == "stored" ? ZipTestSupport.RandomBytes(20_000, 5) : ZipTestSupport.TextBytes(50_000, 6);
        vault.StoreBytes("x", "m", content);
        using (var archive = ZipArchiveReader.Open(VaultPath))
        {
            Assert.Equal(kind == "stored" ? 0 : 8, archive.Get("m/x").CompressionMethod is 99 ? ActualMethod(archive.Get("m/x")) : archive.Get("m/x").CompressionMethod);
        }

        byte[] bytes = await File.ReadAllBytesAsync(VaultPath);
        (long start, long length) = EntryData(bytes, "m/x");
        bytes[start + (length / 2)] ^= 0x40;
        await File.WriteAllBytesAsync(VaultPath, bytes);

        if (password is not null)
        {
            // The AES authentication code is keyed by the password: damage reads as "wrong password or corrupt".
            Assert.Throws<LarderAuthException>(() => vault.Import("x", "m"));
            await Assert.ThrowsAsync<LarderAuthException>(() => vault.ImportAsync("x", "m"));
            Assert.Throws<LarderAuthException>(() => vault.Assert("x", "m", Crc32.Compute(content).ToString("X8", System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }

        var sync = Assert.ThrowsAny<LarderFormatException>(() => vault.Import("x", "m"));
        var async = await Assert.ThrowsAnyAsync<LarderFormatException>(() => vault.ImportAsync("x", "m"));
        if (kind == "stored")
        {
            Assert.IsType<LarderChecksumException>(sync);
            Assert.IsType<LarderChecksumException>(async);
        }

        Assert.ThrowsAny<LarderFormatException>(() => vault.Assert("x", "m", Crc32.Compute(content).ToString("X8", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Open_NotAZipFile_ThrowsFormat()
    {
        await File.WriteAllTextAsync(VaultPath, "this is not an archive, just some text that is long enough to look for an end record");

        Assert.ThrowsAny<LarderFormatException>(() => Vault.Open(VaultPath, Quiet));
    }

    // ---- concurrency and atomicity ----

    [Fact]
    public async Task Store_TwoThreadsConcurrently_AllEntriesStoredAndLogged()
    {
        const int PerThread = 8;
        var vault = Open();
        using var start = new Barrier(2);

        var syncThread = Task.Run(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                vault.StoreBytes($"sync{i}", "m", ZipTestSupport.RandomBytes(10_000 + i, i));
            }
        });
        var asyncThread = Task.Run(async () =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                await vault.StoreTableAsync($"async{i}", "m", VaultTestData.MixedTable(50, 100 + i));
            }
        });
        await Task.WhenAll(syncThread, asyncThread);

        var entries = vault.List();
        Assert.Equal(2 * PerThread, entries.Count);
        for (int i = 0; i < PerThread; i++)
        {
            using var bytes = vault.Import($"sync{i}", "m");
            Assert.Equal(ZipTestSupport.RandomBytes(10_000 + i, i), bytes.Bytes);
            using var table = vault.Import($"async{i}", "m", new VaultImportOptions { Optimise = false });
            Assert.Equal(VaultPeer.Column(VaultTestData.MixedTable(50, 100 + i), 4), VaultPeer.Column(table.Table!, 4));
        }

        Assert.Equal(2 * PerThread, vault.ReadLog().Count(r => r.Action == "store"));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Import_WhileAnotherThreadStores_EveryReadComplete()
    {
        var vault = Open();
        Table table = VaultTestData.MixedTable(200, 31);
        vault.StoreTable("x", "m", table);
        var expected = VaultPeer.Column(table, 4);

        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 12; i++)
            {
                vault.StoreBytes($"other{i}", "m", ZipTestSupport.RandomBytes(50_000, i));
                vault.StoreTable("x", "m", table);
            }
        });
        var reader = Task.Run(async () =>
        {
            for (int i = 0; i < 30; i++)
            {
                using var imported = await vault.ImportAsync("x", "m", new VaultImportOptions { Optimise = false });
                Assert.Equal(expected, VaultPeer.Column(imported.Table!, 4));
            }
        });
        await Task.WhenAll(writer, reader);

        Assert.Equal(13, vault.List().Count);
    }

    [Fact]
    public void Store_WriterFailsMidway_OldArchiveKeptAndNoTemporaryLeft()
    {
        var vault = Open();
        vault.StoreTable("x", "m", VaultTestData.SalariesTable());
        byte[] before = File.ReadAllBytes(VaultPath);
        var schema = new Schema([new Field("bad", new ListType(new Field("item", ArrowType.Int32)), nullable: true)]);

        Assert.ThrowsAny<LarderException>(() => vault.StoreTable("y", "m", new Table(schema, [])));

        Assert.Equal(before, File.ReadAllBytes(VaultPath));
        Assert.Equal(["m/x"], vault.List().Select(e => e.Entry));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    // ---- helpers ----

    private Vault Open(VaultOptions? options = null) => Vault.Open(VaultPath, options ?? Quiet);

    private static async Task<VaultOperation> StoreTable(Vault vault, bool async, string name, string module, Table table, VaultStoreOptions? options = null)
        => async ? await vault.StoreTableAsync(name, module, table, options) : vault.StoreTable(name, module, table, options);

    private static async Task<VaultImport> Import(Vault vault, bool async, string name, string module, VaultImportOptions? options = null)
        => async ? await vault.ImportAsync(name, module, options) : vault.Import(name, module, options);

    private static string[] Lines(StringWriter writer) => writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private byte[] RawEntry(string entry)
    {
        using var archive = ZipArchiveReader.Open(VaultPath);
        return archive.ReadAllBytes(archive.Get(entry));
    }

    /// <summary>An array whose elements come from a seeded generator (booleans 0 or 1).</summary>
    internal static NDArray SeededArray(string dtype, long[] shape, NDArrayOrder order, int seed)
    {
        var array = NDArray.Create(NpyDType.Parse(dtype), shape, order);
        var random = new Random(seed);
        random.NextBytes(array.Bytes);
        if (array.DType.Kind == NpyKind.Bool)
        {
            foreach (ref byte b in array.Bytes)
            {
                b &= 1;
            }
        }

        return array;
    }

    private async Task<byte[]> ContentBytesAsync(string content)
    {
        switch (content)
        {
            case "npy":
            {
                using var stream = new MemoryStream();
                using var array = NDArray.FromArray(new[] { 1.5, -2.0 });
                NpyWriter.Write(stream, array, leaveOpen: true);
                return stream.ToArray();
            }

            case "tsv":
                return Encoding.ASCII.GetBytes(SalariesTsv);
            case "json":
                return """  {"x": 7}"""u8.ToArray();
            case "binary":
                return [1, 2, 0, 3, (byte)'a'];
            case "not-utf8":
                return [(byte)'a', 0xC3, 0x28, (byte)'b'];
            default:
            {
                // Parquet or Arrow: take the bytes the vault stores for the salaries table in that format.
                var vault = Vault.Open(_dir.File("source-" + content + ".zip"), Quiet);
                await vault.StoreTableAsync("s", "m", VaultTestData.SalariesTable(), new VaultStoreOptions { Format = content == "parquet" ? VaultFormat.Parquet : VaultFormat.Arrow });
                using var archive = ZipArchiveReader.Open(vault.Path);
                return archive.ReadAllBytes(archive.Get("m/s"));
            }
        }
    }

    private static async Task<Table> ReadTableFileAsync(string path)
    {
        var registry = TableFormatRegistry.CreateDefault().With(new ParquetTableFormat());
        await using var reader = registry.ForPath(path).OpenReader(path, new TableReadOptions());
        return await Table.FromBatchesAsync(await reader.GetSchemaAsync(), reader.ReadBatchesAsync());
    }

    private static int CountGzipMembers(byte[] raw)
    {
        int count = 0;
        for (int i = 0; i + 2 < raw.Length; i++)
        {
            // Each member starts with the gzip magic and deflate's method byte; members are small, so no false hits past this check.
            if (raw[i] == 0x1F && raw[i + 1] == 0x8B && raw[i + 2] == 8)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The compression method behind a WinZip AES entry (its 0x9901 extra field in the local header).</summary>
    private int ActualMethod(ZipEntry entry)
    {
        byte[] bytes = File.ReadAllBytes(VaultPath);
        (long start, _) = EntryData(bytes, entry.Name);
        int header = LocalHeader(bytes, entry.Name);
        int nameLength = BitConverter.ToUInt16(bytes, header + 26);
        int extraStart = header + 30 + nameLength;
        for (int i = extraStart; i + 4 <= start;)
        {
            int id = BitConverter.ToUInt16(bytes, i);
            int size = BitConverter.ToUInt16(bytes, i + 2);
            if (id == 0x9901)
            {
                return BitConverter.ToUInt16(bytes, i + 4 + 5);
            }

            i += 4 + size;
        }

        throw new InvalidOperationException("no AES extra field");
    }

    private static int LocalHeader(byte[] archive, string name)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i + 30 + nameBytes.Length <= archive.Length; i++)
        {
            if (archive[i] == 'P' && archive[i + 1] == 'K' && archive[i + 2] == 3 && archive[i + 3] == 4
                && BitConverter.ToUInt16(archive, i + 26) == nameBytes.Length
                && archive.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no local header for {name}");
    }

    /// <summary>Where an entry's (compressed, encrypted) data lies in the archive, from its local header and central directory size.</summary>
    private static (long Start, long Length) EntryData(byte[] archive, string name)
    {
        int header = LocalHeader(archive, name);
        int start = header + 30 + BitConverter.ToUInt16(archive, header + 26) + BitConverter.ToUInt16(archive, header + 28);
        using var reader = ZipArchiveReader.Open(new MemoryStream(archive, writable: false), "copy");
        return (start, reader.Get(name).CompressedLength);
    }
}
