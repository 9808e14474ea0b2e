using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Events;

/// <summary>
/// The full book of one market, replacing whatever the engine held. Levels may come in any
/// order (venues disagree on ordering; the book store sorts). Bids-only venues leave the asks empty.
/// </summary>
public sealed class BookSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    public BookSnapshot(
        MarketHandle market,
        long sequence,
        long venueTimestampMs,
        long receivedTimestamp,
        PriceLevel[] yesBids,
        PriceLevel[] yesAsks,
        PriceLevel[] noBids,
        PriceLevel[] noAsks,
        Price tick = default)
    {
        Market = market;
        Sequence = sequence;
        VenueTimestampMs = venueTimestampMs;
        ReceivedTimestamp = receivedTimestamp;
        YesBids = yesBids;
        YesAsks = yesAsks;
        NoBids = noBids;
        NoAsks = noAsks;
        Tick = tick;
    }

    /// <summary>
    /// Null: the whole market's book. An outcome: only that outcome's bids and asks are replaced
    /// (venues that publish a book per outcome token, such as Polymarket); the other outcome's
    /// arrays must be empty. After a break the book stays stale until every outcome has had one,
    /// while deltas of an outcome already loaded are applied.
    /// </summary>
    public Outcome? OnlyOutcome { get; init; }

    /// <summary>The market's price tick, if the venue says (zero when unknown; the engine then assumes one cent).</summary>
    public Price Tick { get; }

    /// <summary>The market.</summary>
    public MarketHandle Market { get; }

    /// <summary>Sequence the next delta must follow (0 when the connector checks sequence itself).</summary>
    public long Sequence { get; }

    /// <summary>The venue's timestamp, Unix milliseconds (0 if none).</summary>
    public long VenueTimestampMs { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> at receipt.</summary>
    public long ReceivedTimestamp { get; }

    /// <summary>YES bids.</summary>
    public PriceLevel[] YesBids { get; }

    /// <summary>YES asks (empty for bids-only venues).</summary>
    public PriceLevel[] YesAsks { get; }

    /// <summary>NO bids.</summary>
    public PriceLevel[] NoBids { get; }

    /// <summary>NO asks (empty for bids-only venues).</summary>
    public PriceLevel[] NoAsks { get; }

    /// <summary>The levels of one outcome and side.</summary>
    public PriceLevel[] Levels(Outcome outcome, BookSide side) => (outcome, side) switch
    {
        (Outcome.Yes, BookSide.Bid) => YesBids,
        (Outcome.Yes, BookSide.Ask) => YesAsks,
        (Outcome.No, BookSide.Bid) => NoBids,
        _ => NoAsks,
    };
}
