using BenchmarkDotNet.Running;

namespace ArbBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/ArbBot.Bench -- book</c>: delta-apply latency and allocation figures (seconds).
/// <c>... -- strategies</c>: strategy call cost and save-to-live time.
/// <c>... -- kalshi</c>: Kalshi WebSocket frame decode and apply, per frame.
/// <c>... -- polymarket</c>: Polymarket price_change frame decode and apply, per frame.
/// <c>... -- signing</c>: Polymarket CLOB V2 order build + sign, per order.
/// <c>... -- replay [output-dir] [events]</c>: replay throughput over a generated recording (10 million events), three strategies on.
/// <c>... -- wire</c>: wire to decision (frame decode, kernel channel, book, three strategies) at 10k, 100k frames/s and flat out, and with Kalshi + Polymarket frames.
/// <c>... -- memory</c>: working set of a fresh <c>arbbot run</c> with 10,000 simulated markets, cold and warm start (needs arbbot built in Release).
/// <c>... -- floor</c>: the machine's own latency floor (an empty two-thread hand-off at 100k/s) and how often a spinning thread stalls.
/// <c>... -- mirror</c>: Redis mirror lag and throughput at 10k and 100k changes/s (needs redis-server).
/// <c>... -- scale</c>: wire to decision with 10, 1,000 and 10,000 markets, and memory per market.
/// <c>... -- quick</c>: every figure of issue #9 in a few minutes, each next to its target (also what <c>arbbot bench</c> runs).
/// <c>... -- micro</c>: the BenchmarkDotNet suite (minutes).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return Dispatch(args);
        }
        finally
        {
            BenchCompiler.Stop(); // the strategies' compile process, if a benchmark started one
        }
    }

    private static int Dispatch(string[] args)
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
            case "polymarket":
                return PolymarketFrameBench.Run(output);
            case "wire-mixed":
                return WireToDecisionBench.Mixed(FindRepoRoot(), output, 300_000, report: null);
            case "signing":
                return OrderSigningBench.Run(output);
            case "replay":
                return ReplayBench.Run(FindRepoRoot(), output, args.Length > 2 ? long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000);
            case "memory":
                return ProcessMemoryBench.Run(FindRepoRoot(), output, TimeSpan.FromSeconds(20), report: null);
            case "floor":
                MachineFloorBench.Report(report: null);
                return 0;
            case "wire":
                MachineFloorBench.Report(report: null);
                WireToDecisionBench.Mixed(FindRepoRoot(), output, 500_000, report: null);
                return WireToDecisionBench.Run(FindRepoRoot(), output);
            case "frames":
                // frames OUTPUT FILE VENUE [json]
                if (args.Length < 4)
                {
                    Console.Error.WriteLine("frames needs: frames OUTPUT-DIR FILE kalshi|polymarket [json]");
                    return 2;
                }

                return FramesFileBench.Run(args[2], args[3], output, args.Length > 4 && args[4] == "json");
            case "polymarket-file":
                // The quick run's --frames row on its own: a generated file of two-change (70%) and one-change price changes.
                return FramesFileBench.Run(PolymarketFramesFile.Write(output, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000), "polymarket", output, json: true);
            case "mirror-deployments":
                return MirrorDeploymentBench.Run(output);
            case "mirror":
                return MirrorBench.Run(output, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
            case "scale":
                return WireToDecisionBench.Scale(FindRepoRoot(), output, 500_000, report: null);
            case "quick":
                return Quick(FindRepoRoot(), output);
            case "micro":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
                return 0;
            default:
                Console.Error.WriteLine($"unknown benchmark \"{what}\"; use: quick | book | kalshi | polymarket | polymarket-file | signing | replay | wire | floor | memory | scale | strategies | mirror [output-dir] | mirror-deployments | micro [BenchmarkDotNet args]");
                return 2;
        }
    }

    /// <summary>Shortened runs of every benchmark, then one table of figures and targets (bench-results/quick.json).</summary>
    private static int Quick(string repoRoot, string output)
    {
        var report = new QuickReport();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        KalshiFrameBench.Run(output, 300_000, report);
        PolymarketFrameBench.Run(output, 300_000, report);
        FramesFileBench.Run(PolymarketFramesFile.Write(output, 200_000), "polymarket", output, json: true, report);
        MachineFloorBench.Report(report);
        WireToDecisionBench.Run(repoRoot, output, [(100_000, false), (100_000, true), (0, true)], framesCap: 300_000, report);
        WireToDecisionBench.Scale(repoRoot, output, 120_000, report);
        ProcessMemoryBench.Run(repoRoot, output, TimeSpan.FromSeconds(12), report);
        MirrorBench.Run(output, largest: 100, seconds: 3, report);
        StrategyBench.Run(repoRoot, output, report);
        WireToDecisionBench.Mixed(repoRoot, output, 200_000, report);
        OrderSigningBench.Run(output, 5_000, report);
        ReplayBench.Run(repoRoot, output, 10_000_000, report);
        report.Print(Console.Out);
        Console.WriteLine($"quick run took {clock.Elapsed.TotalSeconds:0} s");
        report.Write(output);
        return 0;
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
