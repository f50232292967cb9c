using Larder.TestKit;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Xunit.Sdk;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// Compares normalised peer values (tests/peers/README.md). Equal means: same JSON, except that temporal values
/// (<c>{"kind","unit","raw","iso"}</c>) are equal when their kinds are equal and their raw values are the same instant
/// or time of day once brought to one unit (DuckDB reads a TIMESTAMP(MILLIS) column back in microseconds, hyparquet
/// gives INT96 in nanoseconds), and numbers are equal when their values are.
/// </summary>
public static class PeerValues
{
    private static readonly Dictionary<string, BigInteger> NanosPerUnit = new(StringComparer.Ordinal)
    {
        ["s"] = 1_000_000_000,
        ["ms"] = 1_000_000,
        ["us"] = 1_000,
        ["ns"] = 1,
    };

    /// <summary>The differences between two values (empty when equal), each naming its path.</summary>
    public static IReadOnlyList<string> Differences(JsonElement expected, JsonElement actual, string path = "$")
    {
        var differences = new List<string>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    /// <summary>Whether two values are equal under the rules above.</summary>
    public static bool AreEqual(JsonElement expected, JsonElement actual) => Differences(expected, actual).Count == 0;

    /// <summary>
    /// Fails (naming up to 20 differing cells) unless both result sets have the same column names, the same number of
    /// rows and equal values in every cell.
    /// </summary>
    public static void AssertSameRows(PeerResultSet expected, PeerResultSet actual, string because)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!expected.ColumnNames.SequenceEqual(actual.ColumnNames))
        {
            throw new XunitException($"{because}: column names differ: [{string.Join(", ", expected.ColumnNames)}] vs [{string.Join(", ", actual.ColumnNames)}]");
        }

        if (expected.Rows.Count != actual.Rows.Count)
        {
            throw new XunitException($"{because}: {expected.Rows.Count} rows vs {actual.Rows.Count}");
        }

        var differences = new List<string>();
        for (int row = 0; row < expected.Rows.Count && differences.Count < 20; row++)
        {
            for (int column = 0; column < expected.Columns.Count; column++)
            {
                Compare(expected.Value(row, column), actual.Value(row, column), $"row {row}, {expected.Columns[column].Name}", differences);
            }
        }

        if (differences.Count > 0)
        {
            throw new XunitException($"{because}: values differ ({expected.Columns.Count} columns, {expected.Rows.Count} rows):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", differences.Take(20))}");
        }
    }

    private static void Compare(JsonElement a, JsonElement b, string path, List<string> differences)
    {
        if (IsTemporal(a) && IsTemporal(b))
        {
            CompareTemporal(a, b, path, differences);
            return;
        }

        if (a.ValueKind != b.ValueKind)
        {
            differences.Add($"{path}: {Text(a)} vs {Text(b)}");
            return;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return;
            case JsonValueKind.String:
                if (a.GetString() != b.GetString())
                {
                    differences.Add($"{path}: {Text(a)} vs {Text(b)}");
                }

                return;
            case JsonValueKind.Number:
                if (a.GetRawText() != b.GetRawText() && !(a.TryGetDecimal(out decimal x) && b.TryGetDecimal(out decimal y) && x == y) && a.GetDouble() != b.GetDouble())
                {
                    differences.Add($"{path}: {Text(a)} vs {Text(b)}");
                }

                return;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    differences.Add($"{path}: {Text(a)} vs {Text(b)} (lengths {a.GetArrayLength()} and {b.GetArrayLength()})");
                    return;
                }

                for (int i = 0; i < a.GetArrayLength(); i++)
                {
                    Compare(a[i], b[i], $"{path}[{i}]", differences);
                }

                return;
            case JsonValueKind.Object:
                var na = a.EnumerateObject().Select(p => p.Name).ToList();
                var nb = b.EnumerateObject().Select(p => p.Name).ToList();
                if (!na.SequenceEqual(nb))
                {
                    differences.Add($"{path}: fields [{string.Join(", ", na)}] vs [{string.Join(", ", nb)}]");
                    return;
                }

                foreach (var property in a.EnumerateObject())
                {
                    Compare(property.Value, b.GetProperty(property.Name), $"{path}.{property.Name}", differences);
                }

                return;
            default:
                differences.Add($"{path}: unexpected JSON {a.ValueKind}");
                return;
        }
    }

    /// <summary>Whether <paramref name="e"/> is a normalised temporal value.</summary>
    public static bool IsTemporal(JsonElement e)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("kind", out _) && e.TryGetProperty("unit", out _) && e.TryGetProperty("raw", out _) && e.TryGetProperty("iso", out _);

    /// <summary>The raw value of a temporal value in nanoseconds (days for dates).</summary>
    public static BigInteger Nanos(JsonElement temporal)
    {
        var raw = BigInteger.Parse(temporal.GetProperty("raw").GetString() ?? "", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string unit = temporal.GetProperty("unit").GetString() ?? "";
        return unit == "day" ? raw : raw * NanosPerUnit[unit];
    }

    private static void CompareTemporal(JsonElement a, JsonElement b, string path, List<string> differences)
    {
        string? ka = a.GetProperty("kind").GetString();
        string? kb = b.GetProperty("kind").GetString();
        bool dayA = a.GetProperty("unit").GetString() == "day";
        bool dayB = b.GetProperty("unit").GetString() == "day";
        if (ka != kb || dayA != dayB || Nanos(a) != Nanos(b)
            || (a.TryGetProperty("offset", out var oa) ? oa.GetInt32() : 0) != (b.TryGetProperty("offset", out var ob) ? ob.GetInt32() : 0))
        {
            differences.Add($"{path}: {Text(a)} vs {Text(b)}");
        }
    }

    private static string Text(JsonElement e) => ChildProcess.Truncate(e.GetRawText(), 200);
}
