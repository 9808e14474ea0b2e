// Shared by dutch_book.csx and same_market.csx (#load "lib/two_leg_sizer.csx").
//
// Finds the largest whole number of contracts Q such that buying Q of one outcome on one book
// and Q of the other outcome on another (or the same) book costs, fees included, at most
// Q x $1 minus the required edge. Walks the real depth of both books; allocates nothing.

/// <summary>The answer of <see cref="TwoLegSizer.Find"/>: zero quantity when there is nothing to do.</summary>
public readonly record struct TwoLegSizing(Quantity Quantity, Money Cost, Money Edge, BookWalk First, BookWalk Second)
{
    /// <summary>Edge in basis points of the cost.</summary>
    public long EdgeBps => Cost.Micros == 0 ? 0 : Edge.Micros * 10_000 / Cost.Micros;
}

/// <summary>What a two-leg buy must clear to be worth doing.</summary>
public readonly record struct TwoLegRules(Money MinEdgeUsd, long MinEdgeBps, Price MaxSlippage, Quantity MaxQuantity, Money MaxOrderUsd);

public static class TwoLegSizer
{
    private const long Contract = 1_000_000;

    public static TwoLegSizing Find(IBookView first, Outcome firstOutcome, IBookView second, Outcome secondOutcome, in TwoLegRules rules)
    {
        if (!first.TryGetBestAsk(firstOutcome, out PriceLevel bestFirst) || !second.TryGetBestAsk(secondOutcome, out PriceLevel bestSecond))
        {
            return default;
        }

        // Fees are never negative, so top-of-book at $1 or more can never pay: the common case ends here.
        if (bestFirst.Price.Micros + bestSecond.Price.Micros >= Price.One.Micros)
        {
            return default;
        }

        Price limitFirst = Price.Min(bestFirst.Price + rules.MaxSlippage, Price.FromMicros(999_999));
        Price limitSecond = Price.Min(bestSecond.Price + rules.MaxSlippage, Price.FromMicros(999_999));

        // Walk the level boundaries of both books in order of size: within one segment both
        // marginal prices are fixed, so the last good boundary and a binary search after it find the best size.
        long good = 0;
        long bad = 0;
        int i = 0, j = 0;
        long cumFirst = 0, cumSecond = 0;
        int countFirst = first.LevelCount(firstOutcome, BookSide.Ask);
        int countSecond = second.LevelCount(secondOutcome, BookSide.Ask);
        long cap = rules.MaxQuantity.Micros / Contract;
        while (bad == 0)
        {
            long nextFirst = i < countFirst ? cumFirst + Whole(first.GetLevel(firstOutcome, BookSide.Ask, i), limitFirst, true) : long.MaxValue;
            long nextSecond = j < countSecond ? cumSecond + Whole(second.GetLevel(secondOutcome, BookSide.Ask, j), limitSecond, true) : long.MaxValue;
            long boundary = Math.Min(Math.Min(nextFirst, nextSecond), cap);
            if (boundary == long.MaxValue || boundary <= good)
            {
                break;
            }

            if (Acceptable(first, firstOutcome, limitFirst, second, secondOutcome, limitSecond, boundary, rules))
            {
                good = boundary;
            }
            else
            {
                bad = boundary;
            }

            if (boundary == cap)
            {
                break;
            }

            if (nextFirst == boundary)
            {
                cumFirst = nextFirst;
                i++;
            }

            if (nextSecond == boundary)
            {
                cumSecond = nextSecond;
                j++;
            }
        }

        if (bad != 0)
        {
            long lo = good, hi = bad; // lo is acceptable (or 0), hi is not
            while (hi - lo > 1)
            {
                long mid = lo + ((hi - lo) / 2);
                if (Acceptable(first, firstOutcome, limitFirst, second, secondOutcome, limitSecond, mid, rules))
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            good = lo;
        }

        if (good == 0)
        {
            return default;
        }

        Quantity q = Quantity.FromContracts(good);
        BookWalk a = first.WalkBuy(firstOutcome, q, limitFirst);
        BookWalk b = second.WalkBuy(secondOutcome, q, limitSecond);
        Money cost = a.CostWithFee + b.CostWithFee;
        return new TwoLegSizing(q, cost, Money.FromMicros(good * Contract) - cost, a, b);
    }

    private static bool Acceptable(IBookView first, Outcome firstOutcome, Price limitFirst, IBookView second, Outcome secondOutcome, Price limitSecond, long contracts, in TwoLegRules rules)
    {
        if (contracts <= 0)
        {
            return false;
        }

        Quantity q = Quantity.FromContracts(contracts);
        BookWalk a = first.WalkBuy(firstOutcome, q, limitFirst);
        BookWalk b = second.WalkBuy(secondOutcome, q, limitSecond);
        // The order goes out with the walk's worst price as its limit: that times the size is what the risk check caps.
        if (a.Quantity != q || b.Quantity != q
            || Money.Of(a.WorstPrice, q, Rounding.Up) > rules.MaxOrderUsd || Money.Of(b.WorstPrice, q, Rounding.Up) > rules.MaxOrderUsd)
        {
            return false;
        }

        Money cost = a.CostWithFee + b.CostWithFee;
        Money edge = Money.FromMicros(contracts * Contract) - cost;
        return edge >= rules.MinEdgeUsd && edge.Micros * 10_000 >= rules.MinEdgeBps * cost.Micros;
    }

    /// <summary>Whole contracts at a level, or 0 past the limit.</summary>
    private static long Whole(PriceLevel level, Price limit, bool buying) =>
        (buying ? level.Price <= limit : level.Price >= limit) ? level.Quantity.Micros / Contract : 0;
}
