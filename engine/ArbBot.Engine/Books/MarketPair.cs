using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>The same contract on two venues (or one market alone), as configured under <c>pairs:</c>.</summary>
public sealed class MarketPair
{
    /// <summary>Creates a pair.</summary>
    public MarketPair(string eventId, IReadOnlyList<MarketHandle> legs)
    {
        EventId = eventId;
        Legs = legs;
    }

    /// <summary>The configured event id.</summary>
    public string EventId { get; }

    /// <summary>One handle per venue listing the event, in config order.</summary>
    public IReadOnlyList<MarketHandle> Legs { get; }

    /// <summary>The cross-venue view of the first two legs; null for a single-venue entry.</summary>
    public PairQuote? Quote(BookStore books)
    {
        if (Legs.Count < 2)
        {
            return null;
        }

        MarketBook a = books[Legs[0]];
        MarketBook b = books[Legs[1]];
        return new PairQuote(
            TryTotal(a, b, out Price yesA) ? yesA : null,
            TryTotal(b, a, out Price yesB) ? yesB : null);
    }

    /// <summary>
    /// Whether either direction of the first two legs costs less than $1 before fees: the same
    /// answer as <see cref="Quote"/>'s <see cref="PairQuote.HasGrossEdge"/>, without building it
    /// (this runs on every book update).
    /// </summary>
    public static bool HasGrossEdge(MarketBook a, MarketBook b) =>
        (TryTotal(a, b, out Price yesA) && yesA < Price.One) || (TryTotal(b, a, out Price yesB) && yesB < Price.One);

    /// <summary>Best YES ask on one venue plus best NO ask on the other; false if a side is empty or a book is stale.</summary>
    private static bool TryTotal(MarketBook yesVenue, MarketBook noVenue, out Price total)
    {
        if (yesVenue.IsStale || noVenue.IsStale
            || !yesVenue.TryGetBestAsk(Outcome.Yes, out PriceLevel yesAsk)
            || !noVenue.TryGetBestAsk(Outcome.No, out PriceLevel noAsk))
        {
            total = default;
            return false;
        }

        total = yesAsk.Price + noAsk.Price;
        return true;
    }
}
