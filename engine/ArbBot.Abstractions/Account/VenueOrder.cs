using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Account;

/// <summary>An order resting at the venue, as the venue reports it.</summary>
/// <param name="VenueOrderId">The venue's id.</param>
/// <param name="ClientOrderId">The client order id it was placed with, where the venue keeps one (Kalshi does, Polymarket does not).</param>
/// <param name="MarketId">The venue's market id.</param>
/// <param name="Outcome">The outcome it trades.</param>
/// <param name="Side">Buy or sell of <paramref name="Outcome"/>.</param>
/// <param name="LimitPrice">Its limit, per contract of <paramref name="Outcome"/>.</param>
/// <param name="Quantity">Contracts it was placed for.</param>
/// <param name="Filled">Contracts filled so far.</param>
public sealed record VenueOrder(
    string VenueOrderId,
    string? ClientOrderId,
    string MarketId,
    Outcome Outcome,
    OrderSide Side,
    Price LimitPrice,
    Quantity Quantity,
    Quantity Filled);
