using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Strategies;

/// <summary>A fill of an order that came from one of the strategy's intent groups.</summary>
/// <param name="GroupId">The group the order came from (the value <see cref="IStrategyContext.Emit"/> returned).</param>
/// <param name="Leg">Index of the leg within the group.</param>
/// <param name="Market">The market.</param>
/// <param name="Outcome">Outcome traded.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Fill price.</param>
/// <param name="Quantity">Contracts filled in this execution.</param>
/// <param name="Fee">Fee charged.</param>
/// <param name="IsMaker">Whether the order was resting.</param>
public readonly record struct StrategyFill(
    long GroupId,
    int Leg,
    MarketHandle Market,
    Outcome Outcome,
    OrderSide Side,
    Price Price,
    Quantity Quantity,
    Money Fee,
    bool IsMaker);
