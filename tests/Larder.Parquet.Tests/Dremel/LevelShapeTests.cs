using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.TestKit;
using static Larder.Parquet.Tests.Dremel.LevelTestKit;

namespace Larder.Parquet.Tests.Dremel;

/// <summary>Hand-checked levels for each nested shape, and their reassembly.</summary>
public class LevelShapeTests
{
    private static void AssertLevels(LeafLevels leaf, int[] def, int[] rep, int valueCount)
    {
        Assert.Equal(def, leaf.DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal(rep, leaf.RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal(valueCount, leaf.Values.Length);
    }

    private static void AssertRoundTrip(Field field, ArrayData column)
    {
        var assembled = RoundTrip(field, column);
        ArrayValidator.Validate(assembled);
        ArrowAssert.Equal(ArrowArrayFactory.Create(column), ArrowArrayFactory.Create(assembled));
    }

    [Fact]
    public void For_Map_KeyRequiredValueOptional()
    {
        var leaves = LeafPaths.For(new Field("m", new MapType(ArrowType.String, ArrowType.Int32)));

        Assert.Equal(["m.key_value.key", "m.key_value.value"], leaves.Select(l => l.Name));
        Assert.Equal([2, 3], leaves.Select(l => l.MaxDefinitionLevel));
        Assert.Equal([1, 1], leaves.Select(l => l.MaxRepetitionLevel));
        var nodes = leaves[1].Nodes;
        Assert.Equal([LevelNodeKind.Map, LevelNodeKind.Struct, LevelNodeKind.Leaf], nodes.Select(n => n.Kind));
        Assert.Equal([1, 2, 3], nodes.Select(n => n.DefLevel));
        Assert.Equal([1, 1, 1], nodes.Select(n => n.RepLevel));
        Assert.Same(leaves[0].Nodes[1], leaves[1].Nodes[1]);
    }

    [Fact]
    public void For_DictionaryAndFlat_AreLeaves()
    {
        var dict = LeafPaths.For(new Field("d", new DictionaryType(ArrowType.Int16, ArrowType.String), nullable: false));
        var flat = LeafPaths.For(new Field("x", ArrowType.Int32));

        Assert.Single(dict);
        Assert.Equal(0, dict[0].MaxDefinitionLevel);
        Assert.True(dict[0].IsFlat);
        Assert.Equal(1, flat[0].MaxDefinitionLevel);
        Assert.Equal(0, flat[0].MaxRepetitionLevel);
    }

    [Fact]
    public void For_EmptyStruct_Throws()
        => Assert.Throws<LarderNotSupportedException>(() => LeafPaths.For(new Field("s", new StructType([]))));

    [Fact]
    public void LeafPath_TwoLevelLegacyList_SameLevelsAsThreeLevel()
    {
        // optional group a (LIST) { repeated int32 x; } == a: list<x: int32 not null>, the leaf being the repeated node.
        var field = new Field("a", new ListType(new Field("x", ArrowType.Int32, nullable: false)));
        var canonical = LeafPaths.For(field)[0];
        var legacy = canonical.With(["a", "x"], repeatedLeaf: true);

        Assert.True(legacy.RepeatedLeaf);
        Assert.Equal(2, legacy.MaxDefinitionLevel);
        Assert.Equal(1, legacy.MaxRepetitionLevel);
        var column = Rows(field.Type, new object[] { 1, 2 }, null, Array.Empty<object>());
        var levels = Shred(field, column);
        var assembled = new LevelAssembler([legacy]).Assemble(levels);
        ArrowAssert.Equal(ArrowArrayFactory.Create(column), ArrowArrayFactory.Create(assembled));
    }

    [Fact]
    public void LeafPath_BareRepeatedPrimitive_RequiredListOfRequired()
    {
        // repeated int32 x; (no LIST annotation) == x: list<x: int32 not null> not null.
        var field = new Field("x", new ListType(new Field("x", ArrowType.Int32, nullable: false)), nullable: false);
        var path = LeafPaths.For(field)[0].With(["x"], repeatedLeaf: true);

        Assert.Equal(1, path.MaxDefinitionLevel);
        Assert.Equal(1, path.MaxRepetitionLevel);
        var assembled = new LevelAssembler([path]).Assemble(new short[] { 1, 1, 0, 1 }, new short[] { 0, 1, 0, 0 }, Rows(ArrowType.Int32, 7, 8, 9));
        var list = (ListArray)ArrowArrayFactory.Create(assembled);
        Assert.Equal(3, list.Length);
        Assert.Equal([2, 0, 1], Enumerable.Range(0, 3).Select(list.GetValueLength));
        Assert.Equal(0, list.NullCount);
    }

    [Fact]
    public void Shred_ListOfInt32_NullVersusEmpty()
    {
        var field = new Field("a", new ListType(ArrowType.Int32));
        var column = Rows(field.Type, new object?[] { 1, 2 }, null, Array.Empty<object>(), new object?[] { null, 3 });

        var leaves = Shred(field, column);

        AssertLevels(leaves[0], [3, 3, 0, 1, 2, 3], [0, 1, 0, 0, 0, 1], 3);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_StructOfListAndStruct_Levels()
    {
        var type = new StructType([
            new Field("a", new ListType(ArrowType.Int64)),
            new Field("b", new StructType([new Field("c", ArrowType.String)])),
        ]);
        var field = new Field("s", type);
        var column = Rows(
            type,
            Row(("a", new object[] { 1L }), ("b", Row(("c", "x")))),
            null,
            Row(("a", null), ("b", null)),
            Row(("a", Array.Empty<object>()), ("b", Row(("c", null)))));

        var leaves = Shred(field, column);

        AssertLevels(leaves[0], [4, 0, 1, 2], [0, 0, 0, 0], 1);
        AssertLevels(leaves[1], [3, 0, 1, 2], [], 1);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_MapOfListValues_Levels()
    {
        var type = new MapType(ArrowType.String, new ListType(ArrowType.Int32));
        var field = new Field("m", type);
        var column = Rows(
            type,
            new[] { new KeyValuePair<object?, object?>("a", new object[] { 1, 2 }), new KeyValuePair<object?, object?>("b", null) },
            null,
            Array.Empty<KeyValuePair<object?, object?>>(),
            new[] { new KeyValuePair<object?, object?>("c", Array.Empty<object>()) });

        var leaves = Shred(field, column);

        AssertLevels(leaves[0], [2, 2, 0, 1, 2], [0, 1, 0, 0, 0], 3);
        AssertLevels(leaves[1], [5, 5, 2, 0, 1, 3], [0, 2, 1, 0, 0, 0], 2);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_FixedSizeList_NullRowsHaveOneLevel()
    {
        var type = new FixedSizeListType(ArrowType.Double, 2);
        var field = new Field("f", type);
        var column = Rows(type, new object[] { 1.0, 2.0 }, null, new object?[] { null, 3.0 });

        var leaves = Shred(field, column);

        AssertLevels(leaves[0], [3, 3, 0, 2, 3], [0, 1, 0, 0, 1], 3);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_ListOfLists_Levels()
    {
        var type = new ListType(new ListType(ArrowType.String));
        var field = new Field("l", type);
        var column = Rows(type, new object?[] { new object[] { "a" }, Array.Empty<object>(), null }, null, Array.Empty<object>(), new object?[] { new object?[] { "b", null, "c" } });

        var leaves = Shred(field, column);

        AssertLevels(leaves[0], [5, 3, 2, 0, 1, 5, 4, 5], [0, 1, 1, 0, 0, 0, 2, 2], 3);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_ListOfStructWithList_Levels()
    {
        var element = new StructType([new Field("x", ArrowType.Int32), new Field("y", new ListType(ArrowType.Boolean))]);
        var type = new ListType(element);
        var field = new Field("l", type);
        var column = Rows(type, new object?[] { Row(("x", 1), ("y", new object[] { true, false })), null }, Array.Empty<object>());

        var leaves = Shred(field, column);

        AssertLevels(leaves[0], [4, 2, 1], [0, 1, 0], 1);
        AssertLevels(leaves[1], [6, 6, 2, 1], [0, 2, 1, 0], 2);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_SlicedListWithOffsetsNotAtZero_SameAsCompactCopy()
    {
        var field = new Field("a", new ListType(ArrowType.Int32));
        var full = Rows(field.Type, new object?[] { 1, 2 }, null, new object?[] { 3, null, 4 }, Array.Empty<object>(), new object?[] { 5 });
        var sliced = full.Slice(2, 3);
        var compact = Rows(field.Type, new object?[] { 3, null, 4 }, Array.Empty<object>(), new object?[] { 5 });

        var a = Shred(field, sliced)[0];
        var b = Shred(field, compact)[0];

        Assert.Equal(b.DefinitionLevels.ToArray(), a.DefinitionLevels.ToArray());
        Assert.Equal(b.RepetitionLevels.ToArray(), a.RepetitionLevels.ToArray());
        ArrowAssert.Equal(ArrowArrayFactory.Create(b.Values), ArrowArrayFactory.Create(a.Values));
        AssertRoundTrip(field, sliced);
    }

    [Fact]
    public void Shred_SlicedStruct_ChildrenFollowParentOffset()
    {
        var type = new StructType([new Field("a", ArrowType.Int32), new Field("b", new ListType(ArrowType.String))]);
        var field = new Field("s", type);
        var full = Rows(type, Row(("a", 1), ("b", new object[] { "p" })), null, Row(("a", 3), ("b", new object[] { "q", "r" })), Row(("a", null), ("b", null)));
        var sliced = full.Slice(1, 3);

        var leaves = Shred(field, sliced);

        AssertLevels(leaves[0], [0, 2, 1], [], 1);
        AssertLevels(leaves[1], [0, 4, 4, 1], [0, 0, 1, 0], 2);
        AssertRoundTrip(field, sliced);
    }

    [Fact]
    public void Shred_FlatOptional_DefinitionLevelsFromBitmap()
    {
        var field = new Field("x", ArrowType.Int32);
        var values = Enumerable.Range(0, 37).Select(i => i % 3 == 0 ? (object?)null : i).ToArray();
        var column = Rows(ArrowType.Int32, values).Slice(3, 30);

        var leaf = Shred(field, column)[0];

        Assert.Equal(values.Skip(3).Take(30).Select(v => v is null ? 0 : 1), leaf.DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.True(leaf.RepetitionLevels.IsEmpty);
        Assert.Equal(20, leaf.Values.Length);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_FlatRequired_NoLevelsValuesAsIs()
    {
        var field = new Field("x", ArrowType.Int64, nullable: false);
        var column = Rows(ArrowType.Int64, 1L, 2L, 3L);
        var shredder = new LevelShredder(field);

        shredder.Shred(column);

        Assert.Equal(3, shredder.Results[0].LevelCount);
        Assert.True(shredder.Results[0].DefinitionLevels.IsEmpty);
        Assert.Same(column, shredder.Results[0].Values);
    }

    [Fact]
    public void Shred_NullInRequiredField_ThrowsUsage()
    {
        var field = new Field("l", new ListType(new Field("element", ArrowType.Int32, nullable: false)));
        var column = Rows(field.Type, new object?[] { new object?[] { 1, null } });

        Assert.Throws<LarderUsageException>(() => new LevelShredder(field).Shred(column));
    }

    [Fact]
    public void Shred_ZeroLength_NoLevelsEmptyValues()
    {
        var field = new Field("l", new ListType(new StructType([new Field("a", ArrowType.String)])));
        var column = Rows(field.Type);

        var leaves = Shred(field, column);

        Assert.Empty(leaves[0].DefinitionLevels.ToArray());
        Assert.Equal(0, leaves[0].Values.Length);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_DictionaryLeafInList_ValuesKeepDictionary()
    {
        var type = new ListType(new DictionaryType(ArrowType.Int32, ArrowType.String));
        var field = new Field("l", type);
        var column = Rows(type, new object?[] { "a", null, "b" }, null, new object?[] { "a" });

        var leaves = Shred(field, column);

        Assert.Equal(ArrowTypeId.Dictionary, leaves[0].Values.Type.Id);
        Assert.Equal(3, leaves[0].Values.Length);
        AssertRoundTrip(field, column);
    }

    [Fact]
    public void Shred_ReusedShredder_SecondBatchReplacesFirst()
    {
        var field = new Field("l", new ListType(ArrowType.Int32));
        var shredder = new LevelShredder(field);
        shredder.Shred(Rows(field.Type, new object?[] { 1, 2, 3 }, null));

        shredder.Shred(Rows(field.Type, new object?[] { new object?[] { 4 } }));

        Assert.Equal([3], shredder.Results[0].DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([0], shredder.Results[0].RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal(1, shredder.Results[0].Values.Length);
    }
}
