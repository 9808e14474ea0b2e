using System.Security.Cryptography;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.FakeVenues.Kalshi;

namespace ArbBot.Venues.Conformance.Kalshi;

/// <summary>The Kalshi plugin DLL against a fake Kalshi server speaking the real REST and WebSocket protocol, with signatures checked.</summary>
public sealed class KalshiConformanceTests : WireVenueConformanceSuite
{
    private static readonly string[] Tickers = ["KXTEST-26DEC31-A", "KXTEST-26DEC31-B", "KXTEST-26DEC31-C"];
    private readonly string _keyIdEnv = "KALSHI_TEST_KEY_ID_" + Guid.NewGuid().ToString("N");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "kalshi-" + Guid.NewGuid().ToString("N"));
    private FakeKalshiServer? _server;
    private string _keyFile = "";
    private string _otherKeyFile = "";

    protected override string PluginPath => Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Kalshi", "ArbBot.Venues.Kalshi.dll");

    protected override IReadOnlyList<(string MarketId, string? YesId, string? NoId)> Markets => Tickers.Select(t => (t, (string?)null, (string?)null)).ToList();

    protected override (string Key, string Value) BadSetting => ("environment", "staging");

    private FakeKalshiServer Server => _server ?? throw new InvalidOperationException("not started");

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        (string privatePem, RSA publicKey) = FakeKalshiServer.NewKeyPair();
        _keyFile = Path.Combine(_dir, "kalshi.pem");
        ArbBot.FakeVenues.SecretFile.Write(_keyFile, privatePem);
        _otherKeyFile = Path.Combine(_dir, "not-registered.pem");
        ArbBot.FakeVenues.SecretFile.Write(_otherKeyFile, FakeKalshiServer.NewKeyPair().PrivatePem);
        Environment.SetEnvironmentVariable(_keyIdEnv, "test-key-id");
        _server = new FakeKalshiServer(Tickers, publicKey, "test-key-id", deltasPerSecond: 400);
        await _server.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Environment.SetEnvironmentVariable(_keyIdEnv, null);
        Directory.Delete(_dir, recursive: true);
    }

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["rest_url"] = Server.RestUrl,
        ["ws_url"] = Server.WebSocketUrl,
        ["api_key_id_env"] = _keyIdEnv,
        ["private_key_file"] = _keyFile,
        ["reconnect_min_ms"] = "20",
        ["reconnect_max_ms"] = "200",
    };

    protected override IReadOnlyDictionary<string, string> SettingsWithSequenceGaps() =>
        new Dictionary<string, string>(Settings()) { ["ws_url"] = Server.WebSocketUrl + "?gap_every=25" };

    protected override IReadOnlyDictionary<string, string> SettingsWithJunkFrames() =>
        new Dictionary<string, string>(Settings()) { ["ws_url"] = Server.WebSocketUrl + "?junk_every=7" };

    protected override IReadOnlyDictionary<string, string> SettingsWithWrongCredentials() =>
        new Dictionary<string, string>(Settings()) { ["private_key_file"] = _otherKeyFile };

    protected override void DropConnections() => Server.DropConnections();

    [Fact]
    public async Task Each_market_charges_its_series_fees_read_from_the_venue()
    {
        Server.FeeType = "quadratic_with_maker_fees";
        Server.FeeMultiplier = 0.5m;
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings());
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Fees.ContainsKey(m)))), Describe(sink, "no fee model reported"));
        IFeeModel fees = sink.Read(s => s.Fees[markets[0]]);
        Assert.Equal(Money.Parse("0.88"), fees.TakerFee(Price.Parse("0.50"), Quantity.Parse("100"))); // 0.5 x 1.75, up to the cent
        Assert.Equal(Money.Parse("0.22"), fees.MakerFee(Price.Parse("0.50"), Quantity.Parse("100"))); // 0.5 x 0.4375
        Assert.Contains(sink.Read(s => s.Log.ToArray()), l => l.Contains("KXTEST quadratic with maker fees x0.5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_many_requests_is_retried_with_backoff_and_the_order_goes_through()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings(), withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[0]].IsStale)));
        Server.TooManyRequestsNext = 2;
        await Executor.PlaceAsync(new OrderRequest("retry-1", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("1"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "retry-1" && u.Status == OrderStatus.Acked))), Describe(sink, "the order did not get through after the 429s"));
        Assert.Equal(2, Server.TooManyRequestsSent);
        Assert.Equal(1, Server.OrdersReceived);
    }

    [Fact]
    public async Task A_good_till_date_order_carries_its_expiration_time_and_ends_as_expired_when_kalshi_ends_it()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings(), withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[0]].IsStale)));
        long expiresAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 2_000;
        await Executor.PlaceAsync(new OrderRequest("gtd-1", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("5"), TimeInForce.GoodTillDate, ExpiresAtMs: expiresAt), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "gtd-1" && u.Status == OrderStatus.Acked))), Describe(sink, "no ack"));
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "gtd-1" && u.Status == OrderStatus.Expired))), Describe(sink, "the order did not end as expired"));
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= expiresAt, "expired before its time");
        Assert.Equal(1, Server.OrdersExpired); // the fake ended it at its expiration_time: the executor sent one
        Assert.Contains("expired at Kalshi", sink.Read(s => s.Updates.Single(u => u.ClientOrderId == "gtd-1" && u.Status == OrderStatus.Expired)).Reason);
    }

    [Fact]
    public async Task Fills_made_while_disconnected_are_recovered_over_rest_after_reconnecting()
    {
        // A long dead-man limit: this test is about recovering fills, not the cancels after a long outage.
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(new Dictionary<string, string>(Settings()) { ["cancel_after_disconnect_ms"] = "86400000" }, withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[0]].IsStale)));
        await Executor.PlaceAsync(new OrderRequest("rest-1", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "rest-1" && u.Status == OrderStatus.Acked))), Describe(sink, "no ack"));

        // The socket goes down and stays down while someone trades with the resting order.
        Server.RefuseConnections = true;
        Server.DropConnections();
        Assert.True(await Eventually(() => sink.Read(s => s.Statuses.Any(x => x == VenueStatus.Reconnecting))));
        Server.FillResting(Server.OrderIdOf("rest-1")!, 5m);
        Assert.Empty(sink.Read(s => s.Fills.Where(f => f.ClientOrderId == "rest-1").ToArray()));

        Server.RefuseConnections = false;
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "rest-1" && u.Status == OrderStatus.Filled))), Describe(sink, "the fill made while disconnected was not recovered"));
        Fill fill = sink.Read(s => s.Fills.Single(f => f.ClientOrderId == "rest-1"));
        Assert.Equal((Quantity.Parse("5"), Price.Parse("0.02"), false), (fill.Quantity, fill.Price, !fill.IsMaker));
        Assert.True(await Eventually(() => sink.Read(s => s.Log.Any(l => l.Contains("1 fills recovered", StringComparison.Ordinal)))), Describe(sink, "the reconciliation was not logged"));
    }

    [Fact]
    public async Task While_the_fill_channel_is_down_new_orders_wait_and_after_a_long_outage_resting_orders_are_cancelled()
    {
        // Kalshi has no dead-man switch: the plugin keeps one. cancel_after_disconnect_ms 0: any outage counts as long.
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(new Dictionary<string, string>(Settings()) { ["cancel_after_disconnect_ms"] = "0" }, withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[0]].IsStale)));
        await Executor.PlaceAsync(new OrderRequest("quote-1", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "quote-1" && u.Status == OrderStatus.Acked))), Describe(sink, "no ack"));

        Server.RefuseConnections = true;
        Server.DropConnections();
        Assert.True(await Eventually(() => sink.Read(s => s.Statuses.Any(x => x == VenueStatus.Reconnecting))));
        await Executor.PlaceAsync(new OrderRequest("while-down", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.03"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "while-down" && u.Status == OrderStatus.Rejected && u.Reason!.Contains("fill channel is down", StringComparison.Ordinal)))),
            Describe(sink, "an order went out while the fill channel was down"));
        Assert.Null(Server.OrderIdOf("while-down"));
        Assert.Equal("resting", Server.StatusOf("quote-1")); // the venue keeps it: nothing there cancels on its own

        Server.RefuseConnections = false;
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "quote-1" && u.Status == OrderStatus.Cancelled && u.Reason!.Contains("dead-man rule", StringComparison.Ordinal)))),
            Describe(sink, "the resting order was not cancelled after the outage"));
        Assert.Equal("canceled", Server.StatusOf("quote-1"));

        // Reconciled and cancelled: orders go out again.
        Assert.True(await Eventually(() => sink.Read(s => s.Log.Any(l => l.Contains("new orders go out again", StringComparison.Ordinal)))), Describe(sink, "orders stayed blocked"));
        await Executor.PlaceAsync(new OrderRequest("after", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "after" && u.Status == OrderStatus.Acked))), Describe(sink, "no order after the outage"));
    }

    [Fact]
    public async Task Markets_are_listed_by_series_event_and_status_across_pages_with_their_fees()
    {
        Server.FeeType = "quadratic";
        Server.FeeMultiplier = 1m;
        IVenuePlugin plugin = LoadPlugin();
        var sink = new ConformanceSink(new Engine.Books.BookStore());
        await using IVenueSession session = plugin.Open(new VenueContext("conformance", WithDefaults(plugin, Settings()), sink, sink, sink, TimeProvider.System));
        await using IMarketCatalog catalog = session.CreateCatalog()!;

        IReadOnlyList<ListedMarket> bySeries = await catalog.ListAsync(new MarketQuery(Series: "KXTEST", Limit: 1000), CancellationToken.None);
        Assert.Equal(Tickers, bySeries.Select(m => m.MarketId).ToArray());
        ListedMarket a = bySeries[0];
        Assert.Equal(("KXTEST-26DEC31", "A", "Not A", "active"), (a.EventId, a.YesLabel, a.NoLabel, a.Status));
        Assert.Equal((Price.Cent, Quantity.Parse("1234"), "KXTEST quadratic x1.00"), (a.TickSize, a.Volume, a.Fees));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero), a.CloseTime);
        Assert.Contains("resolves to Yes", a.Rules, StringComparison.Ordinal);

        Assert.Equal(2, (await catalog.ListAsync(new MarketQuery(Event: "KXTEST-26DEC31", Limit: 2), CancellationToken.None)).Count);

        // A page holds as many markets as the limit: finding the one "C" market takes three pages of one.
        int servedBefore = Server.ListedMarketsServed;
        ListedMarket c = Assert.Single(await catalog.ListAsync(new MarketQuery(Text: "c happen", Limit: 1), CancellationToken.None));
        Assert.Equal(("KXTEST-26DEC31-C", 3), (c.MarketId, Server.ListedMarketsServed - servedBefore));
        Assert.Empty(await catalog.ListAsync(new MarketQuery(Series: "KXOTHER"), CancellationToken.None));
        Assert.Empty(await catalog.ListAsync(new MarketQuery(Status: "settled"), CancellationToken.None));
        NotSupportedException wrong = await Assert.ThrowsAsync<NotSupportedException>(() => catalog.ListAsync(new MarketQuery(Status: "live"), CancellationToken.None));
        Assert.Contains("\"live\"", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_websocket_is_refused_books_are_polled_over_rest_then_the_stream_takes_over()
    {
        Server.RefuseConnections = true;
        var settings = new Dictionary<string, string>(Settings()) { ["rest_fallback_ms"] = "100" };
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(settings);
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Snapshots.GetValueOrDefault(m) >= 2 && !s.Books[m].IsStale))), Describe(sink, "no books from REST while the WebSocket was refused"));
        Assert.Equal(0, Server.ConnectionsAccepted);
        Assert.True(Server.OrderbooksServed >= 2);
        Assert.Contains(sink.Read(s => s.Log.ToArray()), l => l.Contains("books polled over REST every 100 ms", StringComparison.Ordinal));
        Assert.True(sink.Read(s => markets.All(m => s.Deltas.GetValueOrDefault(m) == 0)));

        // A REST book is the venue's whole book: it equals the venue's own snapshot once the stream is back.
        Server.RefuseConnections = false;
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Deltas.GetValueOrDefault(m) > 5))), Describe(sink, "the stream did not take over"));
        // No polling while streaming: at most one poll per market was already on its way when the stream came back
        // (on a busy machine it may land late); a poller left running would make one every 100 ms.
        // Measured over a stretch of streaming (200 more deltas, well over 100 ms of the fake's feed), not a fixed time.
        int polls = Server.OrderbooksServed;
        long streamed = sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m)));
        Assert.True(await Eventually(() => sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m))) > streamed + 200), Describe(sink, "the stream stopped"));
        Assert.True(Server.OrderbooksServed - polls <= markets.Length, $"{Server.OrderbooksServed - polls} REST books polled while streaming");
        foreach (MarketHandle market in markets)
        {
            sink.CompareOnNextSnapshot(market);
            sink.Connector!.RequestSnapshot(market, "conformance check");
        }

        Assert.True(await Eventually(() => markets.All(m => !sink.IsComparisonPending(m))), Describe(sink, "no snapshots after the stream came back"));
        Assert.Empty(sink.Read(s => s.Mismatches.ToArray()));
    }

    [Fact]
    public async Task Public_trades_and_the_venue_ticker_are_streamed_for_the_subscribed_markets()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings(), withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[1]].IsStale)));

        // Our own taker order prints on the public tape like anyone's.
        await Executor.PlaceAsync(new OrderRequest("tape-1", markets[1], Tickers[1], Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("1"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Fills.Any(f => f.ClientOrderId == "tape-1"))), Describe(sink, "the order did not fill"));
        Fill fill = sink.Read(s => s.Fills.First(f => f.ClientOrderId == "tape-1"));
        Assert.True(await Eventually(() => sink.Read(s => s.Trades.Any(t => t.Market == markets[1] && t.Price == fill.Price && t.Size == fill.Quantity && t.Aggressor == OrderSide.Buy))),
            Describe(sink, $"no trade print for our fill at {fill.Price}; trades: {string.Join(", ", sink.Read(s => s.Trades.Select(t => $"{t.Outcome} {t.Aggressor} {t.Size}@{t.Price}").ToArray()))}"));
        TradePrint print = sink.Read(s => s.Trades.First(t => t.Market == markets[1] && t.Price == fill.Price && t.Aggressor == OrderSide.Buy));
        Assert.Equal(Outcome.Yes, print.Outcome);
        Assert.True(print.VenueTimestampMs > 0);

        // The ticker reports the volume traded, and YES tops that are valid prices.
        Assert.True(await Eventually(() => sink.Read(s => s.Tickers.Any(t => t.Market == markets[1] && t.Volume >= fill.Quantity && t.LastPrice.Micros > 0))), Describe(sink, "no ticker with the volume"));
        Assert.All(sink.Read(s => s.Tickers.ToArray()), t => Assert.True(t.YesBid.Micros == 0 || t.YesBid.IsValidBinaryPrice));
    }

    [Fact]
    public async Task Trade_and_ticker_channels_can_be_turned_off()
    {
        var settings = new Dictionary<string, string>(Settings()) { ["stream_trades"] = "false", ["stream_ticker"] = "false" };
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(settings);
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Deltas.GetValueOrDefault(m) > 20))), Describe(sink, "too few deltas"));
        Assert.Empty(sink.Read(s => s.Tickers.ToArray()));
        Assert.Empty(sink.Read(s => s.Trades.ToArray()));
    }

    [Fact]
    public async Task An_order_whose_answer_is_lost_is_found_by_its_client_id_never_sent_twice()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings(), withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[2]].IsStale)));

        // The venue takes an IOC order but its answer is a 503: the executor finds it and it fills as usual.
        Server.AcceptThenFailNext = 1;
        await Executor.PlaceAsync(new OrderRequest("lost-1", markets[2], Tickers[2], Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.Parse("1"), TimeInForce.ImmediateOrCancel), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "lost-1" && u.Status == OrderStatus.Filled))), Describe(sink, "the order the venue took was not recovered"));
        Assert.Equal([OrderStatus.Acked, OrderStatus.Filled], sink.Read(s => s.Updates.Where(u => u.ClientOrderId == "lost-1").Select(u => u.Status).ToArray()));
        Assert.Equal(Quantity.Parse("1"), sink.Read(s => s.Fills.Single(f => f.ClientOrderId == "lost-1").Quantity));

        // The same with a resting order: it is known as working, so it can be cancelled.
        Server.AcceptThenFailNext = 1;
        await Executor.PlaceAsync(new OrderRequest("lost-2", markets[2], Tickers[2], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("3"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "lost-2" && u.Status == OrderStatus.Acked))), Describe(sink, "the resting order was not recovered"));
        // Its cancel is carried out but the answer is a 503; the retry is refused (not resting): the venue's state settles it.
        Server.CancelThenFailNext = 1;
        await Executor.CancelAsync("lost-2", CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "lost-2" && u.Status == OrderStatus.Cancelled))), Describe(sink, "the recovered order could not be cancelled"));
        Assert.DoesNotContain(sink.Read(s => s.Updates.Where(u => u.ClientOrderId == "lost-2").ToArray()), u => u.Status == OrderStatus.Rejected);
        Assert.Equal(2, Server.OrdersReceived); // neither was sent twice
        Assert.Contains(sink.Read(s => s.Log.ToArray()), l => l.Contains("order lost-1: POST /portfolio/events/orders: HTTP 503", StringComparison.Ordinal) && l.Contains("the venue has it all the same", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_order_refused_by_an_overloaded_gateway_is_rejected_saying_the_venue_has_none_and_reads_are_retried()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(Settings(), withExecutor: true);
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[markets[0]].IsStale && markets.All(m => s.Fees.ContainsKey(m))))); // the start-up reads are done
        Server.ServerErrorsNext = 1; // the order's POST only: the lookup that follows gets through
        await Executor.PlaceAsync(new OrderRequest("busy-1", markets[0], Tickers[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.02"), Quantity.Parse("1"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await Eventually(() => sink.Read(s => s.Updates.Any(u => u.ClientOrderId == "busy-1" && u.Status == OrderStatus.Rejected))), Describe(sink, "no rejection"));
        string reason = sink.Read(s => s.Updates.Single(u => u.ClientOrderId == "busy-1").Reason!);
        Assert.Equal("POST /portfolio/events/orders: HTTP 503: try again; the venue has no order with client id busy-1", reason);
        Assert.Equal(0, Server.OrdersReceived);

        // Reads go through 503s by retrying.
        IVenuePlugin plugin = LoadPlugin();
        await using IVenueSession session = plugin.Open(new VenueContext("conformance", WithDefaults(plugin, Settings()), sink, sink, sink, TimeProvider.System));
        await using IMarketCatalog catalog = session.CreateCatalog()!;
        Server.ServerErrorsNext = 2;
        Assert.Equal(Tickers.Length, (await catalog.ListAsync(new MarketQuery(Limit: 1000), CancellationToken.None)).Count);
        Assert.Equal(0, Server.ServerErrorsNext);
    }
}
