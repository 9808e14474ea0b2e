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

    /// <summary>Applies a full book; the book checks it (<see cref="MarketBook"/> keeps its own invariants).</summary>
    public ApplyResult ApplySnapshot(BookSnapshot snapshot, long nowTimestamp) =>
        Contains(snapshot.Market) ? _books[snapshot.Market.Value].ApplySnapshot(snapshot, nowTimestamp) : ApplyResult.Rejected;

    /// <summary>Applies one level change to its book.</summary>
    public ApplyResult ApplyDelta(in BookDelta delta, long nowTimestamp) =>
        Contains(delta.Market) ? _books[delta.Market.Value].ApplyDelta(delta, nowTimestamp) : ApplyResult.Rejected;

    /// <summary>Breaks a book (stale, new epoch) until fresh snapshots arrive.</summary>
    public void Invalidate(MarketHandle handle, string reason)
    {
        if (Contains(handle))
        {
            _books[handle.Value].Invalidate(reason);
        }
    }
}
