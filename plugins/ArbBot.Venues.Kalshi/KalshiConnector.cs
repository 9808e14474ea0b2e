using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi.Http;

namespace ArbBot.Venues.Kalshi;

/// <summary>Kalshi market data: bids-only books from the shared WebSocket session.</summary>
internal sealed class KalshiConnector : IVenueConnector
{
    private readonly KalshiVenuePlugin _plugin;
    private readonly KalshiVenue _venue;
    private bool _disposed;

    public KalshiConnector(KalshiVenuePlugin plugin, KalshiVenue venue)
    {
        _plugin = plugin;
        _venue = venue;
    }

    public BookStyle BookStyle => BookStyle.BidsOnly;

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        _venue.Session.Start(); // connects in the background and keeps reconnecting
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken)
    {
        _venue.Session.Subscribe(markets);
        _ = Task.Run(() => new KalshiFees(_venue).LoadAsync(markets)); // the configured fees apply until these arrive
        return Task.CompletedTask;
    }

    public void RequestSnapshot(MarketHandle market, string reason) => _venue.Session.RequestSnapshot(market);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _plugin.ReleaseAsync(_venue).ConfigureAwait(false);
        }
    }
}
