using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Fees;

/// <summary>The quadratic fee both venues use, in exact integer arithmetic.</summary>
internal static class FeeMath
{
    // From 30 decimals (five six-decimal factors) down to the 6 decimals of Money.
    private static readonly Int128 s_toMicros = (Int128)1_000_000_000_000 * 1_000_000_000_000;

    /// <summary>
    /// rate x multiplier x C x P x (1 - P), every factor in millionths (30 decimals in all; a billion
    /// contracts stays inside Int128), rounded up to a micro-dollar.
    /// </summary>
    public static Money RateTimesVariance(long rateMicros, Price price, Quantity quantity, long multiplierMicros)
    {
        if (quantity.Micros <= 0 || price.Micros <= 0 || price.Micros >= 1_000_000)
        {
            return Money.Zero;
        }

        Int128 product = (Int128)price.Micros * (1_000_000 - price.Micros) * quantity.Micros * rateMicros * multiplierMicros;
        Int128 micros = Int128.DivRem(product, s_toMicros).Quotient;
        if (micros * s_toMicros < product)
        {
            micros++;
        }

        return Money.FromMicros((long)micros);
    }
}
