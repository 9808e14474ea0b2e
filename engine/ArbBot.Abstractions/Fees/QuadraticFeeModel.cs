using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// The fee both shipped venues charge, with its parameters: a fill of C contracts at price P costs
/// rate x multiplier x C x P x (1 - P), rounded up per fill to <see cref="FeeRounding.PerFill"/>,
/// and an order's summed fills rounded up to <see cref="FeeRounding.PerOrder"/> (zero: not again).
/// Takers and makers have rates of their own (a maker rate of zero: makers pay nothing). A new
/// venue with a fee of this shape needs no class of its own; <see cref="KalshiFeeModel"/> and
/// <see cref="PolymarketFeeModel"/> are this model with their venue's parameters.
/// </summary>
public class QuadraticFeeModel : IFeeModel
{
    private readonly long _takerRateMicros;
    private readonly long _makerRateMicros;
    private readonly long _multiplierMicros;
    private readonly FeeRounding _rounding;

    /// <summary>Creates the model.</summary>
    /// <param name="name">Short name for logs.</param>
    /// <param name="takerRate">Taker rate (Kalshi 0.07, Polymarket the market's fee rate).</param>
    /// <param name="makerRate">Maker rate, zero when makers pay nothing (Kalshi 0.0175 on series with maker fees).</param>
    /// <param name="multiplier">Multiplier on both rates (Kalshi's series fee multiplier; 1 elsewhere).</param>
    /// <param name="rounding">Rounding per fill and per order (per fill must be positive).</param>
    public QuadraticFeeModel(string name, Price takerRate, Price makerRate, Price multiplier, FeeRounding rounding)
    {
        if (rounding.PerFill.Micros <= 0 || rounding.PerOrder.Micros < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "per-fill rounding must be positive and per-order rounding zero or positive");
        }

        Name = name;
        _takerRateMicros = takerRate.Micros;
        _makerRateMicros = makerRate.Micros;
        _multiplierMicros = multiplier.Micros;
        _rounding = rounding;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The taker rate.</summary>
    public Price TakerRate => Price.FromMicros(_takerRateMicros);

    /// <summary>The maker rate (zero: makers pay nothing).</summary>
    public Price MakerRate => Price.FromMicros(_makerRateMicros);

    /// <summary>The multiplier on both rates.</summary>
    public Price Multiplier => Price.FromMicros(_multiplierMicros);

    /// <inheritdoc/>
    public FeeRounding? Rounding => _rounding;

    /// <inheritdoc/>
    public Money TakerFill(Price price, Quantity quantity) =>
        FeeMath.RateTimesVariance(_takerRateMicros, price, quantity, _multiplierMicros).CeilTo(_rounding.PerFill.Micros);

    /// <inheritdoc/>
    public Money RoundOrderTotal(Money sumOfFills) => _rounding.PerOrder.Micros > 0 ? sumOfFills.CeilTo(_rounding.PerOrder.Micros) : sumOfFills;

    /// <inheritdoc/>
    public Money MakerFee(Price price, Quantity quantity) => _makerRateMicros == 0
        ? Money.Zero
        : RoundOrderTotal(FeeMath.RateTimesVariance(_makerRateMicros, price, quantity, _multiplierMicros).CeilTo(_rounding.PerFill.Micros));
}
