using System.Diagnostics;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>
/// Watches every event's balance of YES against NO. When one outcome is held in excess and no
/// immediate order of the event is still working, the event is legged: an episode starts (alert)
/// and, after a grace period in which the strategy may hedge by itself, the policy acts:
/// it buys the missing outcome on whichever venue is cheapest, each retry one
/// <see cref="ExecutionOptions.HedgeStep"/> worse, never at a price that would lock in more than
/// <see cref="RiskLimits.MaxLeggedLossUsd"/>; when the retries are spent, the bound is reached or
/// <see cref="RiskLimits.MaxLeggedTime"/> has passed, it sells the excess instead, lower each time.
/// Every step raises an alert and goes into the fill log; the episode ends when the event is
/// balanced, with how it ended and what it cost. The outcomes of an outcome group are watched
/// together, as one unit (LeggedPolicy.Groups.cs): a YES on one outcome is hedged by YES on the
/// others, not by its own NO. Kernel thread only.
/// </summary>
public sealed partial class LeggedPolicy
{
    private readonly IPolicyOrders _orders;
    private readonly RiskEngine _risk;
    private ArbBotConfig _config;
    private readonly BookStore _books;
    private readonly Inventory _inventory;
    private readonly AlertSink _alerts;
    private readonly IExecutionJournal _log;
    private readonly TimeProvider _clock;
    private LeggedEpisode?[] _open; // by unit: each event outside a group, then each outcome group
    private bool[] _forceUnwind;
    private int[][] _membersOfUnit;
    private readonly List<LeggedEpisode> _closed = new();
    private readonly long _graceTicks;
    private readonly long _retryTicks;
    private readonly long _maxLeggedTicks;
    private long _nextEpisodeId;

    /// <summary>Creates the policy over the order manager's orders, risk, the books and the inventory.</summary>
    public LeggedPolicy(IPolicyOrders orders, RiskEngine risk, ArbBotConfig config, BookStore books, Inventory inventory, AlertSink alerts, IExecutionJournal log, TimeProvider clock)
    {
        _orders = orders;
        _risk = risk;
        _config = config;
        _books = books;
        _inventory = inventory;
        _alerts = alerts;
        _log = log;
        _clock = clock;
        int units = inventory.EventCount + inventory.GroupCount;
        _open = new LeggedEpisode?[units];
        _forceUnwind = new bool[units];
        _membersOfUnit = new int[units][];
        for (int u = 0; u < units; u++)
        {
            _membersOfUnit[u] = u < inventory.EventCount ? [u] : inventory.MembersOf(u - inventory.EventCount).ToArray();
        }

        _graceTicks = Ticks(config.Execution.LeggedGrace);
        _retryTicks = Ticks(config.Execution.RetryInterval);
        _maxLeggedTicks = Ticks(config.Risk.MaxLeggedTime);
    }

    /// <summary>
    /// Pairs were appended to a running engine without outcome groups (the pairs file changed): a
    /// unit for each new event; the others, and their episodes, stay where they are. Kernel thread.
    /// </summary>
    internal void UsePairs(ArbBotConfig config)
    {
        if (_inventory.GroupCount > 0)
        {
            throw new InvalidOperationException("pairs are added to a running engine only without outcome groups: a group's unit comes after every event's");
        }

        _config = config;
        int units = _inventory.EventCount;
        int before = _open.Length;
        Array.Resize(ref _open, units);
        Array.Resize(ref _forceUnwind, units);
        Array.Resize(ref _membersOfUnit, units);
        for (int u = before; u < units; u++)
        {
            _membersOfUnit[u] = [u];
        }
    }

    /// <summary>Episodes that ended, oldest first.</summary>
    public IReadOnlyList<LeggedEpisode> Closed => _closed;

    /// <summary>Episodes still open.</summary>
    public IEnumerable<LeggedEpisode> Open => _open.OfType<LeggedEpisode>();

    /// <summary>Largest unhedged exposure (cost) seen on any check, in dollars.</summary>
    public Money MaxUnhedgedSeen { get; private set; }

    /// <summary>Whether an event (or the outcome group it is an outcome of) is in an episode now.</summary>
    public bool IsLegged(int eventIndex) => eventIndex >= 0 && _open[UnitOf(eventIndex)] is not null;

    /// <summary>Unhedged contracts valued at the best bid minus their cost, over all events (negative: a loss if sold now).</summary>
    public Money UnhedgedMarkToMarket()
    {
        Money total = Money.Zero;
        for (int e = 0; e < _inventory.EventCount; e++)
        {
            EventExposure x = _inventory.ExposureOf(e);
            if (x.Unhedged.IsZero || _inventory.GroupOf(e) >= 0)
            {
                continue;
            }

            total += Money.Of(BestBid(e, x.ExcessOutcome), x.Unhedged, Rounding.Down) - x.UnhedgedCost;
        }

        for (int g = 0; g < _inventory.GroupCount; g++)
        {
            total += GroupMarkToMarket(g);
        }

        return total;
    }

    /// <summary>Checks every event and outcome group (each timer tick).</summary>
    public void CheckAll(long now)
    {
        for (int u = 0; u < _open.Length; u++)
        {
            if (u >= _inventory.EventCount || _inventory.GroupOf(u) < 0)
            {
                CheckUnit(u, now);
            }
        }

        Money unhedged = _inventory.TotalUnhedgedCost();
        if (unhedged > MaxUnhedgedSeen)
        {
            MaxUnhedgedSeen = unhedged;
        }
    }

    /// <summary>Checks one event now (after a fill or a finished attempt): its outcome group, if it is an outcome of one.</summary>
    public void Check(int eventIndex, long now)
    {
        if (eventIndex >= 0)
        {
            CheckUnit(UnitOf(eventIndex), now);
        }
    }

    private void CheckUnit(int unit, long now)
    {
        Imbalance x = ImbalanceOf(unit);
        LeggedEpisode? episode = _open[unit];
        if (x.Quantity.IsZero)
        {
            if (episode is not null)
            {
                Resolve(episode);
            }

            _forceUnwind[unit] = false;
            return;
        }

        Money unhedgedNow = _inventory.TotalUnhedgedCost();
        if (unhedgedNow > MaxUnhedgedSeen)
        {
            MaxUnhedgedSeen = unhedgedNow;
        }

        int[] members = _membersOfUnit[unit];
        foreach (int e in members)
        {
            if (_orders.HasImmediateWorking(e))
            {
                return; // an order in flight will change the balance: judge after it is done
            }
        }

        episode ??= Start(unit, now);

        foreach (int e in members)
        {
            if (_risk.Account is { } account && account.Blocks(e, _books, _inventory.MarketsOf(e)))
            {
                return; // the venue does not confirm these positions yet: hedging a belief could make the exposure it means to close
            }
        }

        if (!AnyLiveBook(unit))
        {
            return; // nothing can be priced (after a restart, a reconnect): wait for a snapshot rather than sell blind
        }

        long age = now - episode.StartedTimestamp;
        if (episode.State == LeggedState.Waiting && age < _graceTicks && !_forceUnwind[unit])
        {
            return; // the strategy's own hedge may be on its way
        }

        if (episode.LastStepTimestamp != 0 && now - episode.LastStepTimestamp < _retryTicks)
        {
            return;
        }

        bool unwind = _forceUnwind[unit] || episode.State == LeggedState.Unwinding
            || episode.HedgeTries >= _config.Execution.HedgeRetries || age > _maxLeggedTicks;
        bool isGroup = unit >= _inventory.EventCount;
        if (!unwind && (isGroup ? TryHedgeGroup(episode, now) : TryHedge(episode, _inventory.ExposureOf(unit), now)))
        {
            return;
        }

        if (isGroup)
        {
            UnwindGroup(episode, now);
        }
        else
        {
            Unwind(episode, _inventory.ExposureOf(unit), now);
        }
    }

    /// <summary>Kill switch with flatten: every unhedged excess is sold now.</summary>
    public void UnwindEverything()
    {
        long now = _clock.GetTimestamp();
        for (int u = 0; u < _open.Length; u++)
        {
            bool grouped = u < _inventory.EventCount && _inventory.GroupOf(u) >= 0;
            if (!grouped && !ImbalanceOf(u).Quantity.IsZero)
            {
                _forceUnwind[u] = true;
                if (_open[u] is { } episode)
                {
                    episode.LastStepTimestamp = 0;
                }

                CheckUnit(u, now);
            }
        }
    }

    internal void EnsureEpisodeIdsAbove(long id) => _nextEpisodeId = Math.Max(_nextEpisodeId, id);

    /// <summary>Episodes open when the engine stopped continue under their ids (the imbalance is in the restored positions).</summary>
    internal void Restore(IReadOnlyList<(long Id, string EventId, long StartedMs, int Steps)> open, IReadOnlySet<long> ended)
    {
        long now = _clock.GetTimestamp();
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach ((long id, string eventId, long startedMs, int steps) in open)
        {
            int e = IndexOf(eventId);
            if (e < 0 || ended.Contains(id) || ImbalanceOf(e).Quantity.IsZero)
            {
                // Nothing left to resolve here (a simulator's world that ended, or an event no longer configured): close it in the log.
                _log.LeggedAbandoned(id, ended.Contains(id) ? "simulated venue restarted" : "nothing unhedged after restart", nowMs);
                continue;
            }

            Imbalance x = ImbalanceOf(e);
            var episode = new LeggedEpisode(id, e, eventId, startedMs, now - Ticks(TimeSpan.FromMilliseconds(Math.Max(0, nowMs - startedMs))), x.Excess, x.Quantity, x.Cost, Baseline(e))
            {
                Steps = steps,
                State = LeggedState.Hedging, // the grace period is long gone
            };
            _open[e] = episode;
            _alerts.Raise("warning", "legged", eventId, $"legged episode {id} recovered after restart: {Describe(e)} (unhedged cost ${x.Cost})", nowMs);
        }
    }

    private LeggedEpisode Start(int unit, long now)
    {
        Imbalance x = ImbalanceOf(unit);
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var episode = new LeggedEpisode(++_nextEpisodeId, unit, UnitId(unit), nowMs, now, x.Excess, x.Quantity, x.Cost, Baseline(unit));
        _open[unit] = episode;
        _log.LeggedChanged(episode);
        _alerts.Raise("warning", "legged", episode.EventId,
            $"legged: {Describe(unit)} (cost ${x.Cost}); hedging after {_config.Execution.LeggedGrace.TotalMilliseconds:0} ms unless the strategy does",
            nowMs);
        return episode;
    }

    private bool TryHedge(LeggedEpisode episode, EventExposure x, long now)
    {
        // Where the whole missing quantity is cheapest now, depth included.
        Outcome missing = x.ExcessOutcome.Opposite();
        Quantity q = x.Unhedged;
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!CheapestFor(episode.EventIndex, missing, q, out MarketBook? best, out BookWalk bestWalk) || !best.TryGetBestAsk(missing, out PriceLevel bestAsk))
        {
            return false; // nothing to hedge with: unwind instead
        }

        // Each retry pays one step more than the depth asks for, but never past the price at which
        // the hedge would lock in more than the loss bound: cost + price x size + fee - $1 x size.
        Price tick = best.Tick;
        long stepped = bestWalk.WorstPrice.Micros + (_config.Execution.HedgeStep.Micros * episode.HedgeTries);
        Price limit = Price.FromMicros(Math.Min(stepped - (stepped % tick.Micros), Price.One.Micros - tick.Micros));
        while (limit >= bestAsk.Price && LossIfHedged(x, best, limit, q) > _config.Risk.MaxLeggedLossUsd)
        {
            limit -= tick;
        }

        if (limit < bestAsk.Price)
        {
            _alerts.Raise("warning", "hedge", episode.EventId,
                $"hedging {q} {missing.ToWireName()} at {bestAsk.Price} or more would lose more than max_legged_loss_usd ${_config.Risk.MaxLeggedLossUsd}; unwinding instead",
                nowMs);
            return false;
        }

        episode.State = LeggedState.Hedging;
        episode.HedgeTries++;
        Step(episode, now);
        ManagedOrder? order = _orders.SendPolicyOrder(episode.EventIndex, best.Handle, missing, OrderSide.Buy, limit, q, OrderRole.Hedge,
            $"legged policy: hedge try {episode.HedgeTries} of {_config.Execution.HedgeRetries}, {q} {missing.ToWireName()} up to {limit}");
        _alerts.Raise("warning", "hedge", episode.EventId,
            $"hedge try {episode.HedgeTries}/{_config.Execution.HedgeRetries}: buy {q} {missing.ToWireName()} on {best.VenueName} up to {limit} (best ask {bestAsk.Price}); locks in at most ${LossIfHedged(x, best, limit, q)} loss",
            nowMs);
        return order is not null;
    }

    private void Unwind(LeggedEpisode episode, EventExposure x, long now)
    {
        BeginUnwinding(episode);
        bool sent = SellAcross(episode, episode.EventIndex, x.ExcessOutcome, x.Unhedged, now);
        if (sent)
        {
            episode.UnwindTries++;
        }

        CheckStuck(episode, sent, $"{x.Unhedged} {x.ExcessOutcome.ToWireName()}", now);
    }

    private void BeginUnwinding(LeggedEpisode episode)
    {
        if (episode.State != LeggedState.Unwinding)
        {
            episode.State = LeggedState.Unwinding;
            foreach (int e in _membersOfUnit[episode.EventIndex])
            {
                _orders.CancelEvent(e); // resting quotes could add to the excess while we sell it
            }
        }
    }

    /// <summary>
    /// Sells up to <paramref name="quantity"/> of an outcome of one event, from each venue that holds
    /// it, one <see cref="Configuration.ExecutionOptions.HedgeStep"/> under the bid per earlier try
    /// (the caller counts a try once its orders of the round are out).
    /// </summary>
    private bool SellAcross(LeggedEpisode episode, int eventIndex, Outcome outcome, Quantity quantity, long now)
    {
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        Quantity left = quantity;
        bool sent = false;
        foreach (MarketHandle market in _inventory.MarketsOf(eventIndex))
        {
            Quantity held = _inventory.Position(market, outcome);
            MarketBook book = _books[market];
            if (left.IsZero || !held.IsPositive || book.IsStale || !_orders.CanTrade(book.VenueIndex))
            {
                continue;
            }

            Quantity sell = Quantity.Min(held, left);

            // Each try sells lower; with no bid at all the lowest tick finds whatever comes in.
            Price limit = book.Tick;
            if (book.TryGetBestBid(outcome, out PriceLevel bid))
            {
                long lowered = bid.Price.Micros - (_config.Execution.HedgeStep.Micros * episode.UnwindTries);
                limit = Price.FromMicros(Math.Max(book.Tick.Micros, lowered - (lowered % book.Tick.Micros)));
            }

            Step(episode, now);
            _orders.SendPolicyOrder(eventIndex, market, outcome, OrderSide.Sell, limit, sell, OrderRole.Unwind,
                $"legged policy: unwind try {episode.UnwindTries + 1}, sell {sell} {outcome.ToWireName()} down to {limit}");
            _alerts.Raise("warning", "unwind", episode.EventId, $"unwind try {episode.UnwindTries + 1}: sell {sell} {outcome.ToWireName()} of {_config.Pairs[eventIndex].EventId} on {book.VenueName} down to {limit}", nowMs);
            left -= sell;
            sent = true;
        }

        return sent;
    }

    /// <summary>Still not flat well past the time allowed, or after many tries: a person must look. Trading stops.</summary>
    private void CheckStuck(LeggedEpisode episode, bool sent, string what, long now)
    {
        bool overdue = now - episode.StartedTimestamp > 2 * _maxLeggedTicks;
        if (((!sent && overdue) || episode.UnwindTries > 3 * Math.Max(1, _config.Execution.HedgeRetries)) && !episode.Stuck)
        {
            episode.Stuck = true;
            _alerts.Raise("error", "unwind", episode.EventId, $"cannot unwind {what} (no venue takes the order or nobody buys); halting new orders", _clock.GetUtcNow().ToUnixTimeMilliseconds());
            _risk.Kill.Engage(false, $"legged episode {episode.Id} on {episode.EventId} cannot be unwound", "engine");
        }
    }

    private void Resolve(LeggedEpisode episode)
    {
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        episode.State = LeggedState.Resolved;
        episode.EndedMs = nowMs;
        episode.Loss = episode.Baseline - Baseline(episode.EventIndex);
        episode.Resolution = (episode.HedgeTries > 0, episode.UnwindTries > 0) switch
        {
            (false, false) => "hedged by strategy",
            (true, false) => "hedged",
            (false, true) => "unwound",
            _ => "hedged and unwound",
        };
        _open[episode.EventIndex] = null;
        _closed.Add(episode);
        _log.LeggedChanged(episode);
        _risk.Losses.CountOutcome(-episode.Loss.Value, $"legged episode {episode.Id} on {episode.EventId} {episode.Resolution}");
        _alerts.Raise(episode.Loss.Value.Micros > 0 ? "warning" : "info", "resolved", episode.EventId,
            $"legged episode {episode.Id} {episode.Resolution} after {nowMs - episode.StartedMs} ms and {episode.Steps} steps; cost ${episode.Loss.Value}",
            nowMs);
    }

    /// <summary>Whether an event (or outcome group) is listed on a venue whose own simulator filled its orders.</summary>
    internal bool EventIsSimulated(string eventId, IReadOnlySet<string> simulatedVenues)
    {
        int u = IndexOf(eventId);
        return u >= 0 && _membersOfUnit[u].Any(e => _inventory.MarketsOf(e).Any(m => simulatedVenues.Contains(_books[m].VenueName)));
    }

    private bool AnyLiveBook(int unit)
    {
        foreach (int e in _membersOfUnit[unit])
        {
            foreach (MarketHandle market in _inventory.MarketsOf(e))
            {
                if (!_books[market].IsStale)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private Price BestBid(int eventIndex, Outcome outcome)
    {
        Price bid = Price.Zero;
        foreach (MarketHandle market in _inventory.MarketsOf(eventIndex))
        {
            MarketBook book = _books[market];
            if (!book.IsStale && book.TryGetBestBid(outcome, out PriceLevel level) && level.Price > bid)
            {
                bid = level.Price;
            }
        }

        return bid;
    }

    /// <summary>The unit watched for an event: the event itself, or the outcome group it is an outcome of.</summary>
    private int UnitOf(int eventIndex) => _inventory.GroupOf(eventIndex) is int g and >= 0 ? _inventory.EventCount + g : eventIndex;

    private string UnitId(int unit) => unit < _inventory.EventCount ? _config.Pairs[unit].EventId : _config.Groups[unit - _inventory.EventCount].EventId;

    /// <summary>How far a unit is from paying the same whatever happens, and in words.</summary>
    private Imbalance ImbalanceOf(int unit)
    {
        if (unit >= _inventory.EventCount)
        {
            return GroupImbalance(unit - _inventory.EventCount);
        }

        EventExposure x = _inventory.ExposureOf(unit);
        return new Imbalance(x.Unhedged, x.UnhedgedCost, x.ExcessOutcome);
    }

    /// <summary>The imbalance in words, for alerts.</summary>
    private string Describe(int unit)
    {
        if (unit >= _inventory.EventCount)
        {
            return DescribeGroup(unit - _inventory.EventCount);
        }

        EventExposure x = _inventory.ExposureOf(unit);
        return $"{x.Unhedged} {x.ExcessOutcome.ToWireName()} without the other side";
    }

    private void Step(LeggedEpisode episode, long now)
    {
        episode.Steps++;
        episode.LastStepTimestamp = now;
        _log.LeggedChanged(episode);
    }

    private static Money LossIfHedged(EventExposure x, MarketBook book, Price price, Quantity q) =>
        x.UnhedgedCost + Money.Of(price, q, Rounding.Up) + book.Fees.TakerFee(price, q) - Money.FromMicros(q.Micros);

    /// <summary>A unit's locked-in plus realised P&amp;L: an episode's cost is what it took off this.</summary>
    private Money Baseline(int unit)
    {
        Money realised = Money.Zero;
        foreach (int e in _membersOfUnit[unit])
        {
            realised += _inventory.RealisedOn(e);
        }

        Money lockedIn = unit < _inventory.EventCount ? _inventory.ExposureOf(unit).LockedIn : _inventory.GroupExposureOf(unit - _inventory.EventCount).LockedIn;
        return lockedIn + realised;
    }

    /// <summary>The unit of an event or outcome group id, or -1.</summary>
    private int IndexOf(string eventId)
    {
        for (int u = 0; u < _open.Length; u++)
        {
            if (UnitId(u) == eventId)
            {
                return u;
            }
        }

        return -1;
    }

    /// <summary>A unit's unhedged size (contracts, or a group's payoff spread), its cost, and the outcome in excess.</summary>
    private readonly record struct Imbalance(Quantity Quantity, Money Cost, Outcome Excess);

    private static long Ticks(TimeSpan span) => StopwatchTicks.Of(span);
}
