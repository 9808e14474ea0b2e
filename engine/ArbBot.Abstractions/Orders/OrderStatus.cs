namespace ArbBot.Abstractions.Orders;

/// <summary>Where an order is in its life.</summary>
public enum OrderStatus : byte
{
    /// <summary>Sent, not yet acknowledged.</summary>
    New = 0,

    /// <summary>Accepted by the venue and resting or about to match.</summary>
    Acked = 1,

    /// <summary>Some but not all of the quantity filled; the rest still working.</summary>
    PartiallyFilled = 2,

    /// <summary>All of the quantity filled.</summary>
    Filled = 3,

    /// <summary>Cancelled (by us, or by the venue for IOC remainder); no more fills.</summary>
    Cancelled = 4,

    /// <summary>Refused by the venue; see the reason.</summary>
    Rejected = 5,

    /// <summary>Ended by its expiry time.</summary>
    Expired = 6,
}
