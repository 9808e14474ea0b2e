using System.Diagnostics;
using ArbBot.Engine.Kernel;

namespace ArbBot.Engine.Strategies;

/// <summary>
/// "Now" for strategy calls: the receipt time of the event being handled (which the kernel keeps
/// on the book) rather than a clock read per call (a clock read costs 40-50 ns on this machine),
/// so a decision's time is the time of the data it was made on, the same live as in a replay of
/// the recording (<see cref="ReceiptClock"/>). Book ages are differences of timestamps;
/// wall-clock milliseconds are derived on demand, from the engine's TimeProvider when it is not
/// the system clock (tests, replay).
/// </summary>
internal sealed class EventClock
{
    private readonly TimeProvider _time;
    private readonly bool _isSystem;
    private long _now;

    public EventClock(TimeProvider time)
    {
        _time = time;
        _isSystem = ReferenceEquals(time, TimeProvider.System);
        _now = Stopwatch.GetTimestamp();
    }

    /// <summary>Unix milliseconds of the current event.</summary>
    public long NowMs => _isSystem
        ? ReceiptClock.UnixNanoseconds(_now) / 1_000_000
        : _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Set(long timestamp) => _now = timestamp == 0 ? Stopwatch.GetTimestamp() : timestamp;

    public long MillisecondsSince(long timestamp) => Math.Max(0, (_now - timestamp) * 1000 / Stopwatch.Frequency);
}
