using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Orders;

/// <summary>A change of an order's state reported by the venue (ack, cancel, reject, expiry).</summary>
/// <param name="ClientOrderId">The engine's id of the order.</param>
/// <param name="VenueOrderId">The venue's id, once it has one.</param>
/// <param name="Status">The new state.</param>
/// <param name="FilledQuantity">Total filled so far.</param>
/// <param name="RemainingQuantity">Still working on the venue.</param>
/// <param name="Reason">Why, for rejects and venue cancels; null otherwise.</param>
/// <param name="TimestampMs">Venue time, Unix milliseconds.</param>
public sealed record OrderUpdate(
    string ClientOrderId,
    string? VenueOrderId,
    OrderStatus Status,
    Quantity FilledQuantity,
    Quantity RemainingQuantity,
    string? Reason,
    long TimestampMs);
