using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Orders;

/// <summary>
/// A part's share of what a position cost, which is rarely a whole micro-dollar. Rounded up where
/// it is charged against profit (a sale, a closed pair, locked-in), rounded down where it is taken
/// out of what stays held, so no P&amp;L figure ever shows more profit than exact.
/// </summary>
internal readonly record struct CostShare(Money Up, Money Down)
{
    /// <summary>The share of <paramref name="cost"/> that <paramref name="part"/> of <paramref name="held"/> contracts carries.</summary>
    public static CostShare Of(Money cost, Quantity part, Quantity held)
    {
        if (held.Micros <= 0 || part.Micros <= 0)
        {
            return default;
        }

        if (part >= held)
        {
            return new CostShare(cost, cost);
        }

        Int128 scaled = (Int128)cost.Micros * part.Micros;
        long down = (long)(scaled / held.Micros);
        return new CostShare(Money.FromMicros(scaled % held.Micros == 0 ? down : down + 1), Money.FromMicros(down));
    }
}
