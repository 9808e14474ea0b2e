using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Orders;

/// <summary>An execution of (part of) one of our orders.</summary>
/// <param name="ClientOrderId">The engine's id of the order.</param>
/// <param name="VenueOrderId">The venue's id of the order.</param>
/// <param name="TradeId">The venue's id of the trade, unique per fill (used to ignore duplicates).</param>
/// <param name="Market">The market.</param>
/// <param name="Outcome">The outcome traded.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Execution price per contract.</param>
/// <param name="Quantity">Contracts filled in this execution.</param>
/// <param name="Fee">Fee charged for this execution.</param>
/// <param name="IsMaker">Whether our order was resting (maker) rather than taking.</param>
/// <param name="TimestampMs">Venue time, Unix milliseconds.</param>
public sealed record Fill(
    string ClientOrderId,
    string VenueOrderId,
    string TradeId,
    MarketHandle Market,
    Outcome Outcome,
    OrderSide Side,
    Price Price,
    Quantity Quantity,
    Money Fee,
    bool IsMaker,
    long TimestampMs);
