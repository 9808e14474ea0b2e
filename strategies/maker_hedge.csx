// Maker-then-hedge: rest a post-only buy on the venue where the pair is cheaper to make, at a
// price where, if it fills, buying the other outcome on the other venue still leaves the minimum
// edge at the worst the hedge rule allows: the hedge's limit (today's taker price for the whole
// quote plus hedge_slippage), its fee at that limit, and the venues' rounding over up to
// expected_fills partial fills (each hedged by its own order, each maker fill charged on its own).
// The edge claimed for a quote is that worst case; a hedge claims its pair's worst case too.
// Reprice when the hedge side moves (no more often than the minimum requote interval), cancel
// when the edge is gone or the quote has filled in expected_fills pieces, and hedge every fill at
// once for the filled quantity, even one that lands while a cancel is on its way. A quote that
// risk refuses, or that ends (filled, cancelled, expired), is forgotten, so a later update can quote
// again (after a refusal, no sooner than min_requote_ms).

public sealed class MakerHedge : IStrategy, IStrategyFills, IStrategyIntents, IStrategyState
{
    private const long ForgetEndedAfterMs = 60_000; // late fills of an ended quote are still hedged for a minute
    private Quantity _quoteSize;
    private Money _minEdgeUsd;
    private long _minEdgeBps;
    private Price _hedgeSlippage;
    private int _expectedFills;
    private long _minRequoteMs;
    private long _maxBookAgeMs;
    private readonly List<long> _forget = new();

    // The live quote of each pair (null when none), and every maker order that may still fill.
    private Quote?[] _quotes = [];
    private long[] _retryAtMs = []; // per pair: after a refusal, no new quote before then (min_requote_ms)
    private readonly Dictionary<long, Quote> _makers = new();

    public void Initialize(IStrategySetup setup)
    {
        StrategyParameters p = setup.Parameters;
        _quoteSize = p.Contracts("quote_contracts", Quantity.FromContracts(50));
        _minEdgeUsd = p.Dollars("min_edge_usd", Money.Parse("0.10"));
        _minEdgeBps = p.Integer("min_edge_bps", 100);
        _hedgeSlippage = p.Price("hedge_slippage", Price.Parse("0.02"));
        _expectedFills = (int)Math.Clamp(p.Integer("expected_fills", 5), 1, 1_000);
        _minRequoteMs = p.Integer("min_requote_ms", 500);
        _maxBookAgeMs = p.Integer("max_book_age_ms", setup.Limits.MaxBookAgeMs);
        _quotes = new Quote?[setup.Pairs.Count];
        _retryAtMs = new long[setup.Pairs.Count];
    }

    public void OnBookUpdate(IStrategyContext context)
    {
        IPairView pair = context.Pair;
        if (pair.LegCount < 2)
        {
            return;
        }

        Quote? current = _quotes[pair.Index];
        if (current is null && context.NowMs < _retryAtMs[pair.Index])
        {
            return; // risk refused the last quote a moment ago: do not ask again on every update
        }

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
            bool same = current.MakerLeg == best.MakerLeg && current.Outcome == best.Outcome && current.Price == best.Price && current.HedgeLimit == best.HedgeLimit;
            if (same || context.NowMs - current.PlacedMs < _minRequoteMs)
            {
                return;
            }

            context.Emit(IntentGroup.Cancel(current.GroupId, $"reprice {current.Price} -> {best.Price}"));
        }

        IBookView makerBook = pair.Leg(best.MakerLeg);
        var order = new OrderIntent(makerBook.Market, best.Outcome, OrderSide.Buy, best.Price, _quoteSize, TimeInForce.GoodTillCancelled, PostOnly: true);
        string reason = $"make {_quoteSize} {best.Outcome} on {makerBook.Venue} at {best.Price}; hedge {best.Outcome.Opposite()} on {pair.Leg(1 - best.MakerLeg).Venue} costs {best.HedgeCost} now, up to {best.HedgeLimit}: edge {best.Edge} at worst ({_expectedFills} fills), {best.EdgeNow} at today's prices";
        long id = context.Emit(IntentGroup.Single(order, best.Edge, reason));
        var quote = new Quote(id, pair.Index, best.MakerLeg, best.Outcome, best.Price, _quoteSize, context.NowMs, best.HedgeLimit);
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
        quote.Fills++;
        bool live = _quotes[quote.Pair] == quote;
        if (quote.Filled >= quote.Quantity)
        {
            if (live)
            {
                _quotes[quote.Pair] = null;
            }
        }
        else if (live && quote.Fills >= _expectedFills)
        {
            // Its worst case covers the rounding of this many pieces: take the rest off, quote afresh later.
            context.Emit(IntentGroup.Cancel(quote.GroupId, $"filled in {quote.Fills} pieces (expected_fills {_expectedFills})"));
            _quotes[quote.Pair] = null;
        }

        // Hedge exactly what filled, now, whatever the quote's state (a cancel may be in flight), no
        // higher than the limit the quote's worst case allowed for: past it, the engine's legged
        // policy takes over, with its alerts, rather than the strategy paying more than it promised.
        IBookView hedgeBook = context.Pair.Leg(1 - quote.MakerLeg);
        Outcome hedgeOutcome = quote.Outcome.Opposite();
        Price limit = quote.HedgeLimit;
        var hedge = new OrderIntent(hedgeBook.Market, hedgeOutcome, OrderSide.Buy, limit, fill.Quantity, TimeInForce.ImmediateOrCancel);
        Money hedgeFee = FeeBounds.WorstTakerFee(hedgeBook.Fees, limit, fill.Quantity, 1, PricesUpTo(hedgeBook, hedgeOutcome, limit));
        Money edge = Money.FromMicros(fill.Quantity.Micros) - Money.Of(fill.Price, fill.Quantity, Rounding.Up) - fill.Fee - Money.Of(limit, fill.Quantity, Rounding.Up) - hedgeFee;
        context.Emit(IntentGroup.Single(hedge, edge, $"hedge maker fill {fill.Quantity} {quote.Outcome} at {fill.Price} (fee {fill.Fee}) with {hedgeOutcome} on {hedgeBook.Venue} up to {limit} (fee at most {hedgeFee}): edge {edge} at worst"));
    }

    public void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context)
    {
        if (update.State == IntentGroupState.Accepted || !_makers.TryGetValue(update.GroupId, out Quote? quote))
        {
            return;
        }

        if (_quotes[quote.Pair] == quote)
        {
            _quotes[quote.Pair] = null; // refused or ended: the next update may quote again
        }

        if (update.State == IntentGroupState.Refused)
        {
            _makers.Remove(update.GroupId);
            _retryAtMs[quote.Pair] = context.NowMs + _minRequoteMs;
            return;
        }

        quote.EndedMs = context.NowMs;
        _forget.Clear(); // ended quotes are forgotten a minute later: looked for only when one ends
        foreach (Quote q in _makers.Values)
        {
            if (q.EndedMs > 0 && context.NowMs - q.EndedMs > ForgetEndedAfterMs)
            {
                _forget.Add(q.GroupId);
            }
        }

        foreach (long id in _forget)
        {
            _makers.Remove(id);
        }
    }

    public string? ExportState()
    {
        var lines = new List<string>();
        foreach (Quote q in _makers.Values)
        {
            bool live = q.Pair < _quotes.Length && _quotes[q.Pair] == q;
            lines.Add($"{q.GroupId}|{q.Pair}|{q.MakerLeg}|{(int)q.Outcome}|{q.Price.Micros}|{q.Quantity.Micros}|{q.PlacedMs}|{q.Filled.Micros}|{(live ? 1 : 0)}|{q.HedgeLimit.Micros}|{q.Fills}|{q.EndedMs}");
        }

        return string.Join('\n', lines);
    }

    public void ImportState(string state)
    {
        foreach (string line in state.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('|');
            if (f.Length < 12)
            {
                continue; // a quote from a version without the hedge limit: its fills are left to the engine's legged policy
            }

            var q = new Quote(long.Parse(f[0]), int.Parse(f[1]), int.Parse(f[2]), (Outcome)int.Parse(f[3]), Price.FromMicros(long.Parse(f[4])), Quantity.FromMicros(long.Parse(f[5])), long.Parse(f[6]), Price.FromMicros(long.Parse(f[9])))
            {
                Filled = Quantity.FromMicros(long.Parse(f[7])),
                Fills = int.Parse(f[10]),
                EndedMs = long.Parse(f[11]),
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

        // We would pay at least the best bid to make and, at worst, the best ask plus the slippage
        // allowed to hedge: if that is already $1 or more there is no edge at any price, and the
        // common case ends here without walking.
        if (!hedge.TryGetBestAsk(hedgeOutcome, out PriceLevel hedgeAsk)
            || bid.Price.Micros + Math.Min(hedgeAsk.Price.Micros + _hedgeSlippage.Micros, 999_999) >= Price.One.Micros)
        {
            return;
        }

        BookWalk hedgeWalk = hedge.WalkBuy(hedgeOutcome, _quoteSize, Price.One);
        if (hedgeWalk.Quantity != _quoteSize)
        {
            return; // not enough depth to hedge a full fill
        }

        // The worst hedge the rule allows: every piece bought at the limit, charged the most the fee can be there.
        Price hedgeLimit = Price.Min(Price.Max(hedgeWalk.WorstPrice, hedgeAsk.Price) + _hedgeSlippage, Price.FromMicros(999_999));
        Money worstHedge = Money.Of(hedgeLimit, _quoteSize, Rounding.Up)
            + FeeBounds.WorstTakerFee(hedge.Fees, hedgeLimit, _quoteSize, _expectedFills, PricesUpTo(hedge, hedgeOutcome, hedgeLimit));
        Price tick = maker.Tick;

        // Improve the best bid by a tick if that still leaves the edge, never cross the ask (post-only), else walk down.
        Price price = Price.Min(bid.Price + tick, ask.Price - tick);
        while (price >= bid.Price && price.Micros > 0)
        {
            Money makerCost = Money.Of(price, _quoteSize, Rounding.Up) + FeeBounds.WorstMakerFee(maker.Fees, price, _quoteSize, _expectedFills);
            Money cost = makerCost + worstHedge;
            Money edge = Money.FromMicros(_quoteSize.Micros) - cost;
            if (edge >= _minEdgeUsd && edge.Micros * 10_000 >= _minEdgeBps * cost.Micros)
            {
                if (!best.Found || edge > best.Edge)
                {
                    Money edgeNow = Money.FromMicros(_quoteSize.Micros) - Money.Of(price, _quoteSize, Rounding.Up) - maker.Fees.MakerFee(price, _quoteSize) - hedgeWalk.CostWithFee;
                    best = new Candidate(true, makerLeg, outcome, price, edge, edgeNow, hedgeWalk.CostWithFee, hedgeLimit);
                }

                return;
            }

            price -= tick;
        }
    }

    /// <summary>How many prices a hedge up to the limit can fill at: every tick from the best ask to the limit.</summary>
    private static int PricesUpTo(IBookView book, Outcome outcome, Price limit)
    {
        long tick = Math.Max(1, book.Tick.Micros);
        long from = book.TryGetBestAsk(outcome, out PriceLevel ask) ? Math.Min(ask.Price.Micros, limit.Micros) : limit.Micros;
        return (int)Math.Min(1_000, ((limit.Micros - from) / tick) + 1);
    }

    private bool Usable(IBookView book) => !book.IsStale && book.AgeMs <= _maxBookAgeMs;

    private readonly record struct Candidate(bool Found, int MakerLeg, Outcome Outcome, Price Price, Money Edge, Money EdgeNow, Money HedgeCost, Price HedgeLimit);

    private sealed class Quote
    {
        public Quote(long groupId, int pair, int makerLeg, Outcome outcome, Price price, Quantity quantity, long placedMs, Price hedgeLimit)
        {
            HedgeLimit = hedgeLimit;
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

        public Price HedgeLimit { get; }

        public Quantity Filled { get; set; }

        public int Fills { get; set; }

        public long EndedMs { get; set; }
    }
}
