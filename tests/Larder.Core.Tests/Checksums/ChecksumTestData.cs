namespace Larder.Core.Tests.Checksums;

/// <summary>Inputs shared by the checksum tests.</summary>
internal static class ChecksumTestData
{
    /// <summary>
    /// 200 rounds of random data (up to 5,000 bytes) and the random pieces (up to 300 bytes, some empty) it is cut into,
    /// in order, for checking incremental hashing against one-shot hashing.
    /// </summary>
    public static IEnumerable<(byte[] Data, Range[] Pieces)> RandomSplits(int seed)
    {
        var rng = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            byte[] data = new byte[rng.Next(0, 5000)];
            rng.NextBytes(data);
            var pieces = new List<Range>();
            int pos = 0;
            while (pos < data.Length)
            {
                int n = rng.Next(0, Math.Min(300, data.Length - pos) + 1);
                pieces.Add(pos..(pos + n));
                pos += n;
            }

            yield return (data, [.. pieces]);
        }
    }
}
