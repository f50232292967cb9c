using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Larder.Benchmarks;

/// <summary>
/// One line of the comparison. <see cref="Ratio"/> is always "ours relative to the reference, higher is better":
/// ours / reference for throughputs, reference / ours for times and sizes (so 2.0 means twice as fast, or half the size).
/// <paramref name="TargetLabel"/> overrides the printed target (e.g. "size <= 1.1x" for a ratio target of 1/1.1).
/// </summary>
internal sealed record ResultRow(
    string Workload,
    double? Ours,
    string Unit,
    string ReferenceName,
    double? Reference,
    double? TargetRatio,
    string? Note = null,
    string? TargetLabel = null)
{
    /// <summary>Times (seconds) and sizes (MiB) are better when lower; everything else (GB/s, MB/s) when higher.</summary>
    public bool LowerIsBetter => Unit is "s" or "MiB";

    public double? Ratio => Ours is > 0 && Reference is > 0
        ? (LowerIsBetter ? Reference.Value / Ours.Value : Ours.Value / Reference.Value)
        : null;

    /// <summary>True or false for rows with a target, null for context rows or when a figure is missing.</summary>
    public bool? Met => TargetRatio is { } target && Ratio is { } ratio ? ratio >= target : null;

    public string TargetText => TargetLabel ?? (TargetRatio is { } t
        ? (Unit == "s" ? string.Create(CultureInfo.InvariantCulture, $">= {t:0.##}x faster") : string.Create(CultureInfo.InvariantCulture, $">= {t:0.##}x"))
        : "(context)");

    public string MetText => Met switch { true => "yes", false => "NO", null => TargetRatio is null ? "-" : "n/a" };

    public JsonObject ToJson() => new()
    {
        ["workload"] = Workload,
        ["ours"] = Ours is { } o ? Math.Round(o, 4) : null,
        ["unit"] = Unit,
        ["reference_name"] = ReferenceName,
        ["reference"] = Reference is { } re ? Math.Round(re, 4) : null,
        ["ratio"] = Ratio is { } r ? Math.Round(r, 4) : null,
        ["ratio_meaning"] = Unit switch
        {
            "s" => "reference time / our time (speed-up)",
            "MiB" => "reference size / our size",
            _ => "our throughput / reference throughput",
        },
        ["target"] = TargetRatio,
        ["met"] = Met,
        ["note"] = Note,
    };

    public static string Format(double? value, string unit) => value switch
    {
        null => "n/a",
        double v when unit == "s" => string.Create(CultureInfo.InvariantCulture, $"{v:F3} s"),
        double v when unit == "MiB" => string.Create(CultureInfo.InvariantCulture, $"{v:F1} MiB"),
        double v when v >= 100 => string.Create(CultureInfo.InvariantCulture, $"{v:F0} {unit}"),
        double v => string.Create(CultureInfo.InvariantCulture, $"{v:F2} {unit}"),
    };
}

/// <summary>Renders result rows as a fixed-width text table.</summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<ResultRow> rows)
    {
        string[] headers = ["workload", "ours", "reference", "ratio", "target", "met?"];
        var cells = rows.Select(r => new[]
        {
            r.Workload,
            ResultRow.Format(r.Ours, r.Unit),
            $"{r.ReferenceName} {ResultRow.Format(r.Reference, r.Unit)}",
            r.Ratio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $"{ratio:F2}x") : "n/a",
            r.TargetText,
            r.MetText,
        }).ToList();
        int[] widths = [.. headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length)))];
        var sb = new StringBuilder();
        AppendLine(sb, headers, widths);
        sb.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            AppendLine(sb, row, widths);
        }

        return sb.ToString();
    }

    private static void AppendLine(StringBuilder sb, string[] cells, int[] widths)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" | ");
            }

            // Numbers right-aligned, text left-aligned.
            bool right = i is 1 or 3;
            sb.Append(right ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        int end = sb.Length;
        while (end > 0 && sb[end - 1] == ' ')
        {
            end--;
        }

        sb.Length = end;
        sb.Append('\n');
    }
}
