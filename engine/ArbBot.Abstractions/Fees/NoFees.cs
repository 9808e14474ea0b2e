using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>A venue that charges nothing (or whose fees are not configured).</summary>
public sealed class NoFees : IFeeModel
{
    /// <summary>The one instance.</summary>
    public static NoFees Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "none";

    /// <inheritdoc/>
    public Money TakerFill(Price price, Quantity quantity) => Money.Zero;

    /// <inheritdoc/>
    public Money RoundOrderTotal(Money sumOfFills) => sumOfFills;

    /// <inheritdoc/>
    public Money MakerFee(Price price, Quantity quantity) => Money.Zero;

    /// <inheritdoc/>
    public FeeRounding? Rounding => new FeeRounding(Money.Zero, Money.Zero);
}
