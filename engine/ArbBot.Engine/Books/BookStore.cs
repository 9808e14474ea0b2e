using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>
/// Every book the engine holds, indexed by <see cref="MarketHandle"/>. Owned by the kernel thread:
/// no locks, and applying a delta allocates nothing.
/// </summary>
public sealed class BookStore
{
    private MarketBook[] _books = new MarketBook[64];

    /// <summary>Number of registered books.</summary>
    public int Count { get; private set; }

    /// <summary>The book behind a handle.</summary>
    public MarketBook this[MarketHandle handle] => _books[handle.Value];

    /// <summary>Registers a market at subscribe time and returns its handle. The book starts stale.</summary>
    public MarketHandle Register(int venueIndex, string venueName, string marketId, BookStyle style)
    {
        if (Count == _books.Length)
        {
            Array.Resize(ref _books, _books.Length * 2);
        }

        var handle = new MarketHandle(Count);
        _books[Count++] = new MarketBook(handle, venueIndex, venueName, marketId, style);
        return handle;
    }

    /// <summary>Whether a handle names a registered book.</summary>
    public bool Contains(MarketHandle handle) => (uint)handle.Value < (uint)Count;

    /// <summary>Replaces a book (or one outcome of it) with a snapshot; the book becomes usable again once every outcome has one.</summary>
    public ApplyResult ApplySnapshot(BookSnapshot snapshot, long nowTimestamp)
    {
        if (!Contains(snapshot.Market))
        {
            return ApplyResult.Rejected;
        }

        MarketBook book = _books[snapshot.Market.Value];
        if (!AllValid(snapshot.YesBids) || !AllValid(snapshot.NoBids) || !AllValid(snapshot.YesAsks) || !AllValid(snapshot.NoAsks)
            || (book.Style == BookStyle.BidsOnly && (snapshot.YesAsks.Length > 0 || snapshot.NoAsks.Length > 0)))
        {
            return ApplyResult.Rejected;
        }

        if (snapshot.OnlyOutcome is { } only)
        {
            Outcome other = only == Outcome.Yes ? Outcome.No : Outcome.Yes;
            if (snapshot.Levels(other, BookSide.Bid).Length > 0 || snapshot.Levels(other, BookSide.Ask).Length > 0)
            {
                return ApplyResult.Rejected;
            }

            book.Bids(only).Load(snapshot.Levels(only, BookSide.Bid));
            book.Asks(only).Load(snapshot.Levels(only, BookSide.Ask));
            book.PendingOutcomes &= ~MarketBook.Bit(only);
        }
        else
        {
            book.Bids(Outcome.Yes).Load(snapshot.YesBids);
            book.Bids(Outcome.No).Load(snapshot.NoBids);
            book.Asks(Outcome.Yes).Load(snapshot.YesAsks);
            book.Asks(Outcome.No).Load(snapshot.NoAsks);
            book.PendingOutcomes = 0;
        }

        book.RefreshTops();

        book.Sequence = snapshot.Sequence;
        if (snapshot.Tick.Micros > 0)
        {
            book.Tick = snapshot.Tick;
        }

        book.VenueTimestampMs = snapshot.VenueTimestampMs;
        book.LastUpdateTimestamp = nowTimestamp;
        book.LastReceivedTimestamp = snapshot.ReceivedTimestamp;
        book.UpdateCount++;
        if (book.PendingOutcomes != 0)
        {
            book.StaleReason = $"waiting for the {(book.PendingOutcomes == MarketBook.Bit(Outcome.Yes) ? "YES" : "NO")} book";
            return ApplyResult.Applied; // usable once the other outcome's book arrives too
        }

        if (book.IsStale)
        {
            book.EpochStartTimestamp = nowTimestamp; // a snapshot after a break starts the book's new epoch
        }

        book.IsStale = false;
        book.StaleReason = null;
        return ApplyResult.Applied;
    }

    /// <summary>Applies a change to one level. Allocates nothing.</summary>
    public ApplyResult ApplyDelta(in BookDelta delta, long nowTimestamp)
    {
        if (!Contains(delta.Market))
        {
            return ApplyResult.Rejected;
        }

        MarketBook book = _books[delta.Market.Value];
        if (book.IsStale && (book.PendingOutcomes & MarketBook.Bit(delta.Outcome)) != 0)
        {
            return ApplyResult.IgnoredStale; // no base to apply it to
        }

        if (!delta.Price.IsValidBinaryPrice
            || (delta.Side == BookSide.Ask && book.Style == BookStyle.BidsOnly)
            || (delta.Kind == DeltaKind.Set && delta.Quantity.Micros < 0))
        {
            return ApplyResult.Rejected;
        }

        if (delta.Sequence != 0)
        {
            if (book.Sequence != 0 && delta.Sequence != book.Sequence + 1)
            {
                Invalidate(delta.Market, "sequence gap");
                return ApplyResult.SequenceGap;
            }

            book.Sequence = delta.Sequence;
        }

        PriceLadder ladder = delta.Side == BookSide.Bid ? book.Bids(delta.Outcome) : book.Asks(delta.Outcome);
        if (delta.Kind == DeltaKind.Set)
        {
            ladder.Set(delta.Price, delta.Quantity);
        }
        else if (!ladder.Add(delta.Price, delta.Quantity))
        {
            Invalidate(delta.Market, "level went negative");
            return ApplyResult.NegativeLevel;
        }

        book.VenueTimestampMs = delta.VenueTimestampMs;
        book.LastUpdateTimestamp = nowTimestamp;
        book.LastReceivedTimestamp = delta.ReceivedTimestamp;
        book.UpdateCount++;
        book.RefreshTop(delta.Outcome, delta.Side);
        return ApplyResult.Applied;
    }

    /// <summary>Starts a new epoch: levels dropped, book stale until the next snapshot.</summary>
    public void Invalidate(MarketHandle handle, string reason)
    {
        if (!Contains(handle))
        {
            return;
        }

        MarketBook book = _books[handle.Value];
        book.ClearLevels();
        book.Epoch++;
        book.Sequence = 0;
        book.IsStale = true;
        book.StaleReason = reason;
        book.PendingOutcomes = 3;
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
