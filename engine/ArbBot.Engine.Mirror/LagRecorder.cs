using System.Diagnostics;

namespace ArbBot.Engine.Mirror;

/// <summary>The last few thousand mirror lags (change on the kernel to write acknowledged), for percentiles.</summary>
internal sealed class LagRecorder
{
    private readonly long[] _ticks = new long[8192];
    private readonly object _gate = new();
    private int _next;
    private int _count;

    public void Add(long lagTicks)
    {
        lock (_gate)
        {
            _ticks[_next] = lagTicks;
            _next = (_next + 1) % _ticks.Length;
            _count = Math.Min(_count + 1, _ticks.Length);
        }
    }

    /// <summary>Percentiles in milliseconds (0 when nothing was recorded).</summary>
    public (double P50, double P99) Percentiles()
    {
        long[] copy;
        lock (_gate)
        {
            copy = _ticks[.._count];
        }

        if (copy.Length == 0)
        {
            return (0, 0);
        }

        Array.Sort(copy);
        double ms = 1000.0 / Stopwatch.Frequency;
        return (copy[copy.Length / 2] * ms, copy[Math.Min(copy.Length - 1, (int)(copy.Length * 0.99))] * ms);
    }
}
