using ArbBot.Abstractions.FixedPoint;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Venues.Sim.Matching;

/// <summary>
/// Fees as the imitated venue charges them (../shared/fixtures/venues/PROTOCOLS.md 1.7 and 2.7):
/// Kalshi taker ceil_to_cent(0.07 x C x P x (1 - P)) per order; Polymarket taker
/// C x rate x p x (1 - p) rounded up to $0.00001. Makers pay nothing on either.
/// </summary>
internal static class SimFees
{
    private const long KalshiTakerRateMicros = 70_000; // 0.07

    public static Money Taker(SimStyle style, Price price, Quantity quantity, Price polymarketRate)
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
        return style == SimStyle.Kalshi ? fee.CeilToCent() : fee.CeilTo(10);
    }
}
