using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// Kalshi (docs/venues/PROTOCOLS.md 1.7): taker fee = ceil_to_cent(0.07 x C x P x (1 - P)) per order, maker
/// fee ceil_to_cent(0.0175 x C x P x (1 - P)) on series that charge makers, both times the
/// series' fee multiplier. Each fill is rounded up to $0.0001 and the order total to the cent,
/// which for a single fill is the same as the formula.
/// </summary>
public sealed class KalshiFeeModel : IFeeModel
{
    private const long TakerRate = 70_000;  // 0.07 in millionths
    private const long MakerRate = 17_500;  // 0.0175
    private readonly long _multiplierMicros;
    private readonly bool _makerFees;

    /// <summary>Creates the model.</summary>
    /// <param name="multiplier">The series' fee_multiplier (1 for most).</param>
    /// <param name="makerFees">Whether the series charges makers (fee_type quadratic_with_maker_fees).</param>
    public KalshiFeeModel(Price multiplier, bool makerFees)
    {
        _multiplierMicros = multiplier.Micros;
        _makerFees = makerFees;
        Name = $"kalshi x{multiplier}{(makerFees ? " with maker fees" : "")}";
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The series' fee multiplier.</summary>
    public Price Multiplier => Price.FromMicros(_multiplierMicros);

    /// <summary>Whether resting (maker) orders pay a fee too.</summary>
    public bool MakerFees => _makerFees;

    /// <inheritdoc/>
    public Money TakerFill(Price price, Quantity quantity) => Quadratic(TakerRate, price, quantity).CeilTo(100);

    /// <inheritdoc/>
    public Money RoundOrderTotal(Money sumOfFills) => sumOfFills.CeilToCent();

    /// <inheritdoc/>
    public Money MakerFee(Price price, Quantity quantity) =>
        _makerFees ? Quadratic(MakerRate, price, quantity).CeilTo(100).CeilToCent() : Money.Zero;

    private Money Quadratic(long rate, Price price, Quantity quantity) =>
        FeeMath.RateTimesVariance(rate, price, quantity, _multiplierMicros);

    /// <inheritdoc/>
    public FeeRounding? Rounding => new FeeRounding(Money.FromMicros(100), Money.FromMicros(10_000));
}
