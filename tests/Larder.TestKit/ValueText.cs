using System.Globalization;
using System.Numerics;
using System.Text;
using Larder.Columnar;

namespace Larder.TestKit;

/// <summary>Short, unambiguous text of one array value for failure messages (strings quoted, binary in hex, floats round-trip).</summary>
public static class ValueText
{
    private const int MaxItems = 8;
    private const int MaxChars = 80;

    /// <summary>The value at <paramref name="index"/> of <paramref name="array"/> ("null" for a null row).</summary>
    public static string Format(IArrowArray array, int index)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.IsNull(index))
        {
            return "null";
        }

        switch (array)
        {
            case StringArray s:
                return Quote(s.GetString(index)!);
            case BinaryArray b:
                return Hex(b.GetBytes(index));
            case FixedSizeBinaryArray f when f.Type is DecimalType d:
                return DecimalMath.ToString(new BigInteger(f.GetBytes(index), isUnsigned: false, isBigEndian: false), d.Scale);
            case FixedSizeBinaryArray f:
                return Hex(f.GetBytes(index));
            case Decimal128Array d:
                return d.GetString(index)!;
            case PrimitiveArray<double> d:
                return d.Values[index].ToString("R", CultureInfo.InvariantCulture);
            case PrimitiveArray<float> f:
                return f.Values[index].ToString("R", CultureInfo.InvariantCulture);
            case PrimitiveArray<Half> h:
                return h.Values[index].ToString(CultureInfo.InvariantCulture);
            case BooleanArray b:
                return b.GetBit(index) ? "true" : "false";
            case DictionaryArray d:
                {
                    long i = d.GetIndex(index);
                    return i >= 0 && i < d.Dictionary.Length ? Format(d.Dictionary, (int)i) : $"<dictionary index {i} out of range>";
                }

            case MapArray m:
                {
                    int start = (int)m.GetValueOffset(index);
                    int end = (int)m.GetValueOffset(index + 1);
                    var parts = new List<string>();
                    for (int i = start; i < end && parts.Count < MaxItems; i++)
                    {
                        parts.Add($"{Format(m.Keys, i)}: {Format(m.Items, i)}");
                    }

                    return "{" + string.Join(", ", parts) + (end - start > MaxItems ? ", …" : string.Empty) + "}";
                }

            case ListArray l:
                return Items(l.GetList(index));
            case FixedSizeListArray l:
                return Items(l.GetList(index));
            case StructArray s:
                {
                    var fields = ((StructType)s.Type).Fields;
                    var parts = new List<string>();
                    for (int i = 0; i < fields.Count && i < MaxItems; i++)
                    {
                        parts.Add($"{fields[i].Name}: {Format(s.Fields[i], index)}");
                    }

                    return "{" + string.Join(", ", parts) + (fields.Count > MaxItems ? ", …" : string.Empty) + "}";
                }

            default:
                return Convert.ToString(array.GetValue(index), CultureInfo.InvariantCulture) ?? "null";
        }
    }

    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (char c in s.Length > MaxChars ? s[..MaxChars] : s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case < ' ':
                    sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
        if (s.Length > MaxChars)
        {
            sb.Append(CultureInfo.InvariantCulture, $"… ({s.Length} chars)");
        }

        return sb.ToString();
    }

    internal static string Hex(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return "0x (empty)";
        }

        string hex = Convert.ToHexString(bytes.Length > MaxChars / 2 ? bytes[..(MaxChars / 2)] : bytes);
        return bytes.Length > MaxChars / 2 ? $"0x{hex}… ({bytes.Length} bytes)" : "0x" + hex;
    }

    private static string Items(IArrowArray items)
    {
        var parts = new List<string>();
        for (int i = 0; i < items.Length && i < MaxItems; i++)
        {
            parts.Add(Format(items, i));
        }

        return "[" + string.Join(", ", parts) + (items.Length > MaxItems ? $", … ({items.Length} items)" : string.Empty) + "]";
    }
}
