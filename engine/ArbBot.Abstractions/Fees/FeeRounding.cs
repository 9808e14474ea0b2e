using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// How a fee model rounds, declared by models whose fee for one fill is, before rounding, exactly
/// proportional to the fill's quantity at a fixed price (both venues' quadratic fees are). Searches
/// that reason about fees (the edge sizer, the maker quote's worst case) use it to bound what
/// rounding can add without trying every size.
/// </summary>
/// <param name="PerFill">Each fill's fee is rounded up to a multiple of this (Kalshi $0.0001, Polymarket $0.00001).</param>
/// <param name="PerOrder">An order's summed fill fees are rounded up to a multiple of this (Kalshi $0.01; zero when not rounded again).</param>
public readonly record struct FeeRounding(Money PerFill, Money PerOrder)
{
    /// <summary>
    /// The most rounding can add to one order's fee over the exact formula when the order fills
    /// in <paramref name="fills"/> fills: each fill up to one step, the order total up to one more.
    /// </summary>
    public Money MostAddedTo(int fills) => Money.FromMicros((PerFill.Micros * fills) + PerOrder.Micros);
}
