using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// Polymarket (docs/venues/PROTOCOLS.md 2.7): takers pay C x feeRate x p x (1 - p) per fill, rounded to
/// $0.00001 (we round up: never under-estimate a cost), makers pay nothing. A market with fees
/// off has rate 0. Only the usual exponent 1 is modelled.
/// </summary>
public sealed class PolymarketFeeModel : IFeeModel
{
    private readonly long _rateMicros;

    /// <summary>Creates the model with the market's taker fee rate (0.04 for politics, 0.03 sports, ...).</summary>
    public PolymarketFeeModel(Price rate)
    {
        _rateMicros = rate.Micros;
        Name = $"polymarket {rate}";
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The taker fee rate.</summary>
    public Price Rate => Price.FromMicros(_rateMicros);

    /// <inheritdoc/>
    public Money TakerFill(Price price, Quantity quantity) =>
        FeeMath.RateTimesVariance(_rateMicros, price, quantity, 1_000_000).CeilTo(10);

    /// <inheritdoc/>
    public Money RoundOrderTotal(Money sumOfFills) => sumOfFills;

    /// <inheritdoc/>
    public Money MakerFee(Price price, Quantity quantity) => Money.Zero;

    /// <inheritdoc/>
    public FeeRounding? Rounding => new FeeRounding(Money.FromMicros(10), Money.Zero);
}
