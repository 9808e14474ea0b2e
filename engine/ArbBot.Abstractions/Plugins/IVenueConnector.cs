using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Streams a venue's market data into <see cref="VenueContext.Books"/>. Runs on its own threads;
/// the engine never calls it from the kernel loop except through <see cref="RequestSnapshot"/>,
/// which must not block.
/// </summary>
public interface IVenueConnector : IAsyncDisposable
{
    /// <summary>How this venue publishes books (bids only, or bids and asks per outcome). Fixed for the connector's life.</summary>
    BookStyle BookStyle { get; }

    /// <summary>Opens the link to the venue (and keeps it open, reconnecting, until disposed).</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Starts streaming these markets: a snapshot for each, then deltas. Called again with more markets while streaming (a pairs-file change).</summary>
    Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken);

    /// <summary>
    /// Stops streaming these markets (a pairs-file change removed them): no event carries their
    /// handles once the task completes, and the other markets stream on untouched. A handle may be
    /// subscribed again later. The default refuses with <see cref="NotSupportedException"/>, and the
    /// engine then restarts the whole venue instead (added in 2.6).
    /// </summary>
    Task UnsubscribeAsync(IReadOnlyList<MarketHandle> markets, CancellationToken cancellationToken) =>
        Task.FromException(new NotSupportedException($"{GetType().Name} cannot unsubscribe markets"));

    /// <summary>The engine lost trust in a book (for example a sequence gap): send a fresh snapshot soon.</summary>
    void RequestSnapshot(MarketHandle market, string reason);
}
