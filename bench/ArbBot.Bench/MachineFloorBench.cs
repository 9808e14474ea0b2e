using System.Diagnostics;

namespace ArbBot.Bench;

/// <summary>
/// The machine's own floor for the wire-to-decision tail: the same two-thread shape as that
/// benchmark (a feeder paced at 100k items/s handing timestamps to a spinning consumer) with no
/// work at all on either side. Whatever latency this shows at p99 comes from the machine (the
/// hypervisor or the OS taking a core away), not from the engine, and no design with a thread
/// per side can go below it here. Also counts the stalls the consumer saw: gaps of more than
/// 10 us between two of its loop turns, and how much of the run they took.
/// </summary>
internal static class MachineFloorBench
{
    public static Result Run(int rate, int items)
    {
        var sent = new long[items];
        long published = 0;
        var latencies = new long[items];
        long stallTicks = 0, stalls = 0;
        var longStalls = new List<long>(); // when each stall over 1 ms began
        long tenMicros = Stopwatch.Frequency / 100_000, oneMilli = Stopwatch.Frequency / 1_000;
        var consumer = new Thread(() =>
        {
            long read = 0, last = Stopwatch.GetTimestamp();
            while (read < items)
            {
                long available = Volatile.Read(ref published);
                long now = Stopwatch.GetTimestamp(); // after the read, so no item was sent after it
                long gap = now - last;
                last = now;
                if (gap > tenMicros)
                {
                    stalls++;
                    stallTicks += gap;
                    if (gap > oneMilli && longStalls.Count < 10_000)
                    {
                        longStalls.Add(now - gap);
                    }
                }

                while (read < available)
                {
                    latencies[read] = now - sent[read];
                    read++;
                }
            }
        })
        { Name = "floor-consumer" };
        consumer.Start();
        long start = Stopwatch.GetTimestamp();
        for (int k = 0; k < items; k++)
        {
            long due = start + (k * Stopwatch.Frequency / rate);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(20);
            }

            sent[k] = Stopwatch.GetTimestamp();
            Volatile.Write(ref published, k + 1);
        }

        consumer.Join();
        double seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        Array.Sort(latencies);
        long Ns(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))] * 1_000_000_000 / Stopwatch.Frequency;
        long[] spacing = longStalls.Zip(longStalls.Skip(1), (a, b) => b - a).Order().ToArray();
        long spacingMs = spacing.Length == 0 ? 0 : spacing[spacing.Length / 2] * 1_000 / Stopwatch.Frequency;
        return new Result(Ns(0.5), Ns(0.99), Ns(0.999), stalls, 100.0 * stallTicks / Stopwatch.Frequency / seconds, longStalls.Count, spacingMs);
    }

    /// <summary>Prints the floor and adds it to the report beside the wire-to-decision figures.</summary>
    public static Result Report(QuickReport? report)
    {
        Result r = Run(100_000, 500_000);
        Console.WriteLine($"machine floor: empty two-thread hand-off at 100k/s (no engine code): p50 {r.P50Ns:N0} ns  p99 {r.P99Ns:N0} ns  p99.9 {r.P999Ns:N0} ns; "
            + $"the spinning consumer stalled {r.Stalls:N0} times for more than 10 us ({r.StalledPercent:0.00}% of the run), {r.StallsOverOneMs:N0} of them over 1 ms"
            + (r.StallsOverOneMs > 1 ? $", typically {r.LongStallSpacingMs:N0} ms apart" : ""));
        report?.Add("machine floor: empty hand-off p99 at 100k/s (no engine code)", r.P99Ns, "ns", "(reported: what any two-thread design sees here)", null);
        report?.Add("machine floor: time a spinning thread lost to stalls > 10 us", Math.Round(r.StalledPercent, 2), "%", "(reported: 1% or more puts p99 out of reach)", null);
        report?.Keep("floor_p99_ns", r.P99Ns);
        return r;
    }

    internal sealed record Result(long P50Ns, long P99Ns, long P999Ns, long Stalls, double StalledPercent, long StallsOverOneMs, long LongStallSpacingMs);
}
