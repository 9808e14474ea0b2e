using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Plugins;

namespace ArbBot.Venues.Conformance;

/// <summary>
/// What every venue plugin must do, checked through the plugin host against the plugin's real DLL.
/// A venue proves it passes by subclassing this with a harness for its venue (a fake server, or
/// the simulator itself): the contract is written once and every venue runs it.
/// </summary>
public abstract class VenueConformanceSuite : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = new();
    private LoadedPlugin? _plugin;

    /// <summary>Path of the plugin DLL under test.</summary>
    protected abstract string PluginPath { get; }

    /// <summary>Markets to subscribe: venue market id and, where outcomes have their own ids, those.</summary>
    protected abstract IReadOnlyList<(string MarketId, string? YesId, string? NoId)> Markets { get; }

    /// <summary>Settings for a normal venue.</summary>
    protected abstract IReadOnlyDictionary<string, string> Settings();

    /// <summary>Settings under which the venue's stream loses a message now and then (a fake server's scripted drop, the simulator's gap_every).</summary>
    protected abstract IReadOnlyDictionary<string, string> SettingsWithSequenceGaps();

    /// <summary>A setting and a value the plugin must refuse.</summary>
    protected abstract (string Key, string Value) BadSetting { get; }

    /// <summary>Venue-specific set-up (start a fake server, ...).</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops connectors and executors, then their session, and unloads the plugin.</summary>
    public virtual async Task DisposeAsync()
    {
        foreach (IAsyncDisposable item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }

        _plugin?.Unload();
    }

    /// <summary>Each market gets a snapshot, then deltas; the venue says it is connected; nothing is refused.</summary>
    [Fact]
    public async Task Every_subscribed_market_gets_a_snapshot_then_deltas()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings());
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Snapshots.ContainsKey(m) && s.Deltas.GetValueOrDefault(m) > 0))),
            Describe(sink, "not every market got a snapshot and deltas"));
        Assert.Contains(VenueStatus.Connected, sink.Read(s => s.Statuses.ToArray()));
        Assert.Equal(0, sink.Read(s => s.Rejected));
        Assert.All(markets, m => Assert.False(sink.Read(s => s.Books[m].IsStale)));
    }

    /// <summary>After many deltas, each book equals the venue's own fresh snapshot level for level.</summary>
    [Fact]
    public async Task A_book_built_from_deltas_equals_the_venues_own_snapshot()
    {
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(Settings());
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Deltas.GetValueOrDefault(m) > 20))), Describe(sink, "too few deltas"));

        foreach (MarketHandle market in markets)
        {
            sink.CompareOnNextSnapshot(market);
            connector.RequestSnapshot(market, "conformance check");
        }

        Assert.True(await Eventually(() => markets.All(m => !sink.IsComparisonPending(m))), Describe(sink, "the venue did not answer snapshot requests"));
        Assert.Empty(sink.Read(s => s.Mismatches.ToArray()));
    }

    /// <summary>A lost message is noticed (by the engine's sequence check or the connector) and answered with a snapshot; the book is exact again.</summary>
    [Fact]
    public async Task A_sequence_gap_leads_to_a_resync_and_a_new_epoch()
    {
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(SettingsWithSequenceGaps());
        // Either the engine sees the sequence jump, or the connector notices the lost message itself and invalidates the book.
        Assert.True(await Eventually(() => sink.Read(s => s.Gaps + s.Invalidations >= 3 && markets.Any(m => s.Books[m].Epoch > 0))), Describe(sink, "no lost message was detected"));
        Assert.True(await Eventually(() => sink.Read(s => markets.Sum(m => s.Snapshots.GetValueOrDefault(m)) > markets.Length + 2)), Describe(sink, "gaps were not answered with snapshots"));

        // After recovering, the book still matches the venue exactly.
        MarketHandle first = markets[0];
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[first].IsStale)));
        sink.CompareOnNextSnapshot(first);
        connector.RequestSnapshot(first, "conformance check");
        Assert.True(await Eventually(() => !sink.IsComparisonPending(first)));
        Assert.Empty(sink.Read(s => s.Mismatches.ToArray()));
    }

    /// <summary>A marketable order fills in full at or under its limit with unique trade ids; a resting order is acknowledged, then cancelled.</summary>
    [Fact]
    public async Task Orders_round_trip_ack_fill_and_cancel()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings(), withExecutor: true);
        MarketHandle market = markets[0];
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[market].IsStale && s.Books[market].TryGetBestAsk(Outcome.Yes, out _))));
        IOrderExecutor executor = _executor!;
        string marketId = Markets[0].MarketId;
        Price limit = Price.FromMicros(990_000);

        await executor.PlaceAsync(new OrderRequest("conf-take", market, marketId, Outcome.Yes, OrderSide.Buy, limit, Quantity.Parse("2"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        await executor.PlaceAsync(new OrderRequest("conf-rest", market, marketId, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.Parse("3"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "conf-rest" && u.Status == OrderStatus.Acked))), Describe(sink, "no ack for the resting order"));
        await executor.CancelAsync("conf-rest", CancellationToken.None);

        Assert.True(await Eventually(() => sink.Read(s =>
            s.Updates.Any(u => u.ClientOrderId == "conf-take" && u.Status == OrderStatus.Filled)
            && s.Updates.Any(u => u.ClientOrderId == "conf-rest" && u.Status == OrderStatus.Cancelled))), Describe(sink, "orders did not complete"));
        Fill[] fills = sink.Read(s => s.Fills.Where(f => f.ClientOrderId == "conf-take").ToArray());
        Assert.Equal(Quantity.Parse("2"), fills.Aggregate(Quantity.Zero, (q, f) => q + f.Quantity));
        Assert.All(fills, f => Assert.True(f.Price <= limit && f.Market == market && !string.IsNullOrEmpty(f.TradeId)));
        Assert.Equal(fills.Length, fills.Select(f => f.TradeId).Distinct().Count());
    }

    /// <summary>A bad setting value is refused with a VenueSettingException naming its key and the value.</summary>
    [Fact]
    public async Task A_bad_setting_is_refused_naming_the_key()
    {
        IVenuePlugin plugin = LoadPlugin();
        var settings = new Dictionary<string, string>(Settings()) { [BadSetting.Key] = BadSetting.Value };
        var sink = new ConformanceSink(new BookStore());
        // Refused when the venue is opened or, at the latest, when its connector is made.
        VenueSettingException ex = Assert.Throws<VenueSettingException>(() =>
            plugin.Open(new VenueContext("conformance", settings, sink, sink, sink, TimeProvider.System)).CreateConnector());
        Assert.Equal(BadSetting.Key, ex.Key);
        Assert.Contains(BadSetting.Value, ex.Message);
    }

    /// <summary>Once the venue's session is disposed (after its connector, as the engine does), nothing more arrives.</summary>
    [Fact]
    public async Task Disposing_the_session_stops_the_stream()
    {
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(Settings());
        Assert.True(await Eventually(() => sink.Read(s => s.EventsSeen > 10)));
        await connector.DisposeAsync();
        await Session.DisposeAsync();
        long atStop = sink.Read(s => s.EventsSeen);

        // A second session on the same venue is the clock: once it has streamed, anything the first left running would have shown.
        (ConformanceSink clock, _, _) = await StartAsync(Settings());
        Assert.True(await Eventually(() => clock.Read(s => s.EventsSeen > 10)), Describe(clock, "a new session did not stream"));
        Assert.Equal(atStop, sink.Read(s => s.EventsSeen));
    }

    /// <summary>
    /// Markets subscribed to a streaming connector get their snapshot while the first ones stream on
    /// in the same epoch; an unsubscribed market gets nothing more while the others go on, and can
    /// be subscribed again (a pairs-file change on a running engine).
    /// </summary>
    [Fact]
    public async Task Markets_are_added_and_removed_while_the_others_stream_on()
    {
        Assert.True(Markets.Count >= 2, "the suite needs at least two markets for this check");
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(Settings(), subscribe: 1);
        MarketHandle first = markets[0];
        Assert.True(await Eventually(() => sink.Read(s => s.Snapshots.ContainsKey(first) && s.Deltas.GetValueOrDefault(first) > 0)), Describe(sink, "the first market did not stream"));
        int epoch = sink.Read(s => s.Books[first].Epoch);

        await connector.SubscribeAsync(Subscriptions.Skip(1).ToList(), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Snapshots.ContainsKey(m) && s.Deltas.GetValueOrDefault(m) > 0))), Describe(sink, "the added markets did not stream"));

        MarketHandle removed = markets[1];
        await connector.UnsubscribeAsync([removed], CancellationToken.None);
        (int snapshots, int deltas) atRemoval = sink.Read(s => (s.Snapshots.GetValueOrDefault(removed), s.Deltas.GetValueOrDefault(removed)));
        int firstDeltas = sink.Read(s => s.Deltas.GetValueOrDefault(first));
        // The first market's stream is the clock: once it has moved on, a removed market still streaming would have shown.
        Assert.True(await Eventually(() => sink.Read(s => s.Deltas.GetValueOrDefault(first) > firstDeltas + 20)), Describe(sink, "the first market stopped streaming after another was removed"));
        Assert.Equal(atRemoval, sink.Read(s => (s.Snapshots.GetValueOrDefault(removed), s.Deltas.GetValueOrDefault(removed))));
        Assert.Equal(epoch, sink.Read(s => s.Books[first].Epoch));
        Assert.False(sink.Read(s => s.Books[first].IsStale), Describe(sink, "the first market went stale"));

        await connector.SubscribeAsync([Subscriptions[1]], CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Snapshots.GetValueOrDefault(removed) > atRemoval.snapshots)), Describe(sink, "a market subscribed again got no snapshot"));
        Assert.Equal(epoch, sink.Read(s => s.Books[first].Epoch));
        Assert.Equal(0, sink.Read(s => s.Rejected));
    }

    /// <summary>A plugin declaring Discovery lists every market the suite subscribes, with its title, labels, tick and outcome ids; one that does not makes no catalog.</summary>
    [Fact]
    public async Task A_plugin_that_declares_discovery_lists_the_markets_it_serves()
    {
        IVenuePlugin plugin = LoadPlugin();
        var sink = new ConformanceSink(new BookStore());
        var context = new VenueContext("conformance", WithDefaults(plugin, Settings()), sink, sink, sink, TimeProvider.System);
        await using IVenueSession session = plugin.Open(context);
        await using IMarketCatalog? catalog = session.CreateCatalog();
        if (!plugin.Descriptor.Capabilities.HasFlag(VenueCapabilities.Discovery))
        {
            Assert.Null(catalog);
            return;
        }

        Assert.NotNull(catalog);
        IReadOnlyList<ListedMarket> listed = await catalog.ListAsync(new MarketQuery(Status: null, Limit: 1000), CancellationToken.None);
        foreach ((string id, string? yes, string? no) in Markets)
        {
            ListedMarket market = Assert.Single(listed, m => m.MarketId == id);
            Assert.False(string.IsNullOrWhiteSpace(market.Title), $"{id} has no title");
            Assert.False(string.IsNullOrWhiteSpace(market.YesLabel) || string.IsNullOrWhiteSpace(market.NoLabel), $"{id} does not say what YES and NO mean");
            Assert.True(market.TickSize.Micros > 0, $"{id} has no tick size");
            Assert.Equal((yes, no), (market.YesId, market.NoId));
        }
    }

    private IOrderExecutor? _executor;
    private IVenueSession? _session;

    /// <summary>The executor made by <see cref="StartAsync"/> with <c>withExecutor</c>.</summary>
    protected IOrderExecutor Executor => _executor ?? throw new InvalidOperationException("started without an executor");

    /// <summary>The venue's session opened by <see cref="StartAsync"/> (its parts come from it; disposed after them).</summary>
    protected IVenueSession Session => _session ?? throw new InvalidOperationException("not started");

    /// <summary>Every market of <see cref="Markets"/> as registered by <see cref="StartAsync"/>, subscribed or not.</summary>
    protected IReadOnlyList<MarketSubscription> Subscriptions { get; private set; } = [];

    /// <summary>The plugin under test, loaded once through the plugin host.</summary>
    protected IVenuePlugin LoadPlugin()
    {
        _plugin ??= PluginLoader.Load(PluginPath);
        return _plugin.Plugin;
    }

    /// <summary>
    /// Loads the plugin, opens the venue and creates its connector (and executor when asked) for
    /// <see cref="Markets"/>, connects and subscribes them all (or the first <paramref name="subscribe"/>).
    /// </summary>
    protected async Task<(ConformanceSink Sink, IVenueConnector Connector, MarketHandle[] Markets)> StartAsync(
        IReadOnlyDictionary<string, string> settings, bool withExecutor = false, int? subscribe = null)
    {
        IVenuePlugin plugin = LoadPlugin();
        var books = new BookStore();
        var sink = new ConformanceSink(books);
        var context = new VenueContext("conformance", WithDefaults(plugin, settings), sink, sink, sink, TimeProvider.System);
        _session = plugin.Open(context);
        _cleanup.Add(_session); // disposed last: the cleanup runs backwards
        IVenueConnector connector = _session.CreateConnector();
        _cleanup.Add(connector);
        sink.Connector = connector;
        var subscriptions = new List<MarketSubscription>();
        foreach ((string id, string? yes, string? no) in Markets)
        {
            MarketHandle handle = books.Register(0, "conformance", id, connector.BookStyle);
            subscriptions.Add(new MarketSubscription(handle, id, yes, no));
        }

        if (withExecutor)
        {
            Assert.True(plugin.Descriptor.Capabilities.HasFlag(VenueCapabilities.Trading), "the plugin does not declare Trading");
            _executor = _session.CreateExecutor() ?? throw new InvalidOperationException("CreateExecutor returned null for a trading plugin");
            _cleanup.Add(_executor);
        }

        Subscriptions = subscriptions;
        await connector.ConnectAsync(CancellationToken.None);
        await connector.SubscribeAsync(subscriptions.Take(subscribe ?? subscriptions.Count).ToList(), CancellationToken.None);
        return (sink, connector, subscriptions.Select(s => s.Handle).ToArray());
    }

    /// <summary>The settings with the plugin's defaults filled in, as the engine passes them.</summary>
    public static Dictionary<string, string> WithDefaults(IVenuePlugin plugin, IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(settings);
        foreach (PluginSetting setting in plugin.Descriptor.Settings)
        {
            if (!all.ContainsKey(setting.Key) && setting.DefaultValue is not null)
            {
                all[setting.Key] = setting.DefaultValue;
            }
        }

        return all;
    }

    /// <summary>Waits (up to 30 s) for a condition: the venue's answers take their time on a busy machine.</summary>
    public static async Task<bool> Eventually(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30); // generous: a busy machine slows everything, and a condition met early returns at once
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    /// <summary>A failure message: what went wrong, the sink's counts and the plugin's log.</summary>
    protected static string Describe(ConformanceSink sink, string what) =>
        sink.Read(s => $"{what}; gaps {s.Gaps}, invalidations {s.Invalidations}, rejected {s.Rejected}, events {s.EventsSeen}; plugin log:\n{string.Join("\n", s.Log)}");
}
