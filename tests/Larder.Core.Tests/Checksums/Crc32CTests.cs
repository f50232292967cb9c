using System.Text;
using Larder.Checksums;

namespace Larder.Core.Tests.Checksums;

public class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]
    public void Compute_KnownVector_ReturnsExpected(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Compute_Rfc3720Vectors_ReturnExpected()
    {
        byte[] ascending = new byte[32];
        byte[] descending = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            ascending[i] = (byte)i;
            descending[i] = (byte)(31 - i);
        }

        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(ascending));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(descending));
    }

    [Fact]
    public void Append_RandomSplits_EqualsOneShot()
    {
        foreach (var (data, pieces) in ChecksumTestData.RandomSplits(seed: 4321))
        {
            var crc = new Crc32C();
            uint continued = 0;
            foreach (Range piece in pieces)
            {
                crc.Append(data.AsSpan(piece));
                continued = Crc32C.Compute(continued, data.AsSpan(piece));
            }

            uint expected = Crc32C.Compute(data);
            Assert.Equal(expected, crc.GetCurrentHash());
            Assert.Equal(expected, continued);
            crc.Reset();
            Assert.Equal(0u, crc.GetCurrentHash());
        }
    }

    [Fact]
    public void Compute_LargeAndOddInputs_HardwarePathMatchesTable()
    {
        var rng = new Random(7);
        foreach (int length in new[] { 1, 3, 7, 8, 9, 31, 33, 4095, 1 << 16, (16 << 20) + 5 })
        {
            byte[] data = new byte[length];
            rng.NextBytes(data);
            Assert.Equal(Crc32C.UpdateTable(0xFFFFFFFFu, data), Crc32C.UpdateSse42(0xFFFFFFFFu, data));
            Assert.Equal(~Crc32C.UpdateTable(0xFFFFFFFFu, data), Crc32C.Compute(data));
        }
    }
}
