using Larder.IO;

namespace Larder.Core.Tests.IO;

public sealed class RangeSourceTests : IDisposable
{
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7))];

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"larder-range-{Guid.NewGuid():N}.bin");

    public RangeSourceTests() => File.WriteAllBytes(_path, Bytes);

    public void Dispose() => File.Delete(_path);

    public static TheoryData<string> Kinds() => ["file", "stream", "memory"];

    private IRangeSource Create(string kind) => kind switch
    {
        "file" => RangeSource.FromFile(_path),
        "stream" => RangeSource.FromStream(File.OpenRead(_path), leaveOpen: false, _path),
        _ => RangeSource.FromMemory(Bytes, "bytes"),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ReadExactly_AnyRange_ReturnsThoseBytes(string kind)
    {
        using var source = Create(kind);
        Assert.Equal(Bytes.Length, source.Length);
        foreach (var (offset, length) in new[] { (0L, 1), (9_999L, 1), (1234L, 5000), (0L, 10_000) })
        {
            var sync = new byte[length];
            source.ReadExactly(offset, sync, "test data");
            Assert.Equal(Bytes.AsSpan((int)offset, length).ToArray(), sync);
            var async = new byte[length];
            await source.ReadExactlyAsync(offset, async, "test data");
            Assert.Equal(sync, async);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ReadExactly_PastTheEnd_ThrowsTruncatedNamingTheSource(string kind)
    {
        using var source = Create(kind);
        var e = Assert.ThrowsAny<LarderFormatException>(() => source.ReadExactly(9_990, new byte[20], "a footer"));
        Assert.Contains("a footer", e.Message, StringComparison.Ordinal);
        Assert.Contains(source.Name!, e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<LarderFormatException>(async () => await source.ReadExactlyAsync(10_000, new byte[1], "a footer"));
        Assert.Equal(0, source.Read(20_000, new byte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Read(-1, new byte[4]));
    }

    [Fact]
    public void FromFile_Missing_ThrowsNotFound()
        => Assert.Throws<LarderNotFoundException>(() => RangeSource.FromFile(_path + ".missing"));

    [Fact]
    public void FromStream_NotSeekable_ThrowsArgument()
    {
        using var pipe = new NonSeekable();
        Assert.Throws<ArgumentException>(() => RangeSource.FromStream(pipe));
    }

    [Fact]
    public void FromStream_LeaveOpen_KeepsTheStream()
    {
        using var stream = new MemoryStream(Bytes);
        RangeSource.FromStream(stream, leaveOpen: true).Dispose();
        Assert.True(stream.CanRead);
        RangeSource.FromStream(stream).Dispose();
        Assert.False(stream.CanRead);
    }

    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
