using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>
/// The exact L2 book of one binary market on one venue: YES and NO, bids and asks, with the
/// sequence, epoch and freshness that decide whether it may be traded on. For bids-only venues
/// (Kalshi) the asks of each outcome are the other outcome's bids at 1 - price, derived on read.
/// Touched only by the kernel thread.
/// </summary>
public sealed partial class MarketBook
{
    private readonly PriceLadder _yesBids = new(BookSide.Bid);
    private readonly PriceLadder _yesAsks = new(BookSide.Ask);
    private readonly PriceLadder _noBids = new(BookSide.Bid);
    private readonly PriceLadder _noAsks = new(BookSide.Ask);

    // The best level of each outcome and side, kept by RefreshTops / RefreshTop after every change: strategies
    // and the pair watch read them many times per update. A zero quantity means none.
    private PriceLevel _bestYesBid;
    private PriceLevel _bestNoBid;
    private PriceLevel _bestYesAsk;
    private PriceLevel _bestNoAsk;

    internal MarketBook(MarketHandle handle, int venueIndex, string venueName, string marketId, BookStyle style)
    {
        Handle = handle;
        VenueIndex = venueIndex;
        VenueName = venueName;
        MarketId = marketId;
        Style = style;
        IsStale = true;
        StaleReason = "no snapshot yet";
    }

    /// <summary>Outcomes still waiting for their snapshot since the last break.</summary>
    internal BookOutcomes PendingOutcomes { get; private set; } = BookOutcomes.Both;

    /// <summary>The engine's handle.</summary>
    public MarketHandle Handle { get; }

    /// <summary>Index of the venue in the engine's venue list.</summary>
    public int VenueIndex { get; }

    /// <summary>Configured venue name.</summary>
    public string VenueName { get; }

    /// <summary>The venue's market id.</summary>
    public string MarketId { get; }

    /// <summary>How the venue publishes this book.</summary>
    public BookStyle Style { get; }

    /// <summary>Last applied per-market sequence (0 if the venue does not number updates per market).</summary>
    public long Sequence { get; private set; }

    /// <summary>Starts at 0 and goes up by one each time the book is invalidated (gap, reconnect, tick change).</summary>
    public int Epoch { get; private set; }

    /// <summary>True until a snapshot arrives after registration or invalidation. Never trade on a stale book.</summary>
    public bool IsStale { get; private set; }

    /// <summary>Why the book is stale, or null.</summary>
    public string? StaleReason { get; private set; }

    /// <summary>
    /// Best bid at or above best ask for an outcome. Kept (the venue really shows it; on a
    /// bids-only venue it is the same-market arbitrage) but flagged and counted.
    /// </summary>
    public bool IsCrossed { get; private set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the last applied update.</summary>
    public long LastUpdateTimestamp { get; private set; }

    /// <summary>When the venue's message behind the last applied update was received (Stopwatch ticks, from the connector): the start of wire-to-decision latency.</summary>
    public long LastReceivedTimestamp { get; private set; }

    /// <summary>When the first snapshot of the current epoch was applied (Stopwatch ticks); risk waits a moment before trading a fresh epoch.</summary>
    public long EpochStartTimestamp { get; private set; }

    /// <summary>The venue's timestamp of the last applied update, Unix ms (0 if none).</summary>
    public long VenueTimestampMs { get; private set; }

    /// <summary>Updates applied since registration.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Price tick, from the latest snapshot (one cent until a venue says otherwise).</summary>
    public Price Tick { get; private set; } = Price.Cent;

    /// <summary>The last public trade seen on this market (Size zero when none yet).</summary>
    public TradePrint LastTrade { get; private set; }

    /// <summary>The venue's latest summary of this market (last price, volume), null until one arrives.</summary>
    public TickerUpdate? Ticker { get; private set; }

    /// <summary>The venue's fees for this market; used by the walks.</summary>
    public IFeeModel Fees { get; set; } = NoFees.Instance;

    /// <summary>Best bid of an outcome.</summary>
    public bool TryGetBestBid(Outcome outcome, out PriceLevel level)
    {
        level = outcome == Outcome.Yes ? _bestYesBid : _bestNoBid;
        return level.Quantity.Micros > 0;
    }

    /// <summary>Best ask of an outcome (derived from the other outcome's best bid on bids-only venues).</summary>
    public bool TryGetBestAsk(Outcome outcome, out PriceLevel level)
    {
        level = outcome == Outcome.Yes ? _bestYesAsk : _bestNoAsk;
        return level.Quantity.Micros > 0;
    }

    /// <summary>Number of levels on one side of an outcome's book.</summary>
    public int LevelCount(Outcome outcome, BookSide side) => Ladder(outcome, side, out _).Count;

    /// <summary>The i-th best level (0 = best) on one side of an outcome's book.</summary>
    public PriceLevel GetLevel(Outcome outcome, BookSide side, int index)
    {
        PriceLadder ladder = Ladder(outcome, side, out bool mirrored);
        PriceLevel level = ladder.FromBest(index);
        return mirrored ? new PriceLevel(level.Price.Complement, level.Quantity) : level;
    }

    /// <summary>
    /// Walks the asks of an outcome: how many contracts (up to <paramref name="maxQuantity"/>) can be
    /// bought at or below <paramref name="limit"/>, and what they cost before fees.
    /// </summary>
    public BookWalk WalkBuy(Outcome outcome, Quantity maxQuantity, Price limit) =>
        Walk(outcome, BookSide.Ask, maxQuantity, limit);

    /// <summary>
    /// Walks the bids of an outcome: how many contracts (up to <paramref name="maxQuantity"/>) can be
    /// sold at or above <paramref name="limit"/>, and the proceeds before fees.
    /// </summary>
    public BookWalk WalkSell(Outcome outcome, Quantity maxQuantity, Price limit) =>
        Walk(outcome, BookSide.Bid, maxQuantity, limit);

    private BookWalk Walk(Outcome outcome, BookSide side, Quantity maxQuantity, Price limit)
    {
        int count = LevelCount(outcome, side);
        long remaining = maxQuantity.Micros;
        long filled = 0;
        Int128 notional = 0;
        Price worst = Price.Zero;
        int used = 0;
        Money fee = Money.Zero;
        for (int i = 0; i < count && remaining > 0; i++)
        {
            PriceLevel level = GetLevel(outcome, side, i);
            bool beyondLimit = side == BookSide.Ask ? level.Price > limit : level.Price < limit;
            if (beyondLimit)
            {
                break;
            }

            long take = Math.Min(remaining, level.Quantity.Micros);
            notional += (Int128)take * level.Price.Micros;
            filled += take;
            remaining -= take;
            worst = level.Price;
            fee += Fees.TakerFill(level.Price, Quantity.FromMicros(take));
            used++;
        }

        Rounding rounding = side == BookSide.Ask ? Rounding.Up : Rounding.Down;
        Money orderFee = used == 0 ? Money.Zero : Fees.RoundOrderTotal(fee);
        return new BookWalk(Quantity.FromMicros(filled), Money.FromScaledProduct(notional, rounding), orderFee, worst, used);
    }

    internal PriceLadder Bids(Outcome outcome) => outcome == Outcome.Yes ? _yesBids : _noBids;

    internal PriceLadder Asks(Outcome outcome) => outcome == Outcome.Yes ? _yesAsks : _noAsks;

    private PriceLadder Ladder(Outcome outcome, BookSide side, out bool mirrored)
    {
        if (side == BookSide.Bid)
        {
            mirrored = false;
            return Bids(outcome);
        }

        if (Style == BookStyle.TwoSided)
        {
            mirrored = false;
            return Asks(outcome);
        }

        mirrored = true;
        return Bids(outcome == Outcome.Yes ? Outcome.No : Outcome.Yes);
    }

    private void ClearLevels()
    {
        _yesBids.Clear();
        _yesAsks.Clear();
        _noBids.Clear();
        _noAsks.Clear();
        RefreshTops();
    }

    /// <summary>Re-reads the best levels and whether an outcome is crossed; call after any change to the ladders.</summary>
    private void RefreshTops()
    {
        _bestYesBid = Best(_yesBids);
        _bestNoBid = Best(_noBids);
        if (Style == BookStyle.TwoSided)
        {
            _bestYesAsk = Best(_yesAsks);
            _bestNoAsk = Best(_noAsks);
        }
        else
        {
            _bestYesAsk = Mirrored(_bestNoBid);
            _bestNoAsk = Mirrored(_bestYesBid);
        }

        RefreshCrossed();
    }

    /// <summary>
    /// After a change to one ladder: re-reads that ladder's best level only (and, on a bids-only
    /// book, the ask it mirrors), so a level change touches one ladder rather than all four.
    /// </summary>
    private void RefreshTop(Outcome outcome, BookSide side)
    {
        bool yes = outcome == Outcome.Yes;
        if (side == BookSide.Ask)
        {
            PriceLevel ask = Best(yes ? _yesAsks : _noAsks);
            if (yes)
            {
                _bestYesAsk = ask;
            }
            else
            {
                _bestNoAsk = ask;
            }
        }
        else
        {
            PriceLevel bid = Best(yes ? _yesBids : _noBids);
            if (yes)
            {
                _bestYesBid = bid;
            }
            else
            {
                _bestNoBid = bid;
            }

            if (Style == BookStyle.BidsOnly)
            {
                // The other outcome's ask is this bid at 1 - price.
                if (yes)
                {
                    _bestNoAsk = Mirrored(bid);
                }
                else
                {
                    _bestYesAsk = Mirrored(bid);
                }
            }
        }

        RefreshCrossed();
    }

    /// <summary>An outcome is crossed when its best bid reaches its best ask (NO is checked on two-sided books only: on a bids-only book it mirrors YES).</summary>
    private void RefreshCrossed() =>
        IsCrossed = Crossed(_bestYesBid, _bestYesAsk) || (Style == BookStyle.TwoSided && Crossed(_bestNoBid, _bestNoAsk));

    private static PriceLevel Best(PriceLadder ladder) => ladder.TryGetBest(out PriceLevel level) ? level : default;

    private static PriceLevel Mirrored(PriceLevel bid) => bid.Quantity.Micros > 0 ? new PriceLevel(bid.Price.Complement, bid.Quantity) : default;

    private static bool Crossed(PriceLevel bid, PriceLevel ask) =>
        bid.Quantity.Micros > 0 && ask.Quantity.Micros > 0 && bid.Price >= ask.Price;
}
