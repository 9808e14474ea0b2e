using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.Venues.Conformance.Polymarket;

/// <summary>
/// The whole base conformance suite, every venue's, for the Polymarket plugin DLL against the fake
/// Polymarket (market channel, Gamma, CLOB with signature checks, user channel) on real sockets.
/// The market channel has no sequence numbers: the suite's lost-message case is the venue's own
/// reason to start a book again, a <c>tick_size_change</c> (the fake sends one every 40 changes),
/// after which the plugin must resubscribe, start a new epoch and end up equal to the venue's book.
/// The wire suite's credential check does not apply (the market channel is public); orders'
/// credentials are checked in <see cref="PolymarketTradingTests"/>.
/// </summary>
public sealed class PolymarketConformanceTests : VenueConformanceSuite
{
    private const string AccountKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"; // a public development key, no funds
    private static readonly (string Condition, string Yes, string No)[] Tokens = [("0xa001", "40011", "40012"), ("0xa002", "40021", "40022"), ("0xa003", "40031", "40032")];
    private readonly string _keyEnv = "ARBBOT_TEST_POLY_KEY_" + Guid.NewGuid().ToString("N");
    private FakePolymarketServer? _server;

    protected override string PluginPath => Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Polymarket", "ArbBot.Venues.Polymarket.dll");

    protected override IReadOnlyList<(string MarketId, string? YesId, string? NoId)> Markets => Tokens.Select(t => (t.Condition, (string?)t.Yes, (string?)t.No)).ToList();

    protected override (string Key, string Value) BadSetting => ("max_assets_per_connection", "9999");

    private FakePolymarketServer Server => _server ?? throw new InvalidOperationException("not started");

    public override async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_keyEnv, AccountKey);
        _server = new FakePolymarketServer(Tokens, changesPerSecond: 400) { MinimumOrderSize = 1 };
        _server.EnableTrading(new FakeClobAccount("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "conformance-key", "Y29uZm9ybWFuY2Utc2VjcmV0LTEyMzQ1Njc4OTAxMg==", "conformance-pass"));
        await _server.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Environment.SetEnvironmentVariable(_keyEnv, null);
    }

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["ws_url"] = Server.MarketChannelUrl,
        ["gamma_url"] = Server.GammaUrl,
        ["clob_url"] = Server.GammaUrl,
        ["user_ws_url"] = Server.UserChannelUrl,
        ["private_key_env"] = _keyEnv,
        ["api_key_env"] = "ARBBOT_TEST_POLY_UNSET_KEY", // unset: the credentials are derived with the account key
        ["api_secret_env"] = "ARBBOT_TEST_POLY_UNSET_SECRET",
        ["api_passphrase_env"] = "ARBBOT_TEST_POLY_UNSET_PASS",
    };

    protected override IReadOnlyDictionary<string, string> SettingsWithSequenceGaps() =>
        new Dictionary<string, string>(Settings()) { ["ws_url"] = Server.MarketChannelUrl + "?tick_change_every=40" };
}
