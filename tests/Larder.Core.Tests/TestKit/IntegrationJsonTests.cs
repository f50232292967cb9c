using Larder.Columnar;
using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Core.Tests.TestKit;

public sealed class IntegrationJsonTests(ITestOutputHelper output)
{
    private static string Gold(string folder, string name) => TestData.Path("arrow-ipc", "integration", folder, name + ".json.gz");

    private static (Schema Schema, IReadOnlyList<RecordBatch> Batches) Primitive(string name) => IntegrationJson.Read(Gold("1.0.0-littleendian", name));

    [Fact]
    public void Read_EveryIntegrationJson_SucceedsOrRefusesUnionOnly()
    {
        var files = Directory.GetDirectories(TestData.Path("arrow-ipc", "integration"))
            .SelectMany(d => Directory.GetFiles(d, "*.json.gz"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        int read = 0, refused = 0;
        var failures = new List<string>();
        foreach (var file in files)
        {
            string name = Path.GetRelativePath(TestData.Path("arrow-ipc", "integration"), file);
            try
            {
                var (schema, batches) = IntegrationJson.Read(file);
                Assert.All(batches, b => Assert.Same(schema, b.Schema));
                read++;
                output.WriteLine($"{name}: {schema.Count} fields, {batches.Count} batches, {batches.Sum(b => b.Length)} rows");
            }
            catch (NotSupportedException e) when (e.Message.StartsWith("union", StringComparison.Ordinal))
            {
                refused++;
                output.WriteLine($"{name}: refused ({e.Message})");
            }
            catch (Exception e) when (e is NotSupportedException or InvalidDataException or ArgumentException or InvalidCastException or OverflowException)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        output.WriteLine($"{read} of {files.Count} integration JSON files read; {refused} refused (union)");
        Assert.Empty(failures);
        Assert.Equal(1, refused);
        Assert.Equal(files.Count - 1, read);
    }

    [Fact]
    public void Read_SameFileTwice_ArrowAssertEqual()
    {
        foreach (var name in new[] { "generated_nested_dictionary", "generated_map", "generated_decimal256", "generated_extension" })
        {
            var a = Primitive(name);
            var b = Primitive(name);
            ArrowAssert.Equal(a.Schema, b.Schema);
            ArrowAssert.Equal(a.Batches, b.Batches);
        }
    }

    [Fact]
    public void Read_Primitive_MatchesHandCheckedValues()
    {
        var (schema, batches) = Primitive("generated_primitive");
        Assert.Equal(2, batches.Count);
        Assert.Equal([17, 20], batches.Select(b => b.Length));
        Assert.Equal("bool_nullable", schema[0].Name);
        Assert.False(schema.Fields.Single(f => f.Name == "bool_nonnullable").Nullable);

        // bool_nullable: VALIDITY [0, 0, 1, …], DATA [false, true, true, …]
        var bools = (BooleanArray)batches[0].Column("bool_nullable");
        Assert.Null(bools[0]);
        Assert.Null(bools[1]);
        Assert.True(bools[2]);

        // int8_nullable DATA [-128, 127, 27, …], all three valid.
        var int8 = (PrimitiveArray<sbyte>)batches[0].Column("int8_nullable");
        Assert.Equal([(sbyte)-128, 127, 27], new[] { int8[0]!.Value, int8[1]!.Value, int8[2]!.Value });

        // float32_nullable DATA [641.818, -331.661, …] with VALIDITY [1, 0, …]
        var f32 = (PrimitiveArray<float>)batches[0].Column("float32_nullable");
        Assert.Equal(641.818f, f32[0]);
        Assert.Null(f32[1]);

        // binary_nullable: row 1 is "68" (one byte 0x68), row 5 "4F345B9FAF28".
        var binary = (BinaryArray)batches[0].Column("binary_nullable");
        Assert.Equal([0x68], binary.GetBytes(1).ToArray());
        Assert.Equal(Convert.FromHexString("4F345B9FAF28"), binary.GetBytes(5).ToArray());
        Assert.True(binary.IsNull(0));

        // utf8_nullable row 1: "r€j5mµc"
        Assert.Equal("r€j5mµc", ((StringArray)batches[0].Column("utf8_nullable")).GetString(1));

        // fixedsizebinary_19_nullable row 1: A19D63F17E9AEF8EAA611FEEEB075221B042B3
        var fsb = (FixedSizeBinaryArray)batches[0].Column("fixedsizebinary_19_nullable");
        Assert.Equal(Convert.FromHexString("A19D63F17E9AEF8EAA611FEEEB075221B042B3"), fsb.GetBytes(1).ToArray());
    }

    [Fact]
    public void Read_DatetimeAndInterval_MatchHandCheckedValues()
    {
        var (schema, batches) = Primitive("generated_datetime");
        Assert.Equal(ArrowType.Date64, schema[1].Type);
        Assert.Equal(253402214400000L, ((PrimitiveArray<long>)batches[0].Column(1))[1]);
        Assert.Equal(-719162, ((PrimitiveArray<int>)batches[0].Column(0))[0]);
        Assert.Equal(new TimeType(TimeUnit.Nanosecond), schema[5].Type);
        Assert.Equal(new TimestampType(TimeUnit.Nanosecond, "US/Pacific"), schema[14].Type);

        var (ischema, ibatches) = Primitive("generated_interval");
        Assert.Equal(new DurationType(TimeUnit.Second), ischema[0].Type);
        Assert.Equal(long.MinValue, ((PrimitiveArray<long>)ibatches[0].Column("f1"))[0]);
        Assert.Null(((PrimitiveArray<long>)ibatches[0].Column("f1"))[6]);
        Assert.Equal(35900, ((PrimitiveArray<int>)ibatches[0].Column("f5"))[2]);
        var dayTime = (PrimitiveArray<IntervalDayTime>)ibatches[0].Column("f6");
        Assert.Equal(new IntervalDayTime(-2622376, -67227994), dayTime[0]);
        Assert.Null(dayTime[2]);
    }

    [Fact]
    public void Read_Decimals_MatchHandCheckedValues()
    {
        var (schema, batches) = Primitive("generated_decimal");
        Assert.Equal(new DecimalType(3, 2), schema[0].Type);
        var f0 = (Decimal128Array)batches[0].Column("f0");
        Assert.Equal((Int128)12810, f0[0]);
        Assert.Equal("128.10", f0.GetString(0));
        Assert.True(f0.IsNull(1));

        var (schema256, batches256) = Primitive("generated_decimal256");
        Assert.Equal(new DecimalType(37, 5, 256), schema256[0].Type);
        var d = (FixedSizeBinaryArray)batches256[0].Column("f0");
        Assert.Equal("-419423694229258864289317942400789.36402", d.GetValue(1));
    }

    [Fact]
    public void Read_Nested_MatchesHandCheckedValues()
    {
        var (schema, batches) = Primitive("generated_nested");
        Assert.Equal(new ListType(ArrowType.Int32), schema[0].Type);

        // list_nullable OFFSET [0, 2, 6, …]; items VALIDITY [0, 1, …] DATA [-2147483648, 2147483647, …]
        var list = (ListArray)batches[0].Column("list_nullable");
        var row0 = list.GetList(0);
        Assert.Equal(2, row0.Length);
        Assert.True(row0.IsNull(0));
        Assert.Equal(int.MaxValue, ((PrimitiveArray<int>)row0)[1]);
        Assert.True(list.IsNull(4));

        // struct_nullable row 1: {f1: null, f2: "i°oÂrme"}
        var st = (StructArray)batches[0].Column("struct_nullable");
        Assert.True(st.Fields[0].IsNull(1));
        Assert.Equal("i°oÂrme", ((StringArray)st.Fields[1]).GetString(1));
        Assert.Equal(new FixedSizeListType(ArrowType.Int32, 4), schema[1].Type);

        var (mschema, mbatches) = Primitive("generated_map");
        var mapType = Assert.IsType<MapType>(mschema[0].Type);
        Assert.False(mapType.KeysSorted);
        var map = (MapArray)mbatches[0].Column(0);
        Assert.Equal(2, map.GetValueLength(0));
        Assert.Equal("add5Â°d", ((StringArray)map.Keys).GetString(0));
        Assert.True(map.IsNull(1));

        var (ncschema, _) = Primitive("generated_map_non_canonical");
        var nc = Assert.IsType<MapType>(ncschema[0].Type);
        Assert.Equal("some_entries", nc.EntriesField.Name);
        Assert.Equal("some_key", nc.KeyField.Name);
    }

    [Fact]
    public void Read_Dictionaries_DecodeThroughTheirIds()
    {
        var (schema, batches) = Primitive("generated_dictionary");
        var type = Assert.IsType<DictionaryType>(schema[0].Type);
        Assert.Equal(ArrowType.Int8, type.IndexType);
        Assert.Equal(ArrowType.String, type.ValueType);
        Assert.Equal(new DictionaryType(ArrowType.Int16, ArrowType.Int64), schema[2].Type);

        // dict0 row 0: index 2 → DICT0[2] = "nwg€6d€"; row 1 is null.
        var dict0 = (DictionaryArray)batches[0].Column("dict0");
        Assert.Equal(2, dict0.GetIndex(0));
        Assert.Equal("nwg€6d€", dict0.GetValue(0));
        Assert.Null(dict0.GetValue(1));
        Assert.Equal(10, dict0.Dictionary.Length);

        var (_, shared) = IntegrationJson.Read(Gold("4.0.0-shareddict", "generated_shared_dict"));
        var col1 = (DictionaryArray)shared[0].Column("col1");
        var col2 = (DictionaryArray)shared[0].Column("col2");
        Assert.Equal(["foo", "bar"], new[] { col1.GetValue(0), col1.GetValue(1) });
        Assert.Equal(["bar", "baz"], new[] { col2.GetValue(0), col2.GetValue(1) });
        Assert.Same(col1.Data.Dictionary, col2.Data.Dictionary);

        // Nested: list_dict is dictionary 1 of list<dictionary 0 of utf8>.
        var (nschema, nbatches) = Primitive("generated_nested_dictionary");
        var listDict = Assert.IsType<DictionaryType>(nschema[0].Type);
        var valueList = Assert.IsType<ListType>(listDict.ValueType);
        Assert.IsType<DictionaryType>(valueList.ValueType);
        var ld = (DictionaryArray)nbatches[0].Column("list_dict");
        Assert.Equal(27, ld.GetIndex(0));

        // DICT1 row 27: OFFSET[27..28] = [31, 31] → an empty list; row 26 OFFSET [28, 31] → str_dict indices
        // [null, 7, null] (VALIDITY [0, 1, 0]) → [null, DICT0[7] = "el3gw6b", null].
        var lists = (ListArray)ld.Dictionary;
        Assert.Equal(0, lists.GetValueLength(27));
        var items = (DictionaryArray)lists.GetList(26);
        Assert.Equal(3, items.Length);
        Assert.Null(items.GetValue(0));
        Assert.Equal("el3gw6b", items.GetValue(1));
        Assert.Null(items.GetValue(2));
    }

    [Fact]
    public void Read_Metadata_KeepsSchemaAndFieldPairs()
    {
        var (schema, _) = Primitive("generated_custom_metadata");
        Assert.Equal(["schema_custom_0", "schema_custom_1"], schema.Metadata.Keys);
        Assert.Equal("{}", schema.Fields.Single(f => f.Name == "sort_of_pandas").Metadata["pandas"]);
        Assert.Equal(9, schema.Fields.Single(f => f.Name == "lots_of_meta").Metadata.Count);
        var list = Assert.IsType<ListType>(schema.Fields.Single(f => f.Name == "list_with_odd_values").Type);
        Assert.Equal("{}", list.ValueField.Metadata["odd_values"]);

        var (ext, _) = Primitive("generated_extension");
        Assert.Equal("uuid", ext[0].Metadata["ARROW:extension:name"]);
        Assert.Equal("dict-extension", ext[1].Metadata["ARROW:extension:name"]);
        Assert.IsType<DictionaryType>(ext[1].Type);
    }

    [Fact]
    public void Read_Union_ThrowsNotSupportedNamingUnion()
    {
        var e = Assert.Throws<NotSupportedException>(() => Primitive("generated_union"));
        Assert.StartsWith("union", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AlternativeValueForms_AreDecoded()
    {
        const string Json = """
        {
          "schema": {
            "fields": [
              {"name": "i64", "type": {"name": "int", "isSigned": true, "bitWidth": 64}, "nullable": true, "children": []},
              {"name": "u64", "type": {"name": "int", "isSigned": false, "bitWidth": 64}, "nullable": false, "children": []},
              {"name": "f64", "type": {"name": "floatingpoint", "precision": "DOUBLE"}, "nullable": true, "children": []},
              {"name": "f16", "type": {"name": "floatingpoint", "precision": "HALF"}, "nullable": true, "children": []},
              {"name": "ts", "type": {"name": "timestamp", "unit": "MILLISECOND", "timezone": "UTC"}, "nullable": true, "children": []},
              {"name": "d64", "type": {"name": "date", "unit": "MILLISECOND"}, "nullable": true, "children": []},
              {"name": "dt", "type": {"name": "interval", "unit": "DAY_TIME"}, "nullable": true, "children": []},
              {"name": "mdn", "type": {"name": "interval", "unit": "MONTH_DAY_NANO"}, "nullable": true, "children": []},
              {"name": "dec", "type": {"name": "decimal", "precision": 10, "scale": 2}, "nullable": true, "children": []},
              {"name": "ll", "type": {"name": "largelist"}, "nullable": true, "children": [
                {"name": "item", "type": {"name": "largeutf8"}, "nullable": true, "children": []}]}
            ],
            "metadata": {"k": "v"}
          },
          "batches": [
            {"count": 3, "columns": [
              {"name": "i64", "count": 3, "VALIDITY": [1, 1, 0], "DATA": ["-9223372036854775808", 42, null]},
              {"name": "u64", "count": 3, "VALIDITY": [true, true, true], "DATA": ["18446744073709551615", 7, "0"]},
              {"name": "f64", "count": 3, "VALIDITY": [1, 1, 1], "DATA": ["NaN", "-Infinity", 1.5]},
              {"name": "f16", "count": 3, "VALIDITY": [1, 1, 0], "DATA": [0.5, "2", 0]},
              {"name": "ts", "count": 3, "VALIDITY": [1, 1, 1], "DATA": [1000, "2000", "1970-01-01T00:00:03Z"]},
              {"name": "d64", "count": 3, "VALIDITY": [1, 1, 1], "DATA": [86400000, "172800000", "1970-01-04"]},
              {"name": "dt", "count": 3, "VALIDITY": [1, 1, 1], "DATA": [{"days": 1, "milliseconds": 2}, [3, 4], {"days": -5, "milliseconds": "6"}]},
              {"name": "mdn", "count": 3, "VALIDITY": [1, 1, 1], "DATA": [{"months": 1, "days": 2, "nanoseconds": "-9223372036854775808"}, {"months": -1, "days": 0, "nanoseconds": 9223372036854775807}, [7, 8, 9]]},
              {"name": "dec", "count": 3, "VALIDITY": [1, 1, 1], "DATA": ["-12345", 678, "1.5"]},
              {"name": "ll", "count": 3, "VALIDITY": [1, 0, 1], "OFFSET": ["0", "2", "2", 3], "children": [
                {"name": "item", "count": 3, "VALIDITY": [1, 0, 1], "OFFSET": ["0", "1", "1", "3"], "DATA": ["a", "", "bc"]}]}
            ]}
          ]
        }
        """;
        var (schema, batches) = IntegrationJson.Parse(Json);
        Assert.Equal("v", schema.Metadata["k"]);
        var b = batches[0];
        Assert.Equal(long.MinValue, ((PrimitiveArray<long>)b.Column("i64"))[0]);
        Assert.Equal(42L, ((PrimitiveArray<long>)b.Column("i64"))[1]);
        Assert.Equal(ulong.MaxValue, ((PrimitiveArray<ulong>)b.Column("u64"))[0]);
        var f64 = (PrimitiveArray<double>)b.Column("f64");
        Assert.True(double.IsNaN(f64.Values[0]));
        Assert.Equal(double.NegativeInfinity, f64.Values[1]);
        Assert.Equal((Half)2, ((PrimitiveArray<Half>)b.Column("f16"))[1]);
        Assert.Equal([1000L, 2000L, 3000L], ((PrimitiveArray<long>)b.Column("ts")).Values.ToArray());
        Assert.Equal([86_400_000L, 172_800_000L, 259_200_000L], ((PrimitiveArray<long>)b.Column("d64")).Values.ToArray());
        Assert.Equal([new IntervalDayTime(1, 2), new IntervalDayTime(3, 4), new IntervalDayTime(-5, 6)], ((PrimitiveArray<IntervalDayTime>)b.Column("dt")).Values.ToArray());
        Assert.Equal(
            [new IntervalMonthDayNano(1, 2, long.MinValue), new IntervalMonthDayNano(-1, 0, long.MaxValue), new IntervalMonthDayNano(7, 8, 9)],
            ((PrimitiveArray<IntervalMonthDayNano>)b.Column("mdn")).Values.ToArray());
        Assert.Equal([(Int128)(-12345), 678, 150], ((Decimal128Array)b.Column("dec")).Values.ToArray());
        var ll = (ListArray)b.Column("ll");
        Assert.Equal(ArrowTypeId.LargeList, ll.Type.Id);
        var first = (StringArray)ll.GetList(0);
        Assert.Equal("a", first.GetString(0));
        Assert.Null(first.GetString(1));
        Assert.Equal("bc", ((StringArray)ll.GetList(2)).GetString(0));
    }

    [Theory]
    [InlineData("""{"schema": {"fields": [{"name": "a", "type": {"name": "int", "isSigned": true, "bitWidth": 32}, "nullable": true, "children": []}]}, "batches": [{"count": 2, "columns": [{"name": "a", "count": 2, "VALIDITY": [1, 1], "DATA": [1]}]}]}""", "DATA has 1 values for a count of 2")]
    [InlineData("""{"schema": {"fields": [{"name": "a", "type": {"name": "int", "isSigned": true, "bitWidth": 8}, "nullable": true, "children": []}]}, "batches": [{"count": 1, "columns": [{"name": "a", "count": 1, "VALIDITY": [1], "DATA": [300]}]}]}""", "does not fit int8")]
    [InlineData("""{"schema": {"fields": [{"name": "a", "type": {"name": "utf8"}, "nullable": true, "children": [], "dictionary": {"id": 3, "indexType": {"name": "int", "isSigned": true, "bitWidth": 8}, "isOrdered": false}}]}, "batches": [{"count": 1, "columns": [{"name": "a", "count": 1, "VALIDITY": [1], "DATA": [0]}]}]}""", "dictionary 3 is not among the document's dictionaries")]
    [InlineData("""{"schema": {"fields": [{"name": "a", "type": {"name": "wat"}, "nullable": true, "children": []}]}, "batches": []}""", "unknown type name \"wat\"")]
    [InlineData("""{"schema": {"fields": [{"name": "a", "type": {"name": "binary"}, "nullable": true, "children": []}]}, "batches": [{"count": 1, "columns": [{"name": "a", "count": 1, "VALIDITY": [1], "OFFSET": [0, 1], "DATA": ["ZZ"]}]}]}""", "is not hexadecimal")]
    public void Parse_MalformedDocument_ThrowsInvalidDataNamingThePlace(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => IntegrationJson.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("\"a\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("union")]
    [InlineData("utf8view")]
    [InlineData("listview")]
    [InlineData("runendencoded")]
    public void Parse_TypesOutsideTheModel_ThrowNotSupportedNamingTheType(string typeName)
    {
        string json = $$"""{"schema": {"fields": [{"name": "u", "type": {"name": "{{typeName}}", "mode": "SPARSE", "typeIds": []}, "nullable": true, "children": []}]}, "batches": []}""";
        var e = Assert.Throws<NotSupportedException>(() => IntegrationJson.Parse(json));
        Assert.StartsWith(typeName, e.Message, StringComparison.Ordinal);
    }
}
