using System.Text;
using Larder.Checksums;

namespace Larder.Core.Tests.Checksums;

public class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void ComputeHex_KnownVector_ReturnsLowerCaseHex(string text, string expected)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Sha256.ComputeHex(data));
        Assert.Equal(expected, Sha256.ToHex(Sha256.Compute(data)));
        Assert.Equal(expected, Sha256.ComputeHex(new MemoryStream(data)));
    }

    [Fact]
    public void Append_RandomSplits_EqualsOneShot()
    {
        var rng = new Random(99);
        byte[] data = new byte[100_000];
        rng.NextBytes(data);
        using var sha = new Sha256();
        int pos = 0;
        while (pos < data.Length)
        {
            int n = rng.Next(0, Math.Min(5000, data.Length - pos) + 1);
            sha.Append(data.AsSpan(pos, n));
            pos += n;
        }

        string expected = Sha256.ComputeHex(data);
        Assert.Equal(expected, sha.GetCurrentHashHex());
        Assert.Equal(expected, Sha256.ToHex(sha.GetCurrentHash()));
        Assert.Equal(expected, sha.GetHashHexAndReset());
        Assert.Equal(Sha256.ComputeHex([]), Sha256.ToHex(sha.GetHashAndReset()));
    }
}
