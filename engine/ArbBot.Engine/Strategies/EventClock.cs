using System.Diagnostics;

namespace ArbBot.Engine.Strategies;

/// <summary>
/// "Now" for strategy calls, taken from the kernel's receipt time of the event being handled
/// rather than from a clock read per call (a clock read costs 40-50 ns on this machine). Book ages
/// are differences of Stopwatch timestamps; wall-clock milliseconds are derived on demand, from
/// the engine's TimeProvider when it is not the system clock (tests, replay).
/// </summary>
internal sealed class EventClock
{
    private readonly TimeProvider _time;
    private readonly bool _isSystem;
    private readonly long _unixMsAtBase;
    private readonly long _timestampAtBase;
    private long _now;

    public EventClock(TimeProvider time)
    {
        _time = time;
        _isSystem = ReferenceEquals(time, TimeProvider.System);
        _timestampAtBase = Stopwatch.GetTimestamp();
        _unixMsAtBase = time.GetUtcNow().ToUnixTimeMilliseconds();
        _now = _timestampAtBase;
    }

    /// <summary>Unix milliseconds of the current event.</summary>
    public long NowMs => _isSystem
        ? _unixMsAtBase + ((_now - _timestampAtBase) * 1000 / Stopwatch.Frequency)
        : _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Set(long timestamp) => _now = timestamp == 0 ? Stopwatch.GetTimestamp() : timestamp;

    public long MillisecondsSince(long timestamp) => Math.Max(0, (_now - timestamp) * 1000 / Stopwatch.Frequency);
}
