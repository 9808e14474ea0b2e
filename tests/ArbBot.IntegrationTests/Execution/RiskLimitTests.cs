using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Risk;
using ArbBot.IntegrationTests.Support;
using static ArbBot.IntegrationTests.Execution.TradingHarness;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>Each risk limit rejecting a group that breaks it (and letting through one that does not), with the reason counted.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class RiskLimitTests
{
    [Fact]
    public async Task Max_order_rejects_an_order_whose_limit_times_size_is_over()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { MaxOrder = "5" });
        await h.SetUsualBooksAsync();
        await ExpectRejected(h, h.DutchPair(contracts: 12), RejectReason.MaxOrder); // 12 x 0.45 = 5.40
        await h.SendAsync(h.DutchPair(contracts: 10)); // 10 x 0.50 = 5.00: at the limit is fine
    }

    [Fact]
    public async Task Min_edge_rejects_a_small_edge_and_one_the_books_no_longer_offer()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        await ExpectRejected(h, h.DutchPair(edge: "0.005"), RejectReason.MinEdge);

        // The strategy claims $0.20, but YES at 0.45 + NO at 0.58 now costs more than $1 with fees.
        await h.SetPolyBookAsync("EV1", [L("0.48", 100)], [L("0.50", 100)], [L("0.48", 100)], [L("0.58", 100)]);
        string detail = await ExpectRejected(h, h.DutchPair(noLimit: "0.58"), RejectReason.MinEdge);
        Assert.Contains("edge at the books now", detail);

        // Slippage: the depth at the limit is gone.
        await h.SetPolyBookAsync("EV1", [L("0.48", 100)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 3), L("0.60", 100)]);
        Assert.Contains("only 3.00 of 10.00", await ExpectRejected(h, h.DutchPair(), RejectReason.MinEdge));
    }

    [Fact]
    public async Task A_pair_whose_second_venue_cannot_pay_is_refused_before_any_leg_is_sent()
    {
        // pb starts with $10. A pair buys 10 NO there at 0.50: $5.00 + at most 0.04 x 10 x 0.25 = $0.10 of fee.
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { PbBalance = "10" });
        await h.SetUsualBooksAsync();
        await h.SetUsualBooksAsync("EV2");
        await h.SendAsync(h.DutchPair());
        long sent = (await h.SummaryAsync()).OrdersSent;

        // Whether the first pair has filled (spent 5.10) or still works (held: 5.00 and the fee bound 0.10 + one
        // $0.00001 rounding step), about $4.90 is left: a pair of 11 on the other event (5.50 + 0.11001 on pb) is refused whole.
        string detail = await ExpectRejected(h, h.DutchPair(eventId: "EV2", contracts: 11), RejectReason.InsufficientBalance, "EV2");
        Assert.Contains("pb needs $5.61001 for this group", detail);
        Assert.Matches(@"has \$(4\.90|4\.89999) left", detail);
        Assert.Equal(sent, (await h.SummaryAsync()).OrdersSent); // not even the ka leg, which ka could pay

        // A smaller pair fits: 9 x 0.50 + 0.09 = 4.59.
        await h.SendAsync(h.DutchPair(eventId: "EV2", contracts: 9), "EV2");
    }

    [Fact]
    public async Task A_good_till_date_order_needs_an_expiry_in_the_future_and_no_other_order_has_one()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        MarketHandle pb = h.Market("pb", "EV1");
        OrderIntent gtd = Buy(pb, Outcome.Yes, "0.48", 5, TimeInForce.GoodTillDate, postOnly: true);
        Assert.Contains("needs ExpiresAtMs", await ExpectRejected(h, IntentGroup.Single(gtd, M("1"), "no expiry"), RejectReason.BadExpiry));
        long past = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1_000;
        Assert.Contains("has already passed", await ExpectRejected(h, IntentGroup.Single(gtd with { ExpiresAtMs = past }, M("1"), "expired already"), RejectReason.BadExpiry));
        OrderIntent gtc = Buy(pb, Outcome.Yes, "0.48", 5, TimeInForce.GoodTillCancelled, postOnly: true) with { ExpiresAtMs = past + 60_000 };
        Assert.Contains("only for good-till-date orders", await ExpectRejected(h, IntentGroup.Single(gtc, M("1"), "gtc with expiry"), RejectReason.BadExpiry));
    }

    [Fact]
    public async Task Stale_and_old_books_are_not_traded_on()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { MaxBookAge = "300ms" });
        await ExpectRejected(h, h.DutchPair(eventId: "EV2"), RejectReason.StaleBook, "EV2"); // never had a snapshot

        await h.SetUsualBooksAsync();
        await Task.Delay(600); // no update for twice max_book_age
        Assert.Contains("not updated for", await ExpectRejected(h, h.DutchPair(), RejectReason.BookAge));
    }

    [Fact]
    public async Task A_book_that_just_started_a_new_epoch_is_not_traded_on()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { MinEpochAge = "1h" });
        await h.SetUsualBooksAsync();
        Assert.Contains("started a new epoch", await ExpectRejected(h, h.DutchPair(), RejectReason.NewEpoch));
    }

    [Fact]
    public async Task Exposure_limits_per_event_in_total_and_unhedged()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { MaxEvent = "16", MaxTotal = "22", MaxUnhedged = "6" });
        await h.SetUsualBooksAsync("EV1");
        await h.SetUsualBooksAsync("EV2");

        // A single resting quote is unhedged by nature: $7 of it passes max_unhedged_usd $6.
        var quote = IntentGroup.Single(Buy(h.Market("pb", "EV2"), Outcome.Yes, "0.35", 20, TimeInForce.GoodTillCancelled, postOnly: true), M("1"), "quote");
        await ExpectRejected(h, quote, RejectReason.MaxUnhedged, "EV2");

        long first = await h.SendAsync(h.DutchPair(contracts: 10)); // $9.78 held on EV1 once filled
        Assert.True(await h.WaitAsync(() => h.GroupDone(first)));
        await ExpectRejected(h, h.DutchPair(contracts: 10), RejectReason.MaxEventExposure); // + $9.50 at the limits passes $16

        long second = await h.SendAsync(h.DutchPair(eventId: "EV2", contracts: 10), "EV2"); // $9.78 on EV2: $19.56 in all
        Assert.True(await h.WaitAsync(() => h.GroupDone(second)));
        await ExpectRejected(h, h.DutchPair(eventId: "EV2", contracts: 3), RejectReason.MaxTotalExposure, "EV2"); // + $2.85 passes $22, not EV2's $16
    }

    [Fact]
    public async Task Venue_rate_limit_rejects_orders_past_the_bucket()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Rate = 1 });
        await h.SetUsualBooksAsync("EV1");
        await h.SendAsync(h.DutchPair(eventId: "EV1")); // one order on each venue: each bucket is empty for a second
        var single = IntentGroup.Single(Buy(h.Market("ka", "EV1"), Outcome.Yes, "0.45", 3), M("0.5"), "one more");
        await ExpectRejected(h, single, RejectReason.RateLimit);
    }

    [Fact]
    public async Task A_legged_event_takes_no_new_orders_until_resolved()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Grace = "30s" });
        await h.SetUsualBooksAsync();
        long id = await h.SendAsync(h.DutchPair(noLimit: "0.505")); // NO leg rejected: legged
        Assert.True(await h.WaitAsync(() => h.GroupDone(id) && h.Execution.Policy.IsLegged(0)));
        await ExpectRejected(h, h.DutchPair(contracts: 5), RejectReason.EventLegged);
    }

    [Fact]
    public async Task Circuit_breaker_trips_after_errors_in_a_row_and_lets_orders_through_after_the_cooldown()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        MarketHandle pb = h.Market("pb", "EV1");

        // Three orders the venue rejects (off its tick): breaker_errors is 3.
        for (int i = 0; i < 3; i++)
        {
            long bad = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.455", 1 + i), M("0.5"), "bad tick"));
            Assert.True(await h.WaitAsync(() => h.GroupDone(bad)));
        }

        Assert.True((await h.SummaryAsync()).Routes.Single(r => r.Venue == "pb").BreakerOpen);
        await ExpectRejected(h, IntentGroup.Single(Buy(pb, Outcome.Yes, "0.50", 1), M("0.5"), "good"), RejectReason.CircuitBreaker);
        Assert.Contains("breaker", await h.ColumnAsync("SELECT kind FROM alerts"));

        // After the 2 s cooldown orders flow again, and a success closes the breaker for good.
        await Task.Delay(2_500);
        await h.SetUsualBooksAsync();
        long good = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.50", 1), M("0.5"), "good"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(good)));
        Assert.Equal(OrderStatus.Filled, (await h.OnKernelAsync(() => h.Orders.Order($"arb-{good}-0")))!.Status);
        var route = (await h.SummaryAsync()).Routes.Single(r => r.Venue == "pb");
        Assert.False(route.BreakerOpen);
        Assert.Equal(1, route.BreakerTrips);
    }

    [Fact]
    public async Task Daily_loss_trips_the_kill_switch()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { DailyLoss = "1", MaxLeggedLoss = "0.01", Grace = "1s" });
        await h.SetUsualBooksAsync();
        long id = await h.SendAsync(h.DutchPair(noLimit: "0.505"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));

        // NO now costs too much to hedge within $0.01: the 10 YES are sold at a 0.20 bid, a loss of about $2.68.
        await h.SetKalshiBookAsync("EV1", [L("0.20", 100)], [L("0.55", 100)]);
        await h.SetPolyBookAsync("EV1", [L("0.20", 100)], [L("0.50", 100)], [L("0.19", 100)], [L("0.80", 100)]);
        Assert.True(await h.WaitAsync(() => h.Host.Kill.IsEngaged), "the daily loss did not trip the kill switch");
        Assert.Contains("daily loss", h.Host.Kill.State!.Reason);
        Assert.Equal("engine", h.Host.Kill.State.Source);
        await ExpectRejected(h, h.DutchPair(contracts: 1), RejectReason.KillSwitch);
    }

    [Fact]
    public async Task Consecutive_losses_trip_the_kill_switch()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { MaxLosses = 2, Latency = "1s" });
        for (int i = 0; i < 2; i++)
        {
            // Loose limits pass at today's books (0.45 + 0.50); by arrival YES has moved to 0.55: the pair costs over $1.
            await h.SetUsualBooksAsync();
            long id = await h.SendAsync(h.DutchPair(yesLimit: "0.55"));
            await h.SetKalshiBookAsync("EV1", [L("0.40", 100)], [L("0.45", 100)]);
            Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
            Assert.True(await h.OnKernelAsync(() => h.Execution.RealisedEdge) < Money.Zero);
        }

        Assert.True(await h.WaitAsync(() => h.Host.Kill.IsEngaged));
        Assert.Contains("2 losing attempts in a row", h.Host.Kill.State!.Reason);
    }

    private static async Task<string> ExpectRejected(TradingHarness h, IntentGroup group, string reason, string eventId = "EV1")
    {
        long before = (await h.SummaryAsync()).Rejections.GetValueOrDefault(reason);
        long attempts = (await h.SummaryAsync()).Attempts;
        await h.SubmitAsync(group, eventId);
        ExecutionSummary after = await h.SummaryAsync();
        string last = await h.OnKernelAsync(() => h.Execution.Risk.LastRejection);
        Assert.True(after.Rejections.GetValueOrDefault(reason) == before + 1, $"expected a {reason} rejection; last rejection: {last}");
        Assert.Equal(attempts, after.Attempts);
        return last;
    }
}
