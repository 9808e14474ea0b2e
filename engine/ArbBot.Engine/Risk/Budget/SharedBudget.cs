using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Risk.Budget;

/// <summary>
/// This engine's part of an exposure budget it shares with other engines trading one account
/// (<c>risk.shared_budget</c>). The budget is split into units: each event, and each outcome group
/// (its events counted together, as the exposure check counts them). Redis holds every engine's
/// grant per unit and hands out room atomically (<c>SharedBudgetLease</c> in the mirror); this
/// class holds the grants the risk check reads, so a decision never waits for Redis.
/// <para>
/// The rule that keeps the sum of exposures under the budget: a local grant is never above what
/// Redis holds for this engine. A round lowers local grants before Redis releases the room
/// (<see cref="BeginRound"/>) and raises them only after Redis granted it (<see cref="Apply"/>).
/// An engine that cannot renew its grants in time falls back to the configured local share
/// (<see cref="FallBack"/>) before its grants expire in Redis; never to unlimited.
/// </para>
/// Kernel thread only.
/// </summary>
public sealed class SharedBudget
{
    // A unit that needed room keeps this much headroom for a while, so that the next trade does not wait a round.
    private static readonly TimeSpan KeepHeadroom = TimeSpan.FromSeconds(10);

    private readonly Inventory _inventory;
    private readonly TimeProvider _clock;
    private readonly long[] _granted;   // micros per unit
    private readonly long[] _wanted;    // micros asked for beyond the grant since the last round
    private readonly long[] _lastWant;  // clock timestamp of the last ask per unit
    private readonly int _eventCount;
    private long _totalGranted;
    private long _sharedUntil; // clock timestamp: the grants hold until half a lease after the renewal last sent

    /// <summary>Creates the budget with nothing granted (until the first round, or the local share when Redis is off).</summary>
    public SharedBudget(SharedBudgetOptions options, Inventory inventory, IReadOnlyList<string> eventIds, IReadOnlyList<string> groupEventIds, TimeProvider clock)
    {
        Options = options;
        _inventory = inventory;
        _clock = clock;
        _eventCount = eventIds.Count;
        UnitNames = [.. eventIds, .. groupEventIds.Select(g => "group:" + g)];
        _granted = new long[UnitNames.Count];
        _wanted = new long[UnitNames.Count];
        _lastWant = new long[UnitNames.Count];
        Mode = "waiting for the first grant";
    }

    /// <summary>The configured budget.</summary>
    public SharedBudgetOptions Options { get; }

    /// <summary>The units' names as Redis holds them: event ids, then <c>group:&lt;event&gt;</c> per outcome group.</summary>
    public IReadOnlyList<string> UnitNames { get; }

    /// <summary>Where the grants come from now: "shared", "waiting for the first grant", or "local share: why".</summary>
    public string Mode { get; private set; }

    /// <summary>Whether the engine trades within its local share (Redis not reachable or not configured).</summary>
    public bool IsLocal { get; private set; }

    /// <summary>The engine clock's timestamp now (any thread).</summary>
    public long Now => _clock.GetTimestamp();

    /// <summary>Rounds Redis answered.</summary>
    public long Rounds { get; private set; }

    /// <summary>The unit an event's exposure counts in: its outcome group's, or its own.</summary>
    public int UnitOf(int eventIndex)
    {
        int group = _inventory.GroupOf(eventIndex);
        return group >= 0 ? _eventCount + group : eventIndex;
    }

    /// <summary>What this engine may hold on a unit.</summary>
    public Money Granted(int unit) => Money.FromMicros(_granted[unit]);

    /// <summary>What this engine may hold in all.</summary>
    public Money TotalGranted => Money.FromMicros(_totalGranted);

    /// <summary>What this engine holds on a unit now (gross exposure: positions and working buys).</summary>
    public Money Usage(int unit)
    {
        if (unit < _eventCount)
        {
            return _inventory.ExposureOf(unit).GrossExposure;
        }

        Money sum = Money.Zero;
        IReadOnlyList<int> members = _inventory.MembersOf(unit - _eventCount);
        for (int i = 0; i < members.Count; i++)
        {
            sum += _inventory.ExposureOf(members[i]).GrossExposure;
        }

        return sum;
    }

    /// <summary>A buy did not fit: ask for <paramref name="more"/> beyond the grant at the next round.</summary>
    public void Want(int unit, Money more)
    {
        _wanted[unit] = Math.Max(_wanted[unit], more.Micros);
        _lastWant[unit] = _clock.GetTimestamp();
    }

    /// <summary>
    /// Starts a round: fills <paramref name="desired"/> (micros per unit) with what this engine asks
    /// Redis to hold for it (what it holds plus headroom where room was wanted lately, at most the
    /// unit's budget), and lowers each local grant to it now, before Redis can give the room to another engine.
    /// </summary>
    public void BeginRound(long[] desired)
    {
        long now = _clock.GetTimestamp();
        long perUnit = Options.EventUsd.Micros;
        long chunk = Options.ChunkUsd.Micros;
        long total = 0;
        for (int u = 0; u < _granted.Length; u++)
        {
            if (u < _eventCount && _inventory.GroupOf(u) >= 0)
            {
                desired[u] = 0; // an outcome of a group: counted in the group's unit
                _granted[u] = 0;
                continue;
            }

            long usage = Usage(u).Micros;
            bool recent = _lastWant[u] != 0 && _clock.GetElapsedTime(_lastWant[u], now) < KeepHeadroom;
            long headroom = _wanted[u] > 0 ? Math.Max(_wanted[u], chunk) : recent ? chunk : 0;
            desired[u] = Math.Min(SaturatingAdd(usage, headroom), perUnit);
            _wanted[u] = 0;
            if (!IsLocal)
            {
                _granted[u] = Math.Min(_granted[u], desired[u]);
            }

            total += _granted[u];
        }

        if (!IsLocal)
        {
            _totalGranted = total;
        }
    }

    /// <summary>
    /// Falls back to the local share once the grants have gone half a lease without a renewal, whether
    /// or not the thread that renews them is running: checked before each decision.
    /// </summary>
    public void ExpireIfStale(long nowTimestamp)
    {
        if (!IsLocal && Rounds > 0 && nowTimestamp > _sharedUntil)
        {
            FallBack("no grant renewed within half a lease");
        }
    }

    /// <summary>Takes the grants Redis holds for this engine now (micros per unit, from the round's script sent at <paramref name="sentTimestamp"/>).</summary>
    public void Apply(long[] granted, long sentTimestamp)
    {
        long total = 0;
        for (int u = 0; u < _granted.Length; u++)
        {
            _granted[u] = granted[u];
            total += granted[u];
        }

        _totalGranted = total;
        _sharedUntil = sentTimestamp + (long)((Int128)Options.Lease.Ticks * _clock.TimestampFrequency / TimeSpan.TicksPerSecond / 2);
        IsLocal = false;
        Mode = "shared";
        Rounds++;
    }

    /// <summary>Redis cannot be reached (or is not configured): trade within the local share of the budget.</summary>
    public void FallBack(string why)
    {
        long perUnit = Share(Options.EventUsd);
        for (int u = 0; u < _granted.Length; u++)
        {
            _granted[u] = perUnit;
        }

        _totalGranted = Share(Options.TotalUsd);
        IsLocal = true;
        Mode = $"local share {Options.LocalShare} of the budget: {why}";
    }

    // Rounded down: the share never adds a micro-dollar beyond the fraction.
    private long Share(Money amount) => (long)((Int128)amount.Micros * Options.LocalShare.Micros / FixedDecimal.Scale);

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
