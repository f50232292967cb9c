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
}
