using Larder.Columnar;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.TestKit;

namespace Larder.Parquet.Tests.SchemaMapping;

using ParquetTimeUnit = Larder.Parquet.Metadata.TimeUnit;
using Schema = Larder.Columnar.Schema;
using TimeUnit = Larder.Columnar.TimeUnit;

public sealed class SchemaMappingSpotCheckTests
{
    [Fact]
    public void ToArrow_OldListStructure_ReadsTwoLevelListOfLists()
    {
        var result = Map("old_list_structure.parquet");
        var inner = new ListType(new Field("array", ArrowType.Int32, nullable: false));
        ArrowAssert.Equal(new Field("a", new ListType(new Field("array", inner, nullable: false)), nullable: false), result.Schema[0], checkMetadata: false);
        Assert.True(result.Columns[0].Path.RepeatedLeaf);
        Assert.Equal((2, 2), (result.Columns[0].MaxDefinitionLevel, result.Columns[0].MaxRepetitionLevel));
    }

    [Fact]
    public void ToArrow_NestedLists_ReadsThreeLevelLists()
    {
        var result = Map("nested_lists.snappy.parquet");
        var type = new ListType(new Field("element", new ListType(new Field("element", new ListType(new Field("element", ArrowType.String))))));
        ArrowAssert.Equal(type, result.Schema[0].Type);
        Assert.Equal((7, 3), (result.Columns[0].MaxDefinitionLevel, result.Columns[0].MaxRepetitionLevel));
    }

    [Fact]
    public void ToArrow_NestedMaps_ReadsMapOfMaps()
    {
        var result = Map("nested_maps.snappy.parquet");
        var outer = Assert.IsType<MapType>(result.Schema[0].Type);
        Assert.Equal(ArrowType.String, outer.KeyField.Type);
        var inner = Assert.IsType<MapType>(outer.ValueField.Type);
        Assert.Equal((ArrowType.Int32, ArrowType.Boolean), (inner.KeyField.Type, inner.ValueField.Type));
        Assert.Equal(new[] { "a", "key_value", "value", "key_value", "key" }, result.Columns[1].ColumnPath);
    }

    [Fact]
    public void ToArrow_RepeatedNoAnnotation_ReadsRequiredListOfRequiredStructs()
    {
        var result = Map("repeated_no_annotation.parquet");
        var phone = new StructType([new Field("number", ArrowType.Int64, nullable: false), new Field("kind", ArrowType.String)]);
        var expected = new Field("phoneNumbers", new StructType([new Field("phone", new ListType(new Field("phone", phone, nullable: false)), nullable: false)]));
        ArrowAssert.Equal(expected, result.Schema[1], checkMetadata: false);
    }

    [Fact]
    public void ToArrow_Int96FromSpark_ReadsMicrosecondTimestampWithoutZone()
    {
        var result = Map("int96_from_spark.parquet");
        Assert.Equal(new TimestampType(TimeUnit.Microsecond), result.Schema[0].Type);
        Assert.Equal(12, result.Columns[0].TypeLength);
    }

    [Fact]
    public void ToArrow_FixedLengthDecimal_ReadsDecimal128()
        => Assert.Equal(new DecimalType(25, 2), Map("fixed_length_decimal.parquet").Schema[0].Type);

    [Fact]
    public void ToArrow_Float16_ReadsHalfFloat()
        => Assert.Equal(ArrowType.HalfFloat, Map("float16_nonzeros_and_nans.parquet").Schema[0].Type);

    [Fact]
    public void ToArrow_MapNoValue_ReadsKeyOnlyMapAsListOfKeys()
    {
        var result = Map("map_no_value.parquet");
        Assert.IsType<MapType>(result.Schema[0].Type);
        ArrowAssert.Equal(new ListType(new Field("key", ArrowType.Int32, nullable: false)), result.Schema[1].Type);
        ArrowAssert.Equal(new ListType(new Field("element", ArrowType.Int32, nullable: false)), result.Schema[2].Type);
    }

    [Fact]
    public void ToArrow_IncorrectMapSchema_ReadsListOfKeyValueStructs()
    {
        // The key is OPTIONAL, which a map cannot hold: the entries are read as a list of structs.
        var result = Map("incorrect_map_schema.parquet");
        var entries = new StructType([new Field("key", ArrowType.String), new Field("value", ArrowType.String)]);
        ArrowAssert.Equal(new ListType(new Field("key_value", entries, nullable: false)), result.Schema[0].Type);
    }

    [Fact]
    public void ToArrow_UnknownLogicalType_FallsBackToPhysicalType()
    {
        var result = Map("unknown-logical-type.parquet");
        Assert.Equal(ArrowType.String, result.Schema[0].Type);
        Assert.Equal(ArrowType.Binary, result.Schema[1].Type);
        Assert.Null(result.Columns[1].LogicalType);
    }

    [Fact]
    public void ToArrow_NullListWithArrowSchema_RestoresNullItems()
    {
        var result = Map("null_list.parquet");
        Assert.True(result.ArrowSchemaApplied);
        ArrowAssert.Equal(new ListType(new Field("item", ArrowType.Null)), result.Schema[0].Type);
    }

    [Fact]
    public void ToArrow_Parquet1481CorruptPhysicalType_ThrowsFormatException()
    {
        var path = Path.Combine(ParquetTestFiles.BadDataDirectory, "PARQUET-1481.parquet");
        var ex = Record.Exception(() =>
        {
            var metadata = ParquetTestFiles.ReadMetadata(File.ReadAllBytes(path), "PARQUET-1481.parquet");
            ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, "PARQUET-1481.parquet");
        });
        Assert.IsAssignableFrom<LarderFormatException>(ex);
        Assert.Contains("physical type", ex.Message, StringComparison.Ordinal);
    }

    private static ParquetReadSchema Map(string name)
    {
        var metadata = SchemaMappingRealFileTests.Read(name);
        return ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, name);
    }
}
