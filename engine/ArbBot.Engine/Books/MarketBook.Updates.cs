using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>
/// How a venue's messages change a book. Only these methods change it (the <see cref="BookStore"/>
/// routes each message to its book), so the book's invariants live in one place: levels are valid
/// binary prices with non-negative sizes, a bids-only book has no asks, a sequence gap or a level
/// gone negative breaks the book (stale, new epoch) until a snapshot of each outcome arrives.
/// </summary>
public sealed partial class MarketBook
{
    internal ApplyResult ApplySnapshot(BookSnapshot snapshot, long nowTimestamp)
    {
        if (!AllValid(snapshot.YesBids) || !AllValid(snapshot.NoBids) || !AllValid(snapshot.YesAsks) || !AllValid(snapshot.NoAsks)
            || (Style == BookStyle.BidsOnly && (snapshot.YesAsks.Length > 0 || snapshot.NoAsks.Length > 0)))
        {
            return ApplyResult.Rejected;
        }

        if (snapshot.OnlyOutcome is { } only)
        {
            // One outcome's book (Polymarket sends each token's separately): the other must be empty in it.
            Outcome other = only == Outcome.Yes ? Outcome.No : Outcome.Yes;
            if (snapshot.Levels(other, BookSide.Bid).Length > 0 || snapshot.Levels(other, BookSide.Ask).Length > 0)
            {
                return ApplyResult.Rejected;
            }

            Bids(only).Load(snapshot.Levels(only, BookSide.Bid));
            Asks(only).Load(snapshot.Levels(only, BookSide.Ask));
            PendingOutcomes &= ~only.Flag();
        }
        else
        {
            Bids(Outcome.Yes).Load(snapshot.YesBids);
            Bids(Outcome.No).Load(snapshot.NoBids);
            Asks(Outcome.Yes).Load(snapshot.YesAsks);
            Asks(Outcome.No).Load(snapshot.NoAsks);
            PendingOutcomes = BookOutcomes.None;
        }

        RefreshTops();
        Sequence = snapshot.Sequence;
        if (snapshot.Tick.Micros > 0)
        {
            Tick = snapshot.Tick;
        }

        Touched(snapshot.VenueTimestampMs, nowTimestamp, snapshot.ReceivedTimestamp);
        if (PendingOutcomes != BookOutcomes.None)
        {
            StaleReason = $"waiting for the {(PendingOutcomes == BookOutcomes.Yes ? "YES" : "NO")} book";
            return ApplyResult.Applied; // usable once the other outcome's book arrives too
        }

        if (IsStale)
        {
            EpochStartTimestamp = nowTimestamp; // a snapshot after a break starts the book's new epoch
        }

        IsStale = false;
        StaleReason = null;
        return ApplyResult.Applied;
    }

    internal ApplyResult ApplyDelta(in BookDelta delta, long nowTimestamp)
    {
        if (IsStale && (PendingOutcomes & delta.Outcome.Flag()) != 0)
        {
            return ApplyResult.IgnoredStale; // no base to apply it to
        }

        if (!delta.Price.IsValidBinaryPrice
            || (delta.Side == BookSide.Ask && Style == BookStyle.BidsOnly)
            || (delta.Kind == DeltaKind.Set && delta.Quantity.Micros < 0))
        {
            return ApplyResult.Rejected;
        }

        if (delta.Sequence != 0)
        {
            if (Sequence != 0 && delta.Sequence != Sequence + 1)
            {
                Invalidate("sequence gap");
                return ApplyResult.SequenceGap;
            }

            Sequence = delta.Sequence;
        }

        PriceLadder ladder = delta.Side == BookSide.Bid ? Bids(delta.Outcome) : Asks(delta.Outcome);
        if (delta.Kind == DeltaKind.Set)
        {
            ladder.Set(delta.Price, delta.Quantity);
        }
        else if (!ladder.Add(delta.Price, delta.Quantity))
        {
            Invalidate("level went negative");
            return ApplyResult.NegativeLevel;
        }

        Touched(delta.VenueTimestampMs, nowTimestamp, delta.ReceivedTimestamp);
        RefreshTop(delta.Outcome, delta.Side);
        return ApplyResult.Applied;
    }

    /// <summary>Breaks the book: no levels, stale with a reason, a new epoch that needs a snapshot of each outcome.</summary>
    internal void Invalidate(string reason)
    {
        ClearLevels();
        Epoch++;
        Sequence = 0;
        IsStale = true;
        StaleReason = reason;
        PendingOutcomes = BookOutcomes.Both;
    }

    /// <summary>A trade printed on the market.</summary>
    internal void RecordTrade(in TradePrint trade) => LastTrade = trade;

    /// <summary>The venue's summary of the market.</summary>
    internal void RecordTicker(TickerUpdate ticker) => Ticker = ticker;

    private void Touched(long venueTimestampMs, long nowTimestamp, long receivedTimestamp)
    {
        VenueTimestampMs = venueTimestampMs;
        LastUpdateTimestamp = nowTimestamp;
        LastReceivedTimestamp = receivedTimestamp;
        UpdateCount++;
    }

    private static bool AllValid(PriceLevel[] levels)
    {
        foreach (PriceLevel level in levels)
        {
            if (!level.Price.IsValidBinaryPrice || level.Quantity.Micros < 0)
            {
                return false;
            }
        }

        return true;
    }
}
