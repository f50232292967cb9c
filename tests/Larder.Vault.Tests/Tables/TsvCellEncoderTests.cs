using System.Text;
using Larder.Columnar;
using Larder.Vault.Tables;

namespace Larder.Vault.Tests.Tables;

/// <summary>The per-type UTF-8 cell encoders write exactly what the general text path (<see cref="TsvValueText"/>) writes.</summary>
public sealed class TsvCellEncoderTests
{
    [Fact]
    public void Append_Doubles_EqualGeneralPath()
    {
        var random = new Random(31);
        var builder = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        double[] edges =
        [
            0.0, -0.0, 1.0, -1.0, 1e-4, 9.999999999999999e-5, 1e-5, 1e15, 1e16, 9999999999999998.0, 1.5e16, 123456789012345.6,
            double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, double.MinValue, 0.1, 1 / 3.0,
        ];
        foreach (double edge in edges)
        {
            builder.Append(edge);
        }

        for (int i = 0; i < 20_000; i++)
        {
            builder.Append(random.Next(4) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                1 => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-6, 18)), random.Next(0, 6)),
                2 => random.NextDouble() * Math.Pow(10, random.Next(-8, 20)) * (random.Next(2) == 0 ? -1 : 1),
                _ => random.Next(-1000, 1000),
            });
        }

        builder.AppendNull();
        AssertSameAsGeneralPath(builder.Build(), TsvValueText.Seconds);
    }

    [Theory]
    [InlineData(TimeUnit.Second)]
    [InlineData(TimeUnit.Millisecond)]
    [InlineData(TimeUnit.Microsecond)]
    [InlineData(TimeUnit.Nanosecond)]
    public void Append_Timestamps_EqualGeneralPathAtEveryLayout(TimeUnit unit)
    {
        var random = new Random(32 + (int)unit);
        long perSecond = unit switch { TimeUnit.Second => 1, TimeUnit.Millisecond => 1_000, TimeUnit.Microsecond => 1_000_000, _ => 1_000_000_000 };
        var builder = new PrimitiveArrayBuilder<long>(new TimestampType(unit));
        foreach (long seconds in new long[] { 0, -1, 86_399, 86_400, -86_400, 951_782_400 /* 2000-02-29 */, -2_208_988_800 /* 1900-01-01 */, 4_102_444_799 })
        {
            builder.Append(seconds * perSecond);
            builder.Append((seconds * perSecond) + (perSecond / 3));
        }

        long range = unit == TimeUnit.Nanosecond ? 9_000_000_000L : 200_000_000_000L;
        for (int i = 0; i < 5_000; i++)
        {
            builder.Append(random.NextInt64(-range, range) * perSecond / (random.Next(3) == 0 ? perSecond : 1) + random.NextInt64(perSecond));
        }

        builder.AppendNull();
        var array = builder.Build();
        for (int level = TsvValueText.DateOnly; level <= TsvValueText.Nanos; level++)
        {
            AssertSameAsGeneralPath(array, level);
        }
    }

    [Fact]
    public void Append_IntegersStringsAndDictionaries_EqualGeneralPath()
    {
        var longs = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var uints = new PrimitiveArrayBuilder<ulong>(ArrowType.UInt64);
        var bytes = new PrimitiveArrayBuilder<sbyte>(ArrowType.Int8);
        foreach (long v in new[] { 0L, -1L, long.MinValue, long.MaxValue, 42L })
        {
            longs.Append(v);
            uints.Append(unchecked((ulong)v));
            bytes.Append(unchecked((sbyte)v));
        }

        longs.AppendNull();
        uints.AppendNull();
        bytes.AppendNull();
        AssertSameAsGeneralPath(longs.Build(), 0);
        AssertSameAsGeneralPath(uints.Build(), 0);
        AssertSameAsGeneralPath(bytes.Build(), 0);

        var strings = new BinaryArrayBuilder(ArrowType.String);
        foreach (string? s in new[] { "plain", "tab\there", "say \"hi\"", "line\nbreak", "cr\rx", string.Empty, null, "été σ 東京" })
        {
            strings.Append(s);
        }

        IArrowArray text = strings.Build();
        AssertSameAsGeneralPath(text, 0);

        var indices = new PrimitiveArrayBuilder<sbyte>(ArrowType.Int8);
        foreach (int i in new[] { 0, 1, 2, 3, 7, 5 })
        {
            indices.Append((sbyte)i);
        }

        indices.AppendNull();
        IArrowArray idx = indices.Build();
        var data = new ArrayData(new DictionaryType(ArrowType.Int8, ArrowType.String, false), idx.Length, idx.NullCount, 0, [.. idx.Data.Buffers], dictionary: text.Data);
        AssertSameAsGeneralPath(new DictionaryArray(data), 0);
    }

    private static void AssertSameAsGeneralPath(IArrowArray array, int level)
    {
        var encoder = TsvCellEncoder.Create(array, level);
        using var sink = new Utf8Sink(16);
        var general = new StringBuilder();
        for (int row = 0; row < array.Length; row++)
        {
            sink.Clear();
            encoder.Append(sink, row);
            general.Clear();
            TsvValueText.AppendValue(general, array, row, level, quote: true);
            Assert.Equal(general.ToString(), Encoding.UTF8.GetString(sink.Written.Span));
        }
    }
}
