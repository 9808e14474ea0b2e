using System.Diagnostics;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Engine.Books;

namespace ArbBot.Bench;

/// <summary>
/// Book-delta apply: latency per delta (median, p99, p99.9) and bytes allocated per delta,
/// measured on the real BookStore with a pre-generated stream, after warm-up. Timestamps are
/// taken around each delta; the cost of taking them is measured on an empty loop and subtracted.
/// </summary>
internal static class BookDeltaBench
{
    public static int Run(string outputDirectory)
    {
        const int markets = 200;
        const int count = 2_000_000;
        var workload = new DeltaWorkload(markets, count, seed: 7);
        BookStore store = workload.Store;
        BookDelta[] deltas = workload.Deltas;
        long[] samples = new long[count];

        // Warm-up: the same kind of stream on a separate store, so the measured run starts from fresh books.
        var warm = new DeltaWorkload(markets, count / 4, seed: 11);
        for (int i = 0; i < warm.Deltas.Length; i++)
        {
            warm.Store.ApplyDelta(warm.Deltas[i], 0);
        }

        long overhead = TimestampCost.MedianTicks();
        int gen0 = GC.CollectionCount(0);
        int gen2 = GC.CollectionCount(2);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long wallStart = Stopwatch.GetTimestamp();
        int applied = 0;
        for (int i = 0; i < deltas.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            ApplyResult outcome = store.ApplyDelta(deltas[i], t0);
            long t1 = Stopwatch.GetTimestamp();
            samples[i] = t1 - t0;
            applied += outcome == ApplyResult.Applied ? 1 : 0;
        }

        long wallTicks = Stopwatch.GetTimestamp() - wallStart;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        int gen0Runs = GC.CollectionCount(0) - gen0;
        int gen2Runs = GC.CollectionCount(2) - gen2;

        Array.Sort(samples);
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        double Percentile(double p) => Math.Max(0, (samples[(int)Math.Min(samples.Length - 1, p * samples.Length)] - overhead) * nsPerTick);
        var result = new
        {
            benchmark = "book_delta_apply",
            machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            markets,
            deltas = count,
            applied,
            median_ns = Math.Round(Percentile(0.50), 1),
            p90_ns = Math.Round(Percentile(0.90), 1),
            p99_ns = Math.Round(Percentile(0.99), 1),
            p999_ns = Math.Round(Percentile(0.999), 1),
            timestamp_overhead_ns = Math.Round(overhead * nsPerTick, 1),
            throughput_per_second = Math.Round(count / (wallTicks / (double)Stopwatch.Frequency)),
            bytes_allocated_total = allocated,
            bytes_per_delta = (double)allocated / count,
            gen0_collections = gen0Runs,
            gen2_collections = gen2Runs,
            target_median_ns = 200,
            target_bytes_per_delta = 0,
        };

        Console.WriteLine("book delta apply (BookStore.ApplyDelta, 200 markets, 2,000,000 deltas after warm-up)");
        Console.WriteLine($"  median   {result.median_ns,10:0.0} ns   (target < 200 ns)");
        Console.WriteLine($"  p90      {result.p90_ns,10:0.0} ns");
        Console.WriteLine($"  p99      {result.p99_ns,10:0.0} ns");
        Console.WriteLine($"  p99.9    {result.p999_ns,10:0.0} ns");
        Console.WriteLine($"  rate     {result.throughput_per_second,10:N0} deltas/s including timestamping");
        Console.WriteLine($"  alloc    {result.bytes_per_delta,10:0.###} bytes/delta ({allocated} bytes total; target 0)");
        Console.WriteLine($"  GCs      gen0 {gen0Runs}, gen2 {gen2Runs}");
        Console.WriteLine($"  (timestamp overhead {result.timestamp_overhead_ns:0.0} ns subtracted from each sample)");

        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, "book-delta.json");
        File.WriteAllText(file, JsonSerializer.Serialize(result, BenchJson.Indented));
        Console.WriteLine($"  written  {file}");
        return allocated == 0 ? 0 : 1;
    }
}
