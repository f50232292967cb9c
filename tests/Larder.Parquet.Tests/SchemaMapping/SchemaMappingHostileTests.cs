using Larder.Columnar;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Larder.TestKit;

namespace Larder.Parquet.Tests.SchemaMapping;

using ParquetTimeUnit = Larder.Parquet.Metadata.TimeUnit;

public sealed class SchemaMappingHostileTests
{
    public static TheoryData<string, string> InvalidSchemas() => new()
    {
        { "empty", "no elements" },
        { "leafRoot", "root is not a group" },
        { "pastEnd", "points past the end" },
        { "leafWithChildren", "announces 2 children" },
        { "emptyGroup", "a group has no children" },
        { "noType", "no physical type" },
        { "negativeLength", "negative type length" },
        { "unknownPhysical", "unknown physical type 42" },
        { "leftOver", "covers 2 of the 3" },
        { "tooDeep", "nests more than 64" },
        { "badDecimal", "decimal precision 12" },
        { "badAnnotation", "cannot apply" },
    };

    [Theory]
    [MemberData(nameof(InvalidSchemas))]
    public void ToArrow_InvalidSchema_ThrowsFormatExceptionNamingProblem(string kind, string expected)
    {
        var root = new SchemaElement { Name = "schema", NumChildren = 1 };
        SchemaElement Leaf(string name) => new() { Name = name, Type = PhysicalType.Int32, RepetitionType = FieldRepetitionType.Optional };
        IReadOnlyList<SchemaElement> elements = kind switch
        {
            "empty" => [],
            "leafRoot" => [Leaf("schema")],
            "pastEnd" => [root with { NumChildren = 3 }, Leaf("a")],
            "leafWithChildren" => [root, Leaf("a") with { NumChildren = 2 }, Leaf("b"), Leaf("c")],
            "emptyGroup" => [root, new SchemaElement { Name = "g", NumChildren = 0, RepetitionType = FieldRepetitionType.Required }],
            "noType" => [root, new SchemaElement { Name = "a", RepetitionType = FieldRepetitionType.Required }],
            "negativeLength" => [root, Leaf("a") with { TypeLength = -1 }],
            "unknownPhysical" => [root, Leaf("a") with { Type = (PhysicalType)42 }],
            "leftOver" => [root, Leaf("a"), Leaf("b")],
            "tooDeep" => [root, .. Enumerable.Range(0, 70).Select(i => new SchemaElement { Name = $"g{i}", NumChildren = 1, RepetitionType = FieldRepetitionType.Optional }), Leaf("x")],
            "badDecimal" => [root, Leaf("a") with { ConvertedType = ConvertedType.Decimal, Precision = 12, Scale = 2 }],
            _ => [root, Leaf("a") with { LogicalType = LogicalType.String }],
        };
        var ex = Assert.ThrowsAny<LarderFormatException>(() => ParquetSchemaMapper.ToArrow(elements, null, "hostile.parquet"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("hostile.parquet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToArrow_MutatedSchemas_MapOrThrowFormatException()
    {
        var rng = new Random(20240611);
        var seeds = new List<IReadOnlyList<SchemaElement>>
        {
            ParquetSchemaMapper.ToParquet(RandomData.AllTypesSchema()).Elements,
        };
        foreach (var name in new[] { "nonnullable.impala.parquet", "nested_maps.snappy.parquet", "old_list_structure.parquet", "repeated_no_annotation.parquet", "alltypes_plain.parquet" })
        {
            seeds.Add(SchemaMappingRealFileTests.Read(name).Schema);
        }

        int mapped = 0;
        for (int i = 0; i < 500; i++)
        {
            var elements = seeds[rng.Next(seeds.Count)].ToList();
            int mutations = 1 + rng.Next(3);
            for (int m = 0; m < mutations; m++)
            {
                Mutate(elements, rng);
            }

            var ex = Record.Exception(() =>
            {
                var result = ParquetSchemaMapper.ToArrow(elements, null, "mutated");
                Assert.Equal(ParquetTestFiles.LeafCount(elements), result.Columns.Count);
                mapped++;
            });
            Assert.True(ex is null or LarderFormatException, $"mutation {i}: {ex}");
        }

        Assert.InRange(mapped, 1, 499);
    }

    private static void Mutate(List<SchemaElement> elements, Random rng)
    {
        if (elements.Count == 0)
        {
            return;
        }

        int i = rng.Next(elements.Count);
        var e = elements[i];
        switch (rng.Next(12))
        {
            case 0: elements[i] = e with { NumChildren = e.NumChildren is null ? rng.Next(3) : e.NumChildren + rng.Next(-2, 3) }; break;
            case 1: elements[i] = e with { Type = rng.Next(3) == 0 ? null : (PhysicalType)rng.Next(-1, 10) }; break;
            case 2: elements[i] = e with { TypeLength = rng.Next(-3, 20) }; break;
            case 3: elements[i] = e with { RepetitionType = rng.Next(5) == 0 ? null : (FieldRepetitionType)rng.Next(0, 4) }; break;
            case 4: elements[i] = e with { ConvertedType = (ConvertedType)rng.Next(0, 23) }; break;
            case 5: elements[i] = e with { LogicalType = RandomLogical(rng) }; break;
            case 6: elements[i] = e with { Precision = rng.Next(-2, 90), Scale = rng.Next(-2, 40) }; break;
            case 7: elements.RemoveAt(i); break;
            case 8: elements.Insert(i, e); break;
            case 9: elements[i] = e with { Name = "array" }; break;
            case 10: elements[i] = e with { FieldId = rng.Next() }; break;
            default: (elements[i], elements[^1]) = (elements[^1], elements[i]); break;
        }
    }

    private static LogicalType RandomLogical(Random rng) => rng.Next(12) switch
    {
        0 => LogicalType.String,
        1 => LogicalType.Map,
        2 => LogicalType.List,
        3 => LogicalType.Decimal(rng.Next(-1, 10), rng.Next(-1, 80)),
        4 => LogicalType.Time(rng.Next(2) == 0, (ParquetTimeUnit)rng.Next(0, 5)),
        5 => LogicalType.Timestamp(rng.Next(2) == 0, (ParquetTimeUnit)rng.Next(0, 5)),
        6 => LogicalType.Integer(rng.Next(0, 70), rng.Next(2) == 0),
        7 => LogicalType.Uuid,
        8 => LogicalType.Float16,
        9 => LogicalType.Null,
        10 => LogicalType.Date,
        _ => LogicalType.Unknown((short)rng.Next(20, 40)),
    };
}
