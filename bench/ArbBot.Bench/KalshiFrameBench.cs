using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using ArbBot.Venues.Kalshi.Parsing;

namespace ArbBot.Bench;

/// <summary>
/// Kalshi WebSocket frame to book applied: the plugin's decoder (<see cref="KalshiFeed"/>) on
/// generated <c>orderbook_delta</c> frames in the current wire format, each applied to the real
/// BookStore as the kernel would. Per-frame latency (median, p99) and bytes allocated per frame,
/// after warm-up. Target: under 1 us median, 0 bytes per frame.
/// </summary>
internal static class KalshiFrameBench
{
    public static int Run(string outputDirectory, int count = 1_000_000, QuickReport? report = null)
    {
        const int markets = 200;
        (byte[][] frames, BookStore store, KalshiFeed feed, Applier applier) = Build(markets, count, seed: 3);
        // Warm-up: enough frames, decoded and applied, for every method on the path to reach its
        // optimised tier, then a pause for the background compiler to install it.
        (byte[][] warmFrames, _, KalshiFeed warmFeed, _) = Build(markets, 300_000, seed: 5);
        foreach (byte[] frame in warmFrames)
        {
            warmFeed.Handle(frame, 0, out _);
        }

        Thread.Sleep(500);

        // First the decoder alone (events counted, not applied), on its own copy of the stream.
        (byte[][] decodeFrames, _, KalshiFeed decodeFeed, Applier counter) = Build(markets, count, seed: 3);
        counter.ApplyToStore = false;
        long[] decodeSamples = new long[count];
        Measure(decodeFrames, decodeFeed, decodeSamples, out _);
        decodeFrames = [];

        long[] samples = new long[count];
        int gen0 = GC.CollectionCount(0);
        int gen2 = GC.CollectionCount(2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long wall = Stopwatch.GetTimestamp();
        Measure(frames, feed, samples, out int books);
        long wallTicks = Stopwatch.GetTimestamp() - wall;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(samples);
        Array.Sort(decodeSamples);
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        long clockRead = TimestampCost.MedianTicks();
        double withClockRead = Math.Round(samples[samples.Length / 2] * nsPerTick, 1);
        TimestampCost.Subtract(samples, clockRead);
        TimestampCost.Subtract(decodeSamples, clockRead);
        double P(double p) => samples[(int)Math.Min(samples.Length - 1, p * samples.Length)] * nsPerTick;
        double decodeMedian = decodeSamples[decodeSamples.Length / 2] * nsPerTick;
        var result = new
        {
            benchmark = "kalshi_frame_to_book",
            markets,
            frames = count,
            applied = books,
            rejected_by_store = applier.Rejected,
            median_ns = Math.Round(P(0.5), 1),
            median_ns_with_clock_read = withClockRead,
            clock_read_ns = Math.Round(clockRead * nsPerTick, 1),
            decode_only_median_ns = Math.Round(decodeMedian, 1),
            p99_ns = Math.Round(P(0.99), 1),
            p999_ns = Math.Round(P(0.999), 1),
            frames_per_second = Math.Round(count / (wallTicks / (double)Stopwatch.Frequency)),
            bytes_per_frame = (double)allocated / count,
            gen0_collections = GC.CollectionCount(0) - gen0,
            gen2_collections = GC.CollectionCount(2) - gen2,
            target_median_ns = 250,
            target_bytes_per_frame = 0,
        };

        Console.WriteLine($"kalshi orderbook_delta frame -> book applied ({markets} markets, {count:N0} frames after warm-up)");
        Console.WriteLine($"  median   {result.median_ns,10:0.0} ns   (target <= 250 ns; {withClockRead:0.0} ns with the clock read, {result.clock_read_ns:0.0} ns, taken off each sample)");
        Console.WriteLine($"  of which {result.decode_only_median_ns,10:0.0} ns decoding alone (median with the store left out; the rest is the book store's apply)");
        Console.WriteLine($"  p99      {result.p99_ns,10:0.0} ns");
        Console.WriteLine($"  p99.9    {result.p999_ns,10:0.0} ns");
        Console.WriteLine($"  rate     {result.frames_per_second,10:N0} frames/s including timestamping");
        Console.WriteLine($"  alloc    {result.bytes_per_frame,10:0.###} bytes/frame ({allocated} bytes total; target 0)");
        Console.WriteLine($"  applied  {books:N0} deltas, {applier.Rejected} refused by the store; GCs gen0 {result.gen0_collections}, gen2 {result.gen2_collections}");
        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, "kalshi-frames.json");
        File.WriteAllText(file, JsonSerializer.Serialize(result, BenchJson.Indented));
        Console.WriteLine($"  written  {file}");
        report?.Add("Kalshi orderbook_delta frame -> book, median", result.median_ns, "ns", "<= 250 ns", result.median_ns <= 250);
        report?.Add("Kalshi frame -> book, bytes per frame", result.bytes_per_frame, "B", "0", allocated == 0);
        return allocated == 0 && applier.Rejected == 0 ? 0 : 1;
    }

    private static void Measure(byte[][] frames, KalshiFeed feed, long[] samples, out int books)
    {
        books = 0;
        Span<byte> receive = stackalloc byte[4096]; // frames arrive in the socket's receive buffer, freshly written
        for (int i = 0; i < frames.Length; i++)
        {
            int length = frames[i].Length;
            frames[i].CopyTo(receive);
            long t0 = Stopwatch.GetTimestamp();
            FrameKind kind = feed.Handle(receive[..length], t0, out _);
            long t1 = Stopwatch.GetTimestamp();
            samples[i] = t1 - t0;
            books += kind == FrameKind.Book ? 1 : 0;
        }
    }

    /// <summary>A snapshot per market, then deltas that keep every level non-negative, in one subscription's sequence.</summary>
    private static (byte[][] Frames, BookStore Store, KalshiFeed Feed, Applier Applier) Build(int markets, int count, int seed)
    {
        var random = new Random(seed);
        var store = new BookStore();
        var applier = new Applier(store);
        var feed = new KalshiFeed(applier);
        var sizes = new Dictionary<(int Market, bool Yes, int Cents), long>();
        string[] tickers = new string[markets];
        long seq = 0;
        for (int m = 0; m < markets; m++)
        {
            tickers[m] = $"KXBENCH-26DEC31-M{m:D4}";
            feed.AddMarket(tickers[m], store.Register(0, "kalshi", tickers[m], BookStyle.BidsOnly));
            var yes = new List<string>();
            var no = new List<string>();
            for (int k = 0; k < 10; k++)
            {
                sizes[(m, true, 40 - k)] = 100;
                sizes[(m, false, 55 - k)] = 100;
                yes.Add($"[\"0.{40 - k:D2}00\",\"100.00\"]");
                no.Add($"[\"0.{55 - k:D2}00\",\"100.00\"]");
            }

            feed.Handle(Encoding.UTF8.GetBytes($"{{\"type\":\"orderbook_snapshot\",\"sid\":1,\"seq\":{++seq},\"msg\":{{\"market_ticker\":\"{tickers[m]}\",\"market_id\":\"x\",\"yes_dollars_fp\":[{string.Join(",", yes)}],\"no_dollars_fp\":[{string.Join(",", no)}]}}}}"), 0, out _);
        }

        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            int m = random.Next(markets);
            bool yesSide = random.Next(2) == 0;
            int cents = yesSide ? 40 - random.Next(10) : 55 - random.Next(10);
            long size = sizes[(m, yesSide, cents)];
            long delta = random.Next(2) == 0 || size < 10 ? random.Next(1, 50) : -random.Next(1, (int)Math.Min(size, 50));
            sizes[(m, yesSide, cents)] = size + delta;
            frames[i] = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":{++seq},\"msg\":{{\"market_ticker\":\"{tickers[m]}\",\"market_id\":\"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1\",\"price_dollars\":\"0.{cents:D2}00\",\"delta_fp\":\"{delta}.00\",\"side\":\"{(yesSide ? "yes" : "no")}\",\"ts\":\"2026-11-21T20:44:01Z\",\"ts_ms\":1795300000000}}}}"));
        }

        return (frames, store, feed, applier);
    }

    /// <summary>Applies decoded events to the store, as the kernel does after the queue.</summary>
    private sealed class Applier(BookStore store) : IVenueEventSink
    {
        public long Rejected { get; private set; }

        /// <summary>False: deltas are only counted (to time the decoder alone).</summary>
        public bool ApplyToStore { get; set; } = true;

        public void OnBookSnapshot(BookSnapshot snapshot) => store.ApplySnapshot(snapshot, 0);

        public void OnBookDelta(in BookDelta delta)
        {
            if (ApplyToStore && store.ApplyDelta(delta, delta.ReceivedTimestamp) != ApplyResult.Applied)
            {
                Rejected++;
            }
        }

        public void OnBookInvalidated(MarketHandle market, string reason) => store.Invalidate(market, reason);

        public void OnVenueStatus(VenueStatus status, string detail)
        {
        }
    }
}
