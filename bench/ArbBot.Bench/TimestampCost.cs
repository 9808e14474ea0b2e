using System.Diagnostics;

namespace ArbBot.Bench;

/// <summary>
/// What reading the clock costs. A sample taken as <c>t1 - t0</c> around some work also holds one clock read
/// (the end of the first and the start of the second), so every per-call benchmark measures that read on
/// back-to-back pairs and takes its median off each sample: the figure is then the work alone (about
/// 30 ns on this machine's kvm-clock; close to nothing with an invariant TSC).
/// </summary>
internal static class TimestampCost
{
    /// <summary>The median of <paramref name="pairs"/> back-to-back clock reads, in stopwatch ticks.</summary>
    public static long MedianTicks(int pairs = 200_000)
    {
        long[] samples = new long[pairs];
        for (int i = 0; i < samples.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            samples[i] = Stopwatch.GetTimestamp() - t0;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    /// <summary>Takes the clock read off every sample (never below zero).</summary>
    public static void Subtract(long[] samples, long ticks)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = Math.Max(0, samples[i] - ticks);
        }
    }
}
