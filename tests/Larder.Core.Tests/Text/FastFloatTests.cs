using System.Globalization;
using System.Text;
using Larder.Text;

namespace Larder.Core.Tests.Text;

public class FastFloatTests
{
    [Fact]
    public void Format_RandomDoubles_MatchesDotNetShortestRoundTrip()
    {
        var rng = new Random(31);
        Span<byte> buffer = stackalloc byte[32];
        for (int i = 0; i < 300_000; i++)
        {
            double d = (i % 4) switch
            {
                0 => BitConverter.Int64BitsToDouble(rng.NextInt64()),
                1 => rng.NextDouble() * Math.Pow(10, rng.Next(-30, 30)),
                2 => Math.Round(rng.NextDouble() * 1e6, rng.Next(0, 8)),
                _ => (double)rng.Next() / (1 << rng.Next(0, 40)),
            };
            if (!double.IsFinite(d))
            {
                continue;
            }

            int n = FastFloat.Format(d, buffer);
            string ours = Encoding.ASCII.GetString(buffer[..n]);
            Assert.Equal(d.ToString("R", CultureInfo.InvariantCulture), ours);
            Assert.True(FastFloat.TryParse(buffer[..n], out double back));
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(back));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("9007199254740993")]
    [InlineData("2.2250738585072011e-308")]
    [InlineData("2.2250738585072014e-308")]
    [InlineData("4.9406564584124654e-324")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("1.7976931348623159e308")]
    [InlineData("0.1")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1e23")]
    [InlineData("8.98846567431158e307")]
    [InlineData("0.000000000000000000000000000000000001")]
    [InlineData("1.00000000000000011102230246251565404236316680908203125")]
    [InlineData("1.00000000000000011102230246251565404236316680908203124")]
    [InlineData("7.4e-323")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("+1E+2")]
    public void TryParse_EdgeCases_MatchesDotNet(string text)
    {
        Assert.True(FastFloat.TryParse(Encoding.ASCII.GetBytes(text), out double ours));
        double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(ours));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.2.3")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    public void TryParse_NotANumber_ReturnsFalse(string text)
        => Assert.False(FastFloat.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void TryParse_RandomDecimalStrings_MatchesDotNet()
    {
        var rng = new Random(47);
        for (int i = 0; i < 300_000; i++)
        {
            string s = (i % 5) switch
            {
                0 => rng.NextInt64().ToString(CultureInfo.InvariantCulture) + "." + rng.NextInt64(0, 1_000_000_000).ToString(CultureInfo.InvariantCulture),
                1 => rng.Next(1, 99_999_999).ToString(CultureInfo.InvariantCulture) + "e" + rng.Next(-330, 320).ToString(CultureInfo.InvariantCulture),
                2 => "0." + new string('0', rng.Next(0, 5)) + rng.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture),
                3 => rng.Next(0, 1000).ToString(CultureInfo.InvariantCulture) + "." + rng.NextInt64(0, 99_999_999_999_999_999).ToString(CultureInfo.InvariantCulture) + "E" + rng.Next(-30, 30).ToString(CultureInfo.InvariantCulture),
                _ => "-" + rng.NextInt64(0, 10_000_000_000_000_000).ToString(CultureInfo.InvariantCulture) + "." + rng.Next(0, 100).ToString("D2", CultureInfo.InvariantCulture),
            };
            Assert.True(FastFloat.TryParse(Encoding.ASCII.GetBytes(s), out double ours), s);
            double expected = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(ours), $"{s}: expected {expected:R}, got {ours:R}");
        }
    }
}
