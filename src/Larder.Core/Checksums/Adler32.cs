namespace Larder.Checksums;

/// <summary>Adler-32 (RFC 1950), the zlib stream trailer checksum. Pure functions; thread-safe.</summary>
internal static class Adler32
{
    private const uint Base = 65521;

    // The largest n such that 255 n (n + 1) / 2 + (n + 1) (Base - 1) fits in 32 bits.
    private const int NMax = 5552;

    /// <summary>Continues an Adler-32 (start with 1) over <paramref name="data"/>.</summary>
    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF;
        uint b = adler >> 16;
        while (data.Length > 0)
        {
            int n = Math.Min(data.Length, NMax);
            ReadOnlySpan<byte> chunk = data[..n];
            int i = 0;
            for (; i + 4 <= n; i += 4)
            {
                a += chunk[i];
                b += a;
                a += chunk[i + 1];
                b += a;
                a += chunk[i + 2];
                b += a;
                a += chunk[i + 3];
                b += a;
            }

            for (; i < n; i++)
            {
                a += chunk[i];
                b += a;
            }

            a %= Base;
            b %= Base;
            data = data[n..];
        }

        return (b << 16) | a;
    }
}
