using System.Diagnostics;
using System.Globalization;

namespace Larder.Benchmarks;

/// <summary>Stopwatch timing: warm-up runs, then the best of N (the least disturbed run on a shared machine).</summary>
internal static class Measure
{
    /// <summary>The outcome of timing one operation.</summary>
    public sealed record Timing(double BestSeconds, double MedianSeconds, IReadOnlyList<double> Samples);

    /// <summary>
    /// Runs <paramref name="operation"/> <paramref name="warmups"/> times untimed, then at least <paramref name="minRuns"/>
    /// times (and more, up to <paramref name="maxRuns"/>, until <paramref name="minSeconds"/> of timed work has passed).
    /// <paramref name="between"/> runs untimed before every run (e.g. a full GC, deleting an output file).
    /// With <paramref name="minSampleSeconds"/> &gt; 0, each timed sample repeats the operation back to back until it
    /// lasts about that long (the count is calibrated on the warm-up) and counts the mean time per call, as the zstd and
    /// lz4 benchmark modes do: a best-of over very short samples would pick lucky scheduler gaps on a busy machine.
    /// </summary>
    public static Timing Run(string label, Action operation, int warmups = 1, int minRuns = 3, int maxRuns = 3,
        double minSeconds = 0, Action? between = null, double minSampleSeconds = 0)
    {
        double warmupSeconds = double.MaxValue;
        for (int i = 0; i < warmups; i++)
        {
            between?.Invoke();
            long t0 = Stopwatch.GetTimestamp();
            operation();
            warmupSeconds = Math.Min(warmupSeconds, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        int repeat = minSampleSeconds > 0 && warmups > 0
            ? (int)Math.Clamp(Math.Ceiling(minSampleSeconds / Math.Max(warmupSeconds, 1e-6)), 1, 100_000)
            : 1;
        var samples = new List<double>();
        double total = 0;
        while (samples.Count < minRuns || (samples.Count < maxRuns && total < minSeconds))
        {
            between?.Invoke();
            long start = Stopwatch.GetTimestamp();
            for (int r = 0; r < repeat; r++)
            {
                operation();
            }

            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            samples.Add(seconds / repeat);
            total += seconds;
        }

        var sorted = samples.Order().ToArray();
        var timing = new Timing(sorted[0], sorted[sorted.Length / 2], samples);
        string calls = repeat > 1 ? string.Create(CultureInfo.InvariantCulture, $" x {repeat} calls") : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-34} best {timing.BestSeconds * 1000,9:F1} ms   median {timing.MedianSeconds * 1000,9:F1} ms   ({samples.Count} runs{calls})"));
        return timing;
    }

    /// <summary>A full, compacting collection with finalizers run (frees memory maps released by earlier runs).</summary>
    public static void FullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
