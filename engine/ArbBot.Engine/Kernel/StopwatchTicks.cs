using System.Diagnostics;

namespace ArbBot.Engine.Kernel;

/// <summary>A duration in <see cref="Stopwatch"/> ticks, the unit of every engine timestamp, in integer arithmetic.</summary>
public static class StopwatchTicks
{
    /// <summary>The duration in stopwatch ticks (a maximal duration stays maximal).</summary>
    public static long Of(TimeSpan duration) =>
        duration == TimeSpan.MaxValue ? long.MaxValue : (long)((Int128)duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
}
