using System.Globalization;
using System.Text;
using Larder.Columnar;

namespace Larder.Vault.Tables;

/// <summary>Value texts as Python and pandas write them (float repr, datetime64 layouts).</summary>
internal static class TsvValueText
{
    /// <summary>Timestamp layouts, widest last: date only, seconds, milliseconds, microseconds, nanoseconds.</summary>
    public const int DateOnly = 0, Seconds = 1, Millis = 2, Micros = 3, Nanos = 4;

    /// <summary>The narrowest layout that shows every non-null value of <paramref name="array"/> exactly.</summary>
    public static int TimestampLevel(TimestampArray array)
    {
        int level = DateOnly;
        var values = array.Values;
        for (int i = 0; i < values.Length && level < Nanos; i++)
        {
            if (array.IsNull(i))
            {
                continue;
            }

            var (seconds, nanos) = Split(values[i], array.Type.Unit);
            int need = nanos != 0
                ? (nanos % 1_000_000 == 0 ? Millis : nanos % 1_000 == 0 ? Micros : Nanos)
                : (Mod(seconds, 86_400) != 0 ? Seconds : DateOnly);
            level = Math.Max(level, need);
        }

        return level;
    }

    /// <summary>
    /// Appends row <paramref name="row"/> of <paramref name="array"/> as <see cref="VaultTsvWriter"/> writes it (nothing for
    /// a null or NaN); <paramref name="timestampLevel"/> is the column's layout for zone-less timestamps. With
    /// <paramref name="quote"/> false, text values are appended as they are, without csv quoting.
    /// </summary>
    public static void AppendValue(StringBuilder text, IArrowArray array, int row, int timestampLevel, bool quote)
    {
        if (array.IsNull(row))
        {
            return;
        }

        switch (array)
        {
            case BooleanArray b:
                text.Append(b.GetBit(row) ? "True" : "False");
                break;
            case TimestampArray ts:
                if (ts.Type.TimeZone is null)
                {
                    AppendTimestamp(text, ts.Values[row], ts.Type.Unit, timestampLevel);
                }
                else
                {
                    AppendZonedTimestamp(text, ts.Values[row], ts.Type.Unit);
                }

                break;
            case PrimitiveArray<double> d:
                AppendDouble(text, d.Values[row]);
                break;
            case PrimitiveArray<float> f:
                AppendSingle(text, f.Values[row]);
                break;
            case PrimitiveArray<Half> h:
                AppendSingle(text, (float)h.Values[row]);
                break;
            case StringArray s:
                if (quote)
                {
                    AppendQuoted(text, s.GetString(row)!);
                }
                else
                {
                    text.Append(s.GetString(row));
                }

                break;
            case DictionaryArray dict:
                AppendValue(text, dict.Dictionary, checked((int)dict.GetIndex(row)), timestampLevel, quote);
                break;
            case NullArray:
                break;
            default:
                if (array.Type.Id is ArrowTypeId.Date32 or ArrowTypeId.Date64)
                {
                    AppendDate(text, array, row);
                }
                else
                {
                    text.Append(Convert.ToString(array.GetValue(row), CultureInfo.InvariantCulture));
                }

                break;
        }
    }

    /// <summary>Appends <paramref name="value"/> with csv.QUOTE_MINIMAL quoting (tab, quote, CR, LF force quotes).</summary>
    public static void AppendQuoted(StringBuilder text, string value)
    {
        if (value.AsSpan().IndexOfAny("\t\"\r\n") < 0)
        {
            text.Append(value);
            return;
        }

        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>
    /// Appends a zone-less timestamp in the column layout <paramref name="level"/>. Years outside 1–9999 (which pandas
    /// cannot hold) are written as numpy writes datetime64 years: at least four digits, with a sign when negative.
    /// </summary>
    public static void AppendTimestamp(StringBuilder text, long value, TimeUnit unit, int level)
    {
        var (seconds, nanos) = Split(value, unit);
        AppendDateTime(text, seconds, level != DateOnly);
        switch (level)
        {
            case Millis:
                text.Append('.').Append((nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture));
                break;
            case Micros:
                text.Append('.').Append((nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture));
                break;
            case Nanos:
                text.Append('.').Append(nanos.ToString("D9", CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Appends an instant as its UTC wall time and <c>+00:00</c>, as Python's <c>str</c> of a pandas Timestamp.</summary>
    public static void AppendZonedTimestamp(StringBuilder text, long value, TimeUnit unit)
    {
        var (seconds, nanos) = Split(value, unit);
        AppendDateTime(text, seconds, withTime: true);
        if (nanos != 0)
        {
            text.Append('.').Append(nanos % 1_000 == 0
                ? (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
                : nanos.ToString("D9", CultureInfo.InvariantCulture));
        }

        text.Append("+00:00");
    }

    /// <summary>The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's civil_from_days), for any day count a timestamp can hold.</summary>
    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long doe = z - (era * 146_097);
        long yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        long doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        long mp = ((5 * doy) + 2) / 153;
        int day = (int)(doy - (((153 * mp) + 2) / 5) + 1);
        int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yoe + (era * 400) + (month <= 2 ? 1 : 0), month, day);
    }

    private static void AppendDateTime(StringBuilder text, long seconds, bool withTime)
    {
        long days = FloorDiv(seconds, 86_400);
        long secondOfDay = seconds - (days * 86_400);
        var (year, month, day) = CivilFromDays(days);
        text.Append(year < 0 ? "-" : string.Empty)
            .Append(Math.Abs(year).ToString("D4", CultureInfo.InvariantCulture))
            .Append('-').Append(month.ToString("D2", CultureInfo.InvariantCulture))
            .Append('-').Append(day.ToString("D2", CultureInfo.InvariantCulture));
        if (withTime)
        {
            text.Append(' ')
                .Append((secondOfDay / 3600).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
                .Append((secondOfDay / 60 % 60).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
                .Append((secondOfDay % 60).ToString("D2", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Appends a date32/date64 value as <c>YYYY-MM-DD</c>.</summary>
    public static void AppendDate(StringBuilder text, IArrowArray array, int row)
    {
        long days = array is PrimitiveArray<int> d32 ? d32.Values[row] : FloorDiv(((PrimitiveArray<long>)array).Values[row], 86_400_000);
        AppendDateTime(text, days * 86_400, withTime: false);
    }

    /// <summary>Appends Python's <c>repr</c> of <paramref name="value"/>; NaN appends nothing (pandas' empty na_rep).</summary>
    public static void AppendDouble(StringBuilder text, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        if (double.IsInfinity(value))
        {
            text.Append(value > 0 ? "inf" : "-inf");
            return;
        }

        AppendRepr(text, value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Appends numpy's <c>repr</c> of a float32 (shortest float32 digits in Python's layout).</summary>
    public static void AppendSingle(StringBuilder text, float value)
    {
        if (float.IsNaN(value))
        {
            return;
        }

        if (float.IsInfinity(value))
        {
            text.Append(value > 0 ? "inf" : "-inf");
            return;
        }

        AppendRepr(text, value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Re-lays a .NET shortest round-trip text (<c>1E+22</c>, <c>0.0001</c>, <c>-1.5</c>) as Python's repr does.</summary>
    private static void AppendRepr(StringBuilder text, string shortest)
    {
        var s = shortest.AsSpan();
        bool negative = s.Length > 0 && s[0] == '-';
        if (negative)
        {
            s = s[1..];
        }

        int exponent = 0;
        int e = s.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        int dot = s.IndexOf('.');
        string digits = dot < 0 ? s.ToString() : string.Concat(s[..dot], s[(dot + 1)..]);
        int point = (dot < 0 ? s.Length : dot) + exponent;
        int lead = 0;
        while (lead < digits.Length && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        if (negative)
        {
            text.Append('-');
        }

        if (digits.Length == 0)
        {
            text.Append("0.0");
            return;
        }

        int x = point - 1;
        if (x is >= -4 and < 16)
        {
            if (point <= 0)
            {
                text.Append("0.").Append('0', -point).Append(digits);
            }
            else if (point >= digits.Length)
            {
                text.Append(digits).Append('0', point - digits.Length).Append(".0");
            }
            else
            {
                text.Append(digits.AsSpan(0, point)).Append('.').Append(digits.AsSpan(point));
            }

            return;
        }

        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits.AsSpan(1));
        }

        text.Append('e').Append(x < 0 ? '-' : '+').Append(Math.Abs(x).ToString("D2", CultureInfo.InvariantCulture));
    }

    private static (long Seconds, long Nanos) Split(long value, TimeUnit unit)
    {
        long perSecond = unit switch
        {
            TimeUnit.Second => 1,
            TimeUnit.Millisecond => 1_000,
            TimeUnit.Microsecond => 1_000_000,
            _ => 1_000_000_000,
        };
        long seconds = FloorDiv(value, perSecond);
        long nanos = (value - (seconds * perSecond)) * (1_000_000_000 / perSecond);
        return (seconds, nanos);
    }

    private static long FloorDiv(long a, long b) => (a / b) - (((a % b) != 0 && ((a < 0) != (b < 0))) ? 1 : 0);

    private static long Mod(long a, long b) => a - (FloorDiv(a, b) * b);
}
