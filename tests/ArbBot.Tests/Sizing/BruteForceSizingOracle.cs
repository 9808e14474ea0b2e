using System.Numerics;

namespace ArbBot.Tests.Sizing;

/// <summary>
/// The sizing rule computed the slow, obvious way, independently of the engine's code: every whole
/// size from 1 up is priced with exact integer arithmetic straight from the venues' published fee
/// formulas (BigInteger, no fixed-point types, no fee model objects), and the best acceptable one
/// is kept. Amounts are in micro-dollars, prices and quantities in millionths.
/// </summary>
internal static class BruteForceSizingOracle
{
    public static (long Contracts, long EdgeMicros, long CostMicros) Best(SizingCase c)
    {
        long bestQ = 0, bestEdge = 0, bestCost = 0;
        long maxQ = c.MaxContractsMicros / 1_000_000;
        for (long q = 1; q <= maxQ; q++)
        {
            long cost = 0;
            bool possible = true;
            foreach (SizingCaseLeg leg in c.Legs)
            {
                long? legCost = LegCost(leg, c, q);
                if (legCost is null)
                {
                    possible = false;
                    break;
                }

                cost += legCost.Value;
            }

            if (!possible)
            {
                continue; // not enough depth, or over the per-order limit: try every size anyway
            }

            long edge = (q * c.PayoutMicros) - cost;
            bool acceptable = edge > 0 && edge >= c.MinEdgeMicros && (BigInteger)edge * 10_000 >= (BigInteger)c.MinEdgeBps * cost;
            if (acceptable && edge > bestEdge)
            {
                bestQ = q;
                bestEdge = edge;
                bestCost = cost;
            }
        }

        return (bestQ, bestEdge, bestCost);
    }

    private static long Limit(SizingCaseLeg leg, SizingCase c) => Math.Min(leg.Asks[0].Price + c.MaxSlippageMicros, 999_999);

    /// <summary>What buying q contracts of a leg costs, fees in, or null if it cannot (depth, per-order limit).</summary>
    private static long? LegCost(SizingCaseLeg leg, SizingCase c, long q)
    {
        long limit = Limit(leg, c);
        BigInteger remaining = (BigInteger)q * 1_000_000;
        BigInteger notional = 0;          // price x quantity: twelve decimals of a dollar
        BigInteger fees = 0;              // micro-dollars, each fill rounded as the venue rounds it
        long worst = 0;
        foreach ((long price, long quantity) in leg.Asks)
        {
            if (remaining.IsZero)
            {
                break;
            }

            if (price > limit)
            {
                return null;
            }

            BigInteger take = BigInteger.Min(remaining, quantity);
            remaining -= take;
            notional += take * price;
            worst = price;
            fees += FillFee(leg.Fee, price, take);
        }

        if (!remaining.IsZero)
        {
            return null;
        }

        if ((BigInteger)worst * q > c.MaxOrderMicros)
        {
            return null; // the order's limit price times its size is over the per-order limit
        }

        BigInteger orderFee = leg.Fee.Kind == FeeKind.Kalshi ? CeilTo(fees, 10_000) : fees; // Kalshi: the order to the cent
        return (long)(CeilDiv(notional, 1_000_000) + orderFee);
    }

    /// <summary>One fill's fee in micro-dollars: rate x multiplier x C x P x (1 - P), rounded up per fill.</summary>
    private static BigInteger FillFee(SizingCaseFee fee, long price, BigInteger take)
    {
        if (fee.Kind == FeeKind.None)
        {
            return 0;
        }

        // Every factor in millionths: rate, multiplier, quantity, price, 1 - price -> 30 decimals.
        BigInteger exact = (BigInteger)fee.RateMicros * fee.MultiplierMicros * take * price * (1_000_000 - price);
        BigInteger step = fee.Kind == FeeKind.Kalshi ? BigInteger.Pow(10, 26) : BigInteger.Pow(10, 25); // $0.0001 / $0.00001
        BigInteger units = CeilDiv(exact, step);
        return units * (step / BigInteger.Pow(10, 24));
    }

    private static BigInteger CeilDiv(BigInteger value, BigInteger divisor) => (value + divisor - 1) / divisor;

    private static BigInteger CeilTo(BigInteger value, BigInteger step) => CeilDiv(value, step) * step;
}
