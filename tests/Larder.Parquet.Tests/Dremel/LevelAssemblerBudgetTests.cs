using Larder.Columnar;
using Larder.Parquet.Dremel;
using static Larder.Parquet.Tests.Dremel.LevelTestKit;

namespace Larder.Parquet.Tests.Dremel;

/// <summary>Null fixed-size lists need child slots without levels of their own; hostile counts of them are refused early.</summary>
public class LevelAssemblerBudgetTests
{
    [Fact]
    public void Assemble_ManyNullHugeFixedSizeLists_ThrowsFormatErrorBeforeAllocatingTheChildren()
    {
        // 2,000 null rows of a million-item list: 2e9 child slots from 2,000 levels (a few bytes of RLE in a file).
        var field = new Field("v", new FixedSizeListType(ArrowType.Int64, 1_000_000));
        var def = new short[2_000];
        var rep = new short[2_000];
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(def, rep, Rows(ArrowType.Int64)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("null fixed-size lists", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes before refusing");
    }

    [Fact]
    public void Assemble_NestedNullFixedSizeLists_CountsEveryLevelOfPhantoms()
    {
        // A null outer list of 5,000 lists of 5,000: 25e6 grandchild slots from one level.
        var field = new Field("v", new FixedSizeListType(new FixedSizeListType(ArrowType.Int8, 5_000), 5_000));
        Assert.Throws<LarderFormatException>(() => new LevelAssembler(field).Assemble(new short[] { 0 }, new short[] { 0 }, Rows(ArrowType.Int8)));
    }

    [Fact]
    public void Assemble_NullFixedSizeListsWithinBudget_BuildsNullRowsWithChildSlots()
    {
        var field = new Field("v", new FixedSizeListType(ArrowType.Int32, 1_000));
        var data = new LevelAssembler(field).Assemble(new short[] { 0, 0, 0 }, new short[] { 0, 0, 0 }, Rows(ArrowType.Int32));
        Assert.Equal(3, data.Length);
        Assert.Equal(3, data.NullCount);
        Assert.Equal(3_000, data.Children[0].Length);
    }
}
