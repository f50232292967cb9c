using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.TestKit;
using static Larder.Parquet.Tests.Dremel.LevelTestKit;

namespace Larder.Parquet.Tests.Dremel;

/// <summary>Property tests: random nested data shredded and reassembled is equal to the input; corrupt levels fail cleanly.</summary>
public class LevelRoundTripTests
{
    private static readonly Dictionary<string, ArrowType> Types = new()
    {
        ["int32"] = ArrowType.Int32,
        ["utf8"] = ArrowType.String,
        ["bool"] = ArrowType.Boolean,
        ["decimal128"] = new DecimalType(20, 3),
        ["fixed_size_binary"] = new FixedSizeBinaryType(5),
        ["null"] = ArrowType.Null,
        ["dictionary"] = new DictionaryType(ArrowType.Int16, ArrowType.String),
        ["list_int32"] = new ListType(ArrowType.Int32),
        ["large_list_large_utf8"] = new ListType(ArrowType.LargeString, large: true),
        ["list_list_utf8"] = new ListType(new ListType(ArrowType.String)),
        ["struct_list_struct"] = new StructType([
            new Field("a", new ListType(ArrowType.Int64)),
            new Field("b", new StructType([new Field("c", ArrowType.String)])),
        ]),
        ["map_utf8_list_int32"] = new MapType(ArrowType.String, new ListType(ArrowType.Int32)),
        ["map_int32_float64"] = new MapType(ArrowType.Int32, ArrowType.Double),
        ["list_struct_list_bool"] = new ListType(new StructType([
            new Field("x", ArrowType.Int32),
            new Field("y", new ListType(ArrowType.Boolean)),
        ])),
        ["fixed_size_list_float64"] = new FixedSizeListType(ArrowType.Double, 3),
        ["list_fixed_size_list_struct"] = new ListType(new FixedSizeListType(new StructType([new Field("p", ArrowType.Int16), new Field("q", ArrowType.Binary)]), 2)),
        ["struct_fixed_size_list_list"] = new StructType([new Field("f", new FixedSizeListType(new ListType(ArrowType.Int8), 2)), new Field("g", ArrowType.Date32)]),
        ["list_dictionary"] = new ListType(new DictionaryType(ArrowType.Int32, ArrowType.String)),
        ["struct_required_child"] = new StructType([new Field("a", ArrowType.Int32, nullable: false), new Field("b", new ListType(new Field("e", ArrowType.String, nullable: false)))]),
    };

    public static TheoryData<string> TypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Types.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static IEnumerable<(Field Field, ArrayData Column, string What)> Cases(string typeName, int seed)
    {
        var random = new Random(seed);
        foreach (bool required in new[] { false, true })
        {
            var type = required ? Required(Types[typeName]) : Types[typeName];
            if (required && type.Id == ArrowTypeId.Null)
            {
                continue;
            }

            var field = new Field("c", type, nullable: !required);
            foreach (double nullFraction in new[] { 0.0, 0.2, 0.6 })
            {
                foreach (int length in new[] { 0, 1, 9, 120 })
                {
                    var array = RandomData.Array(type, length, random.Next(), nullFraction, nullable: !required).Data;
                    yield return (field, array, $"required={required} nulls={nullFraction} length={length}");
                    if (length > 2)
                    {
                        int offset = random.Next(1, length - 1);
                        yield return (field, array.Slice(offset, random.Next(0, length - offset + 1)), $"required={required} nulls={nullFraction} sliced at {offset}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void ShredAssemble_RandomData_EqualsInput(string typeName)
    {
        int seed = 7919 + typeName.Length * 31;
        foreach (var (field, column, what) in Cases(typeName, seed))
        {
            var leaves = Shred(field, column);
            var assembled = new LevelAssembler(field).Assemble(leaves);

            ArrayValidator.Validate(assembled, what);
            ArrowAssert.Equal(ArrowArrayFactory.Create(column), ArrowArrayFactory.Create(assembled));

            // Shredding the reassembled array gives the same levels.
            var again = Shred(field, assembled);
            for (int i = 0; i < leaves.Count; i++)
            {
                Assert.Equal(leaves[i].DefinitionLevels.ToArray(), again[i].DefinitionLevels.ToArray());
                Assert.Equal(leaves[i].RepetitionLevels.ToArray(), again[i].RepetitionLevels.ToArray());
            }
        }
    }

    [Fact]
    public void ShredAssemble_AllTypesSchema_EqualsInput()
    {
        var schema = RandomData.AllTypesSchema();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var batch = RandomData.Batch(schema, 50, seed, nullFraction: 0.25);
            for (int c = 0; c < schema.Count; c++)
            {
                var field = schema[c];
                var column = batch.Column(c).Data.Slice(seed, 50 - (2 * seed));
                var assembled = RoundTrip(field, column);

                ArrowAssert.Equal(ArrowArrayFactory.Create(column), ArrowArrayFactory.Create(assembled));
            }
        }
    }

    [Theory]
    [InlineData("struct_list_struct")]
    [InlineData("map_utf8_list_int32")]
    [InlineData("list_struct_list_bool")]
    [InlineData("list_list_utf8")]
    [InlineData("fixed_size_list_float64")]
    [InlineData("list_fixed_size_list_struct")]
    [InlineData("int32")]
    public void Assemble_CorruptedLevels_SucceedsOrFormatException(string typeName)
    {
        var type = Types[typeName];
        var field = new Field("c", type);
        var column = RandomData.Array(type, 40, 4242, nullFraction: 0.3).Data;
        var original = Shred(field, column);
        var assembler = new LevelAssembler(field);
        var random = new Random(typeName.Length * 1009);
        int failures = 0;
        for (int round = 0; round < 2000; round++)
        {
            var leaves = original.Select(l => (Def: l.DefinitionLevels.ToArray().ToList(), Rep: l.RepetitionLevels.ToArray().ToList(), l.Values)).ToList();
            int mutations = 1 + random.Next(3);
            for (int m = 0; m < mutations; m++)
            {
                int li = random.Next(leaves.Count);
                var (def, rep, values) = leaves[li];
                int kind = random.Next(7);
                int at = def.Count == 0 ? 0 : random.Next(def.Count);
                switch (kind)
                {
                    case 0 when def.Count > 0:
                        def[at] = (short)random.Next(-1, 8);
                        break;
                    case 1 when at < rep.Count:
                        rep[at] = (short)random.Next(-1, 5);
                        break;
                    case 2 when def.Count > 0:
                        def.RemoveAt(at);
                        if (rep.Count > at)
                        {
                            rep.RemoveAt(at);
                        }

                        break;
                    case 3:
                        def.Insert(at, (short)random.Next(0, 6));
                        if (rep.Count > 0 || random.Next(4) == 0)
                        {
                            rep.Insert(Math.Min(at, rep.Count), (short)random.Next(0, 3));
                        }

                        break;
                    case 4 when values.Length > 0:
                        values = values.Slice(0, values.Length - 1);
                        break;
                    case 5:
                        values = ArrayConcatenator.Concatenate([values, values.Slice(0, Math.Min(values.Length, 1 + random.Next(3)))]);
                        break;
                    default:
                        if (rep.Count > 1 && at < rep.Count)
                        {
                            int other = random.Next(rep.Count);
                            (rep[at], rep[other]) = (rep[other], rep[at]);
                        }

                        break;
                }

                leaves[li] = (def, rep, values);
            }

            var input = leaves.Select(l => new LeafLevels(l.Def.ToArray(), l.Rep.ToArray(), l.Values)).ToList();
            try
            {
                var assembled = assembler.Assemble(input);
                ArrayValidator.Validate(assembled);
                Assert.NotNull(ArrowArrayFactory.Create(assembled).ToString());
            }
            catch (LarderFormatException)
            {
                failures++;
            }
        }

        Assert.InRange(failures, 1, 2000);
    }
}
