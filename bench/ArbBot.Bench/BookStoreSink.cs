using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;

namespace ArbBot.Bench;

/// <summary>Applies a decoder's events to a book store, as the kernel does after its queue, counting what the store refuses.</summary>
internal sealed class BookStoreSink(BookStore store) : IVenueEventSink
{
    public long Rejected { get; private set; }

    public void OnBookSnapshot(BookSnapshot snapshot) => Rejected += store.ApplySnapshot(snapshot, 0) == ApplyResult.Applied ? 0 : 1;

    public void OnBookDelta(in BookDelta delta) => Rejected += store.ApplyDelta(delta, delta.ReceivedTimestamp) == ApplyResult.Applied ? 0 : 1;

    public void OnBookInvalidated(MarketHandle market, string reason) => store.Invalidate(market, reason);

    public void OnVenueStatus(VenueStatus status, string detail)
    {
    }
}
