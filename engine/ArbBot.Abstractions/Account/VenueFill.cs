using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Account;

/// <summary>One execution of one of the account's orders, as the venue lists it.</summary>
/// <param name="TradeId">The id the executor's stream reports for this execution of this order.</param>
/// <param name="VenueOrderId">The venue's id of the order.</param>
/// <param name="ClientOrderId">The client order id, where the venue reports one.</param>
/// <param name="MarketId">The venue's market id.</param>
/// <param name="Outcome">The outcome of the order.</param>
/// <param name="Side">Buy or sell of <paramref name="Outcome"/>.</param>
/// <param name="Price">Price per contract of <paramref name="Outcome"/>.</param>
/// <param name="Quantity">Contracts.</param>
/// <param name="Fee">Fee charged.</param>
/// <param name="IsMaker">Whether the order was resting.</param>
/// <param name="TimestampMs">Venue time, Unix ms.</param>
public sealed record VenueFill(
    string TradeId,
    string VenueOrderId,
    string? ClientOrderId,
    string MarketId,
    Outcome Outcome,
    OrderSide Side,
    Price Price,
    Quantity Quantity,
    Money Fee,
    bool IsMaker,
    long TimestampMs);
