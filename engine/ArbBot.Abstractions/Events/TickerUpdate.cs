using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Events;

/// <summary>
/// The venue's own summary of a market (Kalshi's <c>ticker</c>, Polymarket's <c>best_bid_ask</c>):
/// its top of book for YES as the venue sees it, the last price and running totals. Not sequenced
/// with the book, so the engine uses the top only to catch a book that has silently drifted
/// (it disagrees for a while and our book does not move: a fresh snapshot is requested).
/// Zero prices mean "not given"; null totals likewise.
/// </summary>
/// <param name="Market">The market.</param>
/// <param name="YesBid">The venue's best YES bid.</param>
/// <param name="YesAsk">The venue's best YES ask.</param>
/// <param name="LastPrice">The last YES trade price.</param>
/// <param name="Volume">Contracts traded so far.</param>
/// <param name="OpenInterest">Contracts open.</param>
/// <param name="VenueTimestampMs">The venue's time, Unix milliseconds (0 if none).</param>
/// <param name="ReceivedTimestamp"><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> at receipt.</param>
public sealed record TickerUpdate(
    MarketHandle Market,
    Price YesBid,
    Price YesAsk,
    Price LastPrice,
    Quantity? Volume,
    Quantity? OpenInterest,
    long VenueTimestampMs,
    long ReceivedTimestamp);
