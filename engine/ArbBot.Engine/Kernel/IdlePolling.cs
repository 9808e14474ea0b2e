namespace ArbBot.Engine.Kernel;

/// <summary>
/// How long an idle kernel thread polls its inbox before it sleeps. Configured (<c>idle_spin</c>): always that long.
/// Otherwise it follows the feed: while the idle gaps average under the busy gap, it polls for the busy gap, so the
/// next event of a busy feed is caught without a wake-up (microseconds, more than handling a frame, and at such rates
/// polling costs little more); a quiet feed costs no polling at all. Times are in stopwatch ticks.
/// </summary>
internal struct IdlePolling(long configuredTicks, long busyGapTicks)
{
    private long _typicalGap = busyGapTicks * 8; // until measured: a quiet feed

    /// <summary>How long to poll now; zero: sleep at once.</summary>
    public readonly long SpinTicks => configuredTicks > 0 ? configuredTicks : _typicalGap < busyGapTicks ? busyGapTicks : 0;

    /// <summary>The thread was idle this long (polling, then maybe asleep) before the next event.</summary>
    public void Idled(long ticks) => _typicalGap += (ticks - _typicalGap) / 8; // a moving average: one long pause does not end the polling for good
}
