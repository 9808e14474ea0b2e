using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// The edge of buying YES on one venue and NO on another at their best asks, for the size both
/// tops show, after each venue's taker fee: what a reader of the mirror (the dashboard) shows for
/// a pair. Exact money; costs rounded up, the payout down.
/// </summary>
/// <param name="Size">Contracts: the smaller of the two tops.</param>
/// <param name="Fees">Both taker fees for that size.</param>
/// <param name="Edge">Size x $1 minus both legs' cost and fees.</param>
/// <param name="PerContract">The edge divided by the size (truncated to the micro-dollar).</param>
public readonly record struct TopOfBookEdge(Quantity Size, Money Fees, Money Edge, Money PerContract)
{
    /// <summary>The edge; null when either top has no size.</summary>
    public static TopOfBookEdge? Of(Price yesAsk, Quantity yesSize, IFeeModel yesFees, Price noAsk, Quantity noSize, IFeeModel noFees)
    {
        Quantity size = yesSize < noSize ? yesSize : noSize;
        if (size.Micros <= 0)
        {
            return null;
        }

        Money fees = yesFees.TakerFee(yesAsk, size) + noFees.TakerFee(noAsk, size);
        Money edge = Money.Of(Price.One, size, Rounding.Down) - Money.Of(yesAsk, size, Rounding.Up) - Money.Of(noAsk, size, Rounding.Up) - fees;
        return new TopOfBookEdge(size, fees, edge, Money.FromMicros((long)((Int128)edge.Micros * 1_000_000 / size.Micros)));
    }
}
