using System.Runtime.InteropServices;
using System.Text;
using Larder.Checksums;

namespace Larder.Core.Tests.Checksums;

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    [InlineData("\ta\tb\n0\t1\t1\n1\t1\t2\n", 0x3FDAA797u)]
    public void Compute_KnownVector_ReturnsExpected(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Compute_ThirtyTwoZeroBytes_ReturnsExpected()
    {
        Assert.Equal(0x190A55ADu, Crc32.Compute(new byte[32]));
    }

    [Fact]
    public void Append_RandomSplits_EqualsOneShot()
    {
        foreach (var (data, pieces) in ChecksumTestData.RandomSplits(seed: 1234))
        {
            var crc = new Crc32();
            uint continued = 0;
            foreach (Range piece in pieces)
            {
                crc.Append(data.AsSpan(piece));
                continued = Crc32.Compute(continued, data.AsSpan(piece));
            }

            uint expected = Crc32.Compute(data);
            Assert.Equal(expected, crc.GetCurrentHash());
            Assert.Equal(expected, continued);
            Assert.Equal(expected, crc.GetHashAndReset());
            Assert.Equal(0u, crc.GetCurrentHash());
        }
    }

    [Fact]
    public void Compute_EveryLengthUpTo600_MatchesTableFallback()
    {
        var rng = new Random(5);
        byte[] data = new byte[600];
        rng.NextBytes(data);
        for (int length = 0; length <= data.Length; length++)
        {
            for (int offset = 0; offset < 3; offset++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, Math.Min(length, data.Length - offset));
                Assert.Equal(~Crc32.UpdateTable(0xFFFFFFFFu, slice), Crc32.Compute(slice));
            }
        }
    }

    [Fact]
    public void Compute_LargeInput_FastPathMatchesTableAndZlib()
    {
        Assert.True(Crc32.IsHardwareAccelerated || !System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported);
        var rng = new Random(6);
        foreach (int length in new[] { 64, 65, 1 << 16, (1 << 20) + 13, (16 << 20) + 7 })
        {
            byte[] data = new byte[length];
            rng.NextBytes(data);
            uint fast = Crc32.Compute(data);
            Assert.Equal(~Crc32.UpdateTable(0xFFFFFFFFu, data), fast);
            int bulk = length & ~15;
            Assert.Equal(Crc32.UpdateTable(0xFFFFFFFFu, data.AsSpan(0, bulk)), Crc32.UpdatePclmul(0xFFFFFFFFu, data.AsSpan(0, bulk)));
            Assert.Equal(ZlibCrc32(data), fast);
        }
    }

    private static uint ZlibCrc32(byte[] data) => (uint)ZlibNative.crc32(0, ref MemoryMarshal.GetArrayDataReference(data), (uint)data.Length);

    private static class ZlibNative
    {
#pragma warning disable SYSLIB1054 // a test oracle: plain DllImport keeps the test project free of unsafe code
        [DllImport("libz.so.1")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nuint crc32(nuint crc, ref byte buffer, uint length);
#pragma warning restore SYSLIB1054
    }
}
