using Larder.Parquet.Files;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// DuckDB writes <see cref="PeerTables.WideSql"/> with each case's codec and format version (all cases in one node
/// process, which also reads every file back with <c>read_parquet</c>); Larder reads each file, and every value it reads
/// equals DuckDB's own read of the same file, row by row.
/// </summary>
/// <remarks>
/// How DuckDB's types reach Larder (none is dropped; where Arrow has no such type, the Parquet annotation still
/// decides the peer form, see <see cref="ArrowPeerValues"/>):
/// HUGEINT is written by DuckDB as DOUBLE (DuckDB's own lossy choice), so Larder reads float64; ENUM, JSON, BIT and
/// TIME_NS are written as UTF8 text, read as utf8; UUID is FIXED_LEN_BYTE_ARRAY(16) UUID, read as fixed_size_binary[16]
/// (Arrow has no UUID type but the extension); INTERVAL is FIXED_LEN_BYTE_ARRAY(12) INTERVAL (months, days,
/// milliseconds), read as fixed_size_binary[12], since no Arrow interval holds those three parts (Arrow C++ does the
/// same); TIMETZ is TIME(MICROS, UTC) normalised to UTC, read as time64[us] (Arrow times have no zone); a fixed-size
/// ARRAY is written as a LIST; a UNION as a struct of its tag (a field named "") and members.
/// </remarks>
public sealed class LarderReadsDuckDbTests(DuckDbPeerFiles files) : IClassFixture<DuckDbPeerFiles>
{
    /// <summary>Larder's Arrow type of each column of <see cref="PeerTables.WideSql"/> as DuckDB writes it.</summary>
    private static readonly string[] ArrowTypes =
    [
        "int32", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float64", "float32", "float64",
        "decimal128(4, 1)", "decimal128(18, 3)", "decimal128(38, 10)", "utf8", "utf8", "fixed_size_binary[16]", "binary",
        "bool", "date32[day]", "time64[us]", "time64[us]", "timestamp[us]", "timestamp[us]", "timestamp[ms]",
        "timestamp[ns]", "timestamp[us, tz=UTC]", "fixed_size_binary[12]", "utf8", "list<element: int32>",
        "list<element: utf8>", "list<element: int32>", "struct<a: int32, b: utf8, c: list<element: int32>>",
        "list<element: struct<x: int64, y: utf8>>", "map<utf8, int64>", "map<int32, utf8>",
        "struct<: uint8, num: int32, str: utf8>", "utf8", "utf8", "int32",
    ];

    public static TheoryData<string, string> CodecsAndVersions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (codec, version) in DuckDbPeerFiles.Cases)
        {
            data.Add(codec, version);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndVersions))]
    public async Task ReadAll_DuckDbFile_EqualsDuckDbsOwnRead(string codec, string version)
    {
        var (path, duck) = await files.GetAsync(codec, version);
        var layout = ParquetLayout.Read(path);

        using var reader = ParquetFileReader.Open(path);
        var batches = reader.ReadAll().ToList();

        Assert.Equal([DuckDbPeerFiles.Codec(codec)], layout.Codecs);
        Assert.Equal(3, layout.RowGroups);
        Assert.Equal(PeerTables.WideRows, batches.Sum(b => b.Length));
        Assert.Equal(ArrowTypes, reader.Schema.Fields.Select(f => f.Type.ToString()));
        var ours = ArrowPeerValues.ToResultSet(batches, reader.Metadata.Schema, PeerReader.DuckDb);
        PeerValues.AssertSameRows(duck, ours, $"DuckDB vs Larder reading DuckDB's {codec}/{version} file");
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("zstd")]
    public async Task ReadAll_DuckDbVersion2File_UsesTheDeltaAndByteStreamSplitEncodings(string codec)
    {
        var (v2, _) = await files.GetAsync(codec, "v2");
        var (v1, _) = await files.GetAsync(codec, "v1");

        var layout2 = ParquetLayout.Read(v2);
        var layout1 = ParquetLayout.Read(v1);

        // DuckDB 1.5 writes v1 data page headers (no DATA_PAGE_V2) in both versions; v2 changes the value encodings.
        Assert.Equal([PageType.DataPage, PageType.DictionaryPage], layout2.PageTypes.Order());
        Assert.Empty(new[] { Encoding.DeltaBinaryPacked, Encoding.DeltaLengthByteArray, Encoding.ByteStreamSplit, Encoding.RleDictionary, Encoding.Plain }.Except(layout2.DataEncodings));
        Assert.Equal([Encoding.Plain, Encoding.PlainDictionary, Encoding.RleDictionary], layout1.DataEncodings.Order());
        Assert.Equal([Encoding.DeltaBinaryPacked], EncodingsOf(layout2, "i64"));
        Assert.Equal([Encoding.DeltaLengthByteArray], EncodingsOf(layout2, "j"));
        Assert.Equal([Encoding.ByteStreamSplit], EncodingsOf(layout2, "f64"));
    }

    [Fact]
    public async Task ReadAll_DuckDbNullFixedSizeArray_IsRefusedAsCorrupt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"larder-duckdb-null-array-{Guid.NewGuid():N}.parquet");
        try
        {
            var sets = await DuckDbPeer.RunBatchAsync([DuckDbRequest.Write(PeerTables.NullArraySql, path, "uncompressed"), DuckDbRequest.Read(path)]);
            using var reader = ParquetFileReader.Open(path);

            // Five rows, one of them null: a list column has 1 level entry for the null row and 3 for each other.
            var chunks = reader.Metadata.RowGroups[0].Columns;
            Assert.Equal(13, chunks[1].MetaData.NumValues);
            Assert.Equal(15, chunks[0].MetaData.NumValues);
            Assert.Null(sets[1].Value(2, "arr").GetString());
            var e = Assert.Throws<LarderFormatException>(() => reader.ReadAll().ToList());
            Assert.Contains("arr.list.element", e.Message, StringComparison.Ordinal);

            // The LIST column of the same values reads equal to DuckDB's read.
            var ours = ArrowPeerValues.ToResultSet(reader.ReadAll(["lst"]).ToList(), null, PeerReader.DuckDb);
            Assert.Equal(sets[1].Rows.Select(r => r[1].GetRawText()), ours.Rows.Select(r => r[0].GetRawText()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IReadOnlySet<Encoding> EncodingsOf(ParquetLayout layout, string column)
        => layout.Pages.Where(p => p.Column == column && p.Type == PageType.DataPage).Select(p => p.Encoding).ToHashSet();
}
