using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Plugins;
using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.Venues.Conformance.Polymarket;

/// <summary>
/// The Polymarket plugin DLL, loaded through the plugin host, against a fake market channel on
/// a real socket: what is particular to a book per token (connections spread by the token cap,
/// a dropped connection and its recovery, what a pair leg must say), on top of the base suite in <see cref="PolymarketConformanceTests"/>.
/// </summary>
public sealed class PolymarketMarketDataTests : IAsyncLifetime
{
    private static readonly (string Condition, string Yes, string No)[] Markets =
        [("0xc001", "10011", "10012"), ("0xc002", "10021", "10022"), ("0xc003", "10031", "10032")];

    private readonly List<IAsyncDisposable> _cleanup = new();
    private FakePolymarketServer? _server;
    private LoadedPlugin? _plugin;

    private FakePolymarketServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = new FakePolymarketServer(Markets, changesPerSecond: 400);
        await _server.StartAsync();
        _plugin = PluginLoader.Load(Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Polymarket", "ArbBot.Venues.Polymarket.dll"));
    }

    public async Task DisposeAsync()
    {
        foreach (IAsyncDisposable item in _cleanup)
        {
            await item.DisposeAsync();
        }

        await Server.DisposeAsync();
        _plugin?.Unload();
    }

    [Fact]
    public async Task Both_tokens_books_arrive_over_as_many_connections_as_the_cap_needs_and_deltas_keep_them_equal_to_the_venues()
    {
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(maxAssetsPerConnection: 2);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.All(m => !s.Books[m].IsStale && s.Deltas.GetValueOrDefault(m) > 20))), Describe(sink, "books did not arrive and move"));
        Assert.Equal(3, Server.ConnectionsAccepted); // two tokens (one market) a connection
        Assert.Equal(2, Server.MostTokensOnOneConnection);

        foreach (MarketHandle market in markets)
        {
            sink.CompareOnNextSnapshot(market);
            connector.RequestSnapshot(market, "conformance check"); // subscribed again: fresh books, in order with the changes
        }

        Assert.True(await VenueConformanceSuite.Eventually(() => markets.All(m => !sink.IsComparisonPending(m))), Describe(sink, "no fresh books after asking"));
        Assert.Empty(sink.Read(s => s.Mismatches.ToArray()));
        Assert.Equal(0, sink.Read(s => s.Rejected));
    }

    [Fact]
    public async Task Each_market_gets_the_fee_rate_gamma_lists_for_it()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(maxAssetsPerConnection: 500);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.All(s.Fees.ContainsKey))), Describe(sink, "not every market's fees were reported"));
        string[] rates = sink.Read(s => markets.Select(m => s.Fees[m].Name).ToArray());
        Assert.Equal(Markets.Select(m => $"polymarket {Server.FeeRate(m.Condition):0.00}"), rates); // 0.04, 0.04, 0.03: each its own
        IFeeModel third = sink.Read(s => s.Fees[markets[2]]);
        Assert.Equal(Money.Parse("0.75"), third.TakerFee(Price.Parse("0.50"), Quantity.Parse("100"))); // 100 x 0.03 x 0.25
        Assert.Contains(sink.Read(s => s.Log.ToArray()), l => l.Contains("fees of all 3 markets from Gamma", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dropped_connection_makes_the_books_stale_then_reconnects_and_recovers_them()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(maxAssetsPerConnection: 500);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.All(m => !s.Books[m].IsStale))), Describe(sink, "no books"));
        int snapshots = sink.Read(s => s.Snapshots.Values.Sum());
        Server.DropConnections();
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Invalidations >= markets.Length)), Describe(sink, "the books were not made stale"));
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Snapshots.Values.Sum() >= snapshots + (2 * markets.Length) && markets.All(m => !s.Books[m].IsStale))), Describe(sink, "the books did not recover"));
        Assert.True(Server.ConnectionsAccepted >= 2);
        Assert.Contains(VenueStatus.Reconnecting, sink.Read(s => s.Statuses.ToArray()));
    }

    [Fact]
    public async Task While_the_market_channel_is_down_books_come_over_rest_and_the_socket_takes_over_when_it_is_back()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(maxAssetsPerConnection: 500, restFallbackMs: 150);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.All(m => !s.Books[m].IsStale && s.Deltas.GetValueOrDefault(m) > 5))), Describe(sink, "no books"));

        Server.RefuseMarketChannel = true;
        Server.DropConnections();
        Assert.True(await VenueConformanceSuite.Eventually(() => Server.RestBooksServed >= markets.Length * 2 * 2), Describe(sink, "no REST books while the channel was down"));
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.All(m => !s.Books[m].IsStale))), Describe(sink, "the REST books did not make the books usable again"));
        Assert.Contains(sink.Read(s => s.Log.ToArray()), l => l.Contains("books from REST every 150 ms", StringComparison.Ordinal));

        Server.RefuseMarketChannel = false;
        long deltas = sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m)));
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m)) > deltas + 20)), Describe(sink, "the socket did not take over again"));
        // Polling stopped with the socket back: at most one request per token was already on its way
        // (on a busy machine it may land late); a poller left running would ask every 150 ms.
        // Measured over a stretch of streaming (200 more deltas, well over 150 ms of the fake's feed), not a fixed time.
        int served = Server.RestBooksServed;
        long streamed = sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m)));
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m))) > streamed + 200), Describe(sink, "the stream stopped"));
        Assert.True(Server.RestBooksServed - served <= markets.Length * 2, $"{Server.RestBooksServed - served} REST books served with the socket back");
        Assert.Equal(0, sink.Read(s => s.Rejected));
    }

    [Fact]
    public async Task A_market_without_its_token_ids_or_a_bad_setting_is_refused_saying_what_to_write()
    {
        IVenuePlugin plugin = _plugin!.Plugin;
        var sink = new ConformanceSink(new BookStore());
        VenueSettingException bad = Assert.Throws<VenueSettingException>(() => plugin.Open(new VenueContext("poly", Settings(500, "http://127.0.0.1:1/ws/market"), sink, sink, sink, TimeProvider.System)).CreateConnector());
        Assert.Equal("ws_url", bad.Key);

        IVenueSession session = plugin.Open(new VenueContext("poly", Settings(500), sink, sink, sink, TimeProvider.System));
        IVenueConnector connector = session.CreateConnector();
        _cleanup.Add(session);
        MarketHandle handle = sink.Books.Register(0, "poly", "0xc001", connector.BookStyle);
        InvalidOperationException missing = await Assert.ThrowsAsync<InvalidOperationException>(() => connector.SubscribeAsync([new MarketSubscription(handle, "0xc001")], CancellationToken.None));
        Assert.Contains("needs its two outcome token ids in the pair leg: { market: 0xc001, yes: <token id>, no: <token id> }", missing.Message);
    }

    private async Task<(ConformanceSink Sink, IVenueConnector Connector, MarketHandle[] Markets)> StartAsync(int maxAssetsPerConnection, int restFallbackMs = 0)
    {
        IVenuePlugin plugin = _plugin!.Plugin;
        var books = new BookStore();
        var sink = new ConformanceSink(books);
        Dictionary<string, string> settings = Settings(maxAssetsPerConnection);
        settings["clob_url"] = Server.GammaUrl;
        settings["rest_fallback_ms"] = restFallbackMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        IVenueSession session = plugin.Open(new VenueContext("poly", settings, sink, sink, sink, TimeProvider.System));
        IVenueConnector connector = session.CreateConnector();
        _cleanup.Add(session); // disposes the connector with it
        sink.Connector = connector;
        Assert.Equal(BookStyle.TwoSided, connector.BookStyle);
        var subscriptions = Markets.Select(m => new MarketSubscription(books.Register(0, "poly", m.Condition, BookStyle.TwoSided), m.Condition, m.Yes, m.No)).ToList();
        await connector.ConnectAsync(CancellationToken.None);
        await connector.SubscribeAsync(subscriptions, CancellationToken.None);
        return (sink, connector, subscriptions.Select(s => s.Handle).ToArray());
    }

    private Dictionary<string, string> Settings(int maxAssetsPerConnection, string? url = null) => new()
    {
        ["ws_url"] = url ?? Server.MarketChannelUrl,
        ["gamma_url"] = Server.GammaUrl,
        ["max_assets_per_connection"] = maxAssetsPerConnection.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ping_interval_ms"] = "200",
        ["reconnect_min_ms"] = "20",
        ["reconnect_max_ms"] = "200",
    };

    private static string Describe(ConformanceSink sink, string what) =>
        sink.Read(s => $"{what}; snapshots {s.Snapshots.Values.Sum()}, deltas {s.Deltas.Values.Sum()}, invalidations {s.Invalidations}, rejected {s.Rejected}; plugin log:\n{string.Join("\n", s.Log)}");
}
