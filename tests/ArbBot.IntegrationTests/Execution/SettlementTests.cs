using System.Text.RegularExpressions;
using ArbBot.FakeVenues.Polymarket;
using ArbBot.IntegrationTests.Support;
using static ArbBot.IntegrationTests.Support.StateDatabase;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>Markets resolving: the venues' own results settle the positions exactly, and simulated venues resolve their rounds so long paper runs stay flat.</summary>
public sealed class SettlementTests
{
    [Fact]
    public async Task Each_venue_settles_its_market_on_its_own_result_and_the_fill_log_books_the_exact_profit()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("settle-live", "cross-venue-live-fake.yaml", (account, polyKey));
        string strategy = Path.Combine(fakes.Directory, "buy_both.csx");
        File.WriteAllText(strategy, BuyBoth);
        string yaml = Regex.Replace(File.ReadAllText(fakes.Config), @"strategies:.*?(?=\nexecution:)", $"strategies:\n  - file: {strategy}\n", RegexOptions.Singleline)
            .Replace("\nexecution:\n", "\nexecution:\n  legged_grace: 120s\n  reconcile_interval: 1s\n", StringComparison.Ordinal)
            .Replace("private_key_file: key.pem", "private_key_file: key.pem\n      result_poll_ms: \"300\"", StringComparison.Ordinal);
        File.WriteAllText(fakes.Config, yaml);
        string db = Of(fakes.Config);

        using ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        bool bought = await EngineFixture.WaitUntil(() => Task.FromResult(Scalar(db, "SELECT COUNT(DISTINCT venue) FROM fills WHERE market IN ('FAKE-E04', '0xfake03')") == 2), TimeSpan.FromSeconds(90));
        Assert.True(bought, engine.StandardError);
        long kalshiHeld = Scalar(db, "SELECT SUM(size_micros) FROM fills WHERE market = 'FAKE-E04'");
        long kalshiCost = Scalar(db, "SELECT SUM((price_micros * size_micros + 999999) / 1000000 + fee_micros) FROM fills WHERE market = 'FAKE-E04'");
        long polyCost = Scalar(db, "SELECT SUM((price_micros * size_micros + 999999) / 1000000 + fee_micros) FROM fills WHERE market = '0xfake03'");

        // Kalshi decides YES (its YES pay $1 each); Polymarket, on its own, decides YES too (its NO pay nothing).
        fakes.Kalshi.Resolve("FAKE-E04", yes: true);
        fakes.Poly.Resolve("0xfake03", yesWins: true);
        bool settled = await EngineFixture.WaitUntil(() => Task.FromResult(Scalar(db, "SELECT COUNT(*) FROM settlements") == 2), TimeSpan.FromSeconds(30));
        Assert.True(settled, engine.StandardError);

        Assert.Equal(kalshiHeld, Scalar(db, "SELECT payout_micros FROM settlements WHERE market = 'FAKE-E04' AND winner = 'yes'"));
        Assert.Equal(kalshiHeld - kalshiCost, Scalar(db, "SELECT pnl_micros FROM settlements WHERE market = 'FAKE-E04'"));
        Assert.Equal(0, Scalar(db, "SELECT payout_micros FROM settlements WHERE market = '0xfake03'"));
        Assert.Equal(-polyCost, Scalar(db, "SELECT pnl_micros FROM settlements WHERE market = '0xfake03'"));
        // As many YES as the strategy bought before the venue decided (3 a group; a second group may get in first).
        string held = Abstractions.FixedPoint.Quantity.FromMicros(kalshiHeld).ToString();
        Assert.True(await engine.WaitForErrorOutputAsync($"kalshi FAKE-E04 resolved yes: {held} yes and 0.00 no settled", TimeSpan.FromSeconds(30)), engine.StandardError);

        // The venue's account agrees (Kalshi zeroed its position; Polymarket's unredeemed tokens of a resolved market are not a difference).
        int kalshiReads = fakes.Kalshi.PositionReads, polyReads = fakes.Poly.CollateralReads;
        bool checkedAfter = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Kalshi.PositionReads >= kalshiReads + 2 && fakes.Poly.CollateralReads >= polyReads + 1), TimeSpan.FromSeconds(30));
        Assert.True(checkedAfter, engine.StandardError); // a whole check of each venue after both settled
        Assert.Equal(0, Scalar(db, "SELECT COUNT(*) FROM position_checks"));

        engine.Interrupt();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        (int code, string report, string stderr) = await ArbBotProcess.RunAsync(fakes.Directory, TimeSpan.FromSeconds(60), "report", "fills", "--config", fakes.Config);
        Assert.True(code == 0, report + stderr);
        Assert.Contains("settlements", report, StringComparison.Ordinal);
        Assert.Contains("$" + FormatMicros(kalshiHeld - kalshiCost - polyCost), report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulated_venues_resolve_their_rounds_so_a_paper_run_settles_its_positions()
    {
        string dir = TestPaths.NewTempDirectory("settle-sim");
        string config = Path.Combine(dir, "arbbot.yaml");
        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("settle_every_s: \"600\"", "settle_every_s: \"2\"", StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal)
            .Replace("enabled: true", "enabled: false", StringComparison.Ordinal);
        Assert.Contains("settle_every_s: \"2\"", yaml, StringComparison.Ordinal);
        File.WriteAllText(config, yaml);
        string db = Of(config);
        using ArbBotProcess run = ArbBotProcess.Start(dir, "run", "--config", config, "--no-watch-plugins", "--no-watch-strategies");

        // Most events' markets on both venues resolve (a round every 2 s), each venue the same way for the same round.
        bool resolved = await EngineFixture.WaitUntil(() => Task.FromResult(Scalar(db, "SELECT COUNT(DISTINCT market) FROM settlements") >= 30), TimeSpan.FromSeconds(120));
        Assert.True(resolved, run.StandardError);
        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, Scalar(db, """
            SELECT COUNT(*) FROM settlements k JOIN settlements p
              ON substr(k.market, 6) = substr(p.market, 6) AND k.venue_ms = p.venue_ms
            WHERE k.venue = 'sim-kalshi' AND p.venue = 'sim-poly' AND k.winner <> p.winner
            """));
    }

    /// <summary>Once each: 3 YES on Kalshi FAKE-E04 and 5 NO on Polymarket 0xfake03 (event FAKE-E03), taken at the asks.</summary>
    private const string BuyBoth = """
        public sealed class BuyBoth : IStrategy, IStrategyIntents
        {
            private bool _kalshi, _poly;
            private long _kalshiId = -1, _polyId = -1;

            public void Initialize(IStrategySetup setup) { }

            public void OnBookUpdate(IStrategyContext context)
            {
                if (context.Pair.Leg(0).IsStale || context.Pair.Leg(1).IsStale)
                {
                    return;
                }

                // Two events, so that the first fill (an unhedged position: the event is legged) does not hold the other back.
                if (context.Pair.EventId == "FAKE-E04" && !_kalshi)
                {
                    _kalshi = true;
                    var group = IntentGroup.Single(new OrderIntent(context.Pair.Leg(0).Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.99"), Quantity.FromContracts(3), TimeInForce.FillOrKill), Money.Parse("1"), "buy yes");
                    context.Emit(group);
                    _kalshiId = group.Id;
                }

                if (context.Pair.EventId == "FAKE-E03" && !_poly)
                {
                    _poly = true;
                    var group = IntentGroup.Single(new OrderIntent(context.Pair.Leg(1).Market, Outcome.No, OrderSide.Buy, Price.Parse("0.99"), Quantity.FromContracts(5), TimeInForce.FillOrKill), Money.Parse("1"), "buy no");
                    context.Emit(group);
                    _polyId = group.Id;
                }
            }

            public void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context)
            {
                // Refused (the account not read back yet) or not filled: again on a later update.
                bool again = update.State == IntentGroupState.Refused || (update.State == IntentGroupState.Ended && update.Filled.IsZero);
                _kalshi &= !(again && update.GroupId == _kalshiId);
                _poly &= !(again && update.GroupId == _polyId);
            }
        }
        """;

    private static string FormatMicros(long micros) => ArbBot.Abstractions.FixedPoint.Money.FromMicros(micros).ToString();

}
