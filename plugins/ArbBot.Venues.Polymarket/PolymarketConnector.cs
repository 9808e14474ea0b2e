using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Streaming;

namespace ArbBot.Venues.Polymarket;

/// <summary>
/// Polymarket market data: each market as its two outcome tokens' books (bids and asks), spread
/// over as many market-channel connections as the per-connection token cap needs.
/// </summary>
internal sealed class PolymarketConnector(VenueContext context, Execution.TokenRegistry registry) : IVenueConnector
{
    private readonly PolymarketSettings _settings = PolymarketSettings.Parse(context.Settings);
    private readonly List<MarketChannelConnection> _connections = new();
    private readonly object _gate = new();

    public BookStyle BookStyle => BookStyle.TwoSided;

    public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask; // each connection opens when its markets are known

    public Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken)
    {
        var tokens = new List<(MarketHandle Market, string Yes, string No)>();
        foreach (MarketSubscription m in markets)
        {
            if (string.IsNullOrEmpty(m.YesId) || string.IsNullOrEmpty(m.NoId))
            {
                throw new InvalidOperationException($"Polymarket market {m.MarketId} needs its two outcome token ids in the pair leg: {{ market: {m.MarketId}, yes: <token id>, no: <token id> }}");
            }

            tokens.Add((m.Handle, m.YesId, m.NoId));
            registry.Add(m.MarketId, m.Handle, m.YesId, m.NoId);
        }

        lock (_gate)
        {
            foreach (List<(MarketHandle Market, string Yes, string No)> chunk in MarketChannelStreams.Split(tokens, _settings))
            {
                var connection = new MarketChannelConnection(_settings, context, chunk, _connections.Count);
                _connections.Add(connection);
                connection.Start();
            }
        }

        return Task.CompletedTask;
    }

    public void RequestSnapshot(MarketHandle market, string reason)
    {
        lock (_gate)
        {
            _connections.FirstOrDefault(c => c.Serves(market))?.Refresh(market);
        }
    }

    public async ValueTask DisposeAsync()
    {
        MarketChannelConnection[] connections;
        lock (_gate)
        {
            connections = _connections.ToArray();
            _connections.Clear();
        }

        foreach (MarketChannelConnection connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
