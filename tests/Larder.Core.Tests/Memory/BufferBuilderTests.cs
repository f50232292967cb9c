using Larder.Memory;

namespace Larder.Core.Tests.Memory;

public sealed class BufferBuilderTests
{
    [Fact]
    public void SplitFront_ThenAppend_NeitherSideSeesTheOthersBytes()
    {
        var builder = new BufferBuilder();
        builder.AppendRange<byte>([1, 2, 3, 4, 5, 6]);
        var front = builder.SplitFront(4);
        Assert.Equal([1, 2, 3, 4], front.Written.ToArray());
        Assert.Equal([5, 6], builder.Written.ToArray());

        builder.AppendRange<byte>([7, 8]);
        builder.Written[0] = 50;
        front.Append<byte>(9);
        Assert.Equal([1, 2, 3, 4, 9], front.Written.ToArray());
        Assert.Equal([50, 6, 7, 8], builder.Written.ToArray());
    }

    [Fact]
    public void SplitFront_Repeatedly_HandsOutConsecutiveRangesWithoutCopying()
    {
        var builder = new BufferBuilder(1024);
        for (int i = 0; i < 100; i++)
        {
            builder.Append(i);
        }

        var parts = new List<ArrowBuffer>();
        while (builder.Length > 0)
        {
            parts.Add(builder.SplitFront(Math.Min(12, builder.Length)).Build());
        }

        Assert.Equal(Enumerable.Range(0, 100), parts.SelectMany(p => p.As<int>().ToArray()));
        Assert.Equal(34, parts.Count);
    }

    [Fact]
    public void ClearTruncateBuild_AfterSplitFront_NeverTouchTheFront()
    {
        var builder = new BufferBuilder(64);
        builder.AppendRange<byte>([1, 2, 3, 4]);
        var front = builder.SplitFront(2).Build();
        builder.Clear();
        Assert.Equal(0, builder.Length);
        builder.AppendRange<byte>([9, 9, 9]);
        builder.Truncate(1);
        Assert.Equal([9], builder.Build().Span.ToArray());
        Assert.Equal([1, 2], front.Span.ToArray());
    }

    [Fact]
    public void EnsureCapacity_AfterSplitFront_CountsOnlyTheKeptBytes()
    {
        var builder = new BufferBuilder(64);
        builder.AppendRange<byte>(new byte[60]);
        _ = builder.SplitFront(60);
        builder.EnsureCapacity(1000);
        var before = builder.GetSpan(0).Length;
        Assert.True(before >= 1000, $"room for {before}");
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.SplitFront(1));
    }

    [Fact]
    public void Grow_AfterSplitFront_SizesByTheKeptBytesNotTheSharedMemory()
    {
        var builder = new BufferBuilder();
        builder.AppendZeros(1 << 20);
        _ = builder.SplitFront(1 << 20);
        builder.Append<byte>(1);
        Assert.InRange(builder.GetSpan(0).Length, 1, 4096);
    }

    [Fact]
    public void Grow_WithRecycler_GivesTheOldBlockBackAndTakesKeptOnes()
    {
        var recycler = new BufferRecycler();
        var builder = new BufferBuilder { Recycler = recycler };
        builder.AppendZeros(1000);
        var first = builder.SplitFront(1000).Build();
        builder.AppendZeros(5000); // grows: the 1,000-byte block goes back
        var kept = recycler.Rent(1000);
        Assert.True(kept.Span.Overlaps(first.Span), "the block given back is the first one");
        recycler.Return(kept);

        var other = new BufferBuilder { Recycler = recycler };
        other.Append<byte>(7);
        Assert.True(other.Written.Overlaps(first.Span), "a new builder reuses the kept block");
        Assert.Equal(7, first.Span[0]);
    }

    [Fact]
    public void Release_WithRecycler_ReturnsTheBlockAndEmpties()
    {
        var recycler = new BufferRecycler();
        var builder = new BufferBuilder { Recycler = recycler };
        builder.AppendZeros(300);
        var written = builder.Written.ToArray();
        builder.Release();
        Assert.Equal(0, builder.Length);
        Assert.True(recycler.Rent(300).Length >= 300);
        Assert.Equal(300, written.Length);
    }

    [Fact]
    public void Rent_SeveralKept_TakesTheSmallestThatFits()
    {
        var recycler = new BufferRecycler();
        var big = BufferAllocator.Allocate(4096);
        var small = BufferAllocator.Allocate(1024);
        recycler.Return(big);
        recycler.Return(small);
        Assert.True(recycler.Rent(1000).Span.Overlaps(small.Span));
        Assert.True(recycler.Rent(1000).Span.Overlaps(big.Span));
        Assert.False(recycler.Rent(1000).Span.Overlaps(big.Span));
    }
}
