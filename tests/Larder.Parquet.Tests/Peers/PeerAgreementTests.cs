using System.Text.Json;
using Larder.TestKit;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// DuckDB writes Parquet with each codec and format version; DuckDB and hyparquet read every file back and must agree
/// with each other and with the query that produced it, value by value. This proves the peers and their
/// normalisation before Larder's own reader exists.
/// </summary>
public sealed class PeerAgreementTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-peer-agreement-" + Guid.NewGuid().ToString("N"));

    public PeerAgreementTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> CodecsAndVersions()
    {
        var data = new TheoryData<string, string>();
        foreach (string codec in new[] { "snappy", "zstd", "gzip", "uncompressed" })
        {
            foreach (string version in new[] { "v1", "v2" })
            {
                data.Add(codec, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndVersions))]
    public async Task DuckDbAndHyparquet_ManyTypesFile_AgreeOnEveryValue(string codec, string version)
    {
        string file = Path.Combine(_dir, $"many-{codec}-{version}.parquet");

        // One DuckDB process: the query itself, the write, the read back.
        var sets = await DuckDbPeer.RunBatchAsync(
        [
            DuckDbRequest.Query(PeerTables.ManyTypesSql),
            DuckDbRequest.Write(PeerTables.ManyTypesSql, file, codec, version),
            DuckDbRequest.Read(file),
            DuckDbRequest.Query($"SELECT DISTINCT compression FROM parquet_metadata('{file}')"),
        ]);
        var (query, write, duck, compression) = (sets[0], sets[1], sets[2], sets[3]);
        var hyparquet = await HyparquetPeer.ReadAsync(file);

        Assert.Equal(PeerTables.ManyTypesRows, DuckDbPeer.RowsWritten(write));
        Assert.Equal(PeerTables.ManyTypesRows, duck.Rows.Count);
        Assert.Equal([codec.ToUpperInvariant()], compression.Rows.Select(r => r[0].GetString()));
        Assert.Equal([codec.ToUpperInvariant()], hyparquet.Header.GetProperty("codecs").EnumerateArray().Select(c => c.GetString()));

        PeerValues.AssertSameRows(query, duck, $"DuckDB's query vs DuckDB's read of {codec}/{version}");
        PeerValues.AssertSameRows(duck, hyparquet, $"DuckDB vs hyparquet reading {codec}/{version}");

        // The types survive the trip (TIMESTAMP_MS comes back as TIMESTAMP: DuckDB reads TIMESTAMP(MILLIS) in microseconds).
        var expectedTypes = query.ColumnTypes.Select(t => t == "TIMESTAMP_MS" ? "TIMESTAMP" : t);
        Assert.Equal(expectedTypes, duck.ColumnTypes);
        Assert.Equal("DECIMAL(38,10)", duck.Columns[duck.ColumnIndex("dec38")].Type);
        Assert.Equal("FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,10)", hyparquet.Columns[hyparquet.ColumnIndex("dec38")].Type);
        Assert.Equal("INT64 TIMESTAMP(NANOS,local)", hyparquet.Columns[hyparquet.ColumnIndex("tsns")].Type);
        Assert.Equal("INT64 TIMESTAMP(MICROS,utc)", hyparquet.Columns[hyparquet.ColumnIndex("tstz")].Type);

        // Spot checks that the agreement is on the right values, not on a shared mistake.
        Assert.Equal("9223372036854775807", hyparquet.Value(99, "i64").GetString());
        Assert.Equal("-9223372036854775808", hyparquet.Value(98, "i64").GetString());
        Assert.Equal("9900000000000000001", hyparquet.Value(99, "u64").GetString());
        Assert.Equal("-59259258725925925872.1975308642", hyparquet.Value(2, "dec38").GetString());
        Assert.Equal("-60493.783", hyparquet.Value(1, "dec18").GetString());
        Assert.Equal("NaN", hyparquet.Value(1, "f32").GetString());
        Assert.Equal("-Infinity", hyparquet.Value(2, "f64").GetString());
        Assert.Equal("row-3-αβ", hyparquet.Value(3, "s").GetString());
        Assert.Equal(Convert.ToBase64String([0, 255, (byte)'2']), hyparquet.Value(2, "b").GetString());
        Assert.Equal("", hyparquet.Value(1, "b").GetString());
        Assert.Equal("1965-12-23", hyparquet.Value(1, "d").GetProperty("iso").GetString());
        Assert.Equal("1709208000000000000", hyparquet.Value(50, "tsns").GetProperty("raw").GetString());
        Assert.Equal("2024-01-02T00:00:00.000003Z", hyparquet.Value(1, "tstz").GetProperty("iso").GetString());
        Assert.Equal("[3,4,null]", hyparquet.Value(3, "li").GetRawText());
        Assert.Equal("""{"a":2,"b":"s1","c":[1,2]}""", hyparquet.Value(1, "st").GetRawText());
        Assert.Equal("""[["k0","20"],["k1",null]]""", hyparquet.Value(2, "m").GetRawText());
        Assert.All(hyparquet.Rows, r => Assert.Equal(JsonValueKind.Null, r[hyparquet.ColumnIndex("nothing")].ValueKind));
    }

    [Fact]
    public async Task DuckDbAndHyparquet_AllTypesPlain_AgreeOnEveryValue()
    {
        string file = TestData.Path("parquet", "data", "alltypes_plain.parquet");

        var duck = await DuckDbPeer.ReadParquetAsync(file);
        var hyparquet = await HyparquetPeer.ReadAsync(file);

        Assert.Equal(8, duck.Rows.Count);
        Assert.Equal(
            ["id", "bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col", "float_col", "double_col", "date_string_col", "string_col", "timestamp_col"],
            duck.ColumnNames);
        PeerValues.AssertSameRows(duck, hyparquet, "DuckDB vs hyparquet reading alltypes_plain.parquet");

        // INT96 timestamps: DuckDB gives microseconds, hyparquet nanoseconds; the same instants.
        Assert.Equal("TIMESTAMP", duck.Columns[10].Type);
        Assert.Equal("INT96", hyparquet.Columns[10].Type);
        Assert.Equal([4, 5, 6, 7, 2, 3, 0, 1], duck.Rows.Select(r => r[0].GetInt32()));
        Assert.Equal("2009-01-01T00:01:00.000000", duck.Value(7, "timestamp_col").GetProperty("iso").GetString());
        Assert.Equal("2009-01-01T00:01:00.000000000", hyparquet.Value(7, "timestamp_col").GetProperty("iso").GetString());
        Assert.Equal(Convert.ToBase64String("01/01/09"u8.ToArray()), hyparquet.Value(7, "date_string_col").GetString());
        Assert.Equal(1.100000023841858, hyparquet.Value(7, "float_col").GetDouble());
    }
}
