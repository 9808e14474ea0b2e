using System.Text.RegularExpressions;
using ArbBot.FakeVenues.Polymarket;
using ArbBot.IntegrationTests.Support;
using static ArbBot.IntegrationTests.Support.StateDatabase;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>
/// `arbbot run` in live mode against the fake Kalshi and Polymarket servers, the venue as the
/// source of truth: a `kill -9` in the middle of trading, what happened at the venues while the
/// engine was down, and the account changed behind the engine's back.
/// </summary>
public sealed class ReconciliationTests
{
    [Fact]
    public async Task After_kill_9_with_a_half_filled_pair_and_a_resting_quote_the_restart_adopts_its_orders_counts_missed_fills_once_and_agrees_with_the_venues()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("reconcile-restart", "cross-venue-live-fake.yaml", (account, polyKey));
        string strategy = Path.Combine(fakes.Directory, "half_pair_and_quote.csx");
        File.WriteAllText(strategy, HalfPairAndQuote);
        string yaml = File.ReadAllText(fakes.Config);
        string first = WithExecution(WithStrategies(yaml, $"strategies:\n  - file: {strategy}\n"), "  reconcile_interval: 1s\n  legged_grace: 60s\n");
        File.WriteAllText(fakes.Config, first);
        string db = Of(fakes.Config);

        string legA, quoteId, legBVenueId;
        using (ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies"))
        {
            // The pair rests on both venues (YES on Kalshi, NO on Polymarket), the quote on Kalshi.
            bool resting = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.Resting.Count == 2 && fakes.Poly.OrdersResting == 1), TimeSpan.FromSeconds(90));
            Assert.True(resting, $"kalshi resting {fakes.Kalshi.Resting.Count}, polymarket {fakes.Poly.OrdersResting}\n{engine.StandardError}");
            legA = fakes.Kalshi.Resting.Single(r => r.Ticker == "FAKE-E01").OrderId;
            quoteId = fakes.Kalshi.Resting.Single(r => r.Ticker == "FAKE-E02").OrderId;
            legBVenueId = fakes.Poly.OrderIds.Single();

            // Half the pair fills while the engine watches.
            fakes.Kalshi.FillResting(legA, 2m);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Scalar(db, "SELECT COALESCE(SUM(size_micros), 0) FROM fills") == 2_000_000), TimeSpan.FromSeconds(30)),
                engine.StandardError);
            engine.KillHard(); // kill -9: nothing cancelled, nothing flushed
        }

        // While the engine is down: more of both legs fills, the quote fills in full (so the venue no longer
        // rests it), and an order nobody in the log placed rests with the engine's prefix.
        fakes.Kalshi.FillResting(legA, 1m);
        fakes.Kalshi.FillResting(quoteId, 5m);
        fakes.Poly.FillResting(legBVenueId, 2m);
        fakes.Kalshi.PlaceRestingByHand("FAKE-E03", "arb-999999999-0", bid: true, yesPrice: 0.02m, contracts: 1m);
        decimal kalshiE01 = fakes.Kalshi.PositionOf("FAKE-E01");
        long polyNo01 = fakes.Poly.TokenBalance("900012");
        Assert.Equal(3m, kalshiE01);
        Assert.Equal(2_000_000, polyNo01);

        // Restart without strategies: only what the log and the venues say drives it (the legged
        // policy at its usual grace: it must wait for the venues' accounts before it hedges).
        File.WriteAllText(fakes.Config, WithExecution(WithStrategies(yaml, "strategies: []\n"), "  reconcile_interval: 1s\n  resting_timeout: 4s\n"));
        using (ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies"))
        {
            Assert.True(await engine.WaitForErrorOutputAsync("reconciled kalshi (start)", TimeSpan.FromSeconds(90)), engine.StandardError);
            Assert.True(await engine.WaitForErrorOutputAsync("reconciled polymarket (start)", TimeSpan.FromSeconds(60)), engine.StandardError);
            string log = engine.StandardError;
            Assert.True(log.Contains("reconciled kalshi (start): 2 open orders at the venue (1 adopted, 0 ended while unseen, 1 unknown cancelled), 3 fills read (2 missed and now counted)", StringComparison.Ordinal), log);
            Assert.True(log.Contains("reconciled polymarket (start): 1 open orders at the venue (1 adopted, 0 ended while unseen, 0 unknown cancelled), 1 fills read (1 missed and now counted)", StringComparison.Ordinal), log);

            // The missed fills are in the log once each (the log's writer may be a moment behind the line above):
            // the quote's 5 on Kalshi, 2 + 1 of leg A on Kalshi, 2 of leg B on Polymarket.
            const string LegA = "(SELECT client_order_id FROM orders WHERE venue = 'kalshi' AND market = 'FAKE-E01' AND role = 'strategy')";
            const string LegB = "(SELECT client_order_id FROM orders WHERE venue = 'polymarket' AND market = '0xfake01' AND role = 'strategy')";
            const string Quote = "(SELECT client_order_id FROM orders WHERE venue = 'kalshi' AND market = 'FAKE-E02' AND role = 'strategy')";
            bool recorded = await EngineFixture.WaitUntil(() => Task.FromResult(
                Scalar(db, $"SELECT COUNT(*) FROM orders WHERE client_order_id = {Quote} AND status = 'filled'") == 1
                && Scalar(db, $"SELECT SUM(size_micros) FROM fills WHERE client_order_id = {Quote}") == 5_000_000
                && Scalar(db, $"SELECT SUM(size_micros) FROM fills WHERE client_order_id = {LegA}") == 3_000_000
                && Scalar(db, $"SELECT SUM(size_micros) FROM fills WHERE client_order_id = {LegB}") == 2_000_000), TimeSpan.FromSeconds(30));
            Assert.True(recorded, engine.StandardError);
            Assert.Equal(2, Scalar(db, $"SELECT COUNT(*) FROM fills WHERE client_order_id = {LegA}"));
            Assert.Equal(1, Scalar(db, $"SELECT COUNT(*) FROM fills WHERE client_order_id = {LegB}"));

            // The unknown order is cancelled and alerted; the engine's own resting orders were adopted:
            // it cancels them itself at its resting timeout, which it could not do for orders it did not follow.
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.StatusOf("arb-999999999-0") == "canceled"), TimeSpan.FromSeconds(30)), engine.StandardError);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(string.Join("\n", Column(db, "SELECT message FROM alerts WHERE kind = 'reconcile'")).Contains("is not in the fill log: cancelling it", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
                engine.StandardError);

            // Everything settles down: no order rests anywhere, no order or attempt is working, and the
            // legged episodes (the pair 3 YES to 2 NO, the filled quote) are resolved by the policy.
            bool quiet = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.Resting.Count == 0 && fakes.Poly.OrdersResting == 0
                && Scalar(db, "SELECT COUNT(*) FROM orders WHERE status IN ('new', 'acked', 'partially_filled')") == 0
                && Scalar(db, "SELECT COUNT(*) FROM attempts WHERE status = 'working'") == 0
                && Scalar(db, "SELECT COUNT(*) FROM legged WHERE ended_ms IS NULL") == 0), TimeSpan.FromSeconds(90));
            Assert.True(quiet, $"not settled: kalshi resting {fakes.Kalshi.Resting.Count}, polymarket {fakes.Poly.OrdersResting}; in the log: "
                + string.Join(", ", Column(db, "SELECT client_order_id || ' ' || venue || ' ' || status FROM orders WHERE status IN ('new', 'acked', 'partially_filled')")) + " working; "
                + string.Join(", ", Column(db, "SELECT group_id || ' ' || kind FROM attempts WHERE status = 'working'")) + " attempts working; "
                + Scalar(db, "SELECT COUNT(*) FROM legged WHERE ended_ms IS NULL") + " episodes open\n" + engine.StandardError);

            // Nothing was sent twice, and the positions the log makes are the venues'.
            Assert.Empty(fakes.Kalshi.RepeatedClientIds);
            foreach (string ticker in new[] { "FAKE-E01", "FAKE-E02" })
            {
                Assert.Equal(fakes.Kalshi.PositionOf(ticker), KalshiNetPosition(db, ticker));
            }

            foreach ((string condition, string yes, string no) in CrossVenueFakes.PolyMarkets.Take(2))
            {
                Assert.Equal(fakes.Poly.TokenBalance(yes), PolymarketHeld(db, condition, "yes"));
                Assert.Equal(fakes.Poly.TokenBalance(no), PolymarketHeld(db, condition, "no"));
            }

            Assert.Equal(0, Scalar(db, "SELECT COUNT(*) FROM position_checks"));
        }
    }

    [Fact]
    public async Task A_position_changed_behind_the_engines_back_is_alerted_blocks_its_event_and_clears_when_the_operator_accepts_the_venues_figure()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("reconcile-mismatch", "cross-venue-live-fake.yaml", (account, polyKey));
        string strategy = Path.Combine(fakes.Directory, "probe_e03.csx");
        File.WriteAllText(strategy, ProbeE03);
        File.WriteAllText(fakes.Config, WithExecution(WithStrategies(File.ReadAllText(fakes.Config), $"strategies:\n  - file: {strategy}\n"), "  reconcile_interval: 1s\n"));
        string db = Of(fakes.Config);

        using ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(await engine.WaitForErrorOutputAsync("reconciled kalshi (start)", TimeSpan.FromSeconds(90)), engine.StandardError);
        Assert.True(await engine.WaitForErrorOutputAsync("reconciled polymarket (start)", TimeSpan.FromSeconds(60)), engine.StandardError);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.OrdersWithClientIdPrefix("arb-") > 0), TimeSpan.FromSeconds(60)), engine.StandardError);

        // Someone trades the account by hand: 4 YES on Kalshi FAKE-E03, 3 NO tokens on Polymarket 0xfake04.
        fakes.Kalshi.AdjustPosition("FAKE-E03", 4m);
        fakes.Poly.AdjustTokenBalance("900042", 3m);
        bool found = await EngineFixture.WaitUntil(() => Task.FromResult(Scalar(db, "SELECT COUNT(*) FROM position_checks") == 2), TimeSpan.FromSeconds(30));
        Assert.True(found, engine.StandardError);
        string Alerts() => string.Join("\n", Column(db, "SELECT message FROM alerts WHERE kind = 'position_mismatch'"));
        bool alerted = await EngineFixture.WaitUntil(() => Task.FromResult(Alerts().Contains("kalshi FAKE-E03 yes: the venue holds 4.00 contracts, the fill log 0.00", StringComparison.Ordinal)
            && Alerts().Contains("polymarket 0xfake04 no: the venue holds 3.00 contracts, the fill log 0.00", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        Assert.True(alerted, Alerts());

        int sent = fakes.Kalshi.OrdersWithClientIdPrefix("arb-");
        (int listCode, string listed, _) = await ArbBotProcess.RunAsync(fakes.Directory, TimeSpan.FromSeconds(60), "positions", "--config", fakes.Config);
        Assert.Equal(1, listCode);
        Assert.Contains("kalshi\tFAKE-E03\tyes\t0.00\t4.00", listed, StringComparison.Ordinal);

        // The operator takes the venues' figures; the engine books them and trades the event again.
        foreach (string venue in new[] { "kalshi", "polymarket" })
        {
            (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(fakes.Directory, TimeSpan.FromSeconds(60), "positions", "accept", "--venue", venue, "--config", fakes.Config);
            Assert.True(code == 0, stdout + stderr);
        }

        bool cleared = await EngineFixture.WaitUntil(() => Task.FromResult(Scalar(db, "SELECT COUNT(*) FROM position_checks") == 0
            && Scalar(db, "SELECT COUNT(*) FROM position_accepts WHERE applied_ms IS NOT NULL") == 2), TimeSpan.FromSeconds(30));
        Assert.True(cleared, engine.StandardError);
        Assert.Equal(4_000_000, Scalar(db, "SELECT SUM(size_micros) FROM fills WHERE trade_id LIKE 'accept:%' AND market = 'FAKE-E03'"));
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.OrdersWithClientIdPrefix("arb-") > sent), TimeSpan.FromSeconds(30)), "the event stayed blocked\n" + engine.StandardError);
        (int after, _, _) = await ArbBotProcess.RunAsync(fakes.Directory, TimeSpan.FromSeconds(60), "positions", "--config", fakes.Config);
        Assert.Equal(0, after);

        // While the positions differed, the probe's orders on the event were refused for it.
        engine.Interrupt();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Matches(@"position_mismatch \d+", engine.StandardOutput);
    }

    [Fact]
    public async Task A_resting_order_the_venue_ends_without_a_word_is_ended_once_two_checks_in_a_row_no_longer_list_it()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("reconcile-unseen", "cross-venue-live-fake.yaml", (account, polyKey));
        string strategy = Path.Combine(fakes.Directory, "quote_e02.csx");
        File.WriteAllText(strategy, QuoteE02);
        File.WriteAllText(fakes.Config, WithExecution(WithStrategies(File.ReadAllText(fakes.Config), $"strategies:\n  - file: {strategy}\n"), "  reconcile_interval: 1s\n"));
        string db = Of(fakes.Config);

        using ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        const string Quote = "(SELECT client_order_id FROM orders WHERE venue = 'kalshi' AND market = 'FAKE-E02' AND role = 'strategy')";
        bool acked = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.Resting.Count == 1
            && Scalar(db, $"SELECT COUNT(*) FROM orders WHERE client_order_id = {Quote} AND status = 'acked' AND venue_order_id IS NOT NULL") == 1), TimeSpan.FromSeconds(90));
        Assert.True(acked, engine.StandardError);

        // Someone cancels it on the venue's website: no message reaches the engine, only the venue's list of open orders changes.
        fakes.Kalshi.CancelRestingByHand(fakes.Kalshi.Resting.Single().OrderId);
        bool ended = await EngineFixture.WaitUntil(() => Task.FromResult(
            Scalar(db, $"SELECT COUNT(*) FROM orders WHERE client_order_id = {Quote} AND status = 'cancelled'") == 1
            && Scalar(db, "SELECT COUNT(*) FROM attempts WHERE status = 'working'") == 0), TimeSpan.FromSeconds(60));
        Assert.True(ended, engine.StandardError);
        Assert.True(await engine.WaitForErrorOutputAsync("1 ended while unseen", TimeSpan.FromSeconds(30)), engine.StandardError);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(string.Join("\n", Column(db, "SELECT message FROM alerts WHERE kind = 'reconcile'"))
            .Contains("is working in the engine but the venue did not list it in two checks in a row", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), engine.StandardError);
        Assert.Equal(0m, fakes.Kalshi.PositionOf("FAKE-E02"));
        Assert.Equal(0, Scalar(db, "SELECT COUNT(*) FROM fills"));
    }

    [Fact]
    public async Task Attempts_the_venue_balance_cannot_pay_for_are_refused_before_any_leg_is_sent()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("reconcile-cash", "cross-venue-live-fake.yaml", (account, polyKey));
        fakes.Kalshi.BalanceMicros = 100_000; // $0.10 at Kalshi: the probe's 1 contract at $0.20 is more
        string strategy = Path.Combine(fakes.Directory, "probe_e03.csx");
        File.WriteAllText(strategy, ProbeE03);
        File.WriteAllText(fakes.Config, WithStrategies(File.ReadAllText(fakes.Config), $"strategies:\n  - file: {strategy}\n"));

        using ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(await engine.WaitForErrorOutputAsync("(insufficient_balance)", TimeSpan.FromSeconds(90)), engine.StandardError);
        Assert.Contains("(balance $0.10,", engine.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, fakes.Kalshi.OrdersWithClientIdPrefix("arb-"));
    }

    /// <summary>
    /// Once: a pair resting on FAKE-E01 (5 YES at $0.01 on Kalshi, 5 NO at $0.01 on Polymarket),
    /// and a quote of 5 YES at $0.01 on Kalshi FAKE-E02. Nothing crosses, so only the fakes fill them.
    /// </summary>
    private const string HalfPairAndQuote = """
        public sealed class HalfPairAndQuote : IStrategy, IStrategyIntents
        {
            private bool _pair, _quote;
            private long _pairId = -1, _quoteId = -1;

            public void Initialize(IStrategySetup setup) { }

            public void OnBookUpdate(IStrategyContext context)
            {
                IBookView kalshi = context.Pair.Leg(0), poly = context.Pair.Leg(1);
                if (kalshi.IsStale || poly.IsStale)
                {
                    return;
                }

                if (context.Pair.EventId == "FAKE-E01" && !_pair)
                {
                    _pair = true;
                    var yes = new OrderIntent(kalshi.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(5), TimeInForce.GoodTillCancelled, PostOnly: true);
                    var no = new OrderIntent(poly.Market, Outcome.No, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(5), TimeInForce.GoodTillCancelled, PostOnly: true);
                    var group = IntentGroup.Pair(yes, no, Money.Parse("4"), "resting pair");
                    context.Emit(group);
                    _pairId = group.Id;
                }
                else if (context.Pair.EventId == "FAKE-E02" && !_quote)
                {
                    _quote = true;
                    var quote = new OrderIntent(kalshi.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(5), TimeInForce.GoodTillCancelled, PostOnly: true);
                    var group = IntentGroup.Single(quote, Money.Parse("1"), "resting quote");
                    context.Emit(group);
                    _quoteId = group.Id;
                }
            }

            public void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context)
            {
                // Refused (the venue's account not read back yet): send it again on a later update.
                if (update.State == IntentGroupState.Refused)
                {
                    _pair &= update.GroupId != _pairId;
                    _quote &= update.GroupId != _quoteId;
                }
            }
        }
        """;

    /// <summary>Once: a quote of 5 YES at $0.01 on Kalshi FAKE-E02 that nothing crosses (sent again only if refused).</summary>
    private const string QuoteE02 = """
        public sealed class QuoteE02 : IStrategy, IStrategyIntents
        {
            private bool _sent;
            private long _id = -1;

            public void Initialize(IStrategySetup setup) { }

            public void OnBookUpdate(IStrategyContext context)
            {
                IBookView kalshi = context.Pair.Leg(0);
                if (_sent || context.Pair.EventId != "FAKE-E02" || kalshi.IsStale)
                {
                    return;
                }

                _sent = true;
                var quote = new OrderIntent(kalshi.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(5), TimeInForce.GoodTillCancelled, PostOnly: true);
                var group = IntentGroup.Single(quote, Money.Parse("1"), "resting quote");
                context.Emit(group);
                _id = group.Id;
            }

            public void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context)
            {
                _sent &= !(update.State == IntentGroupState.Refused && update.GroupId == _id);
            }
        }
        """;

    /// <summary>Keeps one buy of 1 YES at $0.20 on Kalshi FAKE-E03 going: immediate-or-cancel (it never fills there), again whenever the last one ended or was refused.</summary>
    private const string ProbeE03 = """
        public sealed class ProbeE03 : IStrategy, IStrategyIntents
        {
            private bool _working;

            public void Initialize(IStrategySetup setup) { }

            public void OnBookUpdate(IStrategyContext context)
            {
                IBookView kalshi = context.Pair.Leg(0);
                if (_working || context.Pair.EventId != "FAKE-E03" || kalshi.IsStale)
                {
                    return;
                }

                _working = true;
                var probe = new OrderIntent(kalshi.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.20"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel);
                context.Emit(IntentGroup.Single(probe, Money.Parse("1"), "probe"));
            }

            public void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context)
            {
                if (update.State != IntentGroupState.Accepted)
                {
                    _working = false;
                }
            }
        }
        """;

    private static string WithStrategies(string yaml, string strategies) =>
        Regex.Replace(yaml, @"strategies:.*?(?=\nexecution:)", strategies, RegexOptions.Singleline);

    private static string WithExecution(string yaml, string lines) =>
        yaml.Contains("\nexecution:\n", StringComparison.Ordinal)
            ? yaml.Replace("\nexecution:\n", "\nexecution:\n" + lines, StringComparison.Ordinal)
            : throw new InvalidOperationException("no execution section to add to");


    /// <summary>Kalshi's one signed position from the log's fills: YES bought less sold, less NO bought less sold.</summary>
    private static decimal KalshiNetPosition(string db, string ticker) =>
        Scalar(db, $"SELECT COALESCE(SUM(CASE WHEN (outcome = 'yes') = (side = 'buy') THEN size_micros ELSE -size_micros END), 0) FROM fills WHERE venue = 'kalshi' AND market = '{ticker}'") / 1_000_000m;

    /// <summary>Polymarket tokens of one outcome the log's fills hold: bought less sold.</summary>
    private static long PolymarketHeld(string db, string condition, string outcome) =>
        Scalar(db, $"SELECT COALESCE(SUM(CASE side WHEN 'buy' THEN size_micros ELSE -size_micros END), 0) FROM fills WHERE venue = 'polymarket' AND market = '{condition}' AND outcome = '{outcome}'");


}
