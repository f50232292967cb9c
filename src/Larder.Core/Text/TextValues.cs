using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>A parsed ISO-8601 date-time: whole seconds since the Unix epoch (UTC when <see cref="Zoned"/>) and nanoseconds.</summary>
internal readonly record struct IsoTimestamp(long Seconds, int Nanos, bool Zoned)
{
    /// <summary>The coarsest unit that holds this value exactly, but at least microseconds (the inference rule).</summary>
    public TimeUnit NeededUnit => Nanos % 1000 == 0 ? TimeUnit.Microsecond : TimeUnit.Nanosecond;

    /// <summary>Whether the value fits a nanosecond timestamp.</summary>
    public bool FitsNanoseconds => Seconds is > -9_223_372_036L and < 9_223_372_036L;

    /// <summary>The epoch count in <paramref name="unit"/>; false when digits would be lost or it overflows int64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryToUnit(TimeUnit unit, out long value)
    {
        // Constant divisors per unit: the JIT turns them into multiplications.
        value = 0;
        switch (unit)
        {
            case TimeUnit.Microsecond:
                if (Nanos % 1000 != 0 || Seconds > 9_223_372_036_853L || Seconds < -9_223_372_036_853L)
                {
                    return false;
                }

                value = (Seconds * 1_000_000) + (Nanos / 1000);
                return true;
            case TimeUnit.Nanosecond:
                if (Seconds > 9_223_372_035L || Seconds < -9_223_372_035L)
                {
                    return false;
                }

                value = (Seconds * 1_000_000_000) + Nanos;
                return true;
            case TimeUnit.Millisecond:
                if (Nanos % 1_000_000 != 0 || Seconds > 9_223_372_036_853_774L || Seconds < -9_223_372_036_853_774L)
                {
                    return false;
                }

                value = (Seconds * 1000) + (Nanos / 1_000_000);
                return true;
            default:
                if (Nanos != 0)
                {
                    return false;
                }

                value = Seconds;
                return true;
        }
    }
}

/// <summary>Parsing of field text (UTF-8 bytes) into values: numbers, booleans, ISO-8601 dates and times. Pure functions.</summary>
internal static class TextParse
{
    /// <summary>Parses an optionally signed decimal integer (no spaces, no other characters) into an int64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt64(ReadOnlySpan<byte> s, out long value)
    {
        if (s.Length is > 0 and <= 18)
        {
            int i = 0;
            bool negative = false;
            if (s[0] == (byte)'-')
            {
                negative = true;
                i = 1;
            }
            else if (s[0] == (byte)'+')
            {
                i = 1;
            }

            if (i < s.Length)
            {
                long v = 0;
                for (; i < s.Length; i++)
                {
                    uint d = (uint)(s[i] - '0');
                    if (d > 9)
                    {
                        value = 0;
                        return false;
                    }

                    v = (v * 10) + d;
                }

                value = negative ? -v : v;
                return true;
            }

            value = 0;
            return false;
        }

        return TryParseInt64Slow(s, out value);
    }

    private static bool TryParseInt64Slow(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 40)
        {
            return false;
        }

        // Only sign and digits: long.TryParse would also accept surrounding white space.
        for (int i = 0; i < s.Length; i++)
        {
            byte b = s[i];
            if (!(b is >= (byte)'0' and <= (byte)'9' || (i == 0 && b is (byte)'-' or (byte)'+')))
            {
                return false;
            }
        }

        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses an unsigned decimal integer (optional leading '+').</summary>
    public static bool TryParseUInt64(ReadOnlySpan<byte> s, out ulong value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 40)
        {
            return false;
        }

        for (int i = 0; i < s.Length; i++)
        {
            byte b = s[i];
            if (!(b is >= (byte)'0' and <= (byte)'9' || (i == 0 && b == (byte)'+')))
            {
                return false;
            }
        }

        return ulong.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Parses a float: decimal or exponent notation (no surrounding spaces, no thousands separators) or one of the special
    /// tokens (<see cref="TryParseFloatSpecial"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        if (s.IsEmpty || s.Length > 800)
        {
            value = 0;
            return false;
        }

        byte first = s[0];
        byte last = s[^1];
        if (IsNumberStart(first) && ((uint)(last - '0') <= 9 || last == (byte)'.'))
        {
            if (FastFloat.TryParse(s, out value))
            {
                return true;
            }
        }

        return TryParseFloatSpecial(s, out value);
    }

    /// <summary>Parses a float32 the same way as <see cref="TryParseDouble"/>, rounding once.</summary>
    public static bool TryParseSingle(ReadOnlySpan<byte> s, out float value)
    {
        if (TryParseFloatSpecial(s, out double special))
        {
            value = (float)special;
            return true;
        }

        value = 0;
        return !s.IsEmpty && s.Length <= 800 && LooksNumeric(s) && float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a float16 the same way as <see cref="TryParseDouble"/>, rounding once.</summary>
    public static bool TryParseHalf(ReadOnlySpan<byte> s, out Half value)
    {
        if (TryParseFloatSpecial(s, out double special))
        {
            value = (Half)special;
            return true;
        }

        value = default;
        return !s.IsEmpty && s.Length <= 800 && LooksNumeric(s) && Half.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNumberStart(byte b) => (uint)(b - '0') <= 9 || b is (byte)'-' or (byte)'+' or (byte)'.';

    /// <summary>Only digits, sign, point and exponent characters: rejects white space, letters and the like before the slow parse.</summary>
    private static bool LooksNumeric(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s)
        {
            if (!((uint)(b - '0') <= 9 || b is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The special float tokens, in any letter case: <c>nan</c>, <c>+nan</c>, <c>-nan</c> → NaN; <c>inf</c>,
    /// <c>+inf</c>, <c>infinity</c>, <c>+infinity</c> → +∞; <c>-inf</c>, <c>-infinity</c> → −∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseFloatSpecial(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        if (s.Length is < 3 or > 9)
        {
            return false;
        }

        bool negative = false;
        if (s[0] is (byte)'-' or (byte)'+')
        {
            negative = s[0] == (byte)'-';
            s = s[1..];
        }

        if (Ascii.EqualsIgnoreCase(s, "nan"u8))
        {
            value = double.NaN;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(s, "inf"u8) || Ascii.EqualsIgnoreCase(s, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return false;
    }

    /// <summary>Parses <c>YYYY-MM-DD</c> into days since the Unix epoch.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> s, out int days)
    {
        days = 0;
        if (s.Length != 10 || !TryParseDatePart(s, out int y, out int m, out int d))
        {
            return false;
        }

        days = (int)DaysFromCivil(y, m, d);
        return true;
    }

    /// <summary>Parses <c>hh:mm[:ss[.f…]]</c> into nanoseconds since midnight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimeOfDay(ReadOnlySpan<byte> s, out long nanos)
    {
        nanos = 0;
        int pos = 0;
        if (!TryParseClock(s, ref pos, out int seconds, out int fraction) || pos != s.Length)
        {
            return false;
        }

        nanos = (seconds * 1_000_000_000L) + fraction;
        return true;
    }

    /// <summary>
    /// Parses an ISO-8601 date or date-time (see <see cref="CsvReadOptions"/> for the accepted forms). A value with a zone
    /// is converted to UTC.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out IsoTimestamp value)
    {
        value = default;
        if (s.Length < 10 || !TryParseDatePart(s, out int y, out int m, out int d))
        {
            return false;
        }

        long seconds = DaysFromCivil(y, m, d) * 86_400L;
        int nanos = 0;
        bool zoned = false;
        int pos = 10;
        if (pos < s.Length)
        {
            byte sep = s[pos];
            if (sep is not ((byte)'T' or (byte)'t' or (byte)' '))
            {
                return false;
            }

            pos++;
            if (!TryParseClock(s, ref pos, out int secondOfDay, out nanos))
            {
                return false;
            }

            seconds += secondOfDay;
            if (pos < s.Length)
            {
                byte z = s[pos];
                if (z is (byte)'Z' or (byte)'z')
                {
                    zoned = true;
                    pos++;
                }
                else if (z is (byte)'+' or (byte)'-')
                {
                    pos++;
                    if (!TryDigits2(s, pos, out int oh) || oh > 23)
                    {
                        return false;
                    }

                    pos += 2;
                    int om = 0;
                    if (pos < s.Length)
                    {
                        if (s[pos] == (byte)':')
                        {
                            pos++;
                        }

                        if (!TryDigits2(s, pos, out om) || om > 59)
                        {
                            return false;
                        }

                        pos += 2;
                    }

                    int offset = (oh * 3600) + (om * 60);
                    seconds -= z == (byte)'+' ? offset : -offset;
                    zoned = true;
                }

                if (pos != s.Length)
                {
                    return false;
                }
            }
        }

        value = new IsoTimestamp(seconds, nanos, zoned);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseDatePart(ReadOnlySpan<byte> s, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (!TryDigits2(s, 0, out int y1) || !TryDigits2(s, 2, out int y2) || s[4] != (byte)'-' || s[7] != (byte)'-'
            || !TryDigits2(s, 5, out month) || !TryDigits2(s, 8, out day))
        {
            return false;
        }

        year = (y1 * 100) + y2;
        return month is >= 1 and <= 12 && day >= 1 && day <= DaysInMonth(year, month);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseClock(ReadOnlySpan<byte> s, ref int pos, out int secondOfDay, out int nanos)
    {
        secondOfDay = 0;
        nanos = 0;
        if (!TryDigits2(s, pos, out int hh) || hh > 23 || pos + 2 >= s.Length || s[pos + 2] != (byte)':' || !TryDigits2(s, pos + 3, out int mm) || mm > 59)
        {
            return false;
        }

        pos += 5;
        int ss = 0;
        if (pos < s.Length && s[pos] == (byte)':')
        {
            if (!TryDigits2(s, pos + 1, out ss) || ss > 59)
            {
                return false;
            }

            pos += 3;
            if (pos < s.Length && s[pos] == (byte)'.')
            {
                pos++;
                int digits = 0;
                while (pos < s.Length && (uint)(s[pos] - '0') <= 9)
                {
                    if (digits == 9)
                    {
                        return false;
                    }

                    nanos = (nanos * 10) + (s[pos] - '0');
                    digits++;
                    pos++;
                }

                if (digits == 0)
                {
                    return false;
                }

                for (int i = digits; i < 9; i++)
                {
                    nanos *= 10;
                }
            }
        }

        secondOfDay = (hh * 3600) + (mm * 60) + ss;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryDigits2(ReadOnlySpan<byte> s, int pos, out int value)
    {
        value = 0;
        if ((uint)(pos + 1) >= (uint)s.Length)
        {
            return false;
        }

        uint a = (uint)(s[pos] - '0');
        uint b = (uint)(s[pos + 1] - '0');
        if (a > 9 || b > 9)
        {
            return false;
        }

        value = (int)((a * 10) + b);
        return true;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long DaysFromCivil(long y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - (era * 400);
        long doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        long doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146_097) + doe - 719_468;
    }

    /// <summary>Decodes base64 text into <paramref name="scratch"/> (grown as needed); false when it is not base64.</summary>
    public static bool TryDecodeBase64(ReadOnlySpan<byte> s, ref byte[] scratch, out int length)
    {
        int max = Base64.GetMaxDecodedFromUtf8Length(s.Length);
        if (scratch.Length < max)
        {
            scratch = new byte[Math.Max(max, scratch.Length * 2)];
        }

        var status = Base64.DecodeFromUtf8(s, scratch, out int consumed, out length);
        return status == System.Buffers.OperationStatus.Done && consumed == s.Length;
    }
}

/// <summary>Formatting of values as UTF-8 text. Pure functions; every method writes into a span with enough room.</summary>
internal static class TextFormat
{
    /// <summary>Room a formatted timestamp, date or time needs at most.</summary>
    public const int MaxTemporalLength = 48;

    /// <summary>Room a formatted float needs at most (with the ".0" suffix).</summary>
    public const int MaxFloatLength = 40;

    /// <summary>Writes the shortest round-trip text of a float64, <c>.0</c> appended to whole numbers; specials as given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatDouble(double value, Span<byte> dst, ReadOnlySpan<byte> nan, ReadOnlySpan<byte> posInf, ReadOnlySpan<byte> negInf)
    {
        if (!double.IsFinite(value))
        {
            var special = double.IsNaN(value) ? nan : value > 0 ? posInf : negInf;
            special.CopyTo(dst);
            return special.Length;
        }

        return AppendPointZero(dst, FastFloat.Format(value, dst));
    }

    /// <summary>Writes the shortest round-trip text of a float32 (as float32), <c>.0</c> appended to whole numbers.</summary>
    public static int FormatSingle(float value, Span<byte> dst, ReadOnlySpan<byte> nan, ReadOnlySpan<byte> posInf, ReadOnlySpan<byte> negInf)
    {
        if (!float.IsFinite(value))
        {
            var special = float.IsNaN(value) ? nan : value > 0 ? posInf : negInf;
            special.CopyTo(dst);
            return special.Length;
        }

        value.TryFormat(dst, out int written, default, CultureInfo.InvariantCulture);
        return AppendPointZero(dst, written);
    }

    /// <summary>Writes the shortest round-trip text of a float16, <c>.0</c> appended to whole numbers.</summary>
    public static int FormatHalf(Half value, Span<byte> dst, ReadOnlySpan<byte> nan, ReadOnlySpan<byte> posInf, ReadOnlySpan<byte> negInf)
    {
        if (!Half.IsFinite(value))
        {
            var special = Half.IsNaN(value) ? nan : value > Half.Zero ? posInf : negInf;
            special.CopyTo(dst);
            return special.Length;
        }

        value.TryFormat(dst, out int written, default, CultureInfo.InvariantCulture);
        return AppendPointZero(dst, written);
    }

    private static int AppendPointZero(Span<byte> dst, int written)
    {
        if (dst[..written].IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0)
        {
            dst[written] = (byte)'.';
            dst[written + 1] = (byte)'0';
            written += 2;
        }

        return written;
    }

    /// <summary>
    /// Writes a timestamp as <c>YYYY-MM-DD{sep}hh:mm:ss[.f…]</c> (3, 6 or 9 fraction digits, as few as the value needs; none when zero),
    /// followed by <c>Z</c> when <paramref name="zulu"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatTimestamp(long value, TimeUnit unit, byte separator, bool zulu, Span<byte> dst)
    {
        // Seconds and the fraction in nanoseconds, with constant divisors per unit.
        long seconds;
        long nanos;
        switch (unit)
        {
            case TimeUnit.Microsecond:
                seconds = FloorDiv(value, 1_000_000);
                nanos = (value - (seconds * 1_000_000)) * 1000;
                break;
            case TimeUnit.Nanosecond:
                seconds = FloorDiv(value, 1_000_000_000);
                nanos = value - (seconds * 1_000_000_000);
                break;
            case TimeUnit.Millisecond:
                seconds = FloorDiv(value, 1000);
                nanos = (value - (seconds * 1000)) * 1_000_000;
                break;
            default:
                seconds = value;
                nanos = 0;
                break;
        }

        long days = FloorDiv(seconds, 86_400);
        int secondOfDay = (int)(seconds - (days * 86_400));
        int pos = WriteDate(days, dst);
        dst[pos++] = separator;
        pos += WriteClock(secondOfDay, nanos, dst[pos..]);
        if (zulu)
        {
            dst[pos++] = (byte)'Z';
        }

        return pos;
    }

    /// <summary>Division rounding toward negative infinity (inlined so that constant divisors become multiplications).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a - (q * b) < 0) ? q - 1 : q;
    }

    /// <summary>Writes <c>YYYY-MM-DD</c> for days since the Unix epoch.</summary>
    public static int FormatDate(long days, Span<byte> dst) => WriteDate(days, dst);

    /// <summary>Writes a time of day, <c>hh:mm:ss[.f…]</c>, from a count of <paramref name="unit"/> since midnight.</summary>
    public static int FormatTimeOfDay(long value, TimeUnit unit, Span<byte> dst)
    {
        long perSecond = Temporal.PerSecond(unit);
        long seconds = Temporal.FloorDiv(value, perSecond);
        long fraction = value - (seconds * perSecond);
        long secondOfDay = seconds % 86_400;
        if (secondOfDay < 0)
        {
            secondOfDay += 86_400;
        }

        return WriteClock((int)secondOfDay, fraction * (1_000_000_000 / perSecond), dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteClock(int secondOfDay, long nanos, Span<byte> dst)
    {
        int h = secondOfDay / 3600;
        int m = secondOfDay / 60 % 60;
        int s = secondOfDay % 60;
        Write2(dst, 0, h);
        dst[2] = (byte)':';
        Write2(dst, 3, m);
        dst[5] = (byte)':';
        Write2(dst, 6, s);
        int pos = 8;
        if (nanos != 0)
        {
            // As few digits as the value needs, in groups of three (milli, micro, nano).
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
            long shown = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos;
            dst[pos++] = (byte)'.';
            for (int i = digits - 1; i >= 0; i--)
            {
                dst[pos + i] = (byte)('0' + (shown % 10));
                shown /= 10;
            }

            pos += digits;
        }

        return pos;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteDate(long days, Span<byte> dst)
    {
        // H. Hinnant's civil_from_days.
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long doe = z - (era * 146_097);
        long yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        long y = yoe + (era * 400);
        long doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        long mp = ((5 * doy) + 2) / 153;
        int d = (int)(doy - (((153 * mp) + 2) / 5) + 1);
        int m = (int)(mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2)
        {
            y++;
        }

        int pos = 0;
        if (y is >= 0 and <= 9999)
        {
            Write2(dst, 0, (int)(y / 100));
            Write2(dst, 2, (int)(y % 100));
            pos = 4;
        }
        else
        {
            y.TryFormat(dst, out pos, "D4", CultureInfo.InvariantCulture);
        }

        dst[pos] = (byte)'-';
        Write2(dst, pos + 1, m);
        dst[pos + 3] = (byte)'-';
        Write2(dst, pos + 4, d);
        return pos + 6;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write2(Span<byte> dst, int pos, int value)
    {
        dst[pos] = (byte)('0' + (value / 10));
        dst[pos + 1] = (byte)('0' + (value % 10));
    }
}

/// <summary>
/// A set of field texts (null tokens, true or false texts) matched against UTF-8 field bytes without allocating.
/// Immutable after construction; thread safe.
/// </summary>
internal sealed class Utf8TokenSet
{
    private readonly byte[][] _tokens;
    private readonly ulong _lengthMask;
    private readonly int _maxLength;

    public Utf8TokenSet(IEnumerable<string> tokens)
    {
        _tokens = [.. tokens.Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes)];
        foreach (var t in _tokens)
        {
            _maxLength = Math.Max(_maxLength, t.Length);
            if (t.Length < 64)
            {
                _lengthMask |= 1UL << t.Length;
            }
        }
    }

    public IReadOnlyList<byte[]> Tokens => _tokens;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ReadOnlySpan<byte> value)
    {
        int len = value.Length;
        if (len > _maxLength || (len < 64 && (_lengthMask & (1UL << len)) == 0))
        {
            return false;
        }

        return ContainsSlow(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ContainsSlow(ReadOnlySpan<byte> value)
    {
        foreach (var t in _tokens)
        {
            if (value.SequenceEqual(t))
            {
                return true;
            }
        }

        return false;
    }
}
