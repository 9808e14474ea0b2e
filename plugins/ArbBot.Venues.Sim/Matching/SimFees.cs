using ArbBot.Abstractions.FixedPoint;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Venues.Sim.Matching;

/// <summary>
/// Fees as the imitated venue charges them (../shared/fixtures/venues/PROTOCOLS.md 1.7 and 2.7):
/// Kalshi taker 0.07 x C x P x (1 - P), each fill rounded up to $0.0001 and the order's total to
/// the cent; Polymarket taker C x rate x p x (1 - p) per fill, rounded up to $0.00001. Makers pay
/// nothing on either.
/// </summary>
internal static class SimFees
{
    private const long KalshiTakerRateMicros = 70_000; // 0.07

    /// <summary>One taker fill's fee, rounded as the venue rounds a fill.</summary>
    public static Money TakerFill(SimStyle style, Price price, Quantity quantity, Price polymarketRate)
    {
        long rate = style == SimStyle.Kalshi ? KalshiTakerRateMicros : polymarketRate.Micros;

        // C x rate x P x (1 - P), each factor in millionths: 24 decimals in a 128-bit integer.
        Int128 product = (Int128)quantity.Micros * rate * price.Micros * (1_000_000 - price.Micros);
        Int128 micros = Int128.DivRem(product, (Int128)1_000_000_000_000_000_000).Quotient;
        if (micros * (Int128)1_000_000_000_000_000_000 < product)
        {
            micros++;
        }

        var fee = Money.FromMicros((long)micros);
        return style == SimStyle.Kalshi ? fee.CeilTo(100) : fee.CeilTo(10);
    }

    /// <summary>A taker order's total fee from its fills' fees: Kalshi rounds it up to the cent.</summary>
    public static Money OrderTotal(SimStyle style, Money sumOfFills) => style == SimStyle.Kalshi ? sumOfFills.CeilToCent() : sumOfFills;
}
