namespace Larder.Storage.Tests;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("data/2024/file.csv")]
    [InlineData("données/été.parquet")]
    [InlineData("a..b/c.d")]
    public void Validate_GoodKey_Passes(string key) => ObjectKey.Validate(key);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/abs", "starts with '/'")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("../etc/passwd", "'..' segment")]
    [InlineData("a/./b", "'.' segment")]
    [InlineData("a\\b", "backslash")]
    [InlineData("a\nb", "control character")]
    [InlineData("a\0b", "control character")]
    public void Validate_BadKey_ThrowsUsageNamingTheRule(string key, string rule)
    {
        var error = Assert.Throws<LarderUsageException>(() => ObjectKey.Validate(key));
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooLong_ThrowsUsage()
        => Assert.Throws<LarderUsageException>(() => ObjectKey.Validate(new string('é', 513)));

    [Theory]
    [InlineData("")]
    [InlineData("data/")]
    [InlineData("data/fi")]
    public void ValidatePrefix_PrefixForms_Pass(string prefix) => ObjectKey.ValidatePrefix(prefix);

    [Fact]
    public void ValidatePrefix_DotDot_ThrowsUsage() => Assert.Throws<LarderUsageException>(() => ObjectKey.ValidatePrefix("../"));

    [Fact]
    public void ValidateMetadata_Rules_Enforced()
    {
        ObjectMetadata.Validate(new Dictionary<string, string> { ["dtype"] = "<f8", ["shape"] = "3,4" });
        Assert.Throws<LarderUsageException>(() => ObjectMetadata.Validate(new Dictionary<string, string> { ["DType"] = "x" }));
        Assert.Throws<LarderUsageException>(() => ObjectMetadata.Validate(new Dictionary<string, string> { ["a"] = "é" }));
        Assert.Throws<LarderUsageException>(() => ObjectMetadata.Validate(new Dictionary<string, string> { ["a"] = new string('x', 3000) }));
    }
}
