// Outcome basket: over an event whose outcomes are separate markets (groups: in arbbot.yaml,
// approved exhaustive), buy YES on every outcome when together they cost less than the $1 one
// set pays (exactly one outcome wins), or NO on every outcome when together they cost less than
// the N - 1 dollars a set of N pays (all but one win), after each venue's fees, by at least the
// minimum edge. Each outcome is bought on its cheapest venue at the top of the book (best ask
// plus that venue's fee for one contract). Sized by the contract's EdgeSizer over all N legs
// (depth, slippage, max_contracts, the per-order limit): the whole number of sets with the most
// edge after fees. Emits one N-leg fill-or-kill intent group, the better of the two when both pay.

public sealed class Basket : IStrategy
{
    private readonly SizingLeg[] _yes = new SizingLeg[EdgeSizer.MaxLegs];
    private readonly SizingLeg[] _no = new SizingLeg[EdgeSizer.MaxLegs];
    private readonly BookWalk[] _yesWalks = new BookWalk[EdgeSizer.MaxLegs];
    private readonly BookWalk[] _noWalks = new BookWalk[EdgeSizer.MaxLegs];
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
        IGroupView? group = context.Group;
        if (group is null || !group.Exhaustive || group.OutcomeCount > EdgeSizer.MaxLegs)
        {
            return; // only an approved exhaustive group pays a fixed amount per set
        }

        int n = group.OutcomeCount;
        bool yesPriced = true, noPriced = true;
        for (int i = 0; i < n && (yesPriced || noPriced); i++)
        {
            IPairView outcome = group.Outcome(i);
            yesPriced = yesPriced && Cheapest(outcome, Outcome.Yes, out _yes[i]);
            noPriced = noPriced && Cheapest(outcome, Outcome.No, out _no[i]);
        }

        SetSizing yes = yesPriced ? EdgeSizer.Find(_yes.AsSpan(0, n), _rules, _yesWalks, Money.FromMicros(1_000_000)) : default;
        SetSizing no = noPriced ? EdgeSizer.Find(_no.AsSpan(0, n), _rules, _noWalks, Money.FromMicros((n - 1) * 1_000_000L)) : default;
        if (yes.Quantity.IsZero && no.Quantity.IsZero)
        {
            return;
        }

        if (!yes.Quantity.IsZero && (no.Quantity.IsZero || yes.Edge >= no.Edge))
        {
            Emit(context, group, Outcome.Yes, _yes, _yesWalks, yes, 1);
        }
        else
        {
            Emit(context, group, Outcome.No, _no, _noWalks, no, n - 1);
        }
    }

    /// <summary>The outcome's venue with the lowest best ask plus that venue's fee for one contract; false when none offers it.</summary>
    private bool Cheapest(IPairView outcome, Outcome side, out SizingLeg leg)
    {
        leg = default;
        long best = long.MaxValue;
        for (int v = 0; v < outcome.LegCount; v++)
        {
            IBookView book = outcome.Leg(v);
            if (book.IsStale || book.AgeMs > _maxBookAgeMs || !book.TryGetBestAsk(side, out PriceLevel top))
            {
                continue;
            }

            long perContract = top.Price.Micros + book.Fees.TakerFill(top.Price, Quantity.FromContracts(1)).Micros;
            if (perContract < best)
            {
                best = perContract;
                leg = new SizingLeg(book, side);
            }
        }

        return best != long.MaxValue;
    }

    private static void Emit(IStrategyContext context, IGroupView group, Outcome side, SizingLeg[] legs, BookWalk[] walks, SetSizing s, int paysPerSet)
    {
        int n = group.OutcomeCount;
        var intents = new OrderIntent[n];
        Money fees = Money.Zero;
        for (int i = 0; i < n; i++)
        {
            intents[i] = new OrderIntent(legs[i].Book.Market, side, OrderSide.Buy, walks[i].WorstPrice, s.Quantity, TimeInForce.FillOrKill);
            fees += walks[i].Fee;
        }

        string reason = $"{side.ToString().ToUpperInvariant()} basket over {group.EventId} ({n} outcomes): buy {s.Quantity} of each, cost {s.Cost} incl. fees {fees}, pays {Money.FromMicros(s.Quantity.Micros * paysPerSet)}, edge {s.Edge} ({s.EdgeBps} bps)";
        context.Emit(IntentGroup.Basket(intents, s.Edge, reason));
    }
}
