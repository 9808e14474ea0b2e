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
/// balanced, with how it ended and what it cost. Kernel thread only.
/// </summary>
public sealed class LeggedPolicy
{
    private readonly IPolicyOrders _orders;
    private readonly RiskEngine _risk;
    private readonly ArbBotConfig _config;
    private readonly BookStore _books;
    private readonly Inventory _inventory;
    private readonly AlertSink _alerts;
    private readonly IExecutionJournal _log;
    private readonly TimeProvider _clock;
    private readonly LeggedEpisode?[] _open;
    private readonly bool[] _forceUnwind;
    private readonly List<LeggedEpisode> _closed = new();
    private readonly long _graceTicks;
    private readonly long _retryTicks;
    private readonly long _maxLeggedTicks;
    private long _nextEpisodeId;

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
        _open = new LeggedEpisode?[inventory.EventCount];
        _forceUnwind = new bool[inventory.EventCount];
        _graceTicks = Ticks(config.Execution.LeggedGrace);
        _retryTicks = Ticks(config.Execution.RetryInterval);
        _maxLeggedTicks = Ticks(config.Risk.MaxLeggedTime);
    }

    /// <summary>Episodes that ended, oldest first.</summary>
    public IReadOnlyList<LeggedEpisode> Closed => _closed;

    /// <summary>Episodes still open.</summary>
    public IEnumerable<LeggedEpisode> Open => _open.OfType<LeggedEpisode>();

    /// <summary>Largest unhedged exposure (cost) seen on any check, in dollars.</summary>
    public Money MaxUnhedgedSeen { get; private set; }

    /// <summary>Whether an event is in an episode now.</summary>
    public bool IsLegged(int eventIndex) => _open[eventIndex] is not null;

    /// <summary>Unhedged contracts valued at the best bid minus their cost, over all events (negative: a loss if sold now).</summary>
    public Money UnhedgedMarkToMarket()
    {
        Money total = Money.Zero;
        for (int e = 0; e < _open.Length; e++)
        {
            EventExposure x = _inventory.ExposureOf(e);
            if (x.Unhedged.IsZero)
            {
                continue;
            }

            Price bid = Price.Zero;
            foreach (MarketHandle market in _inventory.MarketsOf(e))
            {
                MarketBook book = _books[market];
                if (!book.IsStale && book.TryGetBestBid(x.ExcessOutcome, out PriceLevel level) && level.Price > bid)
                {
                    bid = level.Price;
                }
            }

            total += Money.Of(bid, x.Unhedged, Rounding.Down) - x.UnhedgedCost;
        }

        return total;
    }

    /// <summary>Checks every event (each timer tick).</summary>
    public void CheckAll(long now)
    {
        Money unhedged = Money.Zero;
        for (int e = 0; e < _open.Length; e++)
        {
            Check(e, now);
            unhedged += _inventory.ExposureOf(e).UnhedgedCost;
        }

        if (unhedged > MaxUnhedgedSeen)
        {
            MaxUnhedgedSeen = unhedged;
        }
    }

    /// <summary>Checks one event now (after a fill or a finished attempt).</summary>
    public void Check(int eventIndex, long now)
    {
        if (eventIndex < 0)
        {
            return;
        }

        EventExposure exposure = _inventory.ExposureOf(eventIndex);
        LeggedEpisode? episode = _open[eventIndex];
        if (exposure.Unhedged.IsZero)
        {
            if (episode is not null)
            {
                Resolve(episode, exposure);
            }

            _forceUnwind[eventIndex] = false;
            return;
        }

        Money unhedgedNow = _inventory.TotalUnhedgedCost();
        if (unhedgedNow > MaxUnhedgedSeen)
        {
            MaxUnhedgedSeen = unhedgedNow;
        }

        if (_orders.HasImmediateWorking(eventIndex))
        {
            return; // an order in flight will change the balance: judge after it is done
        }

        if (episode is null)
        {
            episode = Start(eventIndex, exposure, now);
        }

        if (_risk.Account is { } account && account.Blocks(eventIndex, _books, _inventory.MarketsOf(eventIndex)))
        {
            return; // the venue does not confirm these positions yet: hedging a belief could make the exposure it means to close
        }

        if (!AnyLiveBook(eventIndex))
        {
            return; // nothing can be priced (after a restart, a reconnect): wait for a snapshot rather than sell blind
        }

        long age = now - episode.StartedTimestamp;
        if (episode.State == LeggedState.Waiting && age < _graceTicks && !_forceUnwind[eventIndex])
        {
            return; // the strategy's own hedge may be on its way
        }

        if (episode.LastStepTimestamp != 0 && now - episode.LastStepTimestamp < _retryTicks)
        {
            return;
        }

        bool unwind = _forceUnwind[eventIndex] || episode.State == LeggedState.Unwinding
            || episode.HedgeTries >= _config.Execution.HedgeRetries || age > _maxLeggedTicks;
        if (!unwind && TryHedge(episode, exposure, now))
        {
            return;
        }

        Unwind(episode, exposure, now);
    }

    /// <summary>Kill switch with flatten: every unhedged excess is sold now.</summary>
    public void UnwindEverything()
    {
        long now = _clock.GetTimestamp();
        for (int e = 0; e < _open.Length; e++)
        {
            if (!_inventory.ExposureOf(e).Unhedged.IsZero)
            {
                _forceUnwind[e] = true;
                if (_open[e] is { } episode)
                {
                    episode.LastStepTimestamp = 0;
                }

                Check(e, now);
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
            if (e < 0 || ended.Contains(id) || _inventory.ExposureOf(e).Unhedged.IsZero)
            {
                // Nothing left to resolve here (a simulator's world that ended, or an event no longer configured): close it in the log.
                _log.LeggedAbandoned(id, ended.Contains(id) ? "simulated venue restarted" : "nothing unhedged after restart", nowMs);
                continue;
            }

            EventExposure x = _inventory.ExposureOf(e);
            var episode = new LeggedEpisode(id, e, eventId, startedMs, now - Ticks(TimeSpan.FromMilliseconds(Math.Max(0, nowMs - startedMs))), x.ExcessOutcome, x.Unhedged, x.UnhedgedCost, Baseline(e))
            {
                Steps = steps,
                State = LeggedState.Hedging, // the grace period is long gone
            };
            _open[e] = episode;
            _alerts.Raise("warning", "legged", eventId, $"legged episode {id} recovered after restart: {x.Unhedged} {x.ExcessOutcome.ToWireName()} unhedged (cost ${x.UnhedgedCost})", nowMs);
        }
    }

    private LeggedEpisode Start(int eventIndex, EventExposure x, long now)
    {
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var episode = new LeggedEpisode(++_nextEpisodeId, eventIndex, _config.Pairs[eventIndex].EventId, nowMs, now, x.ExcessOutcome, x.Unhedged, x.UnhedgedCost, Baseline(eventIndex));
        _open[eventIndex] = episode;
        _log.LeggedChanged(episode);
        _alerts.Raise("warning", "legged", episode.EventId,
            $"legged: {x.Unhedged} {x.ExcessOutcome.ToWireName()} without the other side (cost ${x.UnhedgedCost}); hedging after {_config.Execution.LeggedGrace.TotalMilliseconds:0} ms unless the strategy does",
            nowMs);
        return episode;
    }

    private bool TryHedge(LeggedEpisode episode, EventExposure x, long now)
    {
        // Where the whole missing quantity is cheapest now, depth included.
        Outcome missing = x.ExcessOutcome.Opposite();
        Quantity q = x.Unhedged;
        MarketBook? best = null;
        BookWalk bestWalk = default;
        foreach (MarketHandle market in _inventory.MarketsOf(episode.EventIndex))
        {
            MarketBook book = _books[market];
            if (book.IsStale || !_orders.CanTrade(book.VenueIndex))
            {
                continue;
            }

            BookWalk walk = book.WalkBuy(missing, q, Price.FromMicros(Price.One.Micros - book.Tick.Micros));
            bool better = best is null
                || walk.Quantity > bestWalk.Quantity
                || (walk.Quantity == bestWalk.Quantity && walk.CostWithFee < bestWalk.CostWithFee);
            if (walk.Quantity.IsPositive && better)
            {
                best = book;
                bestWalk = walk;
            }
        }

        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (best is null || !best.TryGetBestAsk(missing, out PriceLevel bestAsk))
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
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (episode.State != LeggedState.Unwinding)
        {
            episode.State = LeggedState.Unwinding;
            _orders.CancelEvent(episode.EventIndex); // resting quotes could add to the excess while we sell it
        }

        Quantity left = x.Unhedged;
        Outcome excess = x.ExcessOutcome;
        bool sent = false;
        foreach (MarketHandle market in _inventory.MarketsOf(episode.EventIndex))
        {
            Quantity held = _inventory.Position(market, excess);
            MarketBook book = _books[market];
            if (left.IsZero || !held.IsPositive || book.IsStale || !_orders.CanTrade(book.VenueIndex))
            {
                continue;
            }

            Quantity sell = Quantity.Min(held, left);

            // Each try sells lower; with no bid at all the lowest tick finds whatever comes in.
            Price limit = book.Tick;
            if (book.TryGetBestBid(excess, out PriceLevel bid))
            {
                long lowered = bid.Price.Micros - (_config.Execution.HedgeStep.Micros * episode.UnwindTries);
                limit = Price.FromMicros(Math.Max(book.Tick.Micros, lowered - (lowered % book.Tick.Micros)));
            }

            episode.UnwindTries++;
            Step(episode, now);
            _orders.SendPolicyOrder(episode.EventIndex, market, excess, OrderSide.Sell, limit, sell, OrderRole.Unwind,
                $"legged policy: unwind try {episode.UnwindTries}, sell {sell} {excess.ToWireName()} down to {limit}");
            _alerts.Raise("warning", "unwind", episode.EventId, $"unwind try {episode.UnwindTries}: sell {sell} {excess.ToWireName()} on {book.VenueName} down to {limit}", nowMs);
            left -= sell;
            sent = true;
        }

        // Still not flat well past the time allowed, or after many tries: a person must look. Trading stops.
        bool overdue = now - episode.StartedTimestamp > 2 * _maxLeggedTicks;
        if ((!sent && overdue) || episode.UnwindTries > 3 * Math.Max(1, _config.Execution.HedgeRetries))
        {
            if (!episode.Stuck)
            {
                episode.Stuck = true;
                _alerts.Raise("error", "unwind", episode.EventId, $"cannot unwind {x.Unhedged} {excess.ToWireName()} (no venue takes the order or nobody buys); halting new orders", nowMs);
                _risk.Kill.Engage(false, $"legged episode {episode.Id} on {episode.EventId} cannot be unwound", "engine");
            }
        }
    }

    private void Resolve(LeggedEpisode episode, EventExposure x)
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

    /// <summary>Whether an event is listed on a venue whose own simulator filled its orders.</summary>
    internal bool EventIsSimulated(string eventId, IReadOnlySet<string> simulatedVenues)
    {
        int e = IndexOf(eventId);
        return e >= 0 && _inventory.MarketsOf(e).Any(m => simulatedVenues.Contains(_books[m].VenueName));
    }

    private bool AnyLiveBook(int eventIndex)
    {
        foreach (MarketHandle market in _inventory.MarketsOf(eventIndex))
        {
            if (!_books[market].IsStale)
            {
                return true;
            }
        }

        return false;
    }

    private void Step(LeggedEpisode episode, long now)
    {
        episode.Steps++;
        episode.LastStepTimestamp = now;
        _log.LeggedChanged(episode);
    }

    private static Money LossIfHedged(EventExposure x, MarketBook book, Price price, Quantity q) =>
        x.UnhedgedCost + Money.Of(price, q, Rounding.Up) + book.Fees.TakerFee(price, q) - Money.FromMicros(q.Micros);

    private Money Baseline(int eventIndex) => _inventory.ExposureOf(eventIndex).LockedIn + _inventory.RealisedOn(eventIndex);

    private int IndexOf(string eventId)
    {
        for (int e = 0; e < _config.Pairs.Count; e++)
        {
            if (_config.Pairs[e].EventId == eventId)
            {
                return e;
            }
        }

        return -1;
    }

    private static long Ticks(TimeSpan span) => StopwatchTicks.Of(span);
}
