using Larder.Columnar;
using Larder.Parquet.Dremel;
using static Larder.Parquet.Tests.Dremel.LevelTestKit;

namespace Larder.Parquet.Tests.Dremel;

/// <summary>Malformed level streams are rejected with <see cref="LarderFormatException"/>.</summary>
public class LevelAssemblerErrorTests
{
    private static readonly Field ListField = new("a", new ListType(ArrowType.Int32));

    private static ArrayData Ints(params int[] values) => Rows(ArrowType.Int32, [.. values.Cast<object?>()]);

    [Fact]
    public void Assemble_DefinitionAboveMax_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3, 4 }, new short[] { 0, 1 }, Ints(1, 2)));

    [Fact]
    public void Assemble_NegativeRepetition_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3, 3 }, new short[] { 0, -1 }, Ints(1, 2)));

    [Fact]
    public void Assemble_FirstRepetitionNotZero_Throws()
    {
        var e = Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3 }, new short[] { 1 }, Ints(1)));
        Assert.Contains("repetition level 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_RepetitionAfterEmptyList_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 1, 3 }, new short[] { 0, 1 }, Ints(1)));

    [Fact]
    public void Assemble_RepeatedEntryWithoutElement_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3, 1 }, new short[] { 0, 1 }, Ints(1)));

    [Fact]
    public void Assemble_TooFewValues_Throws()
    {
        var e = Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3, 3, 3 }, new short[] { 0, 1, 0 }, Ints(1, 2)));
        Assert.Contains("only 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_TooManyValues_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3 }, new short[] { 0 }, Ints(1, 2)));

    [Fact]
    public void Assemble_FlatTooManyValues_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(new Field("x", ArrowType.Int32)).Assemble(new short[] { 1, 0 }, ReadOnlyMemory<short>.Empty, Ints(1, 2)));

    [Fact]
    public void Assemble_FlatDefinitionAboveMax_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(new Field("x", ArrowType.Int32)).Assemble(new short[] { 1, 2 }, ReadOnlyMemory<short>.Empty, Ints(1)));

    [Fact]
    public void Assemble_LevelCountsDiffer_Throws()
        => Assert.Throws<LarderFormatException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3, 3 }, new short[] { 0 }, Ints(1, 2)));

    [Fact]
    public void Assemble_FixedSizeListWrongLength_Throws()
    {
        var field = new Field("f", new FixedSizeListType(ArrowType.Int32, 2));

        Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(new short[] { 3, 3, 3 }, new short[] { 0, 1, 1 }, Ints(1, 2, 3)));
        Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(new short[] { 1 }, new short[] { 0 }, Ints()));
    }

    [Fact]
    public void Assemble_StructLeavesDisagreeOnRows_Throws()
    {
        var field = new Field("s", new StructType([new Field("a", ArrowType.Int32), new Field("b", ArrowType.Int32)]));
        var leaves = new List<LeafLevels>
        {
            new(new short[] { 2, 2 }, ReadOnlyMemory<short>.Empty, Ints(1, 2)),
            new(new short[] { 2, 2, 2 }, ReadOnlyMemory<short>.Empty, Ints(1, 2, 3)),
        };

        Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(leaves));
    }

    [Fact]
    public void Assemble_StructLeavesDisagreeOnNulls_Throws()
    {
        var field = new Field("s", new StructType([new Field("a", ArrowType.Int32), new Field("b", ArrowType.Int32)]));
        var leaves = new List<LeafLevels>
        {
            new(new short[] { 2, 0 }, ReadOnlyMemory<short>.Empty, Ints(1)),
            new(new short[] { 0, 2 }, ReadOnlyMemory<short>.Empty, Ints(1)),
        };

        Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(leaves));
    }

    [Fact]
    public void Assemble_MapKeysAndValuesDisagreeOnSizes_Throws()
    {
        var field = new Field("m", new MapType(ArrowType.Int32, ArrowType.Int32));
        var leaves = new List<LeafLevels>
        {
            new(new short[] { 2, 2 }, new short[] { 0, 1 }, Ints(1, 2)),
            new(new short[] { 3, 3 }, new short[] { 0, 0 }, Ints(1, 2)),
        };

        Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(leaves));
    }

    [Fact]
    public void Assemble_ValuesOfWrongType_ThrowsArgument()
        => Assert.Throws<ArgumentException>(() => new LevelAssembler(ListField).Assemble(new short[] { 3 }, new short[] { 0 }, Rows(ArrowType.Int64, 1L)));

    [Fact]
    public void Assemble_NoLevels_ZeroLengthColumn()
    {
        var field = new Field("m", new MapType(ArrowType.String, new ListType(ArrowType.Int32)));
        var empty = new List<LeafLevels>
        {
            new(ReadOnlyMemory<short>.Empty, ReadOnlyMemory<short>.Empty, Rows(ArrowType.String)),
            new(ReadOnlyMemory<short>.Empty, ReadOnlyMemory<short>.Empty, Rows(ArrowType.Int32)),
        };

        var assembled = new LevelAssembler(field).Assemble(empty);

        Assert.Equal(0, assembled.Length);
        ArrayValidator.Validate(assembled);
    }
}
