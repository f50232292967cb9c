using Larder.TestKit;

namespace Larder.Parquet.Tests.Peers;

public sealed class HyparquetPeerTests
{
    [Fact]
    public async Task ReadAllAsync_TwoFiles_OneResultSetPerFileInOrder()
    {
        string plain = TestData.Path("parquet", "data", "alltypes_plain.parquet");
        string snappy = TestData.Path("parquet", "data", "alltypes_plain.snappy.parquet");

        var sets = await HyparquetPeer.ReadAllAsync([plain, snappy]);

        Assert.Equal(2, sets.Count);
        Assert.Equal(plain, sets[0].File);
        Assert.Equal(snappy, sets[1].File);
        Assert.Equal(8, sets[0].Rows.Count);
        Assert.Equal(2, sets[1].Rows.Count);
        Assert.Equal(["SNAPPY"], sets[1].Header.GetProperty("codecs").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("BYTE_ARRAY", sets[0].Columns[sets[0].ColumnIndex("string_col")].Type);
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsNamingCommandAndStderr()
    {
        string absent = Path.Combine(Path.GetTempPath(), "larder-absent-" + Guid.NewGuid().ToString("N") + ".parquet");

        var e = await Assert.ThrowsAsync<PeerException>(() => HyparquetPeer.ReadAsync(absent));

        Assert.Contains("hyparquet/read.mjs", e.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", e.Message, StringComparison.Ordinal);
    }
}
