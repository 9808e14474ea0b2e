using System.Diagnostics;

namespace ArbBot.Engine.Replay;

/// <summary>
/// The engine's clock during replay: time stands still until the replay moves it to the next
/// record's timestamp, and timers (the kernel's tick, the paper executor's latency) fire when
/// virtual time passes their due time, on the replaying thread, one at a time in due order. So a
/// replay is deterministic, and "fast" and "recorded speed" make the same decisions. Timestamps
/// use <see cref="Stopwatch.Frequency"/> so code converting ticks with it keeps working.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly PriorityQueue<VirtualTimer, (long Due, long Order)> _timers = new();
    private readonly DateTimeOffset _origin;
    private long _now;
    private long _order;
    private long _nextDue = long.MaxValue; // earliest scheduled due time (may be a cancelled timer's): lets FireNext skip the lock

    /// <summary>Creates a clock reading <paramref name="start"/>.</summary>
    public VirtualClock(DateTimeOffset start)
    {
        _origin = start;
        _now = Stopwatch.Frequency; // one second in, so no timestamp is ever zero (zero means "none" in places)
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => Stopwatch.Frequency;

    /// <inheritdoc/>
    public override long GetTimestamp() => Volatile.Read(ref _now);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _origin.AddTicks((long)((Int128)(GetTimestamp() - Stopwatch.Frequency) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));

    /// <summary>The timestamp at a Unix time in nanoseconds (at least now: virtual time never goes back).</summary>
    public long TimestampAt(long unixNanoseconds)
    {
        long sinceOrigin = unixNanoseconds - (_origin.ToUnixTimeMilliseconds() * 1_000_000);
        return Math.Max(GetTimestamp(), Stopwatch.Frequency + (sinceOrigin / (1_000_000_000 / Stopwatch.Frequency)));
    }

    /// <summary>
    /// Fires the earliest timer due at or before <paramref name="until"/>, moving the clock to its
    /// due time. Returns false when none is due (the clock is left where it was).
    /// </summary>
    public bool FireNext(long until)
    {
        if (Volatile.Read(ref _nextDue) > until)
        {
            return false;
        }

        VirtualTimer? timer;
        lock (_gate)
        {
            while (true)
            {
                if (!_timers.TryPeek(out timer, out (long Due, long Order) key) || key.Due > until)
                {
                    _nextDue = _timers.TryPeek(out _, out (long Due, long Order) next) ? next.Due : long.MaxValue;
                    return false;
                }

                _timers.Dequeue();
                _nextDue = _timers.TryPeek(out _, out (long Due, long Order) following) ? following.Due : long.MaxValue;
                if (timer.IsScheduledAt(key.Due))
                {
                    _now = Math.Max(_now, key.Due);
                    break;
                }
            }
        }

        timer.Fire();
        return true;
    }

    /// <summary>Moves the clock forward to <paramref name="timestamp"/> (call after firing what was due before it).</summary>
    public void AdvanceTo(long timestamp)
    {
        lock (_gate)
        {
            _now = Math.Max(_now, timestamp);
        }
    }

    /// <summary>
    /// Jumps the clock forward by <paramref name="ticks"/> as if that time had not passed for the
    /// timers: each is moved by as much, so none fires in the gap (a recording with hours, or years,
    /// between two records does not fire the kernel's tick once for every 250 ms of it).
    /// </summary>
    public void Skip(long ticks)
    {
        if (ticks <= 0)
        {
            return;
        }

        lock (_gate)
        {
            var pending = new List<(VirtualTimer Timer, long Due, long Order)>();
            foreach ((VirtualTimer timer, (long Due, long Order) key) in _timers.UnorderedItems)
            {
                if (timer.IsScheduledAt(key.Due))
                {
                    pending.Add((timer, key.Due, key.Order));
                }
            }

            _timers.Clear();
            foreach ((VirtualTimer timer, long due, long order) in pending)
            {
                timer.MoveTo(due + ticks);
                _timers.Enqueue(timer, (due + ticks, order));
            }

            _nextDue = _timers.TryPeek(out _, out (long Due, long Order) next) ? next.Due : long.MaxValue;
            _now += ticks;
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(VirtualTimer timer, long due)
    {
        lock (_gate)
        {
            _timers.Enqueue(timer, (due, _order++));
            _nextDue = Math.Min(_nextDue, due);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private long _due = -1;
        private long _period;

        public bool IsScheduledAt(long due) => Volatile.Read(ref _due) == due;

        /// <summary>Its due time moved by a skipped gap (under the clock's lock).</summary>
        public void MoveTo(long due) => Volatile.Write(ref _due, due);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : Math.Max(1, Ticks(period));
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                Volatile.Write(ref _due, -1);
                return true;
            }

            long due = clock.GetTimestamp() + Math.Max(0, Ticks(dueTime));
            Volatile.Write(ref _due, due);
            clock.Schedule(this, due);
            return true;
        }

        public void Fire()
        {
            long due = Volatile.Read(ref _due);
            if (_period > 0)
            {
                long next = due + _period;
                Volatile.Write(ref _due, next);
                clock.Schedule(this, next);
            }
            else
            {
                Volatile.Write(ref _due, -1);
            }

            callback(state);
        }

        public void Dispose() => Volatile.Write(ref _due, -1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
