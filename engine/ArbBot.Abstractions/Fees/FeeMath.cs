using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>The quadratic fee both venues use, in exact integer arithmetic.</summary>
internal static class FeeMath
{
    private const ulong Trillion = 1_000_000_000_000;

    /// <summary>
    /// rate x multiplier x C x P x (1 - P), every factor in millionths (30 decimals in all, brought
    /// down to the 6 of Money; a billion contracts stays inside 128 bits), rounded up to a micro-dollar.
    /// </summary>
    public static Money RateTimesVariance(long rateMicros, Price price, Quantity quantity, long multiplierMicros)
    {
        if (quantity.Micros <= 0 || price.Micros <= 0 || price.Micros >= 1_000_000)
        {
            return Money.Zero;
        }

        // Unsigned 128-bit, divided in two steps by 10^12: each divisor fits in 64 bits, which is
        // the fast path of UInt128 division (one step by 10^24 is not).
        UInt128 product = (UInt128)(ulong)price.Micros * (ulong)(1_000_000 - price.Micros) * (ulong)quantity.Micros * (ulong)rateMicros * (ulong)multiplierMicros;
        UInt128 high = product / Trillion;
        UInt128 micros = high / Trillion;
        bool remainder = high * Trillion != product || micros * Trillion != high;
        return Money.FromMicros((long)micros + (remainder ? 1 : 0));
    }
}
