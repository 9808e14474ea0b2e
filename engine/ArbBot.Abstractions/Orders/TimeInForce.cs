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
}
