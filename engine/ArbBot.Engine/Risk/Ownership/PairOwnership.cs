namespace ArbBot.Engine.Risk.Ownership;

/// <summary>
/// Which configured pairs this engine owns now (<c>engine.ownership_lease</c>): engines on one Redis
/// with the same pairs split them, each pair owned by at most one engine at a time through a lease
/// in Redis with a fencing number that goes up with each new owner (<c>PairOwnershipLease</c> in
/// the mirror keeps it). An owned pair is good until half a lease after the renewal that was last
/// sent, so an engine that cannot renew stops trading the pair before its lease can expire in
/// Redis and another engine take it. Every attempt and order records the fencing number it was
/// sent under. Kernel thread only.
/// </summary>
public sealed class PairOwnership
{
    private readonly TimeProvider _clock;
    private readonly long[] _fence;
    private readonly long[] _goodUntil; // clock timestamp; 0: not owned

    /// <summary>Creates the ownership of <paramref name="eventIds"/> with none owned yet.</summary>
    public PairOwnership(IReadOnlyList<string> eventIds, TimeSpan lease, bool standby, TimeProvider clock)
    {
        EventIds = eventIds;
        Lease = lease;
        Standby = standby;
        _clock = clock;
        _fence = new long[eventIds.Count];
        _goodUntil = new long[eventIds.Count];
    }

    /// <summary>The configured pairs' event ids, by event index.</summary>
    public IReadOnlyList<string> EventIds { get; }

    /// <summary>The lease.</summary>
    public TimeSpan Lease { get; }

    /// <summary>Whether this engine is a standby (owns nothing until an owner is gone).</summary>
    public bool Standby { get; }

    /// <summary>The engine clock's timestamp now (any thread): what <see cref="Confirmed"/> takes.</summary>
    public long Now => _clock.GetTimestamp();

    /// <summary>Whether this engine may trade the event now.</summary>
    public bool Owns(int eventIndex, long nowTimestamp) => (uint)eventIndex < (uint)_goodUntil.Length && _goodUntil[eventIndex] > nowTimestamp;

    /// <summary>The fencing number the event is owned under (0 when never owned).</summary>
    public long FenceOf(int eventIndex) => (uint)eventIndex < (uint)_fence.Length ? _fence[eventIndex] : 0;

    /// <summary>The events owned now, by index.</summary>
    public bool[] Owned()
    {
        long now = _clock.GetTimestamp();
        return _goodUntil.Select(until => until > now).ToArray();
    }

    /// <summary>Called when this engine takes over a pair another engine owned before (kernel thread): reconcile it first.</summary>
    public Action<int>? TakenOver { get; set; }

    /// <summary>Redis confirmed the event's lease, renewed by a request sent at <paramref name="sentTimestamp"/>.</summary>
    public void Confirmed(int eventIndex, long fence, long sentTimestamp)
    {
        bool newOwner = fence != _fence[eventIndex];
        if (newOwner && fence > 1)
        {
            TakenOver?.Invoke(eventIndex);
        }

        _fence[eventIndex] = fence;
        _goodUntil[eventIndex] = sentTimestamp + (long)((Int128)Lease.Ticks * _clock.TimestampFrequency / TimeSpan.TicksPerSecond / 2);
    }

    /// <summary>The event is not this engine's (never was, lost, or handed over).</summary>
    public void Lost(int eventIndex) => _goodUntil[eventIndex] = 0;
}
