using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Sim;

/// <summary>The market-data side of a simulated venue.</summary>
internal sealed class SimConnector : IVenueConnector
{
    private readonly SimVenue _venue;
    private bool _connected;
    private bool _disposed;

    public SimConnector(SimVenue venue)
    {
        _venue = venue;
    }

    public BookStyle BookStyle => _venue.BookStyle;

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (!_connected)
        {
            _connected = true;
            _venue.AddUser();
        }

        return Task.CompletedTask;
    }

    public Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken)
    {
        if (!_connected)
        {
            throw new InvalidOperationException("subscribe before connect");
        }

        _venue.Subscribe(markets);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IReadOnlyList<MarketHandle> markets, CancellationToken cancellationToken) =>
        _venue.Unsubscribe(markets).WaitAsync(cancellationToken);

    public void RequestSnapshot(MarketHandle market, string reason) => _venue.RequestSnapshot(market);

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_connected)
            {
                _venue.RemoveUser();
            }
        }

        return ValueTask.CompletedTask;
    }
}
