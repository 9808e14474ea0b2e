namespace ArbBot.Abstractions.Markets;

/// <summary>How a venue publishes the books of a binary market.</summary>
public enum BookStyle : byte
{
    /// <summary>
    /// Bids only, for YES and for NO (Kalshi). A YES bid at p is a NO ask at 1 - p, so the
    /// book store derives each outcome's asks from the other outcome's bids.
    /// </summary>
    BidsOnly = 0,

    /// <summary>One book per outcome token with its own bids and asks (Polymarket).</summary>
    TwoSided = 1,
}
