using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Fees;

/// <summary>
/// What a venue charges, exactly as it rounds. A taker order that fills at several prices is
/// charged per fill (<see cref="TakerFill"/>), and the sum is then rounded for the order
/// (<see cref="RoundOrderTotal"/>): Kalshi rounds each fill up to $0.0001 and the order to the cent.
/// </summary>
public interface IFeeModel
{
    /// <summary>Short name for logs ("kalshi", "polymarket 0.04", "none").</summary>
    string Name { get; }

    /// <summary>Fee for one taker fill at one price, with the venue's per-fill rounding.</summary>
    Money TakerFill(Price price, Quantity quantity);

    /// <summary>The venue's rounding of an order's summed fill fees.</summary>
    Money RoundOrderTotal(Money sumOfFills);

    /// <summary>Fee for a resting (maker) order filled at one price.</summary>
    Money MakerFee(Price price, Quantity quantity);

    /// <summary>Fee for a taker order filled entirely at one price.</summary>
    Money TakerFee(Price price, Quantity quantity) => RoundOrderTotal(TakerFill(price, quantity));

    /// <summary>
    /// How this model rounds, when its fee per fill is proportional to the quantity before rounding;
    /// null (the default) when it does not say, and searches then try every size.
    /// </summary>
    FeeRounding? Rounding => null;
}
