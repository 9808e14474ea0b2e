using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Events;

/// <summary>
/// A change to one price level of one book. A value type so that handing it from a connector
/// to the kernel allocates nothing.
/// </summary>
public readonly struct BookDelta
{
    /// <summary>Creates a delta.</summary>
    public BookDelta(
        MarketHandle market,
        Outcome outcome,
        BookSide side,
        Price price,
        Quantity quantity,
        DeltaKind kind,
        long sequence,
        long venueTimestampMs,
        long receivedTimestamp,
        bool isLastInBatch = true)
    {
        Market = market;
        Outcome = outcome;
        Side = side;
        Price = price;
        Quantity = quantity;
        Kind = kind;
        Sequence = sequence;
        VenueTimestampMs = venueTimestampMs;
        ReceivedTimestamp = receivedTimestamp;
        IsLastInBatch = isLastInBatch;
    }

    /// <summary>The market the level belongs to.</summary>
    public MarketHandle Market { get; }

    /// <summary>The outcome whose book changed.</summary>
    public Outcome Outcome { get; }

    /// <summary>Bid or ask. Bids-only venues send only <see cref="BookSide.Bid"/>.</summary>
    public BookSide Side { get; }

    /// <summary>The level's price.</summary>
    public Price Price { get; }

    /// <summary>New size or signed change, per <see cref="Kind"/>.</summary>
    public Quantity Quantity { get; }

    /// <summary>How to apply <see cref="Quantity"/>.</summary>
    public DeltaKind Kind { get; }

    /// <summary>
    /// Per-market sequence number if the venue numbers each market's updates (the book store
    /// then checks it follows the last one); 0 when the connector checks sequence itself.
    /// </summary>
    public long Sequence { get; }

    /// <summary>The venue's own timestamp, Unix milliseconds (0 if the venue sent none).</summary>
    public long VenueTimestampMs { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the frame arrived, for latency measurement.</summary>
    public long ReceivedTimestamp { get; }

    /// <summary>
    /// False while more deltas from the same venue message follow, so strategies never see a
    /// half-applied message (a Polymarket price_change can carry several levels).
    /// </summary>
    public bool IsLastInBatch { get; }
}
