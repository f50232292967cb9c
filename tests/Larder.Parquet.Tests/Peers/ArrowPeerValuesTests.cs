using Larder.Columnar;
using Larder.Parquet.Metadata;
using TimeUnit = Larder.Columnar.TimeUnit;

namespace Larder.Parquet.Tests.Peers;

public sealed class ArrowPeerValuesTests
{
    private static IArrowArray Array(ArrowType type, params object?[] values)
    {
        var builder = ArrayBuilderFactory.Create(type);
        foreach (var value in values)
        {
            builder.AppendValue(value);
        }

        return builder.Build();
    }

    private static string[] Column(RecordBatch batch, PeerReader reader)
        => [.. ArrowPeerValues.ToResultSet([batch], null, reader).Rows.Select(r => r[0].GetRawText())];

    [Fact]
    public void ToResultSet_TemporalAndDecimalValues_AreTheTextThePeersPrint()
    {
        var batch = RecordBatch.FromColumns(
            ("ts", Array(new TimestampType(TimeUnit.Microsecond), -2_208_988_798_500_000L)),
            ("tstz", Array(new TimestampType(TimeUnit.Microsecond, "Europe/Paris"), 1_704_096_000_000_000L)),
            ("tsms", Array(new TimestampType(TimeUnit.Millisecond), -1L)),
            ("d", Array(ArrowType.Date32, -1)),
            ("dec", Array(new DecimalType(38, 10), "-0.0000000001")),
            ("dec0", Array(new DecimalType(4, 0), "12")),
            ("f", Array(ArrowType.Double, double.NegativeInfinity)),
            ("u64", Array(ArrowType.UInt64, ulong.MaxValue)));

        var row = ArrowPeerValues.ToResultSet([batch], null, PeerReader.DuckDb).Rows.Single();

        Assert.Equal("""{"kind":"timestamp","unit":"us","raw":"-2208988798500000","iso":"1900-01-01T00:00:01.500000"}""", row[0].GetRawText());
        Assert.Equal("""{"kind":"timestamptz","unit":"us","raw":"1704096000000000","iso":"2024-01-01T08:00:00.000000Z"}""", row[1].GetRawText());
        Assert.Equal("""{"kind":"timestamp","unit":"ms","raw":"-1","iso":"1969-12-31T23:59:59.999"}""", row[2].GetRawText());
        Assert.Equal("""{"kind":"date","unit":"day","raw":"-1","iso":"1969-12-31"}""", row[3].GetRawText());
        Assert.Equal("\"-0.0000000001\"", row[4].GetRawText());
        Assert.Equal("\"12\"", row[5].GetRawText());
        Assert.Equal("\"-Infinity\"", row[6].GetRawText());
        Assert.Equal("\"18446744073709551615\"", row[7].GetRawText());
    }

    [Fact]
    public void ToResultSet_NanosecondInstantsForDuckDb_AreMicrosecondsTruncatedTowardZero()
    {
        var batch = RecordBatch.FromColumns(("t", Array(new TimestampType(TimeUnit.Nanosecond, "UTC"), -1_500L, 1_999L)));

        Assert.Equal(["-1", "1"], ArrowPeerValues.ToResultSet([batch], null, PeerReader.DuckDb).Rows.Select(r => r[0].GetProperty("raw").GetString()));
        Assert.Equal(["-1500", "1999"], ArrowPeerValues.ToResultSet([batch], null, PeerReader.Hyparquet).Rows.Select(r => r[0].GetProperty("raw").GetString()));
    }

    [Fact]
    public void ToResultSet_MapForHyparquet_TakesTheOrderAndMergingOfAJsObject()
    {
        var map = Array(new MapType(ArrowType.String, ArrowType.Int32), [new object?[][] { ["10", 1], ["2", 2], ["x", 3], ["01", 4], ["x", 5], ["4294967295", 6] }]);
        var batch = RecordBatch.FromColumns(("m", map));

        Assert.Equal("""[["10",1],["2",2],["x",3],["01",4],["x",5],["4294967295",6]]""", Column(batch, PeerReader.DuckDb)[0]);
        Assert.Equal("""[["2",2],["10",1],["x",5],["01",4],["4294967295",6]]""", Column(batch, PeerReader.Hyparquet)[0]);
    }

    [Fact]
    public void ToResultSet_MapWithFloatKeysForHyparquet_IsRefused()
    {
        var map = Array(new MapType(ArrowType.Double, ArrowType.Int32), [new object?[][] { [1.5, 1] }]);

        Assert.Throws<NotSupportedException>(() => ArrowPeerValues.ToResultSet([RecordBatch.FromColumns(("m", map))], null, PeerReader.Hyparquet));
    }

    [Fact]
    public void ToResultSet_ParquetAnnotations_DecideTimeZoneUuidAndInterval()
    {
        byte[] uuid = Convert.FromHexString("12345678123456781234567812345678");
        byte[] interval = [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0];
        var batch = RecordBatch.FromColumns(
            ("t", Array(new TimeType(TimeUnit.Microsecond), 49_510_123_456L)),
            ("local", Array(new TimeType(TimeUnit.Microsecond), 1L)),
            ("u", Array(new FixedSizeBinaryType(16), uuid)),
            ("iv", Array(new FixedSizeBinaryType(12), interval)));
        SchemaElement[] schema =
        [
            new() { Name = "schema", NumChildren = 4 },
            new() { Name = "t", Type = PhysicalType.Int64, LogicalType = LogicalType.Time(true, Larder.Parquet.Metadata.TimeUnit.Micros) },
            new() { Name = "local", Type = PhysicalType.Int64, LogicalType = LogicalType.Time(false, Larder.Parquet.Metadata.TimeUnit.Micros) },
            new() { Name = "u", Type = PhysicalType.FixedLenByteArray, TypeLength = 16, LogicalType = LogicalType.Uuid },
            new() { Name = "iv", Type = PhysicalType.FixedLenByteArray, TypeLength = 12, ConvertedType = ConvertedType.Interval },
        ];

        var annotated = ArrowPeerValues.ToResultSet([batch], schema, PeerReader.DuckDb).Rows.Single();
        var bare = ArrowPeerValues.ToResultSet([batch], null, PeerReader.DuckDb).Rows.Single();

        Assert.Equal("""{"kind":"timetz","unit":"us","raw":"49510123456","iso":"13:45:10.123456+00:00","offset":0}""", annotated[0].GetRawText());
        Assert.Equal("""{"kind":"time","unit":"us","raw":"1","iso":"00:00:00.000001"}""", annotated[1].GetRawText());
        Assert.Equal("\"12345678-1234-5678-1234-567812345678\"", annotated[2].GetRawText());
        Assert.Equal("""{"months":1,"days":2,"micros":"3000"}""", annotated[3].GetRawText());
        Assert.Equal("time", bare[0].GetProperty("kind").GetString());
        Assert.Equal($"\"{Convert.ToBase64String(uuid)}\"", bare[2].GetRawText());
    }

    [Fact]
    public void ToResultSet_SchemaWithOtherLeafCount_IsRefused()
    {
        var batch = RecordBatch.FromColumns(("l", Array(new ListType(ArrowType.Int32), [new object?[] { 1 }])));
        SchemaElement[] flat = [new() { Name = "schema", NumChildren = 1 }, new() { Name = "l", NumChildren = 2 }, new() { Name = "a", Type = PhysicalType.Int32 }, new() { Name = "b", Type = PhysicalType.Int32 }];

        Assert.Throws<ArgumentException>(() => ArrowPeerValues.ToResultSet([batch], flat, PeerReader.DuckDb));
    }
}
