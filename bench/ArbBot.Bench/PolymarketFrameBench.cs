using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using ArbBot.Venues.Polymarket.Parsing;

namespace ArbBot.Bench;

/// <summary>
/// Polymarket market-channel <c>price_change</c> frame to book applied: the plugin's decoder
/// (<see cref="PolymarketFeed"/>) on generated frames in the current <c>price_changes[]</c> form
/// (one change each, 77-digit token ids, as the venue sends them), applied to the real
/// <see cref="BookStore"/>; median, p99 and bytes allocated per frame.
/// </summary>
internal static class PolymarketFrameBench
{
    public static int Run(string outputDirectory, int count = 1_000_000, QuickReport? report = null)
    {
        const int markets = 200;
        (byte[][] warm, PolymarketFeed warmFeed, _) = Build(markets, 300_000, seed: 5);
        foreach (byte[] frame in warm)
        {
            warmFeed.Handle(frame, 0, out _);
        }

        Thread.Sleep(500); // let the background compiler install the optimised code
        (byte[][] frames, PolymarketFeed feed, BookStoreSink applier) = Build(markets, count, seed: 3);
        long[] samples = new long[count];
        int gen0 = GC.CollectionCount(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Span<byte> receive = stackalloc byte[4096]; // frames arrive in the socket's receive buffer
        long wall = Stopwatch.GetTimestamp();
        for (int i = 0; i < frames.Length; i++)
        {
            int length = frames[i].Length;
            frames[i].CopyTo(receive);
            long t0 = Stopwatch.GetTimestamp();
            feed.Handle(receive[..length], t0, out _);
            samples[i] = Stopwatch.GetTimestamp() - t0;
        }

        long wallTicks = Stopwatch.GetTimestamp() - wall;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(samples);
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        long clockRead = TimestampCost.MedianTicks();
        double withClockRead = Math.Round(samples[count / 2] * nsPerTick, 1);
        TimestampCost.Subtract(samples, clockRead);
        var result = new
        {
            benchmark = "polymarket_price_change_to_book",
            markets,
            frames = count,
            median_ns = Math.Round(samples[count / 2] * nsPerTick, 1),
            median_ns_with_clock_read = withClockRead,
            clock_read_ns = Math.Round(clockRead * nsPerTick, 1),
            p99_ns = Math.Round(samples[count * 99 / 100] * nsPerTick, 1),
            frames_per_second = Math.Round(count / (wallTicks / (double)Stopwatch.Frequency)),
            bytes_per_frame = (double)allocated / count,
            gen0_collections = GC.CollectionCount(0) - gen0,
            rejected_by_store = applier.Rejected,
            target_median_ns = 250,
        };
        Console.WriteLine($"polymarket price_change frame -> book applied ({markets} markets, {count:N0} frames after warm-up)");
        Console.WriteLine($"  median   {result.median_ns,10:0.0} ns   (target <= 250 ns; {withClockRead:0.0} ns with the clock read, {result.clock_read_ns:0.0} ns, taken off each sample)");
        Console.WriteLine($"  p99      {result.p99_ns,10:0.0} ns");
        Console.WriteLine($"  rate     {result.frames_per_second,10:N0} frames/s including timestamping");
        Console.WriteLine($"  alloc    {result.bytes_per_frame,10:0.###} bytes/frame ({allocated} bytes total; target 0); {applier.Rejected} refused by the store");
        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, "polymarket-frames.json");
        File.WriteAllText(file, JsonSerializer.Serialize(result, BenchJson.Indented));
        Console.WriteLine($"  written  {file}");
        report?.Add("Polymarket price_change (one change) frame -> book, median", result.median_ns, "ns", "<= 250 ns", result.median_ns <= 250);
        report?.Add("Polymarket frame -> book, bytes per frame", result.bytes_per_frame, "B", "0", allocated == 0);
        return allocated == 0 && applier.Rejected == 0 ? 0 : 1;
    }

    /// <summary>Both tokens' books per market, then price changes on random levels of random tokens.</summary>
    private static (byte[][] Frames, PolymarketFeed Feed, BookStoreSink Applier) Build(int markets, int count, int seed)
    {
        var random = new Random(seed);
        var store = new BookStore();
        var applier = new BookStoreSink(store);
        var feed = new PolymarketFeed(applier);
        string[] tokens = new string[markets * 2];
        for (int m = 0; m < markets; m++)
        {
            MarketHandle handle = store.Register(0, "poly", $"0x{m:x64}", BookStyle.TwoSided);
            for (int o = 0; o < 2; o++)
            {
                // 77 decimal digits, like the venue's token ids.
                tokens[(m * 2) + o] = string.Create(CultureInfo.InvariantCulture, $"7132104567925221259462638553270691275033272857194{m:D6}{o}{random.NextInt64(1_000_000_000_000_000_000, long.MaxValue):D19}{random.Next(10)}");
            }

            feed.AddMarket(handle, tokens[m * 2], tokens[(m * 2) + 1]);
            foreach (string token in tokens.AsSpan(m * 2, 2))
            {
                string bids = string.Join(",", Enumerable.Range(0, 10).Select(k => $"{{\"price\":\"0.{40 + k:D2}\",\"size\":\"100\"}}")); // best last, as the venue sends
                string asks = string.Join(",", Enumerable.Range(0, 10).Select(k => $"{{\"price\":\"0.{60 - k:D2}\",\"size\":\"100\"}}"));
                feed.Handle(Encoding.UTF8.GetBytes($"{{\"event_type\":\"book\",\"market\":\"0x{m:x64}\",\"asset_id\":\"{token}\",\"bids\":[{bids}],\"asks\":[{asks}],\"timestamp\":\"1795300000000\",\"hash\":\"0\"}}"), 0, out _);
            }
        }

        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            int t = random.Next(tokens.Length);
            bool buy = random.Next(2) == 0;
            int cents = buy ? 40 + random.Next(10) : 51 + random.Next(10);
            frames[i] = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"market\":\"0x{t / 2:x64}\",\"price_changes\":[{{\"asset_id\":\"{tokens[t]}\",\"price\":\"0.{cents:D2}\",\"size\":\"{random.Next(0, 500)}\",\"side\":\"{(buy ? "BUY" : "SELL")}\",\"hash\":\"56621a121a47ed9333273e21c83b660cff37ae50\",\"best_bid\":\"0.49\",\"best_ask\":\"0.51\"}}],\"timestamp\":\"1795300000000\",\"event_type\":\"price_change\"}}"));
        }

        return (frames, feed, applier);
    }
}
