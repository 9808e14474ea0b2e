using ArbBot.Venues.Conformance;
using MyVenue.FakeServer;

namespace MyVenue.Tests;

/// <summary>
/// Every contract test of the suite (books, gaps, resyncs, orders, settings, disposal, and for a
/// venue on a wire: dropped connections, junk frames, refused credentials) against MyVenue's
/// plugin DLL and the fake server. Add your venue's own tests beside it.
/// </summary>
public sealed class MyVenueConformanceTests : WireVenueConformanceSuite
{
    // The token reaches the plugin as it would in arbbot: through an environment variable its settings name.
    private const string TokenEnv = "MYVENUE_CONFORMANCE_TOKEN";
    private const string WrongTokenEnv = "MYVENUE_CONFORMANCE_WRONG_TOKEN";
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
    public override async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(TokenEnv, "conformance-token");
        Environment.SetEnvironmentVariable(WrongTokenEnv, "not-the-token");
        _server = await FakeMyVenueServer.StartAsync(token: "conformance-token");
    }

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
        ["token_env"] = TokenEnv,
    };

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SettingsWithSequenceGaps() =>
        new Dictionary<string, string>(Settings()) { ["url"] = Server.WebSocketUrl + "?drop_every=25" };

    /// <inheritdoc/>
    protected override void DropConnections() => Server.DropConnections();

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SettingsWithJunkFrames() =>
        new Dictionary<string, string>(Settings()) { ["url"] = Server.WebSocketUrl + "?junk=1" };

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SettingsWithWrongCredentials() =>
        new Dictionary<string, string>(Settings()) { ["token_env"] = WrongTokenEnv };
}
