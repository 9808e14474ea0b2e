using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// One venue's book of one market, read-only. On a bids-only venue the asks are the other
/// outcome's bids at 1 - price (the complement view), so every query works the same everywhere.
/// </summary>
public interface IBookView
{
    /// <summary>The engine's handle (put it in intents).</summary>
    MarketHandle Market { get; }

    /// <summary>Configured venue name.</summary>
    string Venue { get; }

    /// <summary>The venue's market id.</summary>
    string MarketId { get; }

    /// <summary>True while the book waits for a snapshot (after a gap, reconnect, tick change). Never trade on it.</summary>
    bool IsStale { get; }

    /// <summary>Best bid at or above best ask on an outcome.</summary>
    bool IsCrossed { get; }

    /// <summary>Goes up each time the book is invalidated; compare to spot a restart.</summary>
    int Epoch { get; }

    /// <summary>Milliseconds since the last update was applied.</summary>
    long AgeMs { get; }

    /// <summary>Price tick of the market.</summary>
    Price Tick { get; }

    /// <summary>The venue's fees.</summary>
    IFeeModel Fees { get; }

    /// <summary>The market's last public trade (its Size is zero until the venue reports one; not every venue does).</summary>
    Events.TradePrint LastTrade { get; }

    /// <summary>Best bid of an outcome.</summary>
    bool TryGetBestBid(Outcome outcome, out PriceLevel level);

    /// <summary>Best ask of an outcome.</summary>
    bool TryGetBestAsk(Outcome outcome, out PriceLevel level);

    /// <summary>Levels on one side of an outcome's book.</summary>
    int LevelCount(Outcome outcome, BookSide side);

    /// <summary>The i-th best level (0 = best).</summary>
    PriceLevel GetLevel(Outcome outcome, BookSide side, int index);

    /// <summary>Buy up to <paramref name="maxQuantity"/> at or below <paramref name="limit"/>: quantity, cost and taker fee.</summary>
    BookWalk WalkBuy(Outcome outcome, Quantity maxQuantity, Price limit);

    /// <summary>Sell up to <paramref name="maxQuantity"/> at or above <paramref name="limit"/>: quantity, proceeds and taker fee.</summary>
    BookWalk WalkSell(Outcome outcome, Quantity maxQuantity, Price limit);

    /// <summary>Our position in an outcome on this venue (bought minus sold, from fills).</summary>
    Quantity Position(Outcome outcome);

    /// <summary>Contracts in our open orders on this market, by outcome and side.</summary>
    Quantity OpenOrderQuantity(Outcome outcome, Orders.OrderSide side);
}
