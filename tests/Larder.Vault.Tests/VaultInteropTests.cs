using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Arrays;
using Larder.Columnar;
using Larder.Vault.Tests.Zip;
using Larder.Storage.Zip;

namespace Larder.Vault.Tests;

/// <summary>
/// Vaults exchanged with data_vault's way of doing things (zipfile + pandas' to_csv/read_csv, numpy's save/load; the
/// peer in tests/peers/vault) and with the 7-Zip command line (ZipCrypto and AES-256 archives).
/// </summary>
public sealed class VaultInteropTests : IDisposable
{
    private const string Password = "pass WORD 7";
    private const int PeerSeed = 20191208;

    private static readonly VaultOptions Quiet = new() { Secure = false, Durable = false };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // ---- 1. pandas reads what we store ----

    [Fact]
    public async Task PandasReadCsv_EveryTableWeStore_EqualValuesTimestampsNulls()
    {
        string path = _dir.File("ours.zip");
        var vault = Vault.Open(path, Quiet);
        Table mixed = VaultTestData.MixedTable(300, 11);
        Table streamed = VaultTestData.MixedTable(130, 12, batchRows: 17);
        Table cities = VaultTestData.CitiesTable(500, 13);
        vault.StoreTable("mixed", "datasets", mixed);
        await vault.StoreTableAsync("streamed", "datasets", streamed.Schema, streamed.ToAsyncEnumerable());
        await vault.StoreTableAsync("salaries", "datasets", VaultTestData.SalariesTable());
        vault.StoreTable("cities", "deep/module", cities);
        string csv = _dir.File("from-file.csv");
        await File.WriteAllTextAsync(csv, "name,score\n\"tab\there\",1.5\nplain,\n\"quote\"\"d\",-2\n");
        vault.StoreFile("from_file", "datasets", csv);
        vault.StoreTable("σalaries", "données/été", VaultTestData.SalariesTable());

        var spec = new JsonArray(
            Spec("datasets/mixed", ["t", "t_utc"], ["t_utc"]),
            Spec("datasets/streamed", ["t", "t_utc"], ["t_utc"]),
            Spec("datasets/salaries", [], []),
            Spec("deep/module/cities", [], []),
            Spec("datasets/from_file", [], []),
            Spec("données/été/σalaries", [], []));
        using var read = await VaultPeer.RunAsync(_dir.Path, "read", path, spec.ToJsonString());
        var root = read.RootElement;

        AssertPandasReadMixed(mixed, root.GetProperty("datasets/mixed"));
        AssertPandasReadMixed(streamed, root.GetProperty("datasets/streamed"));
        var salaries = root.GetProperty("datasets/salaries");
        Assert.Equal(["1", "1"], VaultPeer.Values(salaries, "a"));
        Assert.Equal(["1", "2"], VaultPeer.Values(salaries, "b"));
        Assert.Equal("int64", salaries.GetProperty("dtypes").GetProperty("a").GetString());
        Assert.Equal(["1", "2"], VaultPeer.Values(root.GetProperty("données/été/σalaries"), "b"));
        var cityCanon = root.GetProperty("deep/module/cities");
        Assert.Equal(VaultPeer.Column(cities, 0), VaultPeer.Values(cityCanon, "city"));
        Assert.Equal(VaultPeer.Column(cities, 1), VaultPeer.Values(cityCanon, "n"));
        var fromFile = root.GetProperty("datasets/from_file");
        Assert.Equal(["stab\there", "splain", "squote\"d"], VaultPeer.Values(fromFile, "name"));
        Assert.Equal(["f" + Bits(1.5), null, "f" + Bits(-2.0)], VaultPeer.Values(fromFile, "score"));
    }

    // ---- 2. we import what data_vault wrote, also re-packed by 7-Zip ----

    [Theory]
    [InlineData("plain")]
    [InlineData("zipcrypto")]
    [InlineData("aes256")]
    public async Task Import_ArchiveWrittenTheDataVaultWay_EqualValuesAndArrays(string packing)
    {
        (string path, JsonDocument written) = await PythonArchiveAsync(packing);
        using var document = written;
        var tables = written.RootElement.GetProperty("tables");
        var arrays = written.RootElement.GetProperty("arrays");
        var vault = Vault.Open(path, Quiet with { Password = packing == "plain" ? null : Password });

        var listed = vault.List();
        var expectedEntries = tables.EnumerateObject().Select(p => p.Name).Concat(arrays.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(expectedEntries, listed.Select(e => e.Entry).Order(StringComparer.Ordinal));
        Assert.All(listed, e => Assert.Equal(packing != "plain", e.Encrypted));
        if (packing != "plain")
        {
            using var archive = ZipArchiveReader.Open(path);
            Assert.All(archive.Entries.Where(e => !e.Name.EndsWith('/')), e => Assert.Equal(packing == "aes256" ? ZipEncryption.Aes256 : ZipEncryption.ZipCrypto, e.Encryption));
        }

        foreach (var table in tables.EnumerateObject())
        {
            int slash = table.Name.LastIndexOf('/');
            using var imported = await vault.ImportAsync(table.Name[(slash + 1)..], table.Name[..slash], new VaultImportOptions { Optimise = false });
            Assert.Equal(VaultEntryKind.Table, imported.Kind);
            var names = table.Value.GetProperty("columns").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(names, imported.Table!.Schema.Fields.Select(f => f.Name));
            for (int c = 0; c < names.Count; c++)
            {
                Assert.Equal(VaultPeer.Values(table.Value, names[c]), VaultPeer.Column(imported.Table, c));
            }
        }

        using (var mixed = vault.Import("mixed", "datasets", new VaultImportOptions { Optimise = false }))
        {
            var types = mixed.Table!.Schema.Fields.Select(f => f.Type.Id).ToList();
            Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.Double, ArrowTypeId.Double, ArrowTypeId.Boolean, ArrowTypeId.String, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp], types);
            Assert.Equal("UTC", ((TimestampType)mixed.Table.Schema[6].Type).TimeZone);
        }

        using (var cities = vault.Import("cities", "other"))
        {
            Assert.NotNull(cities.ReductionMessage);
            Assert.Equal(ArrowTypeId.Dictionary, cities.Table!.Schema[0].Type.Id);
            Assert.Equal(VaultPeer.Values(tables.GetProperty("other/cities"), "city"), VaultPeer.Column(cities.Table, 0));
        }

        foreach (var array in arrays.EnumerateObject())
        {
            using var imported = vault.Import(array.Name["arrays/".Length..], "arrays");
            Assert.Equal(VaultEntryKind.Array, imported.Kind);
            VaultPeer.AssertArray(array.Value, imported.Array!);
        }

        using var salaries = vault.Import("salaries", "datasets");
        Assert.Equal(0x3FDAA797u, salaries.Operation.New!.Crc32);
        vault.Assert("salaries", "datasets", "3FDAA797");
    }

    [Theory]
    [InlineData("zipcrypto")]
    [InlineData("aes256")]
    public async Task Store_Into7ZipArchive_OldEntriesKeptAnd7ZipExtractsAll(string packing)
    {
        (string path, JsonDocument written) = await PythonArchiveAsync(packing);
        written.Dispose();
        var vault = Vault.Open(path, Quiet with { Password = Password });

        vault.StoreTable("salaries", "datasets", VaultTestData.MixedTable(30, 41));
        await vault.StoreBytesAsync("added", "raw", ZipTestSupport.TextBytes(10_000, 42));
        vault.Delete("cities", "other");

        string outDir = _dir.File("out-" + packing);
        await VaultPeer.SevenZipOkAsync(_dir.Path, "x", "-p" + Password, "-o" + outDir, path);
        Assert.Equal(ZipTestSupport.TextBytes(10_000, 42), await File.ReadAllBytesAsync(Path.Combine(outDir, "raw", "added")));
        Assert.False(File.Exists(Path.Combine(outDir, "other", "cities")));
        using var mixed = vault.Import("mixed", "datasets", new VaultImportOptions { Optimise = false });
        var extracted = Vault.Open(_dir.File("check.zip"), Quiet);
        extracted.StoreFile("mixed", "datasets", Path.Combine(outDir, "datasets", "mixed"), new VaultStoreOptions { Format = VaultFormat.Bytes });
        Assert.Equal(mixed.Operation.New!.Sha256, extracted.ReadLog().Single().Sha256);
        using var salaries = vault.Import("salaries", "datasets", new VaultImportOptions { Optimise = false });
        Assert.Equal(VaultPeer.Column(VaultTestData.MixedTable(30, 41), 4), VaultPeer.Column(salaries.Table!, 4));
    }

    [Fact]
    public async Task NumpyLoad_OurArrayEntries_SameDtypeShapeOrderValues()
    {
        string path = _dir.File("arrays.zip");
        var vault = Vault.Open(path, Quiet);
        var arrays = new Dictionary<string, NDArray>
        {
            ["f8"] = VaultTests.SeededArray("<f8", [6, 5], NDArrayOrder.C, 1),
            ["f4_fortran"] = VaultTests.SeededArray("<f4", [4, 3, 2], NDArrayOrder.Fortran, 2),
            ["i8_fortran"] = VaultTests.SeededArray("<i8", [5, 7], NDArrayOrder.Fortran, 3),
            ["i1"] = VaultTests.SeededArray("|i1", [50], NDArrayOrder.C, 4),
            ["u2"] = VaultTests.SeededArray("<u2", [3, 3], NDArrayOrder.C, 5),
            ["bool"] = VaultTests.SeededArray("|b1", [4, 4], NDArrayOrder.Fortran, 6),
            ["c16"] = VaultTests.SeededArray("<c16", [3], NDArrayOrder.C, 7),
            ["f2"] = VaultTests.SeededArray("<f2", [2, 3], NDArrayOrder.C, 8),
            ["scalar"] = NDArray.FromSpan<double>([2.5], []),
            ["empty"] = NDArray.Create(NpyDType.Int16, [0, 3]),
        };
        try
        {
            foreach (var (name, array) in arrays)
            {
                await vault.StoreArrayAsync(name, "arrays", array);
            }

            using var loaded = await VaultPeer.RunAsync(_dir.Path, ["load", path, .. arrays.Keys.Select(k => "arrays/" + k)]);

            foreach (var (name, array) in arrays)
            {
                var described = loaded.RootElement.GetProperty("arrays/" + name);
                VaultPeer.AssertArray(described, array);
                Assert.Equal(array.DType.ToString(), described.GetProperty("dtype").GetString());
            }
        }
        finally
        {
            foreach (var array in arrays.Values)
            {
                array.Dispose();
            }
        }
    }

    // ---- 3. 7-Zip and zipfile check our archives ----

    [Fact]
    public async Task SevenZipExtract_OurEncryptedEntries_ByteIdenticalToUnencrypted()
    {
        string variable = "LARDER_VAULT_INTEROP_PW_" + Guid.NewGuid().ToString("N");
        string plainPath = _dir.File("plain.zip");
        string secretPath = _dir.File("secret.zip");
        var plain = Vault.Open(plainPath, Quiet);
        var secret = Vault.Open(secretPath, Quiet with { EncryptionVariable = variable });
        Environment.SetEnvironmentVariable(variable, Password);
        try
        {
            foreach (var vault in new[] { plain, secret })
            {
                await StoreEveryKindAsync(vault);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.All(secret.List(), e => Assert.True(e.Encrypted));
        string outDir = _dir.File("extracted");
        await VaultPeer.SevenZipOkAsync(_dir.Path, "x", "-p" + Password, "-o" + outDir, secretPath);

        using var reader = ZipArchiveReader.Open(plainPath);
        var names = reader.Entries.Select(e => e.Name).ToList();
        Assert.Equal(EveryKindEntries, names.Order(StringComparer.Ordinal));
        foreach (string name in names)
        {
            byte[] expected = reader.ReadAllBytes(reader.Get(name));
            byte[] extracted = await File.ReadAllBytesAsync(Path.Combine(outDir, name));
            Assert.True(expected.SequenceEqual(extracted), $"7z extracted {name} differently");
        }

        await VaultPeer.SevenZipOkAsync(_dir.Path, "t", plainPath);
        await VaultPeer.SevenZipOkAsync(_dir.Path, "t", "-p" + Password, secretPath);
        var wrong = await VaultPeer.SevenZipAsync(_dir.Path, "t", "-pnot" + Password, secretPath);
        Assert.NotEqual(0, wrong.ExitCode);
    }

    [Fact]
    public async Task PythonZipfile_OurPlainArchiveAfterUpdates_TestzipCleanAndHashesMatch()
    {
        string path = _dir.File("ours.zip");
        var vault = Vault.Open(path, Quiet);
        await StoreEveryKindAsync(vault);
        vault.Delete("blob", "raw");
        vault.StoreTable("salaries", "datasets", VaultTestData.MixedTable(40, 3));
        await vault.StoreBytesAsync("blob", "raw", ZipTestSupport.RandomBytes(30_000, 77));

        using var tested = await VaultPeer.RunAsync(_dir.Path, "test", path);

        var root = tested.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("testzip").ValueKind);
        var entries = root.GetProperty("entries").EnumerateArray().ToList();
        var listed = vault.List();
        Assert.Equal(listed.Select(e => e.Entry), entries.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(listed.Select(e => e.Crc32!.Value.ToString("X8", CultureInfo.InvariantCulture)), entries.Select(e => e.GetProperty("crc32").GetString()));
        Assert.Equal(listed.Select(e => e.Length), entries.Select(e => e.GetProperty("size").GetInt64()));
        var lastSha = vault.ReadLog().Where(r => r.Action == "store").GroupBy(r => r.Entry).ToDictionary(g => g.Key, g => g.Last().Sha256);
        Assert.All(entries, e => Assert.Equal(lastSha[e.GetProperty("name").GetString()!], e.GetProperty("sha256").GetString()));
        await VaultPeer.SevenZipOkAsync(_dir.Path, "t", path);
    }

    // ---- 4. wrong passwords ----

    [Theory]
    [InlineData("ours", "wrong")]
    [InlineData("ours", null)]
    [InlineData("zipcrypto", "wrong")]
    [InlineData("zipcrypto", null)]
    [InlineData("aes256", "wrong")]
    [InlineData("aes256", null)]
    public async Task Import_WrongOrMissingPassword_ThrowsAuth(string source, string? password)
    {
        string path;
        string[] entries;
        if (source == "ours")
        {
            path = _dir.File("ours.zip");
            await StoreEveryKindAsync(Vault.Open(path, Quiet with { Password = Password }));
            entries = EveryKindEntries;
        }
        else
        {
            (path, JsonDocument written) = await PythonArchiveAsync(source);
            using (written)
            {
                entries = [.. written.RootElement.GetProperty("tables").EnumerateObject().Select(p => p.Name), .. written.RootElement.GetProperty("arrays").EnumerateObject().Select(p => p.Name)];
            }
        }

        var vault = Vault.Open(path, Quiet with { Password = password });
        foreach (string entry in entries)
        {
            int slash = entry.LastIndexOf('/');
            string name = entry[(slash + 1)..], module = entry[..slash];
            var sync = Assert.Throws<LarderAuthException>(() => vault.Import(name, module));
            var async = await Assert.ThrowsAsync<LarderAuthException>(() => vault.ImportAsync(name, module));
            Assert.Equal(5, sync.ExitCode);
            Assert.Equal(5, async.ExitCode);
        }

        string output = _dir.File("out.csv");
        Assert.Throws<LarderAuthException>(() => vault.ImportToFile("salaries", "datasets", output));
        Assert.False(File.Exists(output));

        using var ok = Vault.Open(path, Quiet with { Password = Password }).Import("salaries", "datasets");
        Assert.Equal(0x3FDAA797u, ok.Operation.New!.Crc32);
    }

    // ---- helpers ----

    private static readonly string[] EveryKindEntries =
        ["arrays/fortran", "config/settings", "datasets/arrow", "datasets/parquet", "datasets/salaries", "datasets/tsv", "raw/blob", "raw/text"];

    /// <summary>One entry of every kind and table layout; all seeded, so two vaults get the same bytes.</summary>
    private static async Task StoreEveryKindAsync(Vault vault)
    {
        Table mixed = VaultTestData.MixedTable(200, 21);
        vault.StoreTable("salaries", "datasets", VaultTestData.SalariesTable());
        await vault.StoreTableAsync("tsv", "datasets", mixed);
        vault.StoreTable("parquet", "datasets", mixed, new VaultStoreOptions { Format = VaultFormat.Parquet });
        await vault.StoreTableAsync("arrow", "datasets", mixed, new VaultStoreOptions { Format = VaultFormat.Arrow });
        using (var array = VaultTests.SeededArray("<f8", [30, 20], NDArrayOrder.Fortran, 22))
        {
            vault.StoreArray("fortran", "arrays", array);
        }

        await vault.StoreJsonAsync("settings", "config", JsonNode.Parse("""{"σ":[1,2.5,null,"tab\t"],"ok":true}"""));
        vault.StoreBytes("blob", "raw", ZipTestSupport.RandomBytes(40_000, 23));
        await vault.StoreBytesAsync("text", "raw", ZipTestSupport.TextBytes(200_000, 24));
    }

    /// <summary>
    /// An archive written by the peer the data_vault way; for "zipcrypto" and "aes256", extracted and re-packed with
    /// <c>7z a -p</c> (and <c>-mem=AES256</c>). Returns its path and what the peer wrote.
    /// </summary>
    private async Task<(string Path, JsonDocument Written)> PythonArchiveAsync(string packing)
    {
        string python = _dir.File("python-" + packing + ".zip");
        JsonDocument written = await VaultPeer.RunAsync(_dir.Path, "write", python, PeerSeed.ToString(CultureInfo.InvariantCulture));
        if (packing == "plain")
        {
            return (python, written);
        }

        string extracted = _dir.File("extracted-" + packing);
        await VaultPeer.SevenZipOkAsync(_dir.Path, "x", "-o" + extracted, python);
        string repacked = _dir.File(packing + ".zip");
        var arguments = new List<string> { "a", "-tzip", "-p" + Password };
        if (packing == "aes256")
        {
            arguments.Add("-mem=AES256");
        }

        arguments.Add(repacked);
        arguments.AddRange(Directory.GetDirectories(extracted).Select(Path.GetFileName)!);
        await VaultPeer.SevenZipOkAsync(extracted, [.. arguments]);
        return (repacked, written);
    }

    private static JsonObject Spec(string entry, string[] ts, string[] utc)
        => new()
        {
            ["entry"] = entry,
            ["ts"] = new JsonArray([.. ts.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["utc"] = new JsonArray([.. utc.Select(t => (JsonNode?)JsonValue.Create(t))]),
        };

    private static string Bits(double value) => BitConverter.DoubleToInt64Bits(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What pandas' read_csv (data_vault's call, then pd.to_datetime on the time columns) holds for a table of
    /// <see cref="VaultTestData.MixedTable"/>: ints as int64, the nullable int column as float64, strings, bools and
    /// timestamps exactly; floats to within pandas' default parser (not exact: it misses some values by an ulp or so).
    /// </summary>
    private static void AssertPandasReadMixed(Table table, JsonElement canon)
    {
        Assert.Equal(Enumerable.Range(0, (int)table.RowCount), canon.GetProperty("index").EnumerateArray().Select(e => e.GetInt32()));
        var dtypes = canon.GetProperty("dtypes");
        Assert.Equal(["int64", "float64", "float64", "bool", "object", "object", "object"], table.Schema.Fields.Select(f => dtypes.GetProperty(f.Name).GetString()));
        for (int c = 0; c < table.Schema.Count; c++)
        {
            string name = table.Schema[c].Name;
            var expected = VaultPeer.Column(table, c);
            var actual = VaultPeer.Values(canon, name);
            if (name == "i_null")
            {
                Assert.Equal(VaultPeer.AsPandasFloats(expected), actual);
            }
            else if (name == "f")
            {
                Assert.Equal(expected.Count, actual.Count);
                for (int r = 0; r < expected.Count; r++)
                {
                    Assert.Equal(expected[r] is null, actual[r] is null);
                    if (expected[r] is { } e && actual[r] is { } a)
                    {
                        double want = BitConverter.Int64BitsToDouble(long.Parse(e[1..], CultureInfo.InvariantCulture));
                        double got = BitConverter.Int64BitsToDouble(long.Parse(a[1..], CultureInfo.InvariantCulture));
                        Assert.True(want.Equals(got) || Math.Abs(want - got) <= 1e-12 * Math.Abs(want), $"{name}[{r}]: pandas read {got:R}, expected {want:R}");
                    }
                }
            }
            else
            {
                Assert.Equal(expected, actual);
            }
        }
    }
}
