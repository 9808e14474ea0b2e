using ArbBot.Venues.Conformance;
using MyVenue.FakeServer;

namespace MyVenue.Tests;

/// <summary>
/// Every contract test of the suite (books, gaps, resyncs, orders, settings, disposal) against
/// MyVenue's plugin DLL and the fake server. Add your venue's own tests beside it.
/// </summary>
public sealed class MyVenueConformanceTests : VenueConformanceSuite
{
    private FakeMyVenueServer? _server;

    private FakeMyVenueServer Server => _server ?? throw new InvalidOperationException("the fake server has not started");

    /// <inheritdoc/>
    protected override string PluginPath => Path.Combine(AppContext.BaseDirectory, "plugins", "MyVenue", "MyVenue.dll");

    /// <inheritdoc/>
    protected override IReadOnlyList<(string MarketId, string? YesId, string? NoId)> Markets =>
        [("MV-1", null, null), ("MV-2", null, null), ("MV-3", null, null)];

    /// <inheritdoc/>
    protected override (string Key, string Value) BadSetting => ("url", "http://not-a-websocket");

    /// <inheritdoc/>
    public override async Task InitializeAsync() => _server = await FakeMyVenueServer.StartAsync();

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["url"] = Server.WebSocketUrl,
        ["orders_url"] = Server.HttpUrl,
    };

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SettingsWithSequenceGaps() =>
        new Dictionary<string, string>(Settings()) { ["url"] = Server.WebSocketUrl + "?drop_every=25" };
}
