using Larder.Columnar;
using Larder.Ipc;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.TestKit;

namespace Larder.Parquet.Tests.SchemaMapping;

using ParquetTimeUnit = Larder.Parquet.Metadata.TimeUnit;
using Schema = Larder.Columnar.Schema;
using TimeUnit = Larder.Columnar.TimeUnit;

public sealed class SchemaMappingRoundTripTests
{
    public static TheoryData<string> AllTypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in RandomData.AllTypesSchema().Fields)
        {
            data.Add(f.Name);
        }

        return data;
    }

    [Fact]
    public void ToParquetToArrow_AllTypesWithArrowSchema_GivesEqualSchema()
    {
        var schema = RandomData.AllTypesSchema().WithMetadata(KeyValueMetadata.Of("origin", "test"));
        var written = ParquetSchemaMapper.ToParquet(schema);
        var read = ParquetSchemaMapper.ToArrow(written.Elements, written.KeyValueMetadata, "roundtrip");
        Assert.True(read.ArrowSchemaApplied);
        ArrowAssert.Equal(schema, read.Schema);
        Assert.Equal(written.Columns.Count, read.Columns.Count);
        for (int i = 0; i < read.Columns.Count; i++)
        {
            Assert.Equal(written.Columns[i].ColumnPath, read.Columns[i].ColumnPath);
            Assert.Equal(written.Columns[i].MaxDefinitionLevel, read.Columns[i].MaxDefinitionLevel);
            Assert.Equal(written.Columns[i].MaxRepetitionLevel, read.Columns[i].MaxRepetitionLevel);
            Assert.Equal(written.Columns[i].ArrowType, read.Columns[i].ArrowType);
            Assert.Equal(written.Columns[i].StorageType, read.Columns[i].StorageType);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypeNames))]
    public void ToParquetToArrow_WithoutArrowSchema_GivesParquetDerivedType(string name)
    {
        var field = RandomData.AllTypesSchema().Fields.Single(f => f.Name == name);
        var written = ParquetSchemaMapper.ToParquet(new Schema([field]));
        var read = ParquetSchemaMapper.ToArrow(written.Elements, null, "roundtrip");
        Assert.False(read.ArrowSchemaApplied);
        ArrowAssert.Equal(new Field(field.Name, Derived(field.Type), field.Nullable), read.Schema[0]);
    }

    [Fact]
    public void ToParquet_AllTypes_WritesDocumentedPhysicalTypes()
    {
        var written = ParquetSchemaMapper.ToParquet(RandomData.AllTypesSchema());
        Assert.Equal("schema", written.Elements[0].Name);
        var byPath = written.Columns.ToDictionary(c => string.Join('.', c.ColumnPath));
        Assert.Equal(PhysicalType.Int64, byPath["decimal128_10_2"].PhysicalType);
        Assert.Equal(PhysicalType.FixedLenByteArray, byPath["decimal128_38_9"].PhysicalType);
        Assert.Equal(16, byPath["decimal128_38_9"].TypeLength);
        Assert.Equal((PhysicalType.FixedLenByteArray, 2), (byPath["float16"].PhysicalType, byPath["float16"].TypeLength));
        Assert.Equal(LogicalTypeKind.Null, byPath["null"].Element.LogicalType!.Kind);
        Assert.Equal(ConvertedType.Interval, byPath["interval_day_time"].Element.ConvertedType);
        Assert.Equal(LogicalType.Timestamp(true, ParquetTimeUnit.Nanos), byPath["timestamp_ns_paris"].Element.LogicalType);
        Assert.Equal(LogicalType.Timestamp(false, ParquetTimeUnit.Millis), byPath["timestamp_s"].Element.LogicalType);
        Assert.Null(byPath["timestamp_s"].Element.ConvertedType);
        Assert.Equal(new[] { "list_int32", "list", "element" }, byPath["list_int32.list.element"].ColumnPath);
        Assert.Equal(ConvertedType.Map, written.Elements.Single(e => e.Name == "map_utf8_list_int64").ConvertedType);
        Assert.Equal(ParquetSchemaMapper.ArrowSchemaKey, written.KeyValueMetadata[^1].Key);
    }

    [Fact]
    public void ToParquetToArrow_FieldIds_RoundTripAsMetadata()
    {
        var field = new Field("x", ArrowType.Int32, metadata: KeyValueMetadata.Of(ParquetSchemaMapper.FieldIdKey, "7"));
        var written = ParquetSchemaMapper.ToParquet(new Schema([field]));
        Assert.Equal(7, written.Elements[1].FieldId);
        var read = ParquetSchemaMapper.ToArrow(written.Elements, null, null);
        Assert.Equal("7", read.Schema[0].Metadata[ParquetSchemaMapper.FieldIdKey]);
    }

    [Theory]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    [InlineData("/////wgAAAAAAAAAAAAAAA==")]
    public void ToArrow_GarbageArrowSchema_IsIgnored(string value)
    {
        var schema = new Schema([new Field("s", new DictionaryType(ArrowType.Int32, ArrowType.String))]);
        var written = ParquetSchemaMapper.ToParquet(schema);
        var read = ParquetSchemaMapper.ToArrow(written.Elements, [new KeyValue("ARROW:schema", value), new KeyValue("k", null)], null);
        Assert.False(read.ArrowSchemaApplied);
        Assert.Equal(ArrowType.String, read.Schema[0].Type);
        Assert.Equal(string.Empty, read.Schema.Metadata["k"]);
    }

    [Fact]
    public void ToArrow_IncompatibleArrowSchemaField_KeepsParquetType()
    {
        var stored = new Schema([new Field("a", ArrowType.Double), new Field("b", new DictionaryType(ArrowType.Int8, ArrowType.String))]);
        var actual = new Schema([new Field("a", ArrowType.Int64), new Field("b", ArrowType.String)]);
        var written = ParquetSchemaMapper.ToParquet(actual);
        var kv = new KeyValue("ARROW:schema", Convert.ToBase64String(ArrowSchemaSerializer.Serialize(stored)));
        var read = ParquetSchemaMapper.ToArrow(written.Elements, [kv], null);
        Assert.Equal(ArrowType.Int64, read.Schema[0].Type);
        Assert.Equal(new DictionaryType(ArrowType.Int8, ArrowType.String), read.Schema[1].Type);
    }

    [Fact]
    public void ArrowSchemaSerializer_SerializeDeserialize_RoundTripsWithAndWithoutMarker()
    {
        var schema = RandomData.AllTypesSchema().WithMetadata(KeyValueMetadata.Of("a", "b"));
        var bytes = ArrowSchemaSerializer.Serialize(schema);
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0, bytes.Length % 8);
        ArrowAssert.Equal(schema, ArrowSchemaSerializer.Deserialize(bytes));
        ArrowAssert.Equal(schema, ArrowSchemaSerializer.Deserialize(bytes.AsSpan(4)));
        ArrowAssert.Equal(schema, ArrowSchemaSerializer.Deserialize(bytes.AsSpan(8)));
    }

    [Fact]
    public void ArrowSchemaSerializer_Garbage_ThrowsFormatException()
    {
        var rng = new Random(1234);
        var bytes = ArrowSchemaSerializer.Serialize(RandomData.AllTypesSchema());
        for (int i = 0; i < 300; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (int j = 0; j < 1 + rng.Next(8); j++)
            {
                copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
            }

            var length = rng.Next(4) == 0 ? rng.Next(copy.Length) : copy.Length;
            var ex = Record.Exception(() => ArrowSchemaSerializer.Deserialize(copy.AsSpan(0, length)));
            Assert.True(ex is null or LarderFormatException, $"iteration {i}: {ex}");
        }

        Assert.Throws<LarderFormatException>(() => ArrowSchemaSerializer.Deserialize([1, 2, 3]));
    }

    /// <summary>The documented Parquet-derived type of an Arrow type written without ARROW:schema.</summary>
    private static ArrowType Derived(ArrowType type) => type switch
    {
        DictionaryType d => Derived(d.ValueType),
        { Id: ArrowTypeId.LargeString } => ArrowType.String,
        { Id: ArrowTypeId.LargeBinary } => ArrowType.Binary,
        { Id: ArrowTypeId.Date64 } => ArrowType.Date32,
        TimeType { Unit: TimeUnit.Second } => new TimeType(TimeUnit.Millisecond),
        TimestampType t => new TimestampType(t.Unit == TimeUnit.Second ? TimeUnit.Millisecond : t.Unit, t.TimeZone is null ? null : "UTC"),
        DurationType => ArrowType.Int64,
        IntervalType { Unit: IntervalUnit.MonthDayNano } => new FixedSizeBinaryType(16),
        IntervalType => new FixedSizeBinaryType(12),
        DecimalType d => new DecimalType(d.Precision, d.Scale, d.Precision <= 38 ? 128 : 256),
        ListType l => new ListType(new Field("element", Derived(l.ValueType), l.ValueField.Nullable)),
        FixedSizeListType l => new ListType(new Field("element", Derived(l.ValueType), l.ValueField.Nullable)),
        StructType s => new StructType(s.Fields.Select(f => new Field(f.Name, Derived(f.Type), f.Nullable))),
        MapType m => new MapType(new Field("key_value", new StructType([new Field("key", Derived(m.KeyField.Type), false), new Field("value", Derived(m.ValueField.Type), m.ValueField.Nullable)]), false)),
        _ => type,
    };
}
