using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Strategies;
using ArbBot.Engine.Strategies.Scripting;
using ArbBot.Venues.Kalshi.Parsing;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Bench;

/// <summary>
/// Wire to decision: Kalshi <c>orderbook_delta</c> frames for two venues listing the same 100
/// events go through the plugin's decoder on a feeder thread (timestamped there, as at socket
/// receipt), the kernel's channel, the book store and the three shipped .csx strategies on the
/// kernel thread; a listener after the strategies takes the time the decision is made. Paced at
/// 10k and 100k frames/s, then as fast as the feeder can go. Reports the latency histogram, the
/// sustained rate, bytes allocated per frame (all threads) and GCs.
/// </summary>
internal static class WireToDecisionBench
{
    private const int DefaultEvents = 100;

    /// <summary>The full run: six rates and modes, 100 events on 2 venues.</summary>
    public static int Run(string repoRoot, string outputDirectory) =>
        Run(repoRoot, outputDirectory, [(10_000, false), (100_000, false), (0, false), (10_000, true), (100_000, true), (0, true)], framesCap: 1_000_000, report: null);

    /// <summary>The given rates (0 = flat out) and modes; each result is printed, written and added to the report.</summary>
    public static int Run(string repoRoot, string outputDirectory, (int Rate, bool Spin)[] runs, int framesCap, QuickReport? report)
    {
        var results = new List<Result>();
        Console.WriteLine($"wire to decision: Kalshi frames -> decoder -> kernel channel -> book -> 3 strategies ({DefaultEvents} events on 2 venues)");
        foreach ((int rate, bool spin) in runs)
        {
            using Rig rig = Rig.Create(repoRoot, spin ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero, DefaultEvents, Math.Min(framesCap, 600_000));
            Result r = rig.Run(rate, spin, rate == 0 ? framesCap : Math.Min(rate * 5, Math.Min(framesCap, 500_000)));
            results.Add(r);
            Console.WriteLine($"  {Label(rate, spin),-14} frames {r.Frames,9:N0}  p50 {r.P50Ns,8:N0} ns  p90 {r.P90Ns,8:N0}  p99 {r.P99Ns,8:N0}  p99.9 {r.P999Ns,9:N0}  max {r.MaxNs,10:N0}  achieved {r.FramesPerSecond,9:N0}/s  alloc {r.BytesPerFrame,6:0.##} B/frame  gen0 {r.Gen0} gen2 {r.Gen2}  intents {r.Intents:N0}");
        }

        Console.WriteLine("  targets: p50 < 2 us and p99 < 10 us at 100k/s; >= 1M frames/s; 0 B/frame; no gen-2 GC");
        Write(outputDirectory, "wire-to-decision.json", results);
        if (report is not null)
        {
            foreach (Result r in results.Where(r => r.OfferedRate == 100_000))
            {
                string mode = r.IdleSpin ? "idle_spin 1ms" : "default kernel";
                report.Add($"wire to decision p50, 100k frames/s ({mode})", r.P50Ns, "ns", "< 2,000 ns", r.P50Ns < 2_000);
                report.Add($"wire to decision p99, 100k frames/s ({mode})", r.P99Ns, "ns", "< 10,000 ns", r.P99Ns < 10_000);
                report.Add($"bytes per frame, 100k frames/s ({mode})", r.BytesPerFrame, "B", "0", r.BytesPerFrame < 0.5);
                if (r.IdleSpin)
                {
                    report.Keep("wire_p99_ns", r.P99Ns);
                    report.Keep("wire_p50_ns", r.P50Ns);
                }
            }

            foreach (Result r in results.Where(r => r.OfferedRate == 0))
            {
                report.Add($"sustained frames/s, one kernel ({(r.IdleSpin ? "idle_spin 1ms" : "default kernel")})", r.FramesPerSecond, "/s", ">= 1,000,000", r.FramesPerSecond >= 1_000_000);
            }

            report.Add("gen-2 GCs during the wire runs", results.Sum(r => r.Gen2), "", "0", results.All(r => r.Gen2 == 0));
        }

        return 0;
    }

    /// <summary>
    /// Scale: the same path at 100k frames/s (idle spin) with 10, 1,000 and 10,000 markets; the
    /// managed memory each market costs (books, strategy state, decoder entry: measured around
    /// registering and snapshotting them) and the process working set once they are loaded.
    /// </summary>
    public static int Scale(string repoRoot, string outputDirectory, int frames, QuickReport? report)
    {
        var results = new List<object>();
        long? p99Small = null;
        var loaded = new Dictionary<int, long>();
        Console.WriteLine("wire to decision by number of markets (100k frames/s, idle_spin 1ms)");
        foreach (int markets in new[] { 10, 1_000, 10_000 })
        {
            GC.Collect();
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            using Rig rig = Rig.Create(repoRoot, TimeSpan.FromMilliseconds(1), markets / 2, Math.Max(frames, markets * 20));
            rig.ApplySnapshots();
            long heapLoaded = GC.GetTotalMemory(forceFullCollection: true) - rig.FrameBytes;
            long workingSet = Environment.WorkingSet - rig.FrameBytes;
            Result r = rig.Run(100_000, true, frames);
            double bytesPerMarket = (heapLoaded - heapBefore) / (double)markets;
            loaded[markets] = heapLoaded;
            p99Small ??= r.P99Ns;
            Console.WriteLine($"  {markets,6:N0} markets  p50 {r.P50Ns,8:N0} ns  p99 {r.P99Ns,8:N0} ns  managed {bytesPerMarket / 1024,7:0.0} KB/market  working set {workingSet / 1048576.0,7:0.0} MB (bench frame buffers excluded)  gen2 {r.Gen2}");
            results.Add(new { markets, p50_ns = r.P50Ns, p99_ns = r.P99Ns, managed_bytes_per_market = Math.Round(bytesPerMarket), working_set_mb = Math.Round(workingSet / 1048576.0, 1), gen2 = r.Gen2 });
            if (report is not null)
            {
                report.Add($"wire p99 with {markets:N0} markets", r.P99Ns, "ns", markets == 10 ? "(reference)" : $"<= 2x the 10-market p99 ({2 * p99Small:N0} ns)", markets == 10 || r.P99Ns <= 2 * p99Small);
                if (markets == 10_000)
                {
                    // Per market at the margin: what 9,000 more markets add to the managed heap (the
                    // fixed cost of the runtime, the strategy compiler and earlier runs cancels out).
                    double perMarket = (loaded[10_000] - loaded[1_000]) / 9_000.0;
                    report.Add("working set with 10,000 markets (whole bench process)", Math.Round(workingSet / 1048576.0, 1), "MB", "< 200 MB", workingSet < 200L * 1048576);
                    report.Add("managed memory per market (1,000 -> 10,000)", Math.Round(perMarket / 1024, 2), "KB", "(reported)", null);
                }
            }
        }

        Write(outputDirectory, "wire-scale.json", results);
        return 0;
    }

    private static string Label(int rate, bool spin) => (rate == 0 ? "max rate" : $"{rate / 1000}k/s") + (spin ? " spin" : "");

    private static void Write<T>(string outputDirectory, string name, T results)
    {
        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, name);
        File.WriteAllText(file, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"  written  {file}");
    }

    private sealed record Result(int OfferedRate, bool IdleSpin, int Frames, long P50Ns, long P90Ns, long P99Ns, long P999Ns, long MaxNs, long FramesPerSecond, double BytesPerFrame, int Gen0, int Gen2, long Intents);

    /// <summary>A kernel with 2 x 100 bids-only books paired per event, the three strategies, and a decision clock.</summary>
    private sealed class Rig : IDisposable, IKernelListener
    {
        private readonly EngineKernel _kernel;
        private readonly StrategyHost _host;
        private readonly KalshiFeed[] _feeds;
        private readonly byte[][][] _frames;
        private readonly int _events;
        private bool _snapshotted;
        private long[] _samples = [];
        private int _count;
        private long _intents;

        private Rig(EngineKernel kernel, StrategyHost host, KalshiFeed[] feeds, byte[][][] frames, int events)
        {
            _kernel = kernel;
            _host = host;
            _feeds = feeds;
            _frames = frames;
            _events = events;
            FrameBytes = frames.Sum(v => v.Sum(f => (long)f.Length + 24)); // array headers included
        }

        /// <summary>Bytes the generated frames hold (the bench's, not the engine's).</summary>
        public long FrameBytes { get; }

        public static Rig Create(string repoRoot, TimeSpan idleSpin, int events, int deltasPerVenue)
        {
            var books = new BookStore();
            var kernel = new EngineKernel(books, 65_536, TimeSpan.FromSeconds(1), NullLogger.Instance) { IdleSpin = idleSpin };
            var feeds = new KalshiFeed[2];
            var pairs = new List<MarketPair>();
            var tickers = new string[2][];
            for (int v = 0; v < 2; v++)
            {
                int index = kernel.AddVenue($"kalshi-{v}");
                feeds[v] = new KalshiFeed(new VenueEventSink(kernel, index));
                tickers[v] = new string[events];
            }

            for (int e = 0; e < events; e++)
            {
                var legs = new List<MarketHandle>();
                for (int v = 0; v < 2; v++)
                {
                    tickers[v][e] = $"KXWIRE{v}-26DEC31-E{e:D3}";
                    MarketHandle handle = books.Register(v, $"kalshi-{v}", tickers[v][e], BookStyle.BidsOnly);
                    books[handle].Fees = new KalshiFeeModel(Price.One, makerFees: false);
                    feeds[v].AddMarket(tickers[v][e], handle);
                    legs.Add(handle);
                }

                pairs.Add(new MarketPair($"E{e:D3}", legs));
            }

            string[] files = ["dutch_book.csx", "same_market.csx", "maker_hedge.csx"];
            ArbBotConfig config = BenchConfig.WithStrategies(files.Select(f => Path.Combine(repoRoot, "strategies", f)), 65_536);
            var opportunities = new OpportunityLog(NullLogger.Instance);
            var host = new StrategyHost(config, kernel, pairs, new Inventory(), opportunities, new ScriptCompiler(null), NullLogger.Instance, TimeProvider.System);
            IReadOnlyList<string> problems = host.LoadAll();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("\n", problems));
            }

            var rig = new Rig(kernel, host, feeds, BuildFrames(tickers, deltasPerVenue), events);
            opportunities.Emitted += _ => rig._intents++;
            kernel.AddListener(host);
            kernel.AddListener(rig); // after the strategies: the moment of decision
            kernel.Start();
            return rig;
        }

        /// <summary>The first frame of each market: its snapshot.</summary>
        public void ApplySnapshots()
        {
            if (_snapshotted)
            {
                return;
            }

            _snapshotted = true;
            for (int v = 0; v < 2; v++)
            {
                foreach (byte[] snapshot in _frames[v][0.._events])
                {
                    _feeds[v].Handle(snapshot, Stopwatch.GetTimestamp(), out _);
                }
            }

            Drain();
        }

        public Result Run(int rate, bool spin, int frames)
        {
            // Snapshots, then a warm-up, then the measured run.
            ApplySnapshots();
            int stream = _frames[0].Length - _events;
            int next = 0;
            Feed(Math.Min(50_000, stream / 4), 0, ref next);
            Drain();
            _samples = new long[frames];
            _count = 0;
            _intents = 0;
            int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            Feed(frames, rate, ref next);
            Drain();
            long ticks = Stopwatch.GetTimestamp() - start;
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            long[] sorted = _samples[..Math.Min(_count, _samples.Length)];
            Array.Sort(sorted);
            long Ns(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1_000_000_000 / Stopwatch.Frequency;
            return new Result(rate, spin, frames, Ns(0.5), Ns(0.9), Ns(0.99), Ns(0.999), Ns(1.0), frames * Stopwatch.Frequency / Math.Max(1, ticks),
                (double)bytes / frames, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2, _intents);
        }

        public void OnBookUpdated(MarketBook book)
        {
            int i = _count++;
            if (i < _samples.Length)
            {
                _samples[i] = Stopwatch.GetTimestamp() - book.LastReceivedTimestamp;
            }
        }

        public void OnOrderUpdate(int venueIndex, OrderUpdate update)
        {
        }

        public void OnFill(int venueIndex, Fill fill)
        {
        }

        public void OnTimer(long nowTimestamp)
        {
        }

        public void Dispose()
        {
            _host.Dispose();
            _kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        private void Feed(int frames, int rate, ref int next)
        {
            // Paced: frame k is due at start + k / rate; spin until then (a socket would be idle in between).
            long start = Stopwatch.GetTimestamp();
            int stream = _frames[0].Length - _events;
            for (int k = 0; k < frames; k++)
            {
                if (rate > 0)
                {
                    long due = start + (k * Stopwatch.Frequency / rate);
                    while (Stopwatch.GetTimestamp() < due)
                    {
                        Thread.SpinWait(20);
                    }
                }

                int v = next & 1;
                byte[] frame = _frames[v][_events + ((next >> 1) % stream)];
                next++;
                _feeds[v].Handle(frame, Stopwatch.GetTimestamp(), out _);
            }
        }

        private void Drain() => _kernel.InvokeAsync(() => true).GetAwaiter().GetResult();

        /// <summary>Per venue: a snapshot per market, then a long stream of deltas that keeps every level positive.</summary>
        private static byte[][][] BuildFrames(string[][] tickers, int deltasPerVenue)
        {
            int events = tickers[0].Length;
            var random = new Random(17);
            var result = new byte[2][][];
            for (int v = 0; v < 2; v++)
            {
                var frames = new List<byte[]>(events + deltasPerVenue);
                var sizes = new long[events, 2, 10];
                long seq = 0;
                for (int e = 0; e < events; e++)
                {
                    // YES bids 0.40..0.31 and NO bids 0.55..0.46: no arbitrage at rest; moves open some.
                    string yes = string.Join(",", Enumerable.Range(0, 10).Select(k => $"[\"0.{40 - k:D2}00\",\"100.00\"]"));
                    string no = string.Join(",", Enumerable.Range(0, 10).Select(k => $"[\"0.{55 - k:D2}00\",\"100.00\"]"));
                    for (int s = 0; s < 2; s++)
                    {
                        for (int k = 0; k < 10; k++)
                        {
                            sizes[e, s, k] = 100;
                        }
                    }

                    frames.Add(Encoding.UTF8.GetBytes($"{{\"type\":\"orderbook_snapshot\",\"sid\":1,\"seq\":{++seq},\"msg\":{{\"market_ticker\":\"{tickers[v][e]}\",\"market_id\":\"m\",\"yes_dollars_fp\":[{yes}],\"no_dollars_fp\":[{no}]}}}}"));
                }

                for (int i = 0; i < deltasPerVenue; i++)
                {
                    int e = random.Next(events), s = random.Next(2), k = random.Next(10);
                    long size = sizes[e, s, k];
                    long delta = size <= 5 || random.Next(2) == 0 ? random.Next(1, 40) : -random.Next(1, (int)Math.Min(size, 40));
                    sizes[e, s, k] = size + delta;
                    int cents = (s == 0 ? 40 : 55) - k;
                    frames.Add(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":{++seq},\"msg\":{{\"market_ticker\":\"{tickers[v][e]}\",\"market_id\":\"m\",\"price_dollars\":\"0.{cents:D2}00\",\"delta_fp\":\"{delta}.00\",\"side\":\"{(s == 0 ? "yes" : "no")}\",\"ts_ms\":1795300000000}}}}")));
                }

                result[v] = frames.ToArray();
            }

            return result;
        }
    }
}
