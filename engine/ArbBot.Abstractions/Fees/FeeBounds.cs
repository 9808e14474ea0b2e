using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// The most a venue can charge for trades not yet made, for strategies that promise an edge before
/// they know the prices and the pieces a quantity will fill in (a maker quote and its hedges).
/// Assumes what both venues' quadratic fees satisfy: a fee grows with quantity and, at a fixed
/// quantity, peaks at a price of 0.50.
/// </summary>
public static class FeeBounds
{
    private static readonly Price s_peak = Price.FromMicros(500_000);

    /// <summary>
    /// The most <paramref name="orders"/> taker orders that together buy <paramref name="quantity"/>
    /// at prices up to <paramref name="limit"/> can be charged, each order filling at up to
    /// <paramref name="fillsPerOrder"/> prices (every fill and every order rounded up by the venue).
    /// </summary>
    public static Money WorstTakerFee(IFeeModel fees, Price limit, Quantity quantity, int orders, int fillsPerOrder)
    {
        orders = Math.Max(1, orders);
        fillsPerOrder = Math.Max(1, fillsPerOrder);
        Money oneOrder = fees.TakerFee(Price.Min(limit, s_peak), quantity);
        if (fees.Rounding is { } rounding)
        {
            // The exact fee is linear in quantity and largest at the worst price; each order's rounding adds at most its steps.
            return oneOrder + Money.FromMicros(orders * rounding.MostAddedTo(fillsPerOrder).Micros);
        }

        return Money.FromMicros(oneOrder.Micros * orders); // each order is charged at most what the whole quantity would be
    }

    /// <summary>
    /// The most a resting order of <paramref name="quantity"/> at <paramref name="price"/> can be
    /// charged as a maker when it fills in up to <paramref name="fills"/> pieces (each fill charged and rounded on its own).
    /// </summary>
    public static Money WorstMakerFee(IFeeModel fees, Price price, Quantity quantity, int fills)
    {
        fills = Math.Max(1, fills);
        Money whole = fees.MakerFee(price, quantity);
        if (whole.Micros == 0)
        {
            return Money.Zero; // a fee that grows with quantity and is nothing for the whole is nothing for any piece
        }

        return fees.Rounding is { } rounding
            ? whole + Money.FromMicros(fills * (rounding.PerFill.Micros + rounding.PerOrder.Micros))
            : Money.FromMicros(whole.Micros * fills);
    }
}
