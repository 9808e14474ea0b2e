// Cross-venue "dutch book": buy YES on one venue and NO on the other when both together cost
// less than the $1 the pair pays out, after both venues' fees, by at least the minimum edge.
// Both directions of every configured pair are checked on each update. Sized by the contract's
// EdgeSizer: the whole number of contracts with the most edge after fees among those that clear
// the minimum edge, within slippage, max_contracts and the per-order limit. Emits one two-leg
// fill-or-kill intent group.

public sealed class DutchBook : IStrategy
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
        IPairView pair = context.Pair;
        if (pair.LegCount < 2)
        {
            return;
        }

        IBookView a = pair.Leg(0);
        IBookView b = pair.Leg(1);
        if (!Usable(a) || !Usable(b))
        {
            return;
        }

        TryDirection(context, a, b);
        TryDirection(context, b, a);
    }

    private void TryDirection(IStrategyContext context, IBookView yesVenue, IBookView noVenue)
    {
        PairSizing s = EdgeSizer.FindPair(yesVenue, Outcome.Yes, noVenue, Outcome.No, _rules);
        if (s.Quantity.IsZero)
        {
            return;
        }

        var yes = new OrderIntent(yesVenue.Market, Outcome.Yes, OrderSide.Buy, s.First.WorstPrice, s.Quantity, TimeInForce.FillOrKill);
        var no = new OrderIntent(noVenue.Market, Outcome.No, OrderSide.Buy, s.Second.WorstPrice, s.Quantity, TimeInForce.FillOrKill);
        string reason = $"buy {s.Quantity} YES on {yesVenue.Venue} up to {s.First.WorstPrice} + NO on {noVenue.Venue} up to {s.Second.WorstPrice}: cost {s.Cost} incl. fees {s.First.Fee + s.Second.Fee}, pays {s.Quantity}, edge {s.Edge} ({s.EdgeBps} bps)";
        context.Emit(IntentGroup.Pair(yes, no, s.Edge, reason));
    }

    private bool Usable(IBookView book) => !book.IsStale && book.AgeMs <= _maxBookAgeMs;
}
