using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Discovery;
using ArbBot.Venues.Polymarket.Streaming;
using ArbBot.Venues.Toolkit.Streaming;

namespace ArbBot.Venues.Polymarket;

/// <summary>
/// Polymarket market data: each market as its two outcome tokens' books (bids and asks), spread
/// over as many market-channel connections as the per-connection token cap needs, and each
/// market's own fee settings from Gamma.
/// </summary>
internal sealed class PolymarketConnector : IVenueConnector
{
    private readonly VenueContext _context;
    private readonly Execution.TokenRegistry _registry;
    private readonly PolymarketSettings _settings;
    private readonly List<MarketChannelConnection> _connections = new();
    private readonly object _gate = new();
    private readonly HttpClient _gammaHttp = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly PolymarketMarketFees _fees;
    private readonly CancellationTokenSource _stop = new();
    private readonly SubscriptionRegistry _subscriptions = new();
    private int _nextConnection; // connections are numbered for good: the recording's streams are by number

    public PolymarketConnector(VenueContext context, Execution.TokenRegistry registry)
    {
        _context = context;
        _registry = registry;
        _settings = PolymarketSettings.Parse(context.Settings);
        _fees = new PolymarketMarketFees(new PolymarketCatalog(_settings.GammaUrl, _gammaHttp), context);
    }

    public BookStyle BookStyle => BookStyle.TwoSided;

    public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask; // each connection opens when its markets are known

    /// <summary>Markets not streamed yet go on new connections (the open ones keep their markets and their books).</summary>
    public Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken)
    {
        foreach (MarketSubscription m in markets)
        {
            if (string.IsNullOrEmpty(m.YesId) || string.IsNullOrEmpty(m.NoId))
            {
                throw new InvalidOperationException($"Polymarket market {m.MarketId} needs its two outcome token ids in the pair leg: {{ market: {m.MarketId}, yes: <token id>, no: <token id> }}");
            }
        }

        IReadOnlyList<MarketSubscription> added = _subscriptions.Add(markets);
        var tokens = new List<(MarketHandle Market, string Yes, string No)>();
        foreach (MarketSubscription m in added)
        {
            tokens.Add((m.Handle, m.YesId!, m.NoId!));
            _registry.Add(m.MarketId, m.Handle, m.YesId!, m.NoId!);
        }

        lock (_gate)
        {
            foreach (List<(MarketHandle Market, string Yes, string No)> chunk in MarketChannelStreams.Split(tokens, _settings))
            {
                var connection = new MarketChannelConnection(_settings, _context, chunk, _nextConnection++, _registry.TickChanged);
                _connections.Add(connection);
                connection.Start();
            }
        }

        if (added.Count > 0)
        {
            _ = _fees.ReportAsync(added, _stop.Token);
        }

        return Task.CompletedTask;
    }

    /// <summary>Each connection drops the markets it carries (an <c>unsubscribe</c> operation); one left with none is closed.</summary>
    public async Task UnsubscribeAsync(IReadOnlyList<MarketHandle> markets, CancellationToken cancellationToken)
    {
        var removed = _subscriptions.Remove(markets).Select(m => m.Handle).ToHashSet();
        if (removed.Count == 0)
        {
            return;
        }

        var emptied = new List<MarketChannelConnection>();
        lock (_gate)
        {
            foreach (MarketChannelConnection connection in _connections.ToArray())
            {
                if (connection.Remove(removed) == 0)
                {
                    _connections.Remove(connection);
                    emptied.Add(connection);
                }
            }
        }

        foreach (MarketChannelConnection connection in emptied)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
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
        await _stop.CancelAsync().ConfigureAwait(false);
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

        _gammaHttp.Dispose(); // the stop source has no timer to free: left to the collector, so a second dispose is harmless
    }
}
