using System.Diagnostics;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// The last 4,096 receipt-to-applied latencies (a frame's receipt by its connector to its book
/// change applied on the kernel), for the run's health figures. Recording is one array store on
/// the kernel thread; percentiles are computed on the kernel thread too, into a scratch array.
/// </summary>
public sealed class LatencyWindow
{
    private const int Size = 4096;
    private readonly long[] _ticks = new long[Size];
    private readonly long[] _scratch = new long[Size];
    private long _count;

    /// <summary>Kernel thread: one latency, in Stopwatch ticks.</summary>
    public void Record(long ticks) => _ticks[(int)(_count++ & (Size - 1))] = ticks;

    /// <summary>Kernel thread: p50 and p99 over the window, in microseconds (zeros before any).</summary>
    public (double P50Us, double P99Us) Percentiles()
    {
        int n = (int)Math.Min(_count, Size);
        if (n == 0)
        {
            return (0, 0);
        }

        Array.Copy(_ticks, _scratch, n);
        Array.Sort(_scratch, 0, n);
        double usPerTick = 1e6 / Stopwatch.Frequency;
        return (_scratch[n / 2] * usPerTick, _scratch[Math.Min(n - 1, n * 99 / 100)] * usPerTick);
    }
}
