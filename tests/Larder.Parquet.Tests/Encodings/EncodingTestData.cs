using System.Buffers;
using Larder.Memory;

namespace Larder.Parquet.Tests.Encodings;

/// <summary>Seeded value patterns and helpers shared by the encoding tests.</summary>
internal static class EncodingTestData
{
    public static readonly int[] Sizes = [0, 1, 7, 8, 9, 127, 128, 129, 10_000, 1_000_000];

    public static readonly string[] Patterns = ["random", "sorted", "constant", "alternating", "runs", "extreme"];

    /// <summary>Values in 0..2^bitWidth-1 (any bit pattern for width 32) following <paramref name="pattern"/>.</summary>
    public static int[] Levels(int count, int bitWidth, string pattern, int seed)
    {
        var random = new Random(seed);
        uint max = bitWidth == 32 ? uint.MaxValue : (uint)((1UL << bitWidth) - 1);
        uint Next() => bitWidth == 0 ? 0 : (uint)(random.NextInt64(0, (long)max + 1));
        var values = new int[count];
        switch (pattern)
        {
            case "random":
                for (int i = 0; i < count; i++)
                {
                    values[i] = (int)Next();
                }

                break;
            case "sorted":
                for (int i = 0; i < count; i++)
                {
                    values[i] = (int)Next();
                }

                Array.Sort(values, (a, b) => ((uint)a).CompareTo((uint)b));
                break;
            case "constant":
                Array.Fill(values, (int)Next());
                break;
            case "alternating":
                for (int i = 0; i < count; i++)
                {
                    values[i] = (i & 1) == 0 ? 0 : (int)max;
                }

                break;
            case "runs":
                for (int i = 0; i < count;)
                {
                    int run = random.Next(1, 40);
                    int v = (int)Next();
                    for (int k = 0; k < run && i < count; k++, i++)
                    {
                        values[i] = v;
                    }
                }

                break;
            default:
                for (int i = 0; i < count; i++)
                {
                    values[i] = (i % 3) switch { 0 => 0, 1 => (int)max, _ => (int)Next() };
                }

                break;
        }

        return values;
    }

    /// <summary>INT64 values following <paramref name="pattern"/>, including long.MinValue/MaxValue for "extreme".</summary>
    public static long[] Longs(int count, string pattern, int seed)
    {
        var random = new Random(seed);
        var values = new long[count];
        switch (pattern)
        {
            case "random":
                for (int i = 0; i < count; i++)
                {
                    values[i] = random.NextInt64(long.MinValue, long.MaxValue);
                }

                break;
            case "sorted":
                for (int i = 0; i < count; i++)
                {
                    values[i] = random.NextInt64(-1_000_000_000, 1_000_000_000);
                }

                Array.Sort(values);
                break;
            case "constant":
                Array.Fill(values, random.NextInt64());
                break;
            case "alternating":
                for (int i = 0; i < count; i++)
                {
                    values[i] = (i & 1) == 0 ? long.MinValue : long.MaxValue;
                }

                break;
            case "runs":
                for (int i = 0; i < count; i++)
                {
                    values[i] = (i / 37) * 1000L + random.Next(0, 3);
                }

                break;
            default:
                long[] extremes = [long.MinValue, long.MaxValue, 0, -1, 1, long.MinValue + 1, long.MaxValue - 1];
                for (int i = 0; i < count; i++)
                {
                    values[i] = random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : extremes[random.Next(extremes.Length)];
                }

                break;
        }

        return values;
    }

    /// <summary>Random byte strings in Arrow layout; "sorted" shares prefixes, "constant" repeats one value.</summary>
    public static (int[] Offsets, byte[] Data) Strings(int count, string pattern, int seed, int maxLength = 24)
    {
        var random = new Random(seed);
        var values = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var v = new byte[random.Next(0, maxLength + 1)];
            random.NextBytes(v);
            if (pattern == "constant" && i > 0)
            {
                v = values[0];
            }

            if (pattern is "sorted" or "runs")
            {
                for (int k = 0; k < v.Length; k++)
                {
                    v[k] = (byte)('a' + (v[k] % 3));
                }
            }

            values[i] = v;
        }

        if (pattern == "sorted")
        {
            Array.Sort(values, (a, b) => a.AsSpan().SequenceCompareTo(b));
        }

        var offsets = new int[count + 1];
        var data = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            data.AddRange(values[i]);
            offsets[i + 1] = data.Count;
        }

        return (offsets, data.ToArray());
    }

    public static byte[] Encode(Action<IBufferWriter<byte>> encode)
    {
        var writer = new ArrayBufferWriter<byte>();
        encode(writer);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] BuilderBytes(BufferBuilder builder) => builder.Written.ToArray();

    /// <summary>
    /// Runs <paramref name="decode"/> on <paramref name="iterations"/> seeded corruptions of <paramref name="valid"/>
    /// (byte flips, random bytes, truncation, extension); it may succeed or throw <see cref="LarderFormatException"/>, nothing else.
    /// </summary>
    public static void Mutate(byte[] valid, int seed, Action<byte[]> decode, int iterations = 2000)
    {
        var random = new Random(seed);
        for (int it = 0; it < iterations; it++)
        {
            byte[] input = (byte[])valid.Clone();
            int kind = random.Next(5);
            if ((kind == 0 || kind == 3) && input.Length > 0)
            {
                int flips = random.Next(1, 5);
                for (int f = 0; f < flips; f++)
                {
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                }
            }

            if ((kind == 1 || kind == 3) && input.Length > 0)
            {
                int n = random.Next(1, 4);
                for (int f = 0; f < n; f++)
                {
                    input[random.Next(Math.Min(input.Length, 16))] = (byte)random.Next(256);
                }
            }

            if (kind == 2 || kind == 3)
            {
                input = input.AsSpan(0, random.Next(input.Length + 1)).ToArray();
            }

            if (kind == 4)
            {
                var extended = new byte[input.Length + random.Next(1, 16)];
                input.CopyTo(extended, 0);
                random.NextBytes(extended.AsSpan(input.Length));
                if (input.Length > 0)
                {
                    extended[random.Next(input.Length)] = 0xFF;
                }

                input = extended;
            }

            try
            {
                decode(input);
            }
            catch (LarderFormatException)
            {
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"iteration {it} (kind {kind}): {ex.GetType().Name}: {ex.Message}\n{Convert.ToHexString(input.AsSpan(0, Math.Min(64, input.Length)))}\n{ex.StackTrace}");
            }
        }
    }
}
