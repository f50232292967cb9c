using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Larder.Columnar;

namespace Larder.Core.Tests.Columnar;

public class RecordMapperTests
{
    private static readonly DateTime BaseTime = new(2024, 3, 5, 6, 7, 8, DateTimeKind.Utc);

    [Fact]
    public void InferSchema_Scalars_MapsEachTypeAsDocumented()
    {
        var schema = RecordMapper.InferSchema<Scalars>();

        var expected = new (string Name, ArrowType Type, bool Nullable)[]
        {
            ("Flag", ArrowType.Boolean, false),
            ("I8", ArrowType.Int8, false),
            ("I16", ArrowType.Int16, false),
            ("I32", ArrowType.Int32, false),
            ("I64", ArrowType.Int64, false),
            ("U8", ArrowType.UInt8, false),
            ("U16", ArrowType.UInt16, false),
            ("U32", ArrowType.UInt32, false),
            ("U64", ArrowType.UInt64, false),
            ("F16", ArrowType.HalfFloat, false),
            ("F32", ArrowType.Float, false),
            ("F64", ArrowType.Double, false),
            ("Money", new DecimalType(38, 10), false),
            ("Name", ArrowType.String, false),
            ("Note", ArrowType.String, true),
            ("Bytes", ArrowType.Binary, false),
            ("Memory", ArrowType.Binary, false),
            ("Id", new FixedSizeBinaryType(16), false),
            ("When", new TimestampType(TimeUnit.Microsecond), false),
            ("At", new TimestampType(TimeUnit.Microsecond, "UTC"), false),
            ("Day", ArrowType.Date32, false),
            ("Time", new TimeType(TimeUnit.Microsecond), false),
            ("Span", new DurationType(TimeUnit.Microsecond), false),
            ("Color", new DictionaryType(ArrowType.Int32, ArrowType.String), false),
            ("Permissions", new DictionaryType(ArrowType.Int32, ArrowType.String), false),
        };
        Assert.Equal(expected.Select(e => new Field(e.Name, e.Type, e.Nullable)), schema.Fields);
    }

    [Fact]
    public void InferSchema_NullableValueTypes_GivesNullableFieldsOfTheValueType()
    {
        var schema = RecordMapper.InferSchema<Nullables>();

        Assert.All(schema.Fields, f => Assert.True(f.Nullable, f.Name));
        Assert.Equal(ArrowType.Int32, schema[schema.GetFieldIndex("I32")].Type);
        Assert.Equal(new DictionaryType(ArrowType.Int32, ArrowType.String), schema[schema.GetFieldIndex("Color")].Type);
        Assert.Equal(new TimestampType(TimeUnit.Microsecond, "UTC"), schema[schema.GetFieldIndex("At")].Type);
    }

    [Fact]
    public void InferSchema_NestedTypesAndCollections_MapsToStructListAndMap()
    {
        var schema = RecordMapper.InferSchema<Person>();
        var address = new StructType([new Field("Street", ArrowType.String, false), new Field("City", ArrowType.String, true), new Field("Zip", ArrowType.Int32, false)]);

        Assert.Equal(new Field("Home", address, true), schema[1]);
        Assert.Equal(new Field("Work", address, false), schema[2]);
        Assert.Equal(new Field("Tags", new ListType(new Field("item", ArrowType.String, false)), false), schema[3]);
        Assert.Equal(new Field("Scores", new ListType(new Field("item", ArrowType.Int32, false)), false), schema[4]);
        Assert.Equal(new Field("Previous", new ListType(new Field("item", address, false)), false), schema[5]);
        Assert.Equal(new Field("Maybe", new ListType(new Field("item", ArrowType.Int32, true)), true), schema[6]);
        Assert.Equal(new Field("Counts", new MapType(ArrowType.String, ArrowType.Int32, valueNullable: false), false), schema[7]);
        Assert.Equal(new Field("ByName", new MapType(ArrowType.String, address, valueNullable: true), false), schema[8]);
        Assert.Equal(
            new Field("Matrix", new ListType(new Field("item", new ListType(new Field("item", new DecimalType(38, 10), false)), false)), false),
            schema[9]);
    }

    [Fact]
    public void InferSchema_Attributes_RenameIgnoreAndSetDecimal()
    {
        var schema = RecordMapper.InferSchema<Attributed>();

        Assert.Equal(["id", "Price", "Prices", "Plain", "Computed"], schema.Fields.Select(f => f.Name));
        Assert.Equal(new DecimalType(10, 2), schema[1].Type);
        Assert.Equal(new ListType(new Field("item", new DecimalType(12, 3), false)), schema[2].Type);
        Assert.Equal(new DecimalType(38, 10), schema[3].Type);
    }

    [Fact]
    public void RoundTrip_Scalars_ReturnsEqualRecords()
    {
        var random = new Random(31337);
        var records = Enumerable.Range(0, 200).Select(i => RandomScalars(random, i)).ToList();

        var batch = RecordMapper.ToRecordBatch(records);
        var back = RecordMapper.FromRecordBatch<Scalars>(batch).ToList();

        Assert.Equal(200, batch.Length);
        RecordAssert.Equal(records, back);
    }

    [Fact]
    public void RoundTrip_NullablesWithNulls_ReturnsEqualRecords()
    {
        var random = new Random(4242);
        var records = Enumerable.Range(0, 300).Select(i => RandomNullables(random, i)).ToList();

        var batch = RecordMapper.ToRecordBatch(records);
        var back = RecordMapper.FromRecordBatch<Nullables>(batch).ToList();

        Assert.All(batch.Columns, c => Assert.InRange(c.NullCount, 1, 299));
        RecordAssert.Equal(records, back);
    }

    [Fact]
    public void RoundTrip_NestedClassesListsAndMaps_ReturnsEqualRecords()
    {
        var random = new Random(77);
        var records = Enumerable.Range(0, 120).Select(i => RandomPerson(random, i)).ToList();

        var batch = RecordMapper.ToRecordBatch(records);
        var back = RecordMapper.FromRecordBatch<Person>(batch).ToList();

        RecordAssert.Equal(records, back);
        Assert.IsType<List<string>>(back[0].Tags);
        Assert.IsType<int[]>(back[0].Scores);
        Assert.IsType<Dictionary<string, int>>(back[0].Counts);
        Assert.Contains(back, p => p.Home is null);
        Assert.Contains(back, p => p.Maybe is null);
    }

    [Fact]
    public void RoundTrip_PositionalRecordsAndRecordStructs_UsesConstructors()
    {
        var records = new[]
        {
            new WithStructs { P = new Pair(1, 1.5), Q = null, Ps = [new Pair(2, 2.5), new Pair(3, 3.5)], Where = new Point(1, 2, "a") },
            new WithStructs { P = new Pair(-1, 0), Q = new Pair(9, 9.5), Ps = [], Where = null },
            new WithStructs { P = default, Q = new Pair(0, -1), Ps = [default], Where = new Point(0, 0, null) },
        };

        var back = RecordMapper.FromRecordBatch<WithStructs>(RecordMapper.ToRecordBatch(records)).ToList();
        var points = RecordMapper.FromRecordBatch<Point>(RecordMapper.ToRecordBatch([new Point(5, 6, "x"), new Point(7, 8, null)])).ToList();

        RecordAssert.Equal(records, back);
        Assert.Equal([new Point(5, 6, "x"), new Point(7, 8, null)], points);
        Assert.Equal([new Pair(4, 0.25)], RecordMapper.FromRecordBatch<Pair>(RecordMapper.ToRecordBatch([new Pair(4, 0.25)])));
    }

    [Fact]
    public void RoundTrip_InitOnlyProperties_AreSet()
    {
        var back = RecordMapper.FromRecordBatch<InitOnly>(RecordMapper.ToRecordBatch([new InitOnly { A = 3, B = "three" }])).Single();

        Assert.Equal(3, back.A);
        Assert.Equal("three", back.B);
    }

    [Fact]
    public void RoundTrip_AttributedRecord_UsesColumnNamesAndSkipsIgnoredAndGetOnly()
    {
        var records = new[] { new Attributed { Key = 7, Secret = "s", Price = 12.34m, Prices = [1.5m, -0.001m], Plain = 0.0000000001m } };

        var batch = RecordMapper.ToRecordBatch(records);
        var back = RecordMapper.FromRecordBatch<Attributed>(batch).Single();

        Assert.Equal(14, ((PrimitiveArray<int>)batch.Column("Computed")).Values[0]);
        Assert.Equal(1234, ((Decimal128Array)batch.Column("Price")).Values[0]);
        Assert.Equal(7, back.Key);
        Assert.Equal("hidden", back.Secret);
        Assert.Equal(12.34m, back.Price);
        Assert.Equal([1.5m, -0.001m], back.Prices);
        Assert.Equal(0.0000000001m, back.Plain);
    }

    [Theory]
    [InlineData(1.234)]
    [InlineData(123456789.5)]
    public void ToRecordBatch_DecimalNotFittingArrowDecimal_ThrowsUsage(double price)
    {
        var record = new Attributed { Price = (decimal)price };

        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.ToRecordBatch([record]));
        Assert.Contains("Attributed.Price", e.Message, StringComparison.Ordinal);
        Assert.Contains("decimal128(10, 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToRecordBatch_DefaultDecimalWithMoreThanTenFractionalDigits_ThrowsUsage()
    {
        Assert.Throws<LarderUsageException>(() => RecordMapper.ToRecordBatch([new Attributed { Plain = 0.00000000001m }]));
        Assert.Throws<LarderUsageException>(() => RecordMapper.ToRecordBatch([new Attributed { Plain = decimal.MaxValue }]));
    }

    [Fact]
    public void RoundTrip_DateTimeKinds_StoresUtcInstantsAndWallTimes()
    {
        var utc = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560);
        var local = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Local);
        var unspecified = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        var records = new[] { utc, local, unspecified }.Select(d => new Stamped { When = d, At = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)) }).ToList();

        var batch = RecordMapper.ToRecordBatch(records);
        var back = RecordMapper.FromRecordBatch<Stamped>(batch).ToList();

        var stored = ((TimestampArray)batch.Column("When")).Values.ToArray();
        Assert.Equal((utc.Ticks - DateTime.UnixEpoch.Ticks) / 10, stored[0]);
        Assert.Equal((local.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10, stored[1]);
        Assert.Equal((unspecified.Ticks - DateTime.UnixEpoch.Ticks) / 10, stored[2]);
        Assert.Equal([utc.Ticks, local.ToUniversalTime().Ticks, unspecified.Ticks], back.Select(s => s.When.Ticks));
        Assert.All(back, s => Assert.Equal(DateTimeKind.Unspecified, s.When.Kind));
        Assert.All(back, s => Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), s.At));
        Assert.All(back, s => Assert.Equal(TimeSpan.Zero, s.At.Offset));
    }

    [Fact]
    public void ToRecordBatch_DateTimeWithSubMicrosecondTicks_Truncates()
    {
        var record = new Stamped { When = BaseTime.AddTicks(17) };

        var back = RecordMapper.FromRecordBatch<Stamped>(RecordMapper.ToRecordBatch([record])).Single();

        Assert.Equal(BaseTime.AddTicks(10), back.When);
    }

    [Fact]
    public void ToRecordBatch_Guid_StoresRfc4122ByteOrder()
    {
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var batch = RecordMapper.ToRecordBatch([new Nullables { Id = id }, new Nullables()]);

        var column = (FixedSizeBinaryArray)batch.Column("Id");
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), column.GetBytes(0).ToArray());
        Assert.True(column.IsNull(1));
        Assert.Equal([id, null], RecordMapper.FromRecordBatch<Nullables>(batch).Select(n => n.Id));
    }

    [Fact]
    public void ToRecordBatch_Enums_StoresNamesInDictionary()
    {
        var records = new[]
        {
            new Scalars { Color = Color.Blue, Permissions = Permissions.Read | Permissions.Write },
            new Scalars { Color = Color.Red, Permissions = Permissions.None },
            new Scalars { Color = Color.Blue, Permissions = (Permissions)64 },
        };

        var batch = RecordMapper.ToRecordBatch(records);
        var back = RecordMapper.FromRecordBatch<Scalars>(batch).ToList();

        var colors = (DictionaryArray)batch.Column("Color");
        Assert.Equal(new object?[] { "Blue", "Red" }, ColumnarTestData.Values(colors.Dictionary));
        Assert.Equal(new object?[] { "Blue", "Red", "Blue" }, ColumnarTestData.Values(colors));
        Assert.Equal(new object?[] { "Read, Write", "None", "64" }, ColumnarTestData.Values(batch.Column("Permissions")));
        Assert.Equal(records.Select(r => r.Permissions), back.Select(r => r.Permissions));
        Assert.Equal(records.Select(r => r.Color), back.Select(r => r.Color));
    }

    [Fact]
    public void ToRecordBatches_BatchSize_SplitsRowsInOrder()
    {
        var records = Enumerable.Range(0, 10).Select(i => new Point(i, -i, i % 3 == 0 ? null : $"p{i}")).ToList();

        var batches = RecordMapper.ToRecordBatches(records, batchSize: 3).ToList();

        Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Length));
        Assert.Equal(records, RecordMapper.FromRecordBatches<Point>(batches));
    }

    [Fact]
    public void ToRecordBatches_NoRecords_YieldsNoBatch()
    {
        Assert.Empty(RecordMapper.ToRecordBatches(Array.Empty<Point>()));

        var empty = RecordMapper.ToRecordBatch(Array.Empty<Point>());
        Assert.Equal(0, empty.Length);
        Assert.Equal(RecordMapper.InferSchema<Point>(), empty.Schema);
        Assert.Empty(RecordMapper.FromRecordBatch<Point>(empty));
    }

    [Fact]
    public void ToRecordBatches_NonPositiveBatchSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordMapper.ToRecordBatches(Array.Empty<Point>(), 0));
    }

    [Fact]
    public async Task ToRecordBatchesAsync_Stream_SplitsRowsAndRoundTrips()
    {
        var records = Enumerable.Range(0, 25).Select(i => new Point(i, i * i, null)).ToList();

        var batches = new List<RecordBatch>();
        await foreach (var batch in RecordMapper.ToRecordBatchesAsync(Stream(records), batchSize: 10))
        {
            batches.Add(batch);
        }

        var back = new List<Point>();
        await foreach (var p in RecordMapper.FromRecordBatchesAsync<Point>(Stream(batches)))
        {
            back.Add(p);
        }

        Assert.Equal([10, 10, 5], batches.Select(b => b.Length));
        Assert.Equal(records, back);
    }

    [Fact]
    public async Task ToRecordBatchesAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in RecordMapper.ToRecordBatchesAsync(Stream(new[] { new Point(1, 2, null) }), 10, cts.Token))
            {
                Assert.Fail("no batch expected after cancellation");
            }
        });
    }

    [Fact]
    public void FromRecordBatch_ColumnsInOtherOrderAndExtras_MatchesByName()
    {
        var batch = RecordBatch.FromColumns(
            ("extra", Int32Column(9, 9)),
            ("Label", Utf8Column("a", null)),
            ("Y", Int32Column(20, 21)),
            ("X", Int32Column(10, 11)));

        var points = RecordMapper.FromRecordBatch<Point>(batch).ToList();

        Assert.Equal([new Point(10, 20, "a"), new Point(11, 21, null)], points);
    }

    [Fact]
    public void FromRecordBatch_MissingColumn_ThrowsUsageListingColumns()
    {
        var batch = RecordBatch.FromColumns(("X", Int32Column(1)), ("Label", Utf8Column("a")));

        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.FromRecordBatch<Point>(batch));
        Assert.Contains("'Y'", e.Message, StringComparison.Ordinal);
        Assert.Contains("X, Label", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRecordBatch_NullIntoNonNullableInt_ThrowsUsage()
    {
        var builder = new PrimitiveArrayBuilder<int>(ArrowType.Int32);
        builder.Append(1);
        builder.AppendNull();
        var batch = RecordBatch.FromColumns(("Value", builder.Build()));

        var rows = RecordMapper.FromRecordBatch<OneInt>(batch);

        var e = Assert.Throws<LarderUsageException>(() => rows.ToList());
        Assert.Contains("OneInt.Value", e.Message, StringComparison.Ordinal);
        Assert.Contains("Int32?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRecordBatch_ColumnOfOtherType_ThrowsUsageNamingBoth()
    {
        var batch = RecordMapper.ToRecordBatch([new OneLong { Value = 5 }]);

        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.FromRecordBatch<OneInt>(batch));
        Assert.Contains("OneInt.Value", e.Message, StringComparison.Ordinal);
        Assert.Contains("int64", e.Message, StringComparison.Ordinal);
        Assert.Contains("int32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRecordBatch_DictionaryLargeStringAndNanosecondColumns_ReadsValues()
    {
        var names = ColumnarTestData.Make(new DictionaryType(ArrowType.Int16, ArrowType.String), "x", null, "x");
        var others = ColumnarTestData.Make(ArrowType.LargeString, "one", "two", null);
        var when = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Nanosecond, "Europe/Paris"));
        when.AppendRange([1_000_000_123, -1, 0]);
        var colors = ColumnarTestData.Make(ArrowType.String, "Green", "Blue", "Red");
        var batch = RecordBatch.FromColumns(("Name", names), ("Other", others), ("When", when.Build()), ("Color", colors));

        var rows = RecordMapper.FromRecordBatch<Texts>(batch).ToList();

        Assert.Equal(["x", null, "x"], rows.Select(r => r.Name));
        Assert.Equal(["one", "two", null], rows.Select(r => r.Other));
        Assert.Equal(DateTime.UnixEpoch.AddTicks(10_000_001), rows[0].When);
        Assert.Equal(DateTime.UnixEpoch.AddTicks(-1), rows[1].When);
        Assert.All(rows, r => Assert.Equal(DateTimeKind.Utc, r.When.Kind));
        Assert.Equal([Color.Green, Color.Blue, Color.Red], rows.Select(r => r.Color));
    }

    [Fact]
    public void FromRecordBatch_UnknownEnumName_ThrowsUsage()
    {
        var colors = ColumnarTestData.Make(ArrowType.String, "Purple");
        var batch = RecordBatch.FromColumns(("Name", Utf8Column("a")), ("Other", Utf8Column("b")), ("When", RecordMapper.ToRecordBatch([new Stamped()]).Column(0)), ("Color", colors));

        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.FromRecordBatch<Texts>(batch).ToList());
        Assert.Contains("Purple", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRecordBatch_NoUsableConstructor_ThrowsUsage()
    {
        var batch = RecordBatch.FromColumns(("Value", Int32Column(1)));

        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.FromRecordBatch<NoUsableConstructor>(batch));
        Assert.Contains("NoUsableConstructor", e.Message, StringComparison.Ordinal);
        Assert.Contains("constructor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferSchema_RecursiveTypes_ThrowsUsageNamingProperty()
    {
        var direct = Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<Node>);
        var indirect = Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<Outer>);

        Assert.Contains("Node.Children", direct.Message, StringComparison.Ordinal);
        Assert.Contains("recursive", direct.Message, StringComparison.Ordinal);
        Assert.Contains("Inner.Back", indirect.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferSchema_UnsupportedPropertyTypes_ThrowsUsageNamingPropertyAndType()
    {
        var c = Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<HasChar>);
        var o = Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<HasObject>);
        var s = Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<HasHashSet>);

        Assert.Contains("HasChar.Letter", c.Message, StringComparison.Ordinal);
        Assert.Contains("Char", c.Message, StringComparison.Ordinal);
        Assert.Contains("[ArrowIgnore]", c.Message, StringComparison.Ordinal);
        Assert.Contains("HasObject.Anything", o.Message, StringComparison.Ordinal);
        Assert.Contains("HashSet<Int32>", s.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferSchema_ScalarRecordType_ThrowsUsage()
    {
        Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<int>);
        Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<string>);
        Assert.Throws<LarderUsageException>(RecordMapper.InferSchema<List<int>>);
    }

    [Fact]
    public void ToRecordBatch_NullInNonNullableString_ThrowsUsage()
    {
        var record = new Scalars { Name = null! };

        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.ToRecordBatch([record]));
        Assert.Contains("Scalars.Name", e.Message, StringComparison.Ordinal);
        Assert.Contains("String?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToRecordBatch_NullRecord_ThrowsUsageWithIndex()
    {
        var e = Assert.Throws<LarderUsageException>(() => RecordMapper.ToRecordBatch(new[] { new Point(1, 1, null), null! }));
        Assert.Contains("record 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConcatenateBatches_MappedBatches_RoundTripThroughConcatenation()
    {
        var random = new Random(2718);
        var people = Enumerable.Range(0, 100).Select(i => RandomPerson(random, i)).ToList();
        var scalars = Enumerable.Range(0, 100).Select(i => RandomScalars(random, i)).ToList();

        var peopleBatch = ArrayConcatenator.ConcatenateBatches(RecordMapper.ToRecordBatches(people, 17).ToList());
        var scalarBatch = ArrayConcatenator.ConcatenateBatches(RecordMapper.ToRecordBatches(scalars, 30).ToList());

        RecordAssert.Equal(people, RecordMapper.FromRecordBatch<Person>(peopleBatch).ToList());
        RecordAssert.Equal(scalars, RecordMapper.FromRecordBatch<Scalars>(scalarBatch).ToList());
    }

    [Fact]
    public void FromRecordBatch_SlicedBatch_ReadsTheSlice()
    {
        var random = new Random(5);
        var people = Enumerable.Range(0, 50).Select(i => RandomPerson(random, i)).ToList();

        var back = RecordMapper.FromRecordBatch<Person>(RecordMapper.ToRecordBatch(people).Slice(13, 20)).ToList();

        RecordAssert.Equal(people.Skip(13).Take(20).ToList(), back);
    }

    [Fact]
    public void InferSchema_CalledConcurrently_ReturnsOneCachedSchema()
    {
        var schemas = Enumerable.Range(0, 16).AsParallel().Select(_ => RecordMapper.InferSchema<Person>()).ToList();

        Assert.All(schemas, s => Assert.Same(schemas[0], s));
    }

    [Fact]
    public void RoundTrip_AnonymousTypes_UsesTheirConstructor()
    {
        var rows = new[] { new { Id = 1, Name = (string?)"a", Tags = new[] { "x" } }, new { Id = 2, Name = (string?)null, Tags = Array.Empty<string>() } };

        var batch = RecordMapper.ToRecordBatch(rows);
        var back = ReadAs(batch, rows[0]).ToList();

        Assert.Equal(["Id", "Name", "Tags"], batch.Schema.Fields.Select(f => f.Name));
        RecordAssert.Equal(rows, back);
    }

    [Fact]
    public void ToTable_ManyRecords_SplitsIntoBatchesWithInferredSchema()
    {
        var table = RecordMapper.ToTable(Enumerable.Range(0, 1000).Select(i => new Pair(i, i / 2.0)), batchSize: 300);

        Assert.Equal(RecordMapper.InferSchema<Pair>(), table.Schema);
        Assert.Equal([300, 300, 300, 100], table.Batches.Select(b => b.Length));
        Assert.Equal(1000, RecordMapper.FromRecordBatches<Pair>(table.Batches).Count());
    }

    [Fact]
    public void FromRecordBatch_FixedSizeListColumn_ReadsIntoArrays()
    {
        var pairs = ColumnarTestData.Make(new FixedSizeListType(ArrowType.Int32, 2), new object?[] { 1, 2 }, null, new object?[] { 5, 6 });
        var batch = RecordBatch.FromColumns(("Values", pairs));

        var rows = RecordMapper.FromRecordBatch<HasInts>(batch).ToList();

        Assert.Equal([1, 2], rows[0].Values!);
        Assert.Null(rows[1].Values);
        Assert.Equal([5, 6], rows[2].Values!);
    }

    [Fact]
    public void RoundTrip_ReadOnlyStructWithConstructor_UsesConstructorNotDefault()
    {
        var values = new[] { new Measurement("kg", 1.5), new Measurement("m", -2) };

        var back = RecordMapper.FromRecordBatch<Measurement>(RecordMapper.ToRecordBatch(values)).ToList();

        Assert.Equal(values, back);
    }

    private static IEnumerable<T> ReadAs<T>(RecordBatch batch, T example)
    {
        _ = example;
        return RecordMapper.FromRecordBatch<T>(batch);
    }

    internal static Scalars RandomScalars(Random random, int i) => new()
    {
        Flag = random.Next(2) == 0,
        I8 = (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        I16 = (short)random.Next(short.MinValue, short.MaxValue + 1),
        I32 = random.Next(int.MinValue, int.MaxValue),
        I64 = random.NextInt64(long.MinValue, long.MaxValue),
        U8 = (byte)random.Next(256),
        U16 = (ushort)random.Next(ushort.MaxValue + 1),
        U32 = (uint)random.NextInt64(uint.MaxValue + 1L),
        U64 = (ulong)random.NextInt64() * 2,
        F16 = (Half)(random.NextSingle() * 100),
        F32 = random.NextSingle() * 1e6f,
        F64 = (random.NextDouble() - 0.5) * 1e300,
        Money = Math.Round((decimal)((random.NextDouble() - 0.5) * 1e12), random.Next(0, 11)),
        Name = $"name {i} ✓",
        Note = random.Next(3) == 0 ? null : $"note {random.Next()}",
        Bytes = RandomBytes(random),
        Memory = RandomBytes(random),
        Id = new Guid(RandomBytes(random, 16)),
        When = BaseTime.AddTicks(random.NextInt64(-1_000_000_000_000_000, 1_000_000_000_000_000) / 10 * 10),
        At = new DateTimeOffset(BaseTime.AddTicks(random.NextInt64(1_000_000_000_000) * 10)),
        Day = DateOnly.FromDayNumber(random.Next(0, 3_000_000)),
        Time = new TimeOnly(random.NextInt64(TimeSpan.TicksPerDay) / 10 * 10),
        Span = TimeSpan.FromTicks(random.NextInt64(-1_000_000_000_000, 1_000_000_000_000) * 10),
        Color = (Color)random.Next(3),
        Permissions = (Permissions)random.Next(8),
    };

    private static Nullables RandomNullables(Random random, int i)
    {
        bool Null() => random.Next(4) == 0;
        return new Nullables
        {
            Flag = Null() ? null : random.Next(2) == 0,
            I32 = Null() ? null : random.Next(),
            U64 = Null() ? null : ulong.MaxValue - (ulong)random.Next(),
            F16 = Null() ? null : (Half)random.NextSingle(),
            F64 = Null() ? null : random.NextDouble(),
            Money = Null() ? null : random.Next() / 100m,
            Text = Null() ? null : $"t{i}",
            Bytes = Null() ? null : RandomBytes(random),
            Memory = Null() ? (ReadOnlyMemory<byte>?)null : RandomBytes(random),
            Id = Null() ? null : new Guid(RandomBytes(random, 16)),
            When = Null() ? null : BaseTime.AddDays(random.Next(-100000, 100000)),
            At = Null() ? null : new DateTimeOffset(BaseTime.AddSeconds(random.Next())),
            Day = Null() ? null : DateOnly.FromDayNumber(random.Next(0, 3_000_000)),
            Time = Null() ? null : TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(random.Next(86400))),
            Span = Null() ? null : TimeSpan.FromMilliseconds(random.Next(int.MinValue, int.MaxValue)),
            Color = Null() ? null : (Color)random.Next(3),
        };
    }

    internal static Person RandomPerson(Random random, int i)
    {
        Address MakeAddress() => new() { Street = $"{random.Next(1000)} Main St", City = random.Next(3) == 0 ? null : "Springfield", Zip = random.Next(99999) };
        return new Person
        {
            Name = $"person {i}",
            Home = random.Next(3) == 0 ? null : MakeAddress(),
            Work = MakeAddress(),
            Tags = Enumerable.Range(0, random.Next(4)).Select(k => $"tag{k}").ToList(),
            Scores = Enumerable.Range(0, random.Next(5)).Select(_ => random.Next(100)).ToArray(),
            Previous = Enumerable.Range(0, random.Next(3)).Select(_ => MakeAddress()).ToList(),
            Maybe = random.Next(4) == 0 ? null : Enumerable.Range(0, random.Next(4)).Select(k => k % 2 == 0 ? (int?)k : null).ToList(),
            Counts = Enumerable.Range(0, random.Next(4)).ToDictionary(k => $"c{k}", _ => random.Next()),
            ByName = Enumerable.Range(0, random.Next(3)).ToDictionary(k => $"n{k}", _ => random.Next(2) == 0 ? null : MakeAddress()),
            Matrix = Enumerable.Range(0, random.Next(3)).Select(_ => Enumerable.Range(0, random.Next(3)).Select(k => k * 1.25m).ToList()).ToList(),
            Colors = Enumerable.Range(0, random.Next(3)).Select(_ => (Color)random.Next(3)).ToList(),
        };
    }

    private static byte[] RandomBytes(Random random, int length = -1)
    {
        var bytes = new byte[length >= 0 ? length : random.Next(0, 20)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static PrimitiveArray<int> Int32Column(params int[] values)
    {
        var builder = new PrimitiveArrayBuilder<int>(ArrowType.Int32);
        builder.AppendRange(values);
        return (PrimitiveArray<int>)builder.Build();
    }

    private static StringArray Utf8Column(params string?[] values) => (StringArray)ColumnarTestData.Make(ArrowType.String, values);

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }
}
