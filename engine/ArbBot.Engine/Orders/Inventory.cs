using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;

namespace ArbBot.Engine.Orders;

/// <summary>
/// Positions, cost basis and open order quantities per market and outcome, kept on the kernel
/// thread from fills and order updates; grouped per event (the configured pairs), where a YES
/// held against a NO of the same event is hedged: together they pay exactly $1 at settlement.
/// Whoever sends an order registers it with <see cref="OnOrderSent"/> so later updates (which
/// carry only the client order id) can be attributed.
/// Cost basis is average cost, fees included; selling takes out cost in proportion.
/// </summary>
public sealed class Inventory : IKernelListener
{
    private readonly Dictionary<string, (OrderRequest Request, Quantity Remaining)> _open = new(StringComparer.Ordinal);
    private readonly HashSet<(int Market, string TradeId)> _seenTrades = new(); // trade ids are per venue, and a market has one venue
    private Quantity[] _positions = new Quantity[128];
    private Money[] _costs = new Money[128];
    private Quantity[] _openQuantities = new Quantity[256];
    private Money[] _openBuyNotional = new Money[128];
    private Money[] _cashOut = new Money[128]; // by market: paid for buys (fees in), less sales' proceeds and settlement payouts
    private bool[] _netsOutcomes = new bool[128]; // by market: the venue keeps one signed position (YES and NO held together close at once)
    private int[] _eventOfMarket = [];
    private MarketHandle[][] _marketsOfEvent = [];
    private Money[] _realisedByEvent = [];
    private int[] _groupOfEvent = [];
    private int[][] _membersOfGroup = [];
    private GroupExposure[] _groupExposures = [];
    private byte[] _resolvedAs = new byte[128]; // by market: 0 not resolved, else 1 + the winning outcome
    private long _realisedDay = -1;

    /// <summary>Profit or loss booked by selling and by settlement, since the engine started (or the state was loaded).</summary>
    public Money Realised { get; private set; }

    /// <summary>Profit or loss booked since UTC midnight.</summary>
    public Money RealisedToday { get; private set; }

    /// <summary>Fills counted (duplicates excluded).</summary>
    public long FillCount { get; private set; }

    /// <summary>Number of events (configured pairs).</summary>
    public int EventCount => _marketsOfEvent.Length;

    /// <summary>Tells the inventory which markets form each event (the configured pairs, by index); called again with pairs appended when the pairs file changes.</summary>
    public void MapEvents(IReadOnlyList<MarketPair> pairs)
    {
        int markets = pairs.Count == 0 ? 0 : pairs.Max(p => p.Legs.Count == 0 ? 0 : p.Legs.Max(l => l.Value)) + 1;
        _eventOfMarket = Enumerable.Repeat(-1, markets).ToArray();
        _marketsOfEvent = new MarketHandle[pairs.Count][];
        Money[] realised = _realisedByEvent;
        _realisedByEvent = new Money[pairs.Count];
        realised.AsSpan(0, Math.Min(realised.Length, pairs.Count)).CopyTo(_realisedByEvent); // pairs appended to a running engine: what the others booked stays
        _groupOfEvent = Enumerable.Repeat(-1, pairs.Count).ToArray(); // until MapGroups says otherwise
        for (int e = 0; e < pairs.Count; e++)
        {
            _marketsOfEvent[e] = pairs[e].Legs.ToArray();
            foreach (MarketHandle market in pairs[e].Legs)
            {
                _eventOfMarket[market.Value] = e;
            }
        }
    }

    /// <summary>
    /// Tells the inventory which events are the outcomes of one outcome group (by pair index): their
    /// positions are then counted together, by what they pay for each way the group's event can end.
    /// </summary>
    public void MapGroups(IReadOnlyList<(int[] Members, bool Exhaustive)> groups)
    {
        _groupOfEvent = Enumerable.Repeat(-1, _marketsOfEvent.Length).ToArray();
        _membersOfGroup = new int[groups.Count][];
        _groupExposures = new GroupExposure[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            _membersOfGroup[g] = groups[g].Members.ToArray();
            _groupExposures[g] = new GroupExposure(groups[g].Members.Length, groups[g].Exhaustive);
            foreach (int e in groups[g].Members)
            {
                _groupOfEvent[e] = g;
            }
        }
    }

    /// <summary>Number of outcome groups.</summary>
    public int GroupCount => _membersOfGroup.Length;

    /// <summary>The outcome group an event is an outcome of, or -1.</summary>
    public int GroupOf(int eventIndex) => (uint)eventIndex < (uint)_groupOfEvent.Length ? _groupOfEvent[eventIndex] : -1;

    /// <summary>An outcome group's events, by outcome.</summary>
    public IReadOnlyList<int> MembersOf(int groupIndex) => _membersOfGroup[groupIndex];

    /// <summary>
    /// An outcome group's positions by what they pay for each ending (refreshed in place: read it
    /// before asking again). Kernel thread only.
    /// </summary>
    public GroupExposure GroupExposureOf(int groupIndex)
    {
        GroupExposure x = _groupExposures[groupIndex];
        int[] members = _membersOfGroup[groupIndex];
        Money openBuys = Money.Zero;
        x.Begin();
        for (int w = 0; w < members.Length; w++)
        {
            EventExposure e = ExposureOf(members[w]);
            openBuys += e.OpenBuys;
            bool resolvedNo = false, resolvedYes = false;
            foreach (MarketHandle market in _marketsOfEvent[members[w]])
            {
                byte resolved = (uint)market.Value < (uint)_resolvedAs.Length ? _resolvedAs[market.Value] : (byte)0;
                resolvedYes |= resolved == 1 + (int)Outcome.Yes;
                resolvedNo |= resolved == 1 + (int)Outcome.No;
            }

            x.Set(w, e.Yes, e.No, e.YesCost, e.NoCost, resolvedNo, resolvedYes);
        }

        x.Compute(openBuys);
        return x;
    }

    /// <summary>The event (pair index) a market belongs to, or -1.</summary>
    public int EventOf(MarketHandle market) => (uint)market.Value < (uint)_eventOfMarket.Length ? _eventOfMarket[market.Value] : -1;

    /// <summary>The markets of an event.</summary>
    public IReadOnlyList<MarketHandle> MarketsOf(int eventIndex) => _marketsOfEvent[eventIndex];

    /// <summary>Net contracts held: bought minus sold.</summary>
    public Quantity Position(MarketHandle market, Outcome outcome)
    {
        int i = (market.Value * 2) + (int)outcome;
        return i < _positions.Length ? _positions[i] : Quantity.Zero;
    }

    /// <summary>What the contracts held cost, fees included.</summary>
    public Money Cost(MarketHandle market, Outcome outcome)
    {
        int i = (market.Value * 2) + (int)outcome;
        return i < _costs.Length ? _costs[i] : Money.Zero;
    }

    /// <summary>Contracts still working in open orders.</summary>
    public Quantity OpenQuantity(MarketHandle market, Outcome outcome, OrderSide side)
    {
        int i = (market.Value * 4) + ((int)outcome * 2) + (int)side;
        return i < _openQuantities.Length ? _openQuantities[i] : Quantity.Zero;
    }

    /// <summary>Limit price times size of the buys still working on a market (both outcomes).</summary>
    public Money OpenBuyNotional(MarketHandle market) =>
        market.Value < _openBuyNotional.Length ? _openBuyNotional[market.Value] : Money.Zero;

    /// <summary>An event's positions: what is hedged, what is not, and what it cost.</summary>
    public EventExposure ExposureOf(int eventIndex)
    {
        Quantity yes = Quantity.Zero, no = Quantity.Zero;
        Money yesCost = Money.Zero, noCost = Money.Zero, openBuys = Money.Zero;
        foreach (MarketHandle market in _marketsOfEvent[eventIndex])
        {
            yes += Position(market, Outcome.Yes);
            no += Position(market, Outcome.No);
            yesCost += Cost(market, Outcome.Yes);
            noCost += Cost(market, Outcome.No);
            openBuys += OpenBuyNotional(market);
        }

        return new EventExposure(yes, no, yesCost, noCost, openBuys);
    }

    /// <summary>Sum of <see cref="EventExposure.UnhedgedCost"/> over all events, an outcome group's events counted together (<see cref="GroupExposure.UnhedgedCost"/>).</summary>
    public Money TotalUnhedgedCost()
    {
        Money total = Money.Zero;
        for (int e = 0; e < _marketsOfEvent.Length; e++)
        {
            if (GroupOf(e) < 0)
            {
                total += ExposureOf(e).UnhedgedCost;
            }
        }

        for (int g = 0; g < _membersOfGroup.Length; g++)
        {
            total += GroupExposureOf(g).UnhedgedCost;
        }

        return total;
    }

    /// <summary>Sum of <see cref="EventExposure.GrossExposure"/> over all events.</summary>
    public Money TotalExposure()
    {
        Money total = Money.Zero;
        for (int e = 0; e < _marketsOfEvent.Length; e++)
        {
            if (GroupOf(e) < 0)
            {
                total += ExposureOf(e).GrossExposure;
            }
        }

        for (int g = 0; g < _membersOfGroup.Length; g++)
        {
            total += GroupExposureOf(g).GrossExposure;
        }

        return total;
    }

    /// <summary>Sum of <see cref="EventExposure.LockedIn"/> over all events, an outcome group's events counted together (<see cref="GroupExposure.LockedIn"/>).</summary>
    public Money TotalLockedIn()
    {
        Money total = Money.Zero;
        for (int e = 0; e < _marketsOfEvent.Length; e++)
        {
            if (GroupOf(e) < 0)
            {
                total += ExposureOf(e).LockedIn;
            }
        }

        for (int g = 0; g < _membersOfGroup.Length; g++)
        {
            total += GroupExposureOf(g).LockedIn;
        }

        return total;
    }

    /// <summary>
    /// The event resolved: every contract of the winning outcome pays $1, the others nothing.
    /// Books the payout minus cost as realised and clears the event's positions.
    /// </summary>
    public Money Settle(int eventIndex, Outcome winner, long nowMs)
    {
        Money pnl = Money.Zero;
        foreach (MarketHandle market in _marketsOfEvent[eventIndex])
        {
            pnl += SettleMarket(market, winner, nowMs).Pnl;
        }

        return pnl;
    }

    /// <summary>
    /// One market resolved (each venue's market of an event resolves on its own, and may differ):
    /// every contract of the winner pays $1, the other outcome's nothing. The payout less what the
    /// contracts cost (fees in) is realised; the market's positions are cleared.
    /// </summary>
    public MarketSettlement SettleMarket(MarketHandle market, Outcome winner, long nowMs)
    {
        Quantity yes = Position(market, Outcome.Yes), no = Position(market, Outcome.No);
        Money cost = Money.Zero, payout = Money.Zero;
        for (int o = 0; o < 2; o++)
        {
            int i = (market.Value * 2) + o;
            if (i >= _positions.Length)
            {
                continue;
            }

            if ((Outcome)o == winner)
            {
                payout = Money.FromMicros(_positions[i].Micros);
            }

            cost += _costs[i];
            _positions[i] = Quantity.Zero;
            _costs[i] = Money.Zero;
        }

        if (market.Value < _cashOut.Length)
        {
            _cashOut[market.Value] -= payout;
        }

        Grow(ref _resolvedAs, market.Value);
        _resolvedAs[market.Value] = (byte)(1 + (int)winner);

        Money pnl = payout - cost;
        Book(pnl, EventOf(market), nowMs);
        return new MarketSettlement(yes, no, payout, pnl);
    }

    /// <summary>
    /// Declares a market whose venue keeps one signed position per market, as Kalshi does (every
    /// order is a bid or an ask on YES, so buying NO while long YES sells YES): YES and NO held
    /// together close at once, each pair's $1 comes back and its profit is realised then.
    /// </summary>
    public void NetOutcomes(MarketHandle market)
    {
        Grow(ref _netsOutcomes, market.Value);
        _netsOutcomes[market.Value] = true;
    }

    /// <summary>Whether a market's YES and NO positions net against each other (see <see cref="NetOutcomes"/>).</summary>
    public bool NetsOutcomes(MarketHandle market) => (uint)market.Value < (uint)_netsOutcomes.Length && _netsOutcomes[market.Value];

    /// <summary>Cash a market has taken: paid for buys, fees included, less what sales and settlement brought back.</summary>
    public Money CashOut(MarketHandle market) =>
        (uint)market.Value < (uint)_cashOut.Length ? _cashOut[market.Value] : Money.Zero;

    /// <summary>An order was sent: count it as open until an update says otherwise.</summary>
    public void OnOrderSent(OrderRequest request)
    {
        _open[request.ClientOrderId] = (request, request.Quantity);
        AddOpen(request, request.Quantity);
    }

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
    }

    /// <inheritdoc/>
    public bool WantsBookUpdates => false;

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
        if (!_open.TryGetValue(update.ClientOrderId, out var entry))
        {
            return;
        }

        bool done = update.Status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Expired;
        Quantity remaining = done ? Quantity.Zero : Quantity.Min(update.RemainingQuantity, entry.Remaining);
        AddOpen(entry.Request, remaining - entry.Remaining);
        if (done)
        {
            _open.Remove(update.ClientOrderId);
        }
        else
        {
            _open[update.ClientOrderId] = (entry.Request, remaining);
        }
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
        if (!_seenTrades.Add((fill.Market.Value, fill.TradeId)))
        {
            return; // the same execution reported twice (a reconnect replay): count it once
        }

        FillCount++;
        ForgetEndedRound(fill.Market);
        int i = (fill.Market.Value * 2) + (int)fill.Outcome;
        Grow(ref _positions, i);
        Grow(ref _costs, i);
        Money notional = Money.Of(fill.Price, fill.Quantity, fill.Side == OrderSide.Buy ? Rounding.Up : Rounding.Down);
        Grow(ref _cashOut, fill.Market.Value);
        _cashOut[fill.Market.Value] += fill.Side == OrderSide.Buy ? notional + fill.Fee : fill.Fee - notional;
        if (fill.Side == OrderSide.Buy)
        {
            _positions[i] += fill.Quantity;
            _costs[i] += notional + fill.Fee;
        }
        else
        {
            // Take out the sold contracts' share of the cost; what they brought in beyond it is realised.
            // A share that is not a whole micro-dollar is charged rounded up to the sale and taken out
            // rounded down from what is still held: neither figure ever shows more profit than exact
            // (each partial sale may understate the total by one micro-dollar).
            Quantity held = _positions[i];
            (Money chargedToSale, Money takenOut) = CostShare.Of(_costs[i], fill.Quantity, held);
            _positions[i] -= fill.Quantity;
            _costs[i] -= takenOut;
            Book(notional - fill.Fee - chargedToSale, EventOf(fill.Market), fill.TimestampMs);
        }

        if (NetsOutcomes(fill.Market))
        {
            NetPair(fill.Market, fill.TimestampMs);
        }

        // A fill shrinks the open quantity even before the order's update says so.
        if (_open.TryGetValue(fill.ClientOrderId, out var entry))
        {
            Quantity take = Quantity.Min(fill.Quantity, entry.Remaining);
            AddOpen(entry.Request, -take);
            _open[fill.ClientOrderId] = (entry.Request, entry.Remaining - take);
        }
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
    }

    /// <summary>
    /// YES and NO held together on a venue with one signed position: the matched pairs close, their
    /// $1 each comes back as cash and their profit (the $1 less both sides' share of cost, shares
    /// rounded up) is realised. What is left of the larger side stays, with the rest of its cost.
    /// </summary>
    private void NetPair(MarketHandle market, long nowMs)
    {
        int yes = market.Value * 2, no = yes + 1;
        if (no >= _positions.Length)
        {
            return;
        }

        Quantity matched = Quantity.Min(_positions[yes], _positions[no]);
        if (!matched.IsPositive)
        {
            return;
        }

        (Money yesCharged, Money yesOut) = CostShare.Of(_costs[yes], matched, _positions[yes]);
        (Money noCharged, Money noOut) = CostShare.Of(_costs[no], matched, _positions[no]);
        _positions[yes] -= matched;
        _positions[no] -= matched;
        _costs[yes] -= yesOut;
        _costs[no] -= noOut;
        Money payout = Money.FromMicros(matched.Micros); // $1 a pair
        _cashOut[market.Value] -= payout;
        Book(payout - yesCharged - noCharged, EventOf(market), nowMs);
    }

    /// <summary>
    /// A fill on a market of an outcome group whose every outcome already resolved can only mean the
    /// event opened again (a simulated venue's next round on the same markets): the group's
    /// resolutions are forgotten, so every outcome can win again. A real venue's resolved markets do
    /// not trade, and while only some outcomes have resolved (one ruled out early) they stand.
    /// </summary>
    private void ForgetEndedRound(MarketHandle market)
    {
        int g = GroupOf(EventOf(market));
        if (g < 0)
        {
            return;
        }

        foreach (int e in _membersOfGroup[g])
        {
            bool resolved = false;
            foreach (MarketHandle m in _marketsOfEvent[e])
            {
                resolved |= (uint)m.Value < (uint)_resolvedAs.Length && _resolvedAs[m.Value] != 0;
            }

            if (!resolved)
            {
                return;
            }
        }

        foreach (int e in _membersOfGroup[g])
        {
            foreach (MarketHandle m in _marketsOfEvent[e])
            {
                if ((uint)m.Value < (uint)_resolvedAs.Length)
                {
                    _resolvedAs[m.Value] = 0;
                }
            }
        }
    }

    /// <summary>Realised P&amp;L booked on one event.</summary>
    public Money RealisedOn(int eventIndex) => _realisedByEvent[eventIndex];

    private void Book(Money pnl, int eventIndex, long nowMs)
    {
        if (eventIndex >= 0)
        {
            _realisedByEvent[eventIndex] += pnl;
        }

        long day = nowMs / 86_400_000;
        if (day != _realisedDay)
        {
            _realisedDay = day;
            RealisedToday = Money.Zero;
        }

        Realised += pnl;
        RealisedToday += pnl;
    }

    private void AddOpen(OrderRequest request, Quantity change)
    {
        int i = (request.Market.Value * 4) + ((int)request.Outcome * 2) + (int)request.Side;
        Grow(ref _openQuantities, i);
        _openQuantities[i] += change;
        if (request.Side == OrderSide.Buy)
        {
            Grow(ref _openBuyNotional, request.Market.Value);
            _openBuyNotional[request.Market.Value] += change.Micros < 0
                ? -Money.Of(request.LimitPrice, -change, Rounding.Up)
                : Money.Of(request.LimitPrice, change, Rounding.Up);
        }
    }

    private static void Grow<T>(ref T[] array, int index)
    {
        if (index >= array.Length)
        {
            Array.Resize(ref array, Math.Max(index + 1, array.Length * 2));
        }
    }
}
