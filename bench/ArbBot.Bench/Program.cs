using BenchmarkDotNet.Running;

namespace ArbBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/ArbBot.Bench -- book</c>: delta-apply latency and allocation figures (seconds).
/// <c>... -- strategies</c>: strategy call cost and save-to-live time.
/// <c>... -- kalshi</c>: Kalshi WebSocket frame decode and apply, per frame.
/// <c>... -- wire</c>: wire to decision (frame decode, kernel channel, book, three strategies) at 10k, 100k frames/s and flat out.
/// <c>... -- mirror</c>: Redis mirror lag and throughput at 10k and 100k changes/s (needs redis-server).
/// <c>... -- micro</c>: the BenchmarkDotNet suite (minutes).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "book";
        string output = args.Length > 1 ? args[1] : Path.Combine(Directory.GetCurrentDirectory(), "bench-results");
        switch (what)
        {
            case "book":
                return BookDeltaBench.Run(output);
            case "strategies":
                return StrategyBench.Run(FindRepoRoot(), output);
            case "kalshi":
                return KalshiFrameBench.Run(output);
            case "wire":
                return WireToDecisionBench.Run(FindRepoRoot(), output);
            case "mirror":
                return MirrorBench.Run(output, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
            case "micro":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
                return 0;
            default:
                Console.Error.WriteLine($"unknown benchmark \"{what}\"; use: book [output-dir] | kalshi [output-dir] | wire [output-dir] | strategies [output-dir] | mirror [output-dir] | micro [BenchmarkDotNet args]");
                return 2;
        }
    }

    private static string FindRepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ArbBot.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("run from inside the repository: ArbBot.sln not found above " + AppContext.BaseDirectory);
    }
}
