using System.Text;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>
/// The legged policy for an outcome group: its outcomes are one unit, legged when the positions do
/// not pay the same for every way the event can end (a basket with a leg refused, a leg partly
/// filled). Hedging buys what makes every ending pay the best ending's amount (YES on the outcomes
/// short of it) or lifts every ending to the worst one plus NO (NO on the outcomes above it),
/// whichever locks in less loss, within <c>max_legged_loss_usd</c>; unwinding sells the least that
/// makes every ending pay the same (<see cref="GroupExposure.SellYes"/>, <see cref="GroupExposure.SellNo"/>).
/// </summary>
public sealed partial class LeggedPolicy
{
    private Imbalance GroupImbalance(int group)
    {
        GroupExposure x = _inventory.GroupExposureOf(group);
        Outcome excess = Outcome.No;
        for (int w = 0; w < x.Outcomes; w++)
        {
            if (x.SellYes(w).IsPositive)
            {
                excess = Outcome.Yes;
            }
        }

        return new Imbalance(x.Unhedged, x.UnhedgedCost, excess);
    }

    /// <summary>What the group's positions pay for each ending still possible, e.g. "pays $10 if A wins, $0 if B wins".</summary>
    private string DescribeGroup(int group)
    {
        GroupExposure x = _inventory.GroupExposureOf(group);
        IReadOnlyList<string> outcomes = _config.Groups[group].Outcomes;
        var text = new StringBuilder("positions pay");
        string separator = " ";
        for (int w = 0; w < x.Outcomes; w++)
        {
            if (x.CanWin(w))
            {
                text.Append(separator).Append('$').Append(x.PayoffIf(w)).Append(" if ").Append(outcomes[w]).Append(" wins");
                separator = ", ";
            }
        }

        if (x.NoneCanWin)
        {
            text.Append(", $").Append(x.PayoffIfNone).Append(" if none of them wins");
        }

        return text.ToString();
    }

    /// <summary>The group's unwind plan valued at the best bids, less what it cost (negative: a loss if sold now).</summary>
    private Money GroupMarkToMarket(int group)
    {
        GroupExposure x = _inventory.GroupExposureOf(group);
        if (x.IsBalanced)
        {
            return Money.Zero;
        }

        IReadOnlyList<int> members = _inventory.MembersOf(group);
        Money value = Money.Zero;
        for (int w = 0; w < x.Outcomes; w++)
        {
            value += Money.Of(BestBid(members[w], Outcome.Yes), x.SellYes(w), Rounding.Down);
            value += Money.Of(BestBid(members[w], Outcome.No), x.SellNo(w), Rounding.Down);
        }

        return value - x.UnhedgedCost;
    }

    private bool TryHedgeGroup(LeggedEpisode episode, long now)
    {
        int group = episode.EventIndex - _inventory.EventCount;
        GroupExposure x = _inventory.GroupExposureOf(group);
        IReadOnlyList<int> members = _inventory.MembersOf(group);
        int n = x.Outcomes;

        // Up to two plans (lift every ending to the best with YES, or to the worst plus NO); the one that locks in less loss goes.
        Span<Quantity> references = stackalloc Quantity[2];
        int plans = x.HedgeReferences(references);
        Span<Quantity> buy = stackalloc Quantity[2 * n]; // YES then NO per outcome
        Span<Quantity> chosenBuy = stackalloc Quantity[2 * n];
        Span<int> markets = stackalloc int[2 * n];
        Span<int> chosenMarkets = stackalloc int[2 * n];
        Span<long> limits = stackalloc long[2 * n];
        Span<long> chosenLimits = stackalloc long[2 * n];
        Money chosenLoss = Money.Zero;
        bool found = false;
        for (int plan = 0; plan < plans; plan++)
        {
            Quantity pays = x.PlanHedge(references[plan], buy[..n], buy[n..]);
            if (PriceGroupHedge(members, buy, episode.HedgeTries, x.UnhedgedCost, pays - x.KeptPayoff, markets, limits, out Money loss) && (!found || loss < chosenLoss))
            {
                found = true;
                chosenLoss = loss;
                buy.CopyTo(chosenBuy);
                markets.CopyTo(chosenMarkets);
                limits.CopyTo(chosenLimits);
            }
        }

        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!found)
        {
            _alerts.Raise("warning", "hedge", episode.EventId,
                $"no hedge of the group's missing outcomes is offered within max_legged_loss_usd ${_config.Risk.MaxLeggedLossUsd}; unwinding instead", nowMs);
            return false;
        }

        episode.State = LeggedState.Hedging;
        episode.HedgeTries++;
        Step(episode, now);
        var legs = new StringBuilder();
        bool sent = true;
        for (int i = 0; i < 2 * n; i++)
        {
            if (!chosenBuy[i].IsPositive)
            {
                continue;
            }

            int w = i % n;
            Outcome outcome = i < n ? Outcome.Yes : Outcome.No;
            MarketBook book = _books[new MarketHandle(chosenMarkets[i])];
            Price limit = Price.FromMicros(chosenLimits[i]);
            string pair = _config.Pairs[members[w]].EventId;
            sent &= _orders.SendPolicyOrder(members[w], book.Handle, outcome, OrderSide.Buy, limit, chosenBuy[i], OrderRole.Hedge,
                $"legged policy: group hedge try {episode.HedgeTries} of {_config.Execution.HedgeRetries}, {chosenBuy[i]} {outcome.ToWireName()} of {pair} up to {limit}") is not null;
            legs.Append(legs.Length > 0 ? ", " : "").Append(chosenBuy[i]).Append(' ').Append(outcome.ToWireName()).Append(" of ").Append(pair)
                .Append(" on ").Append(book.VenueName).Append(" up to ").Append(limit);
        }

        _alerts.Raise("warning", "hedge", episode.EventId,
            $"hedge try {episode.HedgeTries}/{_config.Execution.HedgeRetries}: buy {legs}; locks in at most ${chosenLoss} loss", nowMs);
        return sent;
    }

    /// <summary>
    /// Prices one hedge plan (<paramref name="buy"/>: YES then NO per outcome): each quantity on the
    /// venue where the whole of it is cheapest (depth walked), one
    /// <see cref="Configuration.ExecutionOptions.HedgeStep"/> worse per try; if that would lock in more
    /// than the bound, at the depth's own prices. False when something is not offered at all or the
    /// bound is passed either way.
    /// </summary>
    private bool PriceGroupHedge(IReadOnlyList<int> members, Span<Quantity> buy, int tries, Money unhedgedCost, Quantity payoffGained,
        Span<int> markets, Span<long> limits, out Money loss)
    {
        int n = members.Count;
        loss = Money.Zero;
        foreach (int steps in (ReadOnlySpan<int>)[tries, 0])
        {
            Money cost = Money.Zero;
            for (int i = 0; i < buy.Length; i++)
            {
                markets[i] = -1;
                if (!buy[i].IsPositive)
                {
                    continue;
                }

                Outcome outcome = i < n ? Outcome.Yes : Outcome.No;
                if (!CheapestFor(members[i % n], outcome, buy[i], out MarketBook? book, out BookWalk walk))
                {
                    return false;
                }

                Price tick = book.Tick;
                long stepped = walk.WorstPrice.Micros + (_config.Execution.HedgeStep.Micros * steps);
                Price limit = Price.FromMicros(Math.Min(stepped - (stepped % tick.Micros), Price.One.Micros - tick.Micros));
                markets[i] = book.Handle.Value;
                limits[i] = limit.Micros;
                cost += Money.Of(limit, buy[i], Rounding.Up) + book.Fees.TakerFee(limit, buy[i]);
            }

            loss = unhedgedCost + cost - Money.FromMicros(payoffGained.Micros);
            if (loss <= _config.Risk.MaxLeggedLossUsd)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The venue of an event where buying the quantity is best: the most of it offered, then the lowest cost with fees.</summary>
    private bool CheapestFor(int eventIndex, Outcome outcome, Quantity quantity, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MarketBook? best, out BookWalk bestWalk)
    {
        best = null;
        bestWalk = default;
        foreach (MarketHandle market in _inventory.MarketsOf(eventIndex))
        {
            MarketBook book = _books[market];
            if (book.IsStale || !_orders.CanTrade(book.VenueIndex))
            {
                continue;
            }

            BookWalk walk = book.WalkBuy(outcome, quantity, Price.FromMicros(Price.One.Micros - book.Tick.Micros));
            bool better = best is null
                || walk.Quantity > bestWalk.Quantity
                || (walk.Quantity == bestWalk.Quantity && walk.CostWithFee < bestWalk.CostWithFee);
            if (walk.Quantity.IsPositive && better)
            {
                best = book;
                bestWalk = walk;
            }
        }

        return best is not null;
    }

    private void UnwindGroup(LeggedEpisode episode, long now)
    {
        int group = episode.EventIndex - _inventory.EventCount;
        BeginUnwinding(episode);
        GroupExposure x = _inventory.GroupExposureOf(group);
        IReadOnlyList<int> members = _inventory.MembersOf(group);
        int n = x.Outcomes;

        // Copied first: each order sent can come back (a rejection) and refresh the shared exposure.
        Span<Quantity> sellYes = stackalloc Quantity[n];
        Span<Quantity> sellNo = stackalloc Quantity[n];
        for (int w = 0; w < n; w++)
        {
            sellYes[w] = x.SellYes(w);
            sellNo[w] = x.SellNo(w);
        }

        bool sent = false;
        for (int w = 0; w < n; w++)
        {
            if (sellYes[w].IsPositive)
            {
                sent |= SellAcross(episode, members[w], Outcome.Yes, sellYes[w], now);
            }

            if (sellNo[w].IsPositive)
            {
                sent |= SellAcross(episode, members[w], Outcome.No, sellNo[w], now);
            }
        }

        if (sent)
        {
            episode.UnwindTries++;
        }

        CheckStuck(episode, sent, $"group {episode.EventId} ({DescribeGroup(group)})", now);
    }
}
