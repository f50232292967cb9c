namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// hyparquet (with hyparquet-compressors) reads the files Larder writes — every codec, dictionary and plain — and every
/// value it reads equals the source table's (<see cref="LarderTable"/>), row by row. Its map assembly is modelled by
/// <see cref="ArrowPeerValues"/> (<see cref="PeerReader.Hyparquet"/>).
/// </summary>
public sealed class HyparquetReadsLarderTests(LarderPeerFiles files) : IClassFixture<LarderPeerFiles>
{
    public static TheoryData<string, bool> CodecsAndEncodings() => DuckDbReadsLarderTests.CodecsAndEncodings();

    [Theory]
    [MemberData(nameof(CodecsAndEncodings))]
    public async Task Read_LarderFile_EveryValueEqualsTheSource(string codec, bool dictionary)
    {
        string path = files.PathOf(codec, dictionary);

        var hyparquet = await files.HyparquetReadAsync(path);

        Assert.Equal(LarderPeerFiles.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), hyparquet.Header.GetProperty("numRows").GetString());
        Assert.Equal([LarderPeerFiles.Codecs[codec].ToString()], hyparquet.Header.GetProperty("codecs").EnumerateArray().Select(c => c.GetString()!.Replace("_", string.Empty, StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(LarderTable.Schema.Fields.Select(f => f.Name), hyparquet.ColumnNames);
        var expected = ArrowPeerValues.ToResultSet([files.Table], LarderPeerFiles.ParquetSchema(path), PeerReader.Hyparquet);
        PeerValues.AssertSameRows(expected, hyparquet, $"the source vs hyparquet reading Larder's {codec}/{(dictionary ? "dictionary" : "plain")} file");
    }
}
