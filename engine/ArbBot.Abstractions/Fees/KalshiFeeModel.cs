using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// Kalshi (docs/venues/PROTOCOLS.md 1.7): taker fee = ceil_to_cent(0.07 x C x P x (1 - P)) per order, maker
/// fee ceil_to_cent(0.0175 x C x P x (1 - P)) on series that charge makers, both times the
/// series' fee multiplier. Each fill is rounded up to $0.0001 and the order total to the cent,
/// which for a single fill is the same as the formula. The <see cref="QuadraticFeeModel"/> with those parameters.
/// </summary>
public sealed class KalshiFeeModel : QuadraticFeeModel
{
    private static readonly Price s_takerRate = Price.FromMicros(70_000);  // 0.07
    private static readonly Price s_makerRate = Price.FromMicros(17_500);  // 0.0175

    /// <summary>Creates the model.</summary>
    /// <param name="multiplier">The series' fee_multiplier (1 for most).</param>
    /// <param name="makerFees">Whether the series charges makers (fee_type quadratic_with_maker_fees).</param>
    public KalshiFeeModel(Price multiplier, bool makerFees)
        : base($"kalshi x{multiplier}{(makerFees ? " with maker fees" : "")}", s_takerRate, makerFees ? s_makerRate : Price.Zero, multiplier,
            new FeeRounding(Money.FromMicros(100), Money.FromMicros(10_000)))
    {
        MakerFees = makerFees;
    }

    /// <summary>Whether resting (maker) orders pay a fee too.</summary>
    public bool MakerFees { get; }
}
