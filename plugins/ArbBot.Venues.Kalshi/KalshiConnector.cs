using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi.Http;

namespace ArbBot.Venues.Kalshi;

/// <summary>Kalshi market data: bids-only books from the shared WebSocket session, and the markets' results (<see cref="KalshiResults"/>).</summary>
internal sealed class KalshiConnector : IVenueConnector
{
    private readonly KalshiVenue _venue;
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    public KalshiConnector(KalshiVenue venue)
    {
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
        _ = Task.Run(() => new KalshiFees(_venue).LoadAsync(markets), CancellationToken.None); // the configured fees apply until these arrive
        if (_venue.Settings.ResultPollMs > 0)
        {
            _ = Task.Run(() => new KalshiResults(_venue, markets).RunAsync(_stop.Token), _stop.Token);
        }

        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IReadOnlyList<MarketHandle> markets, CancellationToken cancellationToken)
    {
        _venue.Session.Unsubscribe(markets);
        return Task.CompletedTask;
    }

    public void RequestSnapshot(MarketHandle market, string reason) => _venue.Session.RequestSnapshot(market);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _stop.CancelAsync().ConfigureAwait(false);
            _stop.Dispose(); // the WebSocket is the session's: it closes with the session
        }
    }
}
