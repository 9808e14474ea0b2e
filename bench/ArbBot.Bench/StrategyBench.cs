using System.Diagnostics;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Pipeline;
using ArbBot.Engine.Strategies;
using ArbBot.Engine.Strategies.Compilation;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Bench;

/// <summary>
/// Cost of one strategy call for each shipped script on a typical pair of books with no
/// opportunity (median, p99, bytes per call), and the time from saving a .csx file to the new
/// version taking calls, with a warm compiler.
/// </summary>
internal static class StrategyBench
{
    private static readonly string[] s_shipped = ["dutch_book", "same_market", "maker_hedge"];

    private const int Calls = 200_000;

    public static int Run(string repoRoot, string outputDirectory, QuickReport? report = null)
    {
        var results = new List<object>();
        bool zeroAlloc = true;
        foreach (bool grossEdge in new[] { false, true })
        {
            string books = grossEdge ? "gross_edge" : "no_edge";
            Console.WriteLine(grossEdge
                ? "strategy call, books with a 1-cent gross edge that fees remove (the sizer searches every update, nothing is emitted)"
                : "strategy call (one OnBookUpdate through the host, typical books, no opportunity; timestamp cost subtracted)");
            foreach (string script in (Environment.GetEnvironmentVariable("ARBBOT_BENCH_EXTRA") is { } extra ? new[] { extra } : []).Concat(s_shipped))
            {
                (double median, double p99, double bytesPerCall, long intents) = MeasureCalls(repoRoot, [Path.IsPathRooted(script) ? script : Path.Combine(repoRoot, "strategies", script + ".csx")], grossEdge);
                zeroAlloc &= bytesPerCall == 0;
                Console.WriteLine($"  {script,-12} median {median,7:0.0} ns   p99 {p99,7:0.0} ns   {bytesPerCall:0.###} bytes/call   (target < 1000 ns, 0 bytes; intents {intents})");
                results.Add(new { benchmark = "strategy_call", books, script, median_ns = Math.Round(median, 1), p99_ns = Math.Round(p99, 1), bytes_per_call = bytesPerCall, intents, target_median_ns = 1000 });
            }

            string[] all = ["dutch_book", "same_market", "maker_hedge"];
            (double allMedian, double allP99, double allBytes, long allIntents) = MeasureCalls(repoRoot, all.Select(n => Path.Combine(repoRoot, "strategies", n + ".csx")).ToArray(), grossEdge);
            zeroAlloc &= allBytes == 0;
            Console.WriteLine($"  all three    median {allMedian,7:0.0} ns   p99 {allP99,7:0.0} ns   {allBytes:0.###} bytes/update (the three in one host, as the engine runs them)");
            results.Add(new { benchmark = "strategy_call", books, script = "all_three", median_ns = Math.Round(allMedian, 1), p99_ns = Math.Round(allP99, 1), bytes_per_call = allBytes, intents = allIntents, target_median_ns = 3000 });
            report?.Add(grossEdge ? "three strategies per update, gross edge fees remove, median" : "three strategies per book update, median", Math.Round(allMedian), "ns", "(part of wire to decision)", null);
        }

        (double saveMedian, double saveMax, double watcherMedian) = MeasureSaveToLive(repoRoot, Path.Combine(repoRoot, "strategies"));
        Console.WriteLine("strategy hot reload (write the file -> new version taking calls; warm compiler, 10 saves)");
        Console.WriteLine($"  median {saveMedian,7:0} ms   max {saveMax,7:0} ms   (target < 500 ms; includes the 50 ms debounce; host-measured from the watcher event: {watcherMedian:0} ms)");
        results.Add(new { benchmark = "strategy_save_to_live", median_ms = Math.Round(saveMedian), max_ms = Math.Round(saveMax), watcher_to_live_median_ms = Math.Round(watcherMedian), target_ms = 500 });
        report?.Add("strategy hot reload, save to live, median", Math.Round(saveMedian), "ms", "< 500 ms", saveMedian < 500);

        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, "strategies.json");
        File.WriteAllText(file, JsonSerializer.Serialize(results, BenchJson.Indented));
        Console.WriteLine($"  written  {file}");
        return zeroAlloc ? 0 : 1;
    }

    private static (double Median, double P99, double BytesPerCall, long Intents) MeasureCalls(string repoRoot, string[] scripts, bool grossEdge)
    {
        using Rig rig = Rig.Create(BenchCompiler.Shared(repoRoot), scripts, watch: false);
        MarketBook kalshi = rig.Books[new MarketHandle(0)];
        MarketBook poly = rig.Books[new MarketHandle(1)];

        // Typical books: five levels a side around 0.50, one-cent spreads, no edge after fees. With
        // a gross edge: Polymarket's NO asks a cent lower, so YES on Kalshi (0.50) and NO there (0.49)
        // cost 0.99 before fees, and Kalshi's fee (1.75 cents a contract at 0.50) removes it at every size.
        var kalshiSnapshot = new BookSnapshot(kalshi.Handle, 0, 0, 0, Ladder(480_000, -1), [], Ladder(500_000, -1), []);
        var polySnapshot = grossEdge
            ? new BookSnapshot(poly.Handle, 0, 0, 0, Ladder(490_000, -1), Ladder(510_000, 1), Ladder(470_000, -1), Ladder(490_000, 1), Price.Cent)
            : new BookSnapshot(poly.Handle, 0, 0, 0, Ladder(490_000, -1), Ladder(510_000, 1), Ladder(480_000, -1), Ladder(500_000, 1), Price.Cent);
        rig.Books.ApplySnapshot(kalshiSnapshot, Stopwatch.GetTimestamp());
        rig.Books.ApplySnapshot(polySnapshot, Stopwatch.GetTimestamp());

        // Warm up for a second of calls so every method on the path reaches its optimised tier.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; warmUp.ElapsedMilliseconds < 3000; i++)
        {
            rig.Host.OnBookUpdated((i & 1) == 0 ? kalshi : poly);
            rig.Drain();
        }

        long overhead = TimestampCost.MedianTicks();
        long[] samples = new long[Calls];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            MarketBook book = (i & 1) == 0 ? kalshi : poly;
            long t0 = Stopwatch.GetTimestamp();
            rig.Host.OnBookUpdated(book);
            samples[i] = Stopwatch.GetTimestamp() - t0;
            rig.Drain(); // the engine's pipeline takes the queued groups after the strategies; here they are only counted
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(samples);
        double ns = 1e9 / Stopwatch.Frequency;
        return ((samples[Calls / 2] - overhead) * ns, (samples[(int)(Calls * 0.99)] - overhead) * ns, (double)allocated / Calls, rig.Intents);
    }

    private static (double Median, double Max, double WatcherMedian) MeasureSaveToLive(string repoRoot, string strategies)
    {
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-bench-reload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "dutch_book.csx");
        string source = File.ReadAllText(Path.Combine(strategies, "dutch_book.csx"));
        File.WriteAllText(file, source);
        using Rig rig = Rig.Create(BenchCompiler.Shared(repoRoot), [file], watch: true);
        StrategyRuntime runtime = rig.Host.Strategies[0];
        var live = new SemaphoreSlim(0);
        rig.Host.Reloaded += _ => live.Release();

        // Warm the compiler with one reload that is not measured.
        File.WriteAllText(file, source + "\n// warm-up\n");
        live.Wait(TimeSpan.FromSeconds(30));

        var totals = new List<double>();
        var fromWatcher = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            Thread.Sleep(300);
            long start = Stopwatch.GetTimestamp();
            File.WriteAllText(file, source + $"\n// edit {i}\n");
            if (!live.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("a saved version never went live");
            }

            totals.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            fromWatcher.Add(runtime.LastSaveToLiveMs);
        }

        totals.Sort();
        fromWatcher.Sort();
        Directory.Delete(dir, recursive: true);
        return (totals[totals.Count / 2], totals[^1], fromWatcher[fromWatcher.Count / 2]);
    }

    private static PriceLevel[] Ladder(long best, int direction) =>
        Enumerable.Range(0, 5).Select(i => new PriceLevel(Price.FromMicros(best + (direction * i * 10_000)), Quantity.FromContracts(100 + (i * 50)))).ToArray();

    /// <summary>One Kalshi-like and one Polymarket-like book as one pair, and a strategy host over them. The kernel thread is not started: calls run here.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly IntentQueue _queue;

        private Rig(BookStore books, StrategyHost host, IntentQueue queue)
        {
            Books = books;
            Host = host;
            _queue = queue;
        }

        public BookStore Books { get; }

        public StrategyHost Host { get; }

        public long Intents { get; private set; }

        public void Drain() => Intents += _queue.TakeAll().Count;

        public static Rig Create(IStrategyCompiler compiler, string[] files, bool watch)
        {
            var books = new BookStore();
            MarketHandle k = books.Register(0, "sim-kalshi", "K", BookStyle.BidsOnly);
            MarketHandle p = books.Register(1, "sim-poly", "P", BookStyle.TwoSided);
            books[k].Fees = new KalshiFeeModel(Price.One, false);
            books[p].Fees = new PolymarketFeeModel(Price.Parse("0.04"));
            var kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(1), NullLogger.Instance);
            ArbBotConfig config = BenchConfig.WithStrategies(files);
            var queue = new IntentQueue();
            var host = new StrategyHost(config, kernel, [new MarketPair("E", [k, p])], new Inventory(), queue, compiler, NullLogger.Instance, TimeProvider.System);
            var rig = new Rig(books, host, queue);
            IReadOnlyList<string> problems = host.LoadAll();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("\n", problems));
            }

            if (watch)
            {
                kernel.AddListener(host);
                kernel.Start(); // reloads swap on the kernel thread
                host.Watch();
            }

            return rig;
        }

        public void Dispose() => Host.Dispose();
    }
}
