using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// Something that runs on the kernel thread after each event (strategies, the Redis mirror's
/// hand-off, the order manager). Must not block and must not allocate per book update.
/// </summary>
public interface IKernelListener
{
    /// <summary>
    /// Whether <see cref="OnBookUpdated"/> does anything. Listeners that ignore book updates say
    /// false, so the kernel leaves them out of the per-update calls.
    /// </summary>
    bool WantsBookUpdates => true;

    /// <summary>A book changed and the venue's message is fully applied.</summary>
    void OnBookUpdated(MarketBook book);

    /// <summary>An order changed state.</summary>
    void OnOrderUpdate(int venueIndex, OrderUpdate update);

    /// <summary>An order filled.</summary>
    void OnFill(int venueIndex, Fill fill);

    /// <summary>The periodic timer fired.</summary>
    void OnTimer(long nowTimestamp);

    /// <summary>A trade printed on a book's market (the book already records it as its last trade).</summary>
    void OnTrade(MarketBook book, in Abstractions.Events.TradePrint trade)
    {
    }

    /// <summary>The venue's summary of a book's market arrived (the book already records it).</summary>
    void OnTicker(MarketBook book)
    {
    }

    /// <summary>A market resolved (the book is already marked stale: it trades no more in this round).</summary>
    void OnMarketResolved(MarketBook book, MarketResolution resolution)
    {
    }
}
