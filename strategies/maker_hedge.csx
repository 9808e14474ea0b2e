// Maker-then-hedge: rest a post-only buy on the venue where the pair is cheaper to make, at a
// price where, if it fills, buying the other outcome on the other venue at today's taker VWAP
// (fees included) still leaves the minimum edge. Reprice when the hedge side moves (no more
// often than the minimum requote interval), cancel when the edge is gone, and hedge every fill
// at once for the filled quantity, partial fills included, even one that lands while a cancel
// is on its way.

public sealed class MakerHedge : IStrategy, IStrategyFills, IStrategyState
{
    private Quantity _quoteSize;
    private Money _minEdgeUsd;
    private long _minEdgeBps;
    private Price _hedgeSlippage;
    private long _minRequoteMs;
    private long _maxBookAgeMs;

    // The live quote of each pair (null when none), and every maker order that may still fill.
    private Quote?[] _quotes = [];
    private readonly Dictionary<long, Quote> _makers = new();

    public void Initialize(IStrategySetup setup)
    {
        StrategyParameters p = setup.Parameters;
        _quoteSize = p.Contracts("quote_contracts", Quantity.FromContracts(50));
        _minEdgeUsd = p.Dollars("min_edge_usd", Money.Parse("0.10"));
        _minEdgeBps = p.Integer("min_edge_bps", 100);
        _hedgeSlippage = p.Price("hedge_slippage", Price.Parse("0.02"));
        _minRequoteMs = p.Integer("min_requote_ms", 500);
        _maxBookAgeMs = p.Integer("max_book_age_ms", setup.Limits.MaxBookAgeMs);
        _quotes = new Quote?[setup.Pairs.Count];
    }

    public void OnBookUpdate(IStrategyContext context)
    {
        IPairView pair = context.Pair;
        if (pair.LegCount < 2)
        {
            return;
        }

        Quote? current = _quotes[pair.Index];
        bool usable = Usable(pair.Leg(0)) && Usable(pair.Leg(1));
        Candidate best = default;
        if (usable)
        {
            // Four ways to make: buy YES or NO, on either venue; hedge with the other outcome on the other venue.
            for (int maker = 0; maker < 2; maker++)
            {
                Consider(pair.Leg(maker), pair.Leg(1 - maker), maker, Outcome.Yes, ref best);
                Consider(pair.Leg(maker), pair.Leg(1 - maker), maker, Outcome.No, ref best);
            }
        }

        if (!best.Found)
        {
            if (current is not null)
            {
                context.Emit(IntentGroup.Cancel(current.GroupId, "maker edge gone"));
                _quotes[pair.Index] = null;
            }

            return;
        }

        if (current is not null)
        {
            bool same = current.MakerLeg == best.MakerLeg && current.Outcome == best.Outcome && current.Price == best.Price;
            if (same || context.NowMs - current.PlacedMs < _minRequoteMs)
            {
                return;
            }

            context.Emit(IntentGroup.Cancel(current.GroupId, $"reprice {current.Price} -> {best.Price}"));
        }

        IBookView makerBook = pair.Leg(best.MakerLeg);
        var order = new OrderIntent(makerBook.Market, best.Outcome, OrderSide.Buy, best.Price, _quoteSize, TimeInForce.GoodTillCancelled, PostOnly: true);
        string reason = $"make {_quoteSize} {best.Outcome} on {makerBook.Venue} at {best.Price}; hedge {best.Outcome.Opposite()} on {pair.Leg(1 - best.MakerLeg).Venue} costs {best.HedgeCost}, edge {best.Edge} if filled";
        long id = context.Emit(IntentGroup.Single(order, best.Edge, reason));
        var quote = new Quote(id, pair.Index, best.MakerLeg, best.Outcome, best.Price, _quoteSize, context.NowMs);
        _quotes[pair.Index] = quote;
        _makers[id] = quote;
    }

    public void OnFill(in StrategyFill fill, IStrategyContext context)
    {
        if (!_makers.TryGetValue(fill.GroupId, out Quote? quote) || !fill.IsMaker)
        {
            return; // a hedge of ours filling, or not ours
        }

        quote.Filled += fill.Quantity;
        if (quote.Filled >= quote.Quantity)
        {
            _makers.Remove(fill.GroupId);
            if (_quotes[quote.Pair] == quote)
            {
                _quotes[quote.Pair] = null;
            }
        }

        // Hedge exactly what filled, now, whatever the quote's state (a cancel may be in flight).
        IBookView hedgeBook = context.Pair.Leg(1 - quote.MakerLeg);
        Outcome hedgeOutcome = quote.Outcome.Opposite();
        Price limit = Price.FromMicros(999_999);
        if (hedgeBook.TryGetBestAsk(hedgeOutcome, out PriceLevel ask))
        {
            BookWalk walk = hedgeBook.WalkBuy(hedgeOutcome, fill.Quantity, Price.One);
            limit = Price.Min(Price.Max(walk.WorstPrice, ask.Price) + _hedgeSlippage, Price.FromMicros(999_999));
        }

        var hedge = new OrderIntent(hedgeBook.Market, hedgeOutcome, OrderSide.Buy, limit, fill.Quantity, TimeInForce.ImmediateOrCancel);
        Money edge = Money.FromMicros(fill.Quantity.Micros) - Money.Of(fill.Price, fill.Quantity, Rounding.Up) - fill.Fee - Money.Of(limit, fill.Quantity, Rounding.Up);
        context.Emit(IntentGroup.Single(hedge, edge, $"hedge maker fill {fill.Quantity} {quote.Outcome} at {fill.Price} with {hedgeOutcome} on {hedgeBook.Venue} up to {limit}"));
    }

    public string? ExportState()
    {
        var lines = new List<string>();
        foreach (Quote q in _makers.Values)
        {
            bool live = q.Pair < _quotes.Length && _quotes[q.Pair] == q;
            lines.Add($"{q.GroupId}|{q.Pair}|{q.MakerLeg}|{(int)q.Outcome}|{q.Price.Micros}|{q.Quantity.Micros}|{q.PlacedMs}|{q.Filled.Micros}|{(live ? 1 : 0)}");
        }

        return string.Join('\n', lines);
    }

    public void ImportState(string state)
    {
        foreach (string line in state.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('|');
            var q = new Quote(long.Parse(f[0]), int.Parse(f[1]), int.Parse(f[2]), (Outcome)int.Parse(f[3]), Price.FromMicros(long.Parse(f[4])), Quantity.FromMicros(long.Parse(f[5])), long.Parse(f[6]))
            {
                Filled = Quantity.FromMicros(long.Parse(f[7])),
            };
            _makers[q.GroupId] = q;
            if (f[8] == "1" && q.Pair < _quotes.Length)
            {
                _quotes[q.Pair] = q;
            }
        }
    }

    private void Consider(IBookView maker, IBookView hedge, int makerLeg, Outcome outcome, ref Candidate best)
    {
        Outcome hedgeOutcome = outcome.Opposite();
        if (!maker.TryGetBestBid(outcome, out PriceLevel bid) || !maker.TryGetBestAsk(outcome, out PriceLevel ask))
        {
            return;
        }

        // We would pay at least the best bid to make and the best ask to hedge: if that is already
        // $1 or more there is no edge at any price, and the common case ends here without walking.
        if (!hedge.TryGetBestAsk(hedgeOutcome, out PriceLevel hedgeAsk) || bid.Price.Micros + hedgeAsk.Price.Micros >= Price.One.Micros)
        {
            return;
        }

        BookWalk hedgeWalk = hedge.WalkBuy(hedgeOutcome, _quoteSize, Price.One);
        if (hedgeWalk.Quantity != _quoteSize)
        {
            return; // not enough depth to hedge a full fill
        }

        Price tick = maker.Tick;

        // Improve the best bid by a tick if that still leaves the edge, never cross the ask (post-only), else walk down.
        Price price = Price.Min(bid.Price + tick, ask.Price - tick);
        while (price >= bid.Price && price.Micros > 0)
        {
            Money cost = Money.Of(price, _quoteSize, Rounding.Up) + maker.Fees.MakerFee(price, _quoteSize) + hedgeWalk.CostWithFee;
            Money edge = Money.FromMicros(_quoteSize.Micros) - cost;
            if (edge >= _minEdgeUsd && edge.Micros * 10_000 >= _minEdgeBps * cost.Micros)
            {
                if (!best.Found || edge > best.Edge)
                {
                    best = new Candidate(true, makerLeg, outcome, price, edge, hedgeWalk.CostWithFee);
                }

                return;
            }

            price -= tick;
        }
    }

    private bool Usable(IBookView book) => !book.IsStale && book.AgeMs <= _maxBookAgeMs;

    private readonly record struct Candidate(bool Found, int MakerLeg, Outcome Outcome, Price Price, Money Edge, Money HedgeCost);

    private sealed class Quote
    {
        public Quote(long groupId, int pair, int makerLeg, Outcome outcome, Price price, Quantity quantity, long placedMs)
        {
            GroupId = groupId;
            Pair = pair;
            MakerLeg = makerLeg;
            Outcome = outcome;
            Price = price;
            Quantity = quantity;
            PlacedMs = placedMs;
        }

        public long GroupId { get; }

        public int Pair { get; }

        public int MakerLeg { get; }

        public Outcome Outcome { get; }

        public Price Price { get; }

        public Quantity Quantity { get; }

        public long PlacedMs { get; }

        public Quantity Filled { get; set; }
    }
}
