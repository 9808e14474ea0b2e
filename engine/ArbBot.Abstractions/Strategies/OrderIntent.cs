using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Strategies;

/// <summary>One order a strategy wants, as a leg of an <see cref="IntentGroup"/>.</summary>
/// <param name="Market">The market (from <see cref="IBookView.Market"/>).</param>
/// <param name="Outcome">Outcome to trade.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="LimitPrice">Worst acceptable price.</param>
/// <param name="Quantity">Contracts.</param>
/// <param name="TimeInForce">How long it may rest.</param>
/// <param name="PostOnly">Maker only: refuse rather than take.</param>
/// <param name="ExpiresAtMs">For <see cref="TimeInForce.GoodTillDate"/>: when the venue cancels what is left (Unix ms); 0 otherwise.</param>
public readonly record struct OrderIntent(
    MarketHandle Market,
    Outcome Outcome,
    OrderSide Side,
    Price LimitPrice,
    Quantity Quantity,
    TimeInForce TimeInForce,
    bool PostOnly = false,
    long ExpiresAtMs = 0);
