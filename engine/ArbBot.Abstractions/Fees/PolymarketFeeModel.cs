using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// Polymarket (docs/venues/PROTOCOLS.md 2.7): takers pay C x feeRate x p x (1 - p) per fill, rounded to
/// $0.00001 (we round up: never under-estimate a cost), makers pay nothing. A market with fees
/// off has rate 0. Only the usual exponent 1 is modelled. The <see cref="QuadraticFeeModel"/> with those parameters.
/// </summary>
public sealed class PolymarketFeeModel : QuadraticFeeModel
{
    /// <summary>Creates the model with the market's taker fee rate (0.04 for politics, 0.03 sports, ...).</summary>
    public PolymarketFeeModel(Price rate)
        : base($"polymarket {rate}", rate, Price.Zero, Price.One, new FeeRounding(Money.FromMicros(10), Money.Zero))
    {
    }

    /// <summary>The taker fee rate.</summary>
    public Price Rate => TakerRate;
}
