using Larder.TestKit;
using System.Text.Json;

namespace Larder.Parquet.Tests.Peers;

public sealed class DuckDbPeerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-duckdb-peer-" + Guid.NewGuid().ToString("N"));

    public DuckDbPeerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task QueryAsync_LiteralsOfEachType_AreNormalisedAsDocumented()
    {
        var result = await DuckDbPeer.QueryAsync("""
            SELECT 1::TINYINT AS i8, 4000000000::UINTEGER AS u32, (-9223372036854775807 - 1)::BIGINT AS i64,
                   170141183460469231731687303715884105727::HUGEINT AS i128, 1.5::FLOAT AS f32, 'nan'::DOUBLE AS nan,
                   '-inf'::DOUBLE AS ninf, -0.5::DECIMAL(18,3) AS dec, 12::DECIMAL(4,0) AS dec0, 'x'::VARCHAR AS s,
                   '\xAA\x00'::BLOB AS b, true AS t, DATE '1969-12-31' AS d, TIME '13:45:10.123456' AS tm,
                   TIMESTAMP '1900-01-01 00:00:01.5' AS ts, TIMESTAMPTZ '2024-01-01 10:00:00+02' AS tstz,
                   '2024-02-29 23:59:59.123456789'::TIMESTAMP_NS AS tsns, '2024-02-29 23:59:59.123'::TIMESTAMP_MS AS tsms,
                   '2024-02-29 23:59:59'::TIMESTAMP_S AS tss, 'infinity'::TIMESTAMP AS inf, [1, NULL] AS l,
                   {'a': 1, 'b': 'x'} AS st, MAP {'k': [1], 'j': NULL} AS m, NULL::INTEGER AS n,
                   INTERVAL '1 month 2 days 3 microseconds' AS iv, '12345678-1234-5678-1234-567812345678'::UUID AS u
            """);

        Assert.Equal("TINYINT", result.Columns[0].Type);
        Assert.Equal("DECIMAL(18,3)", result.Columns[result.ColumnIndex("dec")].Type);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", result.Columns[result.ColumnIndex("tstz")].Type);
        Assert.Single(result.Rows);
        string Raw(string column) => result.Value(0, column).GetRawText();
        Assert.Equal("1", Raw("i8"));
        Assert.Equal("4000000000", Raw("u32"));
        Assert.Equal("\"-9223372036854775808\"", Raw("i64"));
        Assert.Equal("\"170141183460469231731687303715884105727\"", Raw("i128"));
        Assert.Equal("1.5", Raw("f32"));
        Assert.Equal("\"NaN\"", Raw("nan"));
        Assert.Equal("\"-Infinity\"", Raw("ninf"));
        Assert.Equal("\"-0.500\"", Raw("dec"));
        Assert.Equal("\"12\"", Raw("dec0"));
        Assert.Equal("\"x\"", Raw("s"));
        Assert.Equal("\"qgA=\"", Raw("b"));
        Assert.Equal("true", Raw("t"));
        Assert.Equal("""{"kind":"date","unit":"day","raw":"-1","iso":"1969-12-31"}""", Raw("d"));
        Assert.Equal("""{"kind":"time","unit":"us","raw":"49510123456","iso":"13:45:10.123456"}""", Raw("tm"));
        Assert.Equal("""{"kind":"timestamp","unit":"us","raw":"-2208988798500000","iso":"1900-01-01T00:00:01.500000"}""", Raw("ts"));
        Assert.Equal("""{"kind":"timestamptz","unit":"us","raw":"1704096000000000","iso":"2024-01-01T08:00:00.000000Z"}""", Raw("tstz"));
        Assert.Equal("""{"kind":"timestamp","unit":"ns","raw":"1709251199123456789","iso":"2024-02-29T23:59:59.123456789"}""", Raw("tsns"));
        Assert.Equal("""{"kind":"timestamp","unit":"ms","raw":"1709251199123","iso":"2024-02-29T23:59:59.123"}""", Raw("tsms"));
        Assert.Equal("""{"kind":"timestamp","unit":"s","raw":"1709251199","iso":"2024-02-29T23:59:59"}""", Raw("tss"));
        Assert.Equal("""{"kind":"timestamp","unit":"us","raw":"9223372036854775807","iso":"infinity"}""", Raw("inf"));
        Assert.Equal("[1,null]", Raw("l"));
        Assert.Equal("""{"a":1,"b":"x"}""", Raw("st"));
        Assert.Equal("""[["k",[1]],["j",null]]""", Raw("m"));
        Assert.Equal("null", Raw("n"));
        Assert.Equal("""{"months":1,"days":2,"micros":"3"}""", Raw("iv"));
        Assert.Equal("\"12345678-1234-5678-1234-567812345678\"", Raw("u"));
    }

    [Fact]
    public async Task QueryAllAsync_SeveralStatements_ShareOneConnection()
    {
        var sets = await DuckDbPeer.QueryAllAsync(["CREATE TABLE t AS SELECT range AS x FROM range(3)", "SELECT sum(x) AS total FROM t"]);

        Assert.Equal(2, sets.Count);
        Assert.Equal("\"3\"", sets[1].Value(0, "total").GetRawText());
        Assert.Equal("HUGEINT", sets[1].Columns[0].Type);
    }

    [Fact]
    public async Task QueryAsync_InvalidSql_ThrowsNamingCommandExitCodeAndStderr()
    {
        var e = await Assert.ThrowsAsync<PeerException>(() => DuckDbPeer.QueryAsync("SELEC 1"));

        Assert.Contains("duckdb/query.mjs", e.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Parser Error", e.Message, StringComparison.Ordinal);
        Assert.Contains("bash scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteParquetAsync_CodecVersionAndRowGroupSize_AreWhatTheFileHolds()
    {
        string file = Path.Combine(_dir, "groups.parquet");

        long rows = await DuckDbPeer.WriteParquetAsync("SELECT range AS x, range::VARCHAR AS s FROM range(10000)", file, "zstd", "v2", rowGroupSize: 2048);
        var meta = await DuckDbPeer.QueryAsync($"SELECT count(DISTINCT row_group_id) AS groups, min(compression) AS lo, max(compression) AS hi FROM parquet_metadata('{file}')");
        var back = await DuckDbPeer.ReadParquetAsync(file);
        var hyparquet = await HyparquetPeer.ReadAsync(file);

        Assert.Equal(10000, rows);
        Assert.Equal("\"5\"", meta.Value(0, "groups").GetRawText());
        Assert.Equal("ZSTD", meta.Value(0, "lo").GetString());
        Assert.Equal("ZSTD", meta.Value(0, "hi").GetString());
        Assert.Equal(["BIGINT", "VARCHAR"], back.ColumnTypes);
        Assert.Equal(10000, back.Rows.Count);
        Assert.Equal("\"9999\"", back.Value(9999, "x").GetRawText());
        Assert.Equal(5, hyparquet.Header.GetProperty("rowGroups").GetInt32());
        PeerValues.AssertSameRows(back, hyparquet, "DuckDB vs hyparquet");
    }

    [Fact]
    public async Task WriteParquetAsync_UnknownCodec_ThrowsWithTheReason()
    {
        var e = await Assert.ThrowsAsync<PeerException>(() => DuckDbPeer.WriteParquetAsync("SELECT 1", Path.Combine(_dir, "x.parquet"), "lzo", "v1"));

        Assert.Contains("codec 'lzo'", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.parquet")));
    }

    [Fact]
    public async Task ReadParquetAsync_MissingFile_ThrowsWithStderr()
    {
        var e = await Assert.ThrowsAsync<PeerException>(() => DuckDbPeer.ReadParquetAsync(Path.Combine(_dir, "absent.parquet")));

        Assert.Contains("duckdb/read.mjs", e.Message, StringComparison.Ordinal);
        Assert.Contains("absent.parquet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunBatchAsync_UnknownOp_FailsNamingTheRequest()
    {
        var e = await Assert.ThrowsAsync<PeerException>(() => DuckDbPeer.RunBatchAsync([DuckDbRequest.Query("SELECT 1"), DuckDbRequest.Read(Path.Combine(_dir, "none.parquet"))]));

        Assert.Contains("request 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionAsync_Always_ReportsThePinnedDuckDb()
    {
        JsonElement version = await DuckDbPeer.VersionAsync();

        Assert.StartsWith("v1.5.", version.GetProperty("duckdb").GetString(), StringComparison.Ordinal);
        Assert.Equal("1.5.5-r.5", version.GetProperty("nodeApi").GetString());
        Assert.Equal("linux-x64", version.GetProperty("platform").GetString());
    }

    [Fact]
    public void LibraryPath_AfterSetup_IsTheLibraryOfTheNpmPackage()
    {
        string path = DuckDbPeer.LibraryPath;

        Assert.True(File.Exists(path), $"{path} does not exist; {PeerProcess.SetupHint} (it copies libduckdb.so there)");
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DuckDbPeer.LibraryVariable)))
        {
            string npm = Path.Combine(PeerProcess.PeersDirectory, "node_modules", "@duckdb", "node-bindings-linux-x64", "libduckdb.so");
            Assert.Equal(new FileInfo(npm).Length, new FileInfo(path).Length);
        }
    }
}
