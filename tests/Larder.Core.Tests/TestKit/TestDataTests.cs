using Larder.TestKit;

namespace Larder.Core.Tests.TestKit;

public sealed class TestDataTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("larder-testdata-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Root_InThisCheckout_HoldsTheArrowIntegrationFiles()
    {
        Assert.True(Path.IsPathFullyQualified(TestData.Root));
        Assert.True(Directory.Exists(TestData.Path("arrow-ipc", "integration", "1.0.0-littleendian")));
        Assert.Equal(Path.Combine(TestData.Root, "a", "b"), TestData.Path("a", "b"));
    }

    [Fact]
    public void Locate_OverrideSet_ReturnsItAsAbsolutePath()
    {
        Assert.Equal(_temp, TestData.Locate(_temp, "/"));
    }

    [Fact]
    public void Locate_OverrideMissing_ThrowsNamingTheVariable()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => TestData.Locate(Path.Combine(_temp, "nope"), _temp));
        Assert.Contains(TestData.EnvironmentVariable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_FromInsideRepository_FindsSharedTestdataNextToIt()
    {
        string repo = Directory.CreateDirectory(Path.Combine(_temp, "main")).FullName;
        File.WriteAllText(Path.Combine(repo, "Larder.slnx"), "<Solution />");
        string deep = Directory.CreateDirectory(Path.Combine(repo, "tests", "x", "bin", "Debug")).FullName;

        var missing = Assert.Throws<DirectoryNotFoundException>(() => TestData.Locate(null, deep));
        Assert.Contains(Path.Combine(_temp, "shared", "testdata"), missing.Message, StringComparison.Ordinal);

        string shared = Directory.CreateDirectory(Path.Combine(_temp, "shared", "testdata")).FullName;
        Assert.Equal(shared, TestData.Locate(null, deep));
        Assert.Equal(shared, TestData.Locate("  ", repo));
    }

    [Fact]
    public void Locate_OutsideAnyRepository_ThrowsClearly()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => TestData.Locate(null, _temp));
        Assert.Contains("Larder.slnx", e.Message, StringComparison.Ordinal);
        Assert.Contains(TestData.EnvironmentVariable, e.Message, StringComparison.Ordinal);
    }
}
