using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Larder.Benchmarks;

/// <summary>
/// Entry point. Modes:
/// <list type="bullet">
/// <item><c>compare --data DIR [--ipc-gib 1] [--csv-rows 1000000] [--vault-rows 1000000] [--vault-array-mib 1024] [--no-cold] [--only GROUPS]</c>: our workloads (Stopwatch, warm-up,
/// best of N) next to the reference programs in <c>bench/peers</c>; prints the table and writes <c>DIR/results.json</c>.</item>
/// <item><c>bdn [--data DIR] [BenchmarkDotNet arguments, e.g. --filter '*']</c>: the BenchmarkDotNet classes with a short
/// in-process job (3 warm-ups, 3 iterations).</item>
/// </list>
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage();
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "compare" => new CompareRunner(CompareOptions.Parse(args[1..])).Run(),
                "bdn" => RunBenchmarkDotNet(args[1..]),
                _ => Usage($"unknown mode '{args[0]}'"),
            };
        }
        catch (ArgumentException ex)
        {
            return Usage(ex.Message);
        }
    }

    private static int RunBenchmarkDotNet(string[] args)
    {
        var rest = new List<string>(args);
        int data = rest.IndexOf("--data");
        if (data >= 0)
        {
            if (data + 1 >= rest.Count)
            {
                return Usage("--data needs a value");
            }

            Environment.SetEnvironmentVariable("LARDER_BENCH_DATA", Path.GetFullPath(rest[data + 1]));
            rest.RemoveRange(data, 2);
        }

        // In-process: no generated project to build (it would inherit the repository's build settings), and the
        // short job keeps a full run to minutes.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .WithArtifactsPath(Path.Combine(BdnData.Directory, "..", "BenchmarkDotNet.Artifacts"));
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }

    private static int Usage(string error)
    {
        Console.Error.WriteLine($"Larder.Benchmarks: {error}");
        PrintUsage();
        return 2;
    }

    private static void PrintUsage()
    {
        Console.Error.WriteLine(CompareOptions.Usage);
        Console.Error.WriteLine("       Larder.Benchmarks bdn [--data DIR] [BenchmarkDotNet options, e.g. --filter '*']");
    }
}
