namespace ArbBot.Abstractions.Orders;

/// <summary>How long an order may rest.</summary>
public enum TimeInForce : byte
{
    /// <summary>Rests until filled or cancelled.</summary>
    GoodTillCancelled = 0,

    /// <summary>Fills what it can at once; the rest is cancelled (Polymarket calls it FAK).</summary>
    ImmediateOrCancel = 1,

    /// <summary>Fills entirely at once or not at all.</summary>
    FillOrKill = 2,

    /// <summary>
    /// Rests until filled, cancelled or its expiry (<see cref="OrderRequest.ExpiresAtMs"/>, Unix
    /// ms), when the venue cancels what is left (Polymarket GTD, Kalshi's expiration time).
    /// </summary>
    GoodTillDate = 3,
}

/// <summary>Questions about a <see cref="TimeInForce"/>.</summary>
public static class TimeInForceExtensions
{
    /// <summary>Whether an order with this time in force rests on the book (GTC or GTD) rather than ending at once.</summary>
    public static bool Rests(this TimeInForce tif) => tif is TimeInForce.GoodTillCancelled or TimeInForce.GoodTillDate;
}
