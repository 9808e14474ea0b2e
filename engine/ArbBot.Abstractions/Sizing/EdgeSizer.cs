using System.Runtime.CompilerServices;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Abstractions.Sizing;

/// <summary>
/// Sizes a buy of one contract of every leg per set, where each set pays $1 (YES and NO of one
/// market, YES on one venue and NO on another, YES on every outcome of an event) or another fixed
/// payout (NO on every one of an event's N outcomes pays N - 1). The answer is the whole
/// number of contracts with the <b>largest edge after fees</b> (ties: the smaller size) among the
/// sizes that clear the minimum edge in dollars and in basis points, stay within each leg's
/// slippage limit and depth, the maximum contracts and the per-order dollar limit. So every
/// contract bought adds edge: no larger size with less edge, no contract with a negative margin.
/// </summary>
/// <remarks>
/// <para>
/// Exact, whatever the rounding: the edge of a size is computed as the venue would charge it (each
/// fill's fee rounded, the order's total rounded, the notional rounded up once), so it rises and
/// falls with size. The search goes segment by segment, a segment being the sizes over which every
/// leg's marginal price is fixed. Within one, the exact cost before rounding is linear in the size,
/// and rounding adds at most a known amount (<see cref="FeeRounding"/>): so no size inside an
/// interval can beat the better of its two ends by more than that amount, and a bisection skips
/// every interval that cannot hold a better size. Once the legs' marginal prices sum to the payout or more,
/// no later size can beat the first of that segment by more than the rounding, and the walk stops.
/// </para>
/// <para>
/// Cost: when the best asks sum to the payout or more (the usual case) one read per leg and no walk. With
/// a gross edge: two evaluations per segment plus a few per segment where the best size is, each
/// O(legs). Worst case (a fee model that does not declare its rounding, or a marginal edge within
/// rounding of zero across a whole level): one evaluation per whole contract up to the smallest of
/// the maximum contracts, the depth within the slippage limit and the per-order limit. Allocates
/// nothing.
/// </para>
/// </remarks>
public static class EdgeSizer
{
    /// <summary>Most legs one search takes.</summary>
    public const int MaxLegs = 32;

    private const long Contract = 1_000_000;
    private const long HighestPrice = Contract - 1;
    private const int StackDepth = 72; // a bisection of any 64-bit range is at most 64 deep

    /// <summary>Sizes a two-leg buy (first outcome on one book, second on the same or another).</summary>
    public static PairSizing FindPair(IBookView first, Outcome firstOutcome, IBookView second, Outcome secondOutcome, in SizingRules rules)
    {
        // The usual case, no gross edge at the top, before any set-up (this runs on every book update).
        if (!first.TryGetBestAsk(firstOutcome, out PriceLevel a) || !second.TryGetBestAsk(secondOutcome, out PriceLevel b)
            || a.Price.Micros + b.Price.Micros >= Contract)
        {
            return default;
        }

        var legs = default(TwoLegs);
        legs[0] = new SizingLeg(first, firstOutcome);
        legs[1] = new SizingLeg(second, secondOutcome);
        var walks = default(TwoWalks);
        SetSizing s = Find(legs, rules, walks);
        return new PairSizing(s.Quantity, s.Cost, s.Edge, walks[0], walks[1]);
    }

    /// <summary>
    /// Sizes a buy of every leg. On success <paramref name="walks"/> holds each leg's walk at the
    /// chosen size (its worst price is that leg's limit price); on zero quantity they are cleared.
    /// </summary>
    public static SetSizing Find(ReadOnlySpan<SizingLeg> legs, in SizingRules rules, Span<BookWalk> walks) => Find(legs, rules, walks, Money.FromMicros(Contract));

    /// <summary>
    /// Sizes a buy of every leg where one set (a contract of each leg) pays
    /// <paramref name="payoutPerSet"/> whatever happens: $1 for YES on every outcome of an exhaustive
    /// event (one of them wins), N - 1 dollars for NO on every one of its N outcomes (all but one
    /// win). On success <paramref name="walks"/> holds each leg's walk at the chosen size.
    /// </summary>
    public static SetSizing Find(ReadOnlySpan<SizingLeg> legs, in SizingRules rules, Span<BookWalk> walks, Money payoutPerSet)
    {
        int n = legs.Length;
        long payout = payoutPerSet.Micros;
        if (payout <= 0 || payout > MaxLegs * Contract)
        {
            throw new ArgumentOutOfRangeException(nameof(payoutPerSet), payoutPerSet, $"a set pays more than $0 and at most ${MaxLegs}");
        }

        if (n == 0 || n > MaxLegs)
        {
            throw new ArgumentException($"a set has 1 to {MaxLegs} legs, not {n}", nameof(legs));
        }

        if (walks.Length < n)
        {
            throw new ArgumentException($"room for {n} walks is needed, not {walks.Length}", nameof(walks));
        }

        walks[..n].Clear();

        // Fees are never negative, so best asks summing to the payout or more can never pay: the usual case ends here.
        long topSum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!legs[i].Book.TryGetBestAsk(legs[i].Outcome, out PriceLevel top))
            {
                return default;
            }

            topSum += top.Price.Micros;
        }

        long cap = rules.MaxQuantity.Micros / Contract;
        if (topSum >= payout || cap <= 0)
        {
            return default;
        }

        var search = new Search(legs, rules, payout, stackalloc LegCursor[n], stackalloc Interval[StackDepth]);
        if (!search.Start())
        {
            return default;
        }

        search.Run(cap);
        if (search.BestQuantity == 0)
        {
            return new SetSizing(Quantity.Zero, Money.Zero, Money.Zero, search.Evaluations);
        }

        Quantity q = Quantity.FromContracts(search.BestQuantity);
        Money cost = Money.Zero;
        for (int i = 0; i < n; i++)
        {
            walks[i] = legs[i].Book.WalkBuy(legs[i].Outcome, q, Price.FromMicros(search.Limit(i)));
            cost += walks[i].CostWithFee;
        }

        return new SetSizing(q, cost, Money.FromMicros(search.BestQuantity * payout) - cost, search.Evaluations);
    }

    /// <summary>One search's state, on the stack.</summary>
    private ref struct Search
    {
        private readonly ReadOnlySpan<SizingLeg> _legs;
        private readonly Span<LegCursor> _cursors;
        private readonly Span<Interval> _stack;
        private readonly long _minEdge;
        private readonly long _minEdgeBps;
        private readonly long _maxOrder;
        private readonly long _maxSlippage;
        private readonly long _payout; // what one set pays, micro-dollars
        private long _best;
        private bool _bounded;
        private long _allowance; // most that rounding adds to a size's cost within one segment

        public Search(ReadOnlySpan<SizingLeg> legs, in SizingRules rules, long payout, Span<LegCursor> cursors, Span<Interval> stack)
        {
            _legs = legs;
            _payout = payout;
            _cursors = cursors;
            _stack = stack;
            _minEdge = Math.Max(1, rules.MinEdgeUsd.Micros); // a size must make money, whatever the minimum says
            _minEdgeBps = rules.MinEdgeBps;
            _maxOrder = rules.MaxOrderUsd.Micros;
            _maxSlippage = rules.MaxSlippage.Micros;
            _best = long.MinValue;
            BestQuantity = 0;
            Evaluations = 0;
            _bounded = true;
            _allowance = 0;
        }

        public long BestQuantity { get; private set; }

        public int Evaluations { get; private set; }

        public readonly long Limit(int leg) => _cursors[leg].Limit;

        /// <summary>Puts every leg on its best level; false when a leg has nothing to buy within its limit.</summary>
        public bool Start()
        {
            for (int i = 0; i < _legs.Length; i++)
            {
                ref LegCursor c = ref _cursors[i];
                SizingLeg leg = _legs[i];
                leg.Book.TryGetBestAsk(leg.Outcome, out PriceLevel top);
                c = default;
                c.Limit = Math.Min(top.Price.Micros + Math.Max(0, _maxSlippage), HighestPrice);
                c.Count = leg.Book.LevelCount(leg.Outcome, BookSide.Ask);
                c.Level = -1;
                if (leg.Book.Fees.Rounding is { } rounding)
                {
                    c.FillStep = rounding.PerFill.Micros;
                    c.OrderStep = rounding.PerOrder.Micros;
                    _allowance += 1 + c.FillStep + c.OrderStep; // notional rounded up once, the partial fill, the order
                }
                else
                {
                    _bounded = false;
                }

                if (!NextLevel(ref c, leg))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Walks the segments in order of size.</summary>
        public void Run(long cap)
        {
            long capMicros = cap * Contract;
            while (true)
            {
                long start = 0, end = capMicros, marginal = 0, orderCap = long.MaxValue;
                for (int i = 0; i < _cursors.Length; i++)
                {
                    ref LegCursor c = ref _cursors[i];
                    start = Math.Max(start, c.Start);
                    end = Math.Min(end, c.End);
                    marginal += c.Price;
                    orderCap = Math.Min(orderCap, _maxOrder <= 0 ? 0 : _maxOrder / c.Price);
                }

                long a = (start / Contract) + 1;
                if (a > orderCap)
                {
                    return; // prices only rise from here, so every larger size breaks the per-order limit too
                }

                long b = Math.Min(end / Contract, orderCap);
                if (a <= b)
                {
                    long edgeAtA = Segment(a, b);
                    if (_bounded && marginal >= _payout && edgeAtA + FromHereOnAllowance() < Need(b + 1))
                    {
                        return; // the marginal set costs its payout or more before fees: the edge only falls from here
                    }
                }

                if (end >= capMicros)
                {
                    return;
                }

                for (int i = 0; i < _cursors.Length; i++)
                {
                    ref LegCursor c = ref _cursors[i];
                    if (c.End == end && !NextLevel(ref c, _legs[i]))
                    {
                        return; // a leg's depth within its limit ends here
                    }
                }
            }
        }

        /// <summary>Searches the whole sizes a..b of one segment; returns the edge at a.</summary>
        private long Segment(long a, long b)
        {
            long edgeA = Evaluate(a);
            if (!_bounded)
            {
                for (long q = a + 1; q <= b; q++)
                {
                    Evaluate(q);
                }

                return edgeA;
            }

            if (b == a)
            {
                return edgeA;
            }

            long edgeB = Evaluate(b);
            int top = 0;
            if (b - a > 1)
            {
                _stack[top++] = new Interval(a, b, edgeA, edgeB);
            }

            while (top > 0)
            {
                Interval span = _stack[--top];
                // Inside a segment the exact edge is linear in size and rounding takes off at most the
                // allowance, so nothing strictly inside can beat the better end by more than that.
                if (Math.Max(span.LowEdge, span.HighEdge) + _allowance < Need(span.Low + 1))
                {
                    continue;
                }

                long mid = span.Low + ((span.High - span.Low) / 2);
                long edgeMid = Evaluate(mid);
                var lower = new Interval(span.Low, mid, span.LowEdge, edgeMid);
                var upper = new Interval(mid, span.High, edgeMid, span.HighEdge);
                // The more promising half goes on top, so the best found rises early and prunes more.
                bool upperFirst = Math.Max(edgeMid, span.HighEdge) >= Math.Max(span.LowEdge, edgeMid);
                Push(ref top, upperFirst ? lower : upper);
                Push(ref top, upperFirst ? upper : lower);
            }

            return edgeA;
        }

        private readonly void Push(ref int top, Interval span)
        {
            if (span.High - span.Low > 1)
            {
                _stack[top++] = span;
            }
        }

        /// <summary>The edge of buying <paramref name="q"/> of every leg, exactly as the venues charge; keeps the best acceptable.</summary>
        private long Evaluate(long q)
        {
            Evaluations++;
            long cost = 0;
            long size = q * Contract;
            for (int i = 0; i < _cursors.Length; i++)
            {
                ref LegCursor c = ref _cursors[i];
                IFeeModel fees = _legs[i].Book.Fees;
                long take = size - c.Start; // on the leg's current level: 0 < take <= its quantity
                Int128 notional = c.Notional + ((Int128)take * c.Price);
                Money fee = fees.RoundOrderTotal(Money.FromMicros(c.Fees) + fees.TakerFill(Price.FromMicros(c.Price), Quantity.FromMicros(take)));
                cost += Money.FromScaledProduct(notional, Rounding.Up).Micros + fee.Micros;
            }

            long edge = (q * _payout) - cost;
            if (edge >= _minEdge
                && (_minEdgeBps <= 0 || (Int128)edge * 10_000 >= (Int128)_minEdgeBps * cost)
                && (edge > _best || (edge == _best && q < BestQuantity)))
            {
                _best = edge;
                BestQuantity = q;
            }

            return edge;
        }

        /// <summary>The least edge a size of <paramref name="low"/> or more must have to be acceptable and beat the best so far.</summary>
        private readonly long Need(long low)
        {
            long need = _minEdge;
            if (_minEdgeBps > 0)
            {
                // edge x 10,000 >= bps x (payout - edge)  <=>  edge >= bps x payout / (10,000 + bps), rising with size.
                Int128 product = (Int128)_minEdgeBps * low * _payout;
                Int128 divisor = 10_000 + (Int128)_minEdgeBps;
                need = Math.Max(need, (long)Int128.Min((product + divisor - 1) / divisor, long.MaxValue));
            }

            if (BestQuantity != 0)
            {
                // A tie goes to the smaller size: one below the best must equal it, one above must beat it.
                need = Math.Max(need, BestQuantity < low ? _best + 1 : _best);
            }

            return need;
        }

        /// <summary>
        /// Most that rounding has added to a cost at the current segment's first size: on top of the
        /// segment's allowance, the rounding of every fill already completed.
        /// </summary>
        private readonly long FromHereOnAllowance()
        {
            long more = _allowance;
            for (int i = 0; i < _cursors.Length; i++)
            {
                more += _cursors[i].Fills * _cursors[i].FillStep;
            }

            return more;
        }

        /// <summary>Moves a leg to its next level with something to buy within its limit; false when there is none.</summary>
        private static bool NextLevel(ref LegCursor c, SizingLeg leg)
        {
            if (c.Level >= 0)
            {
                long quantity = c.End - c.Start;
                c.Notional += (Int128)quantity * c.Price;
                c.Fees += leg.Book.Fees.TakerFill(Price.FromMicros(c.Price), Quantity.FromMicros(quantity)).Micros;
                c.Fills++;
                c.Start = c.End;
            }

            while (++c.Level < c.Count)
            {
                PriceLevel level = leg.Book.GetLevel(leg.Outcome, BookSide.Ask, c.Level);
                if (level.Price.Micros > c.Limit)
                {
                    return false;
                }

                if (level.Quantity.Micros <= 0 || level.Price.Micros <= 0)
                {
                    continue;
                }

                c.Price = level.Price.Micros;
                c.End = c.Start + level.Quantity.Micros;
                return true;
            }

            return false;
        }
    }

    /// <summary>Where one leg's walk stands: the level the current segment buys at, and what the levels before it cost.</summary>
    private struct LegCursor
    {
        public int Level;
        public int Count;
        public int Fills;         // levels completed before this one
        public long Limit;        // best ask plus the slippage allowed
        public long Price;        // this level's price (micros)
        public long Start;        // contracts (micros) bought before this level
        public long End;          // contracts (micros) bought when this level is used up
        public Int128 Notional;   // sum of price x quantity of the completed levels (twelve decimals)
        public long Fees;         // sum of the completed levels' fill fees (micros, each rounded as the venue does)
        public long FillStep;
        public long OrderStep;
    }

    private readonly record struct Interval(long Low, long High, long LowEdge, long HighEdge);

    [InlineArray(2)]
    private struct TwoLegs
    {
        private SizingLeg _first;
    }

    [InlineArray(2)]
    private struct TwoWalks
    {
        private BookWalk _first;
    }
}
