using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Events;

/// <summary>
/// Where a connector hands decoded market data to the engine. Calls may come from any connector
/// thread; the engine queues them for its kernel loop. A call may wait when the kernel is behind
/// (explicit back-pressure), so connectors call it from their receive loop, not from a lock.
/// </summary>
public interface IVenueEventSink
{
    /// <summary>A full book that replaces the engine's copy and makes it usable again.</summary>
    void OnBookSnapshot(BookSnapshot snapshot);

    /// <summary>A change to one level.</summary>
    void OnBookDelta(in BookDelta delta);

    /// <summary>
    /// The connector knows the book can no longer be trusted (sequence gap on its subscription,
    /// reconnect, tick-size change): the engine starts a new epoch and marks it stale until the
    /// next snapshot.
    /// </summary>
    void OnBookInvalidated(MarketHandle market, string reason);

    /// <summary>The link to the venue changed state.</summary>
    void OnVenueStatus(VenueStatus status, string detail);

    /// <summary>
    /// The venue says what a market charges (Kalshi's series fee type and multiplier, a
    /// Polymarket market's fee rate). Replaces the configured fee model for that market's book.
    /// </summary>
    void OnMarketFees(MarketHandle market, IFeeModel fees)
    {
    }

    /// <summary>A trade on the venue's public tape.</summary>
    void OnTrade(in TradePrint trade)
    {
    }

    /// <summary>The venue's own summary of a market (top of book, last price, volume).</summary>
    void OnTicker(TickerUpdate ticker)
    {
    }

    /// <summary>
    /// The venue's own best bid and ask of one outcome right after the book changes just handed
    /// over (Polymarket's <c>best_bid</c>/<c>best_ask</c> on each price change). Unlike a ticker
    /// it is in sequence with the book, so the engine compares it with its book at once, and a
    /// book that disagrees several times in a row has drifted: it is made stale and a fresh
    /// snapshot asked for. A zero price means the venue did not say.
    /// </summary>
    void OnVenueTop(MarketHandle market, Outcome outcome, FixedPoint.Price bestBid, FixedPoint.Price bestAsk)
    {
    }

    /// <summary>
    /// The market resolved: every contract of <paramref name="winner"/> pays $1, the other outcome's
    /// nothing (Kalshi's market result, Polymarket's <c>market_resolved</c>, a simulator's round).
    /// The engine settles its positions there and books the profit or loss. Contract 2.2; a no-op by default.
    /// </summary>
    void OnMarketResolved(MarketHandle market, Outcome winner, long venueTimestampMs)
    {
    }
}
