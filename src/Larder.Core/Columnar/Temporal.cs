using System.Numerics;
using System.Globalization;

namespace Larder.Columnar;

/// <summary>Conversions between Arrow's integer temporal storage and .NET time types. Pure functions.</summary>
public static class Temporal
{
    /// <summary>Units of <paramref name="unit"/> per second.</summary>
    public static long PerSecond(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 1,
        TimeUnit.Millisecond => 1_000,
        TimeUnit.Microsecond => 1_000_000,
        _ => 1_000_000_000,
    };

    /// <summary>An epoch count of <paramref name="unit"/> as a UTC instant (nanoseconds below a tick are truncated).</summary>
    public static DateTimeOffset ToDateTimeOffset(long value, TimeUnit unit)
    {
        long ticks = unit switch
        {
            TimeUnit.Second => checked(value * TimeSpan.TicksPerSecond),
            TimeUnit.Millisecond => checked(value * TimeSpan.TicksPerMillisecond),
            TimeUnit.Microsecond => checked(value * 10),
            _ => value / 100,
        };
        return new DateTimeOffset(checked(DateTime.UnixEpoch.Ticks + ticks), TimeSpan.Zero);
    }

    /// <summary>A .NET instant as an epoch count of <paramref name="unit"/> (truncated toward negative infinity).</summary>
    public static long FromDateTimeOffset(DateTimeOffset value, TimeUnit unit)
    {
        long ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        return unit switch
        {
            TimeUnit.Second => FloorDiv(ticks, TimeSpan.TicksPerSecond),
            TimeUnit.Millisecond => FloorDiv(ticks, TimeSpan.TicksPerMillisecond),
            TimeUnit.Microsecond => FloorDiv(ticks, 10),
            _ => checked(ticks * 100),
        };
    }

    /// <summary>A <see cref="DateTime"/> as an epoch count; Local times are converted to UTC, Unspecified taken as UTC wall time.</summary>
    public static long FromDateTime(DateTime value, TimeUnit unit)
        => FromDateTimeOffset(new DateTimeOffset(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc)), unit);

    public static int ToDate32(DateOnly date) => date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static DateOnly FromDate32(int days) => DateOnly.FromDayNumber(days + DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);

    /// <summary>
    /// Formats an epoch count as ISO-8601 with the digits the unit needs, e.g. <c>2024-01-02T03:04:05.123456</c>
    /// (no zone suffix), or with <c>Z</c> when <paramref name="utc"/> is true. Handles nanosecond precision exactly.
    /// </summary>
    public static string FormatTimestamp(long value, TimeUnit unit, bool utc)
    {
        long perSecond = PerSecond(unit);
        long seconds = FloorDiv(value, perSecond);
        long fraction = value - (seconds * perSecond);
        var dt = DateTime.UnixEpoch.AddSeconds(seconds);
        string text = dt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (unit != TimeUnit.Second && fraction != 0)
        {
            int digits = unit switch { TimeUnit.Millisecond => 3, TimeUnit.Microsecond => 6, _ => 9 };
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
        }

        return utc ? text + "Z" : text;
    }

    internal static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) ^ (b < 0))) ? q - 1 : q;
    }
}

/// <summary>Decimal conversions for decimal128/256 storage. Pure functions.</summary>
public static class DecimalMath
{
    /// <summary>Exact text of <paramref name="unscaled"/> × 10^-<paramref name="scale"/>, e.g. (-1234, 2) → <c>-12.34</c>.</summary>
    public static string ToString(BigInteger unscaled, int scale)
    {
        if (scale <= 0)
        {
            return (unscaled * BigInteger.Pow(10, -scale)).ToString(CultureInfo.InvariantCulture);
        }

        bool negative = unscaled.Sign < 0;
        string digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        string text = digits[..^scale] + "." + digits[^scale..];
        return negative ? "-" + text : text;
    }

    public static bool TryToDecimal(Int128 unscaled, int scale, out decimal value)
    {
        value = 0;
        if (scale < 0 || scale > 28)
        {
            return false;
        }

        var magnitude = unscaled < 0 ? (UInt128)(-unscaled) : (UInt128)unscaled;
        if (magnitude >> 96 != 0)
        {
            return false;
        }

        value = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), unscaled < 0, (byte)scale);
        return true;
    }

    public static decimal ToDecimal(Int128 unscaled, int scale)
        => TryToDecimal(unscaled, scale, out var d) ? d : throw new OverflowException($"decimal value with scale {scale} does not fit System.Decimal");

    /// <summary>The unscaled integer of <paramref name="value"/> at <paramref name="scale"/>; throws when digits would be lost.</summary>
    public static Int128 FromDecimal(decimal value, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int currentScale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        Int128 unscaled = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        while (currentScale < scale)
        {
            unscaled = checked(unscaled * 10);
            currentScale++;
        }

        while (currentScale > scale)
        {
            if (unscaled % 10 != 0)
            {
                throw new OverflowException($"{value} has more than {scale} decimal places");
            }

            unscaled /= 10;
            currentScale--;
        }

        return negative ? -unscaled : unscaled;
    }

    /// <summary>Parses decimal text (optional sign, digits, optional fraction, optional exponent) to an unscaled integer at <paramref name="scale"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, int scale, out BigInteger unscaled)
    {
        unscaled = default;
        text = text.Trim();
        int exponent = 0;
        int e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return false;
            }

            text = text[..e];
        }

        bool negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        int dot = text.IndexOf('.');
        ReadOnlySpan<char> intPart = dot >= 0 ? text[..dot] : text;
        ReadOnlySpan<char> fracPart = dot >= 0 ? text[(dot + 1)..] : [];
        if (intPart.Length + fracPart.Length == 0)
        {
            return false;
        }

        BigInteger v = BigInteger.Zero;
        foreach (char c in intPart)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            v = (v * 10) + (c - '0');
        }

        foreach (char c in fracPart)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            v = (v * 10) + (c - '0');
        }

        int shift = scale - fracPart.Length + exponent;
        if (shift >= 0)
        {
            v *= BigInteger.Pow(10, shift);
        }
        else
        {
            var divisor = BigInteger.Pow(10, -shift);
            if (!(v % divisor).IsZero)
            {
                return false;
            }

            v /= divisor;
        }

        unscaled = negative ? -v : v;
        return true;
    }
}
