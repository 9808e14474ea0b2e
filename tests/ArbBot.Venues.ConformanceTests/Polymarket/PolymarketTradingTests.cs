using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Plugins;
using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.Venues.Conformance.Polymarket;

/// <summary>
/// Polymarket orders through the plugin DLL (loaded by the plugin host) against the fake CLOB on
/// real sockets: the fake checks the L2 HMAC of every request and accepts an order only when its
/// EIP-712 signature recovers to the account (with its own code, not the plugin's). Round trip as
/// the conformance suite's (ack, fills, cancel), the engine's NO going to the NO token, credentials
/// derived with an L1 signature, and each refusal reported clearly.
/// </summary>
public sealed class PolymarketTradingTests : IAsyncLifetime
{
    // Hardhat's first public development key (no funds anywhere), and a second one for the wrong signer.
    private const string AccountKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string AccountAddress = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string OtherKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static readonly (string Condition, string Yes, string No)[] Markets = [("0xd001", "20011", "20012")];
    private static readonly FakeClobAccount Account = new(AccountAddress, "fake-api-key", "c2VjcmV0LWZvci10aGUtZmFrZS1jbG9iLTEyMzQ1Njc4OQ==", "fake-passphrase");

    private readonly List<IAsyncDisposable> _cleanup = new();
    private readonly List<string> _variables = new();
    private FakePolymarketServer? _server;
    private LoadedPlugin? _plugin;

    private FakePolymarketServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = new FakePolymarketServer(Markets, changesPerSecond: 50);
        _server.EnableTrading(Account);
        await _server.StartAsync();
        _plugin = PluginLoader.Load(Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Polymarket", "ArbBot.Venues.Polymarket.dll"));
    }

    public async Task DisposeAsync()
    {
        foreach (IAsyncDisposable item in _cleanup)
        {
            await item.DisposeAsync();
        }

        foreach (string variable in _variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        await Server.DisposeAsync();
        _plugin?.Unload();
    }

    [Fact]
    public async Task Orders_round_trip_ack_fill_and_cancel_with_credentials_derived_by_an_l1_signature()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, apiCredentials: null);
        await executor.PlaceAsync(new OrderRequest("poly-take", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        await executor.PlaceAsync(new OrderRequest("poly-rest", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-rest" && u.Status == OrderStatus.Acked))), Log(sink, "no ack for the resting order"));
        await executor.CancelAsync("poly-rest", CancellationToken.None);

        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s =>
            s.Updates.Any(u => u.ClientOrderId == "poly-take" && u.Status == OrderStatus.Filled)
            && s.Updates.Any(u => u.ClientOrderId == "poly-rest" && u.Status == OrderStatus.Cancelled))), Log(sink, "orders did not complete"));
        Fill[] fills = sink.Read(s => s.Fills.Where(f => f.ClientOrderId == "poly-take").ToArray());
        Assert.Equal(Quantity.Parse("5"), fills.Aggregate(Quantity.Zero, (q, f) => q + f.Quantity));
        Assert.All(fills, f => Assert.True(f.Price <= Price.Parse("0.99") && f.Market == market && f.Outcome == Outcome.Yes && !f.IsMaker && f.Fee > Money.Zero && f.TradeId.Length > 0));
        Assert.Equal(fills.Length, fills.Select(f => f.TradeId).Distinct().Count());
        Assert.Equal(2, Server.OrdersAccepted);
        Assert.Equal(0, Server.Refused);
        Assert.Equal([Markets[0].Yes, Markets[0].Yes], Server.TokensOrdered);
    }

    [Fact]
    public async Task A_good_till_date_order_goes_as_gtd_and_ends_as_expired_when_the_venue_ends_it()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account);
        long expiresAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 2_000;
        await executor.PlaceAsync(new OrderRequest("poly-gtd", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.Parse("5"), TimeInForce.GoodTillDate, PostOnly: true, ExpiresAtMs: expiresAt), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-gtd" && u.Status == OrderStatus.Acked))), Log(sink, "no ack for the GTD order"));
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-gtd" && u.Status == OrderStatus.Expired))), Log(sink, "the GTD order did not expire"));
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= expiresAt - 1_000, "expired well before its time"); // the venue works in whole seconds
        Assert.Equal(1, Server.OrdersExpired); // the fake took it as GTD (it refuses an expiration inside its one-minute threshold) and ended it
    }

    [Fact]
    public async Task Orders_are_signed_for_the_order_version_the_venue_names()
    {
        Server.OrderVersion = 3; // GET /version says 3: ExchangeV3, domain version "3"
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account);
        await executor.PlaceAsync(new OrderRequest("poly-v3", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-v3" && u.Status == OrderStatus.Filled))), Log(sink, "the version 3 order did not fill"));
        Assert.Equal((1, 0, 0), (Server.OrdersAccepted, Server.VersionMismatches, Server.Refused));
    }

    [Fact]
    public async Task An_order_version_mismatch_makes_the_executor_learn_the_new_version_and_sign_the_order_again()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account);
        await executor.PlaceAsync(new OrderRequest("poly-v2", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-v2" && u.Status == OrderStatus.Filled))), Log(sink, "the version 2 order did not fill"));

        Server.OrderVersion = 3; // the venue moves on while the executor still signs version 2
        await executor.PlaceAsync(new OrderRequest("poly-after", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-after" && u.Status == OrderStatus.Filled))), Log(sink, "the order was not signed again for version 3"));
        Assert.Equal((2, 1), (Server.OrdersAccepted, Server.VersionMismatches)); // refused once as version 2, taken as version 3
    }

    [Fact]
    public async Task The_engines_no_is_bought_as_the_no_token()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account);
        await executor.PlaceAsync(new OrderRequest("poly-no", market, Markets[0].Condition, Outcome.No, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-no" && u.Status == OrderStatus.Filled))), Log(sink, "the NO order did not fill"));
        Assert.Equal([Markets[0].No], Server.TokensOrdered);
        Assert.All(sink.Read(s => s.Fills.ToArray()), f => Assert.Equal(Outcome.No, f.Outcome));
    }

    [Fact]
    public async Task An_order_signed_by_another_key_is_refused_by_the_venue_and_rejected_clearly()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(OtherKey, Account);
        await executor.PlaceAsync(new OrderRequest("poly-forged", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        OrderUpdate rejected = await RejectionAsync(sink, "poly-forged");
        // The L2 address is the other key's: the venue refuses its first authenticated call, the dead-man
        // heartbeat, and nothing is sent while heartbeats are not acknowledged.
        Assert.Contains("the dead-man heartbeat is failing (POST /v1/heartbeats: HTTP 401", rejected.Reason);
        Assert.Equal(0, Server.OrdersAccepted);
    }

    [Fact]
    public async Task Wrong_api_credentials_are_refused_and_the_order_rejected_with_the_venues_words()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account with { Secret = "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0xMjM0NQ==" });
        await executor.PlaceAsync(new OrderRequest("poly-bad-auth", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        OrderUpdate rejected = await RejectionAsync(sink, "poly-bad-auth");
        Assert.Equal("not sent: the dead-man heartbeat is failing (POST /v1/heartbeats: HTTP 401: Unauthorized/Invalid api key); new orders wait until the venue acknowledges one again", rejected.Reason);
        Assert.Equal(0, Server.OrdersAccepted);
        Assert.True(Server.Refused > 0);
    }

    [Fact]
    public async Task Orders_the_venue_would_not_take_are_rejected_saying_why()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account);
        await executor.PlaceAsync(new OrderRequest("poly-small", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.50"), Quantity.Parse("3"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.Contains("below the market's minimum order of 5", (await RejectionAsync(sink, "poly-small")).Reason);

        await executor.PlaceAsync(new OrderRequest("poly-fok", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("5"), TimeInForce.FillOrKill), CancellationToken.None);
        Assert.Contains("POST /order: HTTP 400: order couldn't be filled", (await RejectionAsync(sink, "poly-fok")).Reason);

        await executor.PlaceAsync(new OrderRequest("poly-unknown", market, "0xnot-subscribed", Outcome.Yes, OrderSide.Buy, Price.Parse("0.50"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.Contains("market 0xnot-subscribed is not subscribed", (await RejectionAsync(sink, "poly-unknown")).Reason);
    }

    [Fact]
    public async Task A_fill_missed_while_the_user_channel_was_down_is_found_over_rest_when_it_is_back()
    {
        (ConformanceSink sink, IOrderExecutor executor, MarketHandle market) = await StartAsync(AccountKey, Account);
        await executor.PlaceAsync(new OrderRequest("poly-missed", market, Markets[0].Condition, Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("6"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-missed" && u.Status == OrderStatus.Acked))), Log(sink, "no ack"));

        Server.DropConnections();
        Server.FillRestingQuietly();
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "poly-missed" && u.Status == OrderStatus.Filled))), Log(sink, "the missed fill was not found after reconnecting"));
        Fill fill = Assert.Single(sink.Read(s => s.Fills.Where(f => f.ClientOrderId == "poly-missed").ToArray()));
        Assert.Equal(Quantity.Parse("6"), fill.Quantity);
        Assert.StartsWith("reconciled:", fill.TradeId);
    }

    [Fact]
    public void Trading_without_a_key_is_refused_naming_the_setting()
    {
        var books = new BookStore();
        var sink = new ConformanceSink(books);
        string variable = Variable(null);
        var context = new VenueContext("poly", Settings(variable, apiPrefix: null), sink, sink, sink, TimeProvider.System);
        VenueSettingException error = Assert.Throws<VenueSettingException>(() => _plugin!.Plugin.Open(context).CreateExecutor());
        Assert.Equal("private_key_env", error.Key);
        Assert.Contains($"names {variable}, which is not set", error.Message);
    }

    private async Task<(ConformanceSink Sink, IOrderExecutor Executor, MarketHandle Market)> StartAsync(string key, FakeClobAccount? apiCredentials)
    {
        IVenuePlugin plugin = _plugin!.Plugin;
        var books = new BookStore();
        var sink = new ConformanceSink(books);
        string? apiPrefix = null;
        if (apiCredentials is not null)
        {
            apiPrefix = "ARBBOT_TEST_POLY_API_" + Guid.NewGuid().ToString("N");
            SetVariable(apiPrefix + "_KEY", apiCredentials.ApiKey);
            SetVariable(apiPrefix + "_SECRET", apiCredentials.Secret);
            SetVariable(apiPrefix + "_PASS", apiCredentials.Passphrase);
        }

        var context = new VenueContext("poly", Settings(Variable(key), apiPrefix), sink, sink, sink, TimeProvider.System);
        IVenueSession session = plugin.Open(context);
        IVenueConnector connector = session.CreateConnector();
        _cleanup.Add(connector);
        sink.Connector = connector;
        IOrderExecutor executor = session.CreateExecutor()!;
        _cleanup.Add(executor);
        _cleanup.Add(session); // after its parts, as the engine does
        MarketHandle handle = books.Register(0, "poly", Markets[0].Condition, BookStyle.TwoSided);
        await connector.ConnectAsync(CancellationToken.None);
        await connector.SubscribeAsync([new MarketSubscription(handle, Markets[0].Condition, Markets[0].Yes, Markets[0].No)], CancellationToken.None);
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => !s.Books[handle].IsStale)), Log(sink, "no book"));
        return (sink, executor, handle);
    }

    private Dictionary<string, string> Settings(string keyVariable, string? apiPrefix)
    {
        var settings = new Dictionary<string, string>
        {
            ["ws_url"] = Server.MarketChannelUrl,
            ["gamma_url"] = Server.GammaUrl,
            ["clob_url"] = Server.GammaUrl,
            ["user_ws_url"] = Server.UserChannelUrl,
            ["private_key_env"] = keyVariable,
            ["api_key_env"] = (apiPrefix ?? "ARBBOT_TEST_UNSET") + "_KEY",
            ["api_secret_env"] = (apiPrefix ?? "ARBBOT_TEST_UNSET") + "_SECRET",
            ["api_passphrase_env"] = (apiPrefix ?? "ARBBOT_TEST_UNSET") + "_PASS",
        };
        return VenueConformanceSuite.WithDefaults(_plugin!.Plugin, settings);
    }

    private string Variable(string? value)
    {
        string name = "ARBBOT_TEST_POLY_KEY_" + Guid.NewGuid().ToString("N");
        SetVariable(name, value);
        return name;
    }

    private void SetVariable(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        _variables.Add(name);
    }

    private static async Task<OrderUpdate> RejectionAsync(ConformanceSink sink, string clientOrderId)
    {
        Assert.True(await VenueConformanceSuite.Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == clientOrderId && u.Status == OrderStatus.Rejected))), Log(sink, $"{clientOrderId} was not rejected"));
        return sink.Read(s => s.Updates.Last(u => u.ClientOrderId == clientOrderId && u.Status == OrderStatus.Rejected));
    }

    private static string Log(ConformanceSink sink, string what) =>
        sink.Read(s => $"{what}; updates: {string.Join("; ", s.Updates.Select(u => $"{u.ClientOrderId} {u.Status} {u.Reason}"))}; plugin log:\n{string.Join("\n", s.Log)}");
}
