// Same-market: on one venue, buy YES and buy NO when together they cost less than $1 after fees
// by at least the minimum edge. On a bids-only venue (Kalshi) this is the moment the best YES
// bid plus the best NO bid exceeds $1 (YES is bought by hitting NO bids at 1 - price, and the
// other way round). Sized by the contract's EdgeSizer, like the dutch book.

public sealed class SameMarket : IStrategy
{
    private SizingRules _rules;
    private long _maxBookAgeMs;

    public void Initialize(IStrategySetup setup)
    {
        StrategyParameters p = setup.Parameters;
        _rules = new SizingRules(
            MinEdgeUsd: p.Dollars("min_edge_usd", Money.Parse("0.05")),
            MinEdgeBps: p.Integer("min_edge_bps", 50),
            MaxSlippage: p.Price("max_slippage", Price.Parse("0.02")),
            MaxQuantity: p.Contracts("max_contracts", Quantity.FromContracts(500)),
            MaxOrderUsd: setup.Limits.MaxOrderUsd);
        _maxBookAgeMs = p.Integer("max_book_age_ms", setup.Limits.MaxBookAgeMs);
    }

    public void OnBookUpdate(IStrategyContext context)
    {
        // Only the book that changed can have a new same-market edge.
        IBookView book = context.Changed;
        if (book.IsStale || book.AgeMs > _maxBookAgeMs)
        {
            return;
        }

        PairSizing s = EdgeSizer.FindPair(book, Outcome.Yes, book, Outcome.No, _rules);
        if (s.Quantity.IsZero)
        {
            return;
        }

        var yes = new OrderIntent(book.Market, Outcome.Yes, OrderSide.Buy, s.First.WorstPrice, s.Quantity, TimeInForce.FillOrKill);
        var no = new OrderIntent(book.Market, Outcome.No, OrderSide.Buy, s.Second.WorstPrice, s.Quantity, TimeInForce.FillOrKill);
        string reason = $"buy {s.Quantity} YES up to {s.First.WorstPrice} + NO up to {s.Second.WorstPrice} on {book.Venue}: cost {s.Cost} incl. fees {s.First.Fee + s.Second.Fee}, pays {s.Quantity}, edge {s.Edge} ({s.EdgeBps} bps)";
        context.Emit(IntentGroup.Pair(yes, no, s.Edge, reason));
    }
}
