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
        return new PairQuote(Total(a, Outcome.Yes, b), Total(b, Outcome.Yes, a));
    }

    private static Price? Total(MarketBook yesVenue, Outcome yes, MarketBook noVenue)
    {
        if (yesVenue.IsStale || noVenue.IsStale
            || !yesVenue.TryGetBestAsk(yes, out PriceLevel yesAsk)
            || !noVenue.TryGetBestAsk(Outcome.No, out PriceLevel noAsk))
        {
            return null;
        }

        return yesAsk.Price + noAsk.Price;
    }
}
