using Larder.Columnar;
using Larder.Parquet.Files;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// DuckDB reads every file Larder writes — each codec, dictionary and plain encoding, several row groups and pages —
/// and every value it reads equals the source table's (<see cref="LarderTable"/>), row by row. Intervals are checked on
/// their own: Parquet INTERVAL holds only non-negative parts, and <see cref="LarderTable"/>'s random rows would draw
/// negative ones.
/// </summary>
public sealed class DuckDbReadsLarderTests(LarderPeerFiles files) : IClassFixture<LarderPeerFiles>
{
    /// <summary>The DuckDB type of each column of <see cref="LarderTable"/> once written by Larder.</summary>
    private static readonly string[] DuckDbTypes =
    [
        "INTEGER", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
        "FLOAT", "FLOAT", "DOUBLE", "BOOLEAN", "VARCHAR", "VARCHAR", "BLOB", "BLOB", "DATE", "DATE",
        "TIME WITH TIME ZONE", "TIME WITH TIME ZONE", "TIME WITH TIME ZONE", "TIME WITH TIME ZONE",
        "TIMESTAMP", "TIMESTAMP", "TIMESTAMP", "TIMESTAMP_NS",
        "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE",
        "BIGINT", "DECIMAL(9,2)", "DECIMAL(18,6)", "DECIMAL(38,10)", "INTEGER[]", "VARCHAR[]",
        "STRUCT(\"a\" INTEGER, \"b\" VARCHAR)", "STRUCT(\"x\" BIGINT, \"y\" VARCHAR)[]", "MAP(VARCHAR, INTEGER)", "VARCHAR",
        "BLOB", "DECIMAL(38,5)", "DOUBLE[]", "VARCHAR[]", "SMALLINT[][]", "MAP(VARCHAR, BIGINT[])", "MAP(INTEGER, DOUBLE)",
        "STRUCT(\"code\" VARCHAR, \"value\" DOUBLE)", "INTEGER",
    ];

    public static TheoryData<string, bool> CodecsAndEncodings()
    {
        var data = new TheoryData<string, bool>();
        foreach (string codec in LarderPeerFiles.Codecs.Keys)
        {
            data.Add(codec, true);
            data.Add(codec, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndEncodings))]
    public async Task ReadParquet_LarderFile_EveryValueEqualsTheSource(string codec, bool dictionary)
    {
        string path = files.PathOf(codec, dictionary);
        var layout = ParquetLayout.Read(path);

        var duck = await files.DuckDbReadAsync(path);

        // The file is laid out as the case says: its codec, dictionaries (some overflowing into plain pages) or none,
        // several row groups and pages.
        Assert.Equal([LarderPeerFiles.Codecs[codec]], layout.Codecs);
        Assert.Equal(dictionary, layout.PageTypes.Contains(PageType.DictionaryPage));
        Assert.Equal(dictionary, layout.DataEncodings.Contains(Encoding.RleDictionary));
        Assert.Equal(dictionary, layout.HasDictionaryFallback);
        Assert.Equal((LarderPeerFiles.Rows + LarderPeerFiles.RowGroupRows - 1) / LarderPeerFiles.RowGroupRows, layout.RowGroups);
        Assert.True(layout.MostDataPagesInAChunk > 1, "some column chunk should span several data pages");

        Assert.Equal(LarderTable.Schema.Fields.Select(f => f.Name), duck.ColumnNames);
        Assert.Equal(DuckDbTypes, duck.ColumnTypes);
        var expected = ArrowPeerValues.ToResultSet([files.Table], layout.Metadata.Schema, PeerReader.DuckDb);
        PeerValues.AssertSameRows(expected, duck, $"the source vs DuckDB reading Larder's {codec}/{(dictionary ? "dictionary" : "plain")} file");
    }

    [Fact]
    public async Task ReadParquet_IntervalsWithNonNegativeParts_EqualTheSourceInBothPeers()
    {
        var batch = RecordBatch.FromColumns(
            ("ym", Build(new IntervalType(IntervalUnit.YearMonth), 0, 1, 13, null, int.MaxValue)),
            ("dt", Build(new IntervalType(IntervalUnit.DayTime), new IntervalDayTime(0, 0), new IntervalDayTime(1, 1), new IntervalDayTime(365, 86_399_999), null, new IntervalDayTime(int.MaxValue, int.MaxValue))));
        string path = Path.Combine(Path.GetTempPath(), $"larder-intervals-{Guid.NewGuid():N}.parquet");
        try
        {
            WriteFile(path, batch);

            var duck = await DuckDbPeer.ReadParquetAsync(path);
            var hyparquet = await HyparquetPeer.ReadAsync(path);

            Assert.Equal(["INTERVAL", "INTERVAL"], duck.ColumnTypes);
            var schema = LarderPeerFiles.ParquetSchema(path);
            PeerValues.AssertSameRows(ArrowPeerValues.ToResultSet([batch], schema, PeerReader.DuckDb), duck, "intervals vs DuckDB");
            PeerValues.AssertSameRows(ArrowPeerValues.ToResultSet([batch], schema, PeerReader.Hyparquet), hyparquet, "intervals vs hyparquet");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Write_IntervalWithNegativePart_IsRefusedRatherThanWrappedToUnsigned()
    {
        // Parquet INTERVAL is three little-endian unsigned 32-bit counts (months, days, milliseconds): -1 has no form.
        var batch = RecordBatch.FromColumns(
            ("ym", Build(new IntervalType(IntervalUnit.YearMonth), -1)),
            ("dt", Build(new IntervalType(IntervalUnit.DayTime), new IntervalDayTime(0, -1))));
        string path = Path.Combine(Path.GetTempPath(), $"larder-negative-interval-{Guid.NewGuid():N}.parquet");
        try
        {
            var refused = Record.Exception(() => WriteFile(path, batch));

            if (refused is null)
            {
                var duck = await DuckDbPeer.ReadParquetAsync(path);
                var hyparquet = await HyparquetPeer.ReadAsync(path);
                Assert.Fail($"Larder wrote interval[year_month] -1 and interval[day_time] (0 days, -1 ms) as Parquet INTERVAL; DuckDB reads {duck.Rows[0].GetRawText()}, hyparquet {hyparquet.Rows[0].GetRawText()}");
            }

            Assert.IsAssignableFrom<LarderException>(refused);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IArrowArray Build(ArrowType type, params object?[] values)
    {
        var builder = ArrayBuilderFactory.Create(type);
        foreach (var value in values)
        {
            builder.AppendValue(value);
        }

        return builder.Build();
    }

    private static void WriteFile(string path, RecordBatch batch)
    {
        using var writer = ParquetFileWriter.Create(path, batch.Schema, new ParquetWriteOptions { Compression = "zstd" });
        writer.Write(batch);
        writer.Finish();
    }
}
