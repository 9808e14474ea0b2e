using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Plugins;
using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.Venues.Conformance.Polymarket;

/// <summary>The Polymarket plugin's market listing, through the plugin host, against the fake server's Gamma endpoints.</summary>
public sealed class PolymarketCatalogTests : IAsyncLifetime
{
    private static readonly (string Condition, string Yes, string No)[] Markets =
        [("0xc001", "10011", "10012"), ("0xc002", "10021", "10022"), ("0xc003", "10031", "10032")];

    private FakePolymarketServer? _server;
    private LoadedPlugin? _plugin;

    public async Task InitializeAsync()
    {
        _server = new FakePolymarketServer(Markets, changesPerSecond: 10);
        await _server.StartAsync();
        _plugin = PluginLoader.Load(Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Polymarket", "ArbBot.Venues.Polymarket.dll"));
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _plugin?.Unload();
    }

    [Fact]
    public async Task Markets_are_listed_with_the_yes_token_taken_from_the_outcome_labels_not_their_order()
    {
        await using IMarketCatalog catalog = Catalog();
        IReadOnlyList<ListedMarket> listed = await catalog.ListAsync(new MarketQuery(Limit: 100), CancellationToken.None);
        Assert.Equal(Markets.Select(m => (m.Condition, m.Yes, m.No)), listed.Select(m => (m.MarketId, m.YesId!, m.NoId!)));
        ListedMarket second = listed[1]; // its outcomes come as ["No", "Yes"]
        Assert.Equal(("Yes", "No", "active", "fake-event"), (second.YesLabel, second.NoLabel, second.Status, second.EventId));
        Assert.Equal((Price.Cent, "taker 0.04 x (p(1-p))^1"), (second.TickSize, second.Fees));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), second.CloseTime);

        // Paging (a page holds as many as the limit), the tag, the event, the text, the status.
        Assert.Equal(["0xc001", "0xc002"], (await catalog.ListAsync(new MarketQuery(Limit: 2), CancellationToken.None)).Select(m => m.MarketId));
        Assert.Single(await catalog.ListAsync(new MarketQuery(Text: "0xc003", Limit: 1), CancellationToken.None));
        Assert.Equal(3, (await catalog.ListAsync(new MarketQuery(Event: "fake-event"), CancellationToken.None)).Count);
        Assert.Equal(3, (await catalog.ListAsync(new MarketQuery(Series: "7"), CancellationToken.None)).Count);
        Assert.Empty(await catalog.ListAsync(new MarketQuery(Series: "8"), CancellationToken.None));
        Assert.Empty(await catalog.ListAsync(new MarketQuery(Status: "closed"), CancellationToken.None));
        await Assert.ThrowsAsync<NotSupportedException>(() => catalog.ListAsync(new MarketQuery(Status: "live"), CancellationToken.None));
        HttpRequestException missing = await Assert.ThrowsAsync<HttpRequestException>(() => catalog.ListAsync(new MarketQuery(Event: "nope"), CancellationToken.None));
        Assert.Contains("Gamma GET /events/slug/nope: HTTP 404", missing.Message);
    }

    private IMarketCatalog Catalog()
    {
        IVenuePlugin plugin = _plugin!.Plugin;
        Assert.True(plugin.Descriptor.Capabilities.HasFlag(VenueCapabilities.Discovery));
        var sink = new ConformanceSink(new BookStore());
        var settings = new Dictionary<string, string> { ["ws_url"] = _server!.MarketChannelUrl, ["gamma_url"] = _server.GammaUrl };
        return plugin.Open(new VenueContext("poly", settings, sink, sink, sink, TimeProvider.System)).CreateCatalog()!; // the Polymarket session shares nothing with its catalog: disposing the catalog frees it all
    }
}
