namespace ArbBot.Abstractions.Markets;

/// <summary>A side of an order book.</summary>
public enum BookSide : byte
{
    /// <summary>Resting offers to buy.</summary>
    Bid = 0,

    /// <summary>Resting offers to sell.</summary>
    Ask = 1,
}
