using System.Globalization;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk;
using ArbBot.IntegrationTests.Support;
using static ArbBot.IntegrationTests.Execution.TradingHarness;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>
/// Two-leg attempts through the whole engine against controlled books: every way a pair can end,
/// and the legged policy resolving each imbalance with the cost recorded exactly.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class TwoLegScenarioTests
{
    private static readonly IFeeModel KalshiFees = new KalshiFeeModel(Price.One, makerFees: false);
    private static readonly IFeeModel PolyFees = new PolymarketFeeModel(Price.Parse("0.04"));

    [Fact]
    public async Task Both_legs_fill_the_attempt_is_filled_and_the_edge_is_locked_in()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();

        long id = await h.SendAsync(h.DutchPair());
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)), "the pair did not finish");

        Money cost = M("4.50") + KalshiFees.TakerFee(P("0.45"), Q(10)) + M("5.00") + PolyFees.TakerFee(P("0.50"), Q(10));
        Money expectedEdge = M("10") - cost;
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(1, s.AttemptsByStatus["filled"]);
        Assert.Equal(expectedEdge, s.RealisedEdge);
        Assert.Equal(expectedEdge, s.LockedIn);
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
        Assert.Equal(0, s.LeggedEpisodes + s.LeggedOpen);
        EventExposure exposure = await h.OnKernelAsync(() => h.Host.Inventory.ExposureOf(0));
        Assert.Equal(Q(10), exposure.Matched);

        Assert.Equal("filled", (await h.ColumnAsync($"SELECT status FROM attempts WHERE group_id = {id}")).Single());
        Assert.Equal(expectedEdge.Micros, await h.ScalarAsync($"SELECT realised_edge_micros FROM attempts WHERE group_id = {id}"));
        Assert.Equal(2, await h.ScalarAsync($"SELECT COUNT(*) FROM fills WHERE group_id = {id}"));
        Assert.Equal(2, await h.ScalarAsync($"SELECT COUNT(*) FROM orders WHERE group_id = {id} AND status = 'filled'"));

        // Settlement pays the winning side: the locked-in edge becomes realised.
        Money booked = await h.Host.SettleAsync("EV1", Outcome.No);
        Assert.Equal(expectedEdge, booked);
        Assert.Equal(Money.Zero, (await h.SummaryAsync()).LockedIn);
    }

    [Fact]
    public async Task One_leg_rejected_leaves_the_event_legged_and_the_policy_hedges_it()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();

        // 0.505 is off pb's one-cent tick: the venue (paper) rejects that leg; the YES leg fills.
        long id = await h.SendAsync(h.DutchPair(noLimit: "0.505"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
        Assert.Equal(OrderStatus.Rejected, (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-1")))!.Status);

        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1), "the legged episode was not resolved");
        LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
        Assert.Equal("hedged", episode.Resolution);
        Assert.Equal(Outcome.Yes, episode.Outcome);
        Assert.Equal(Q(10), episode.InitialQuantity);

        // The hedge bought 10 NO at pb's 0.50 (cheaper than ka's 0.60): the pair is the same trade the strategy wanted.
        Money cost = M("4.50") + KalshiFees.TakerFee(P("0.45"), Q(10)) + M("5.00") + PolyFees.TakerFee(P("0.50"), Q(10));
        Assert.Equal(cost - M("10"), episode.Loss);
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
        Assert.Equal(1, s.AttemptsByStatus["legged"]);
        Assert.Equal(["legged", "hedge", "resolved"], await h.ColumnAsync("SELECT kind FROM alerts ORDER BY rowid"));
        Assert.Equal("hedged", (await h.ColumnAsync($"SELECT resolution FROM legged WHERE id = {episode.Id}")).Single());
        Assert.Equal(1, await h.ScalarAsync("SELECT COUNT(*) FROM orders WHERE role = 'hedge' AND status = 'filled'"));
    }

    [Fact]
    public async Task One_leg_partially_filled_the_excess_is_hedged_at_the_price_its_depth_needs()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Latency = "1s" });
        await h.SetUsualBooksAsync();

        // Sent against 100 NO at 0.50; by the time it arrives only 4 are left there.
        long id = await h.SendAsync(h.DutchPair());
        await h.SetPolyBookAsync("EV1", [L("0.48", 100)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 4), L("0.70", 100)]);
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
        Assert.Equal(Q(4), (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-1")))!.Filled);

        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1));
        LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
        Assert.Equal("hedged", episode.Resolution);
        Assert.Equal(Q(6), episode.InitialQuantity);

        // pb still displays the 4 at 0.50 (a paper fill does not change the venue's feed), so 6 NO walk
        // to 0.70 there for less than ka's 0.60 each: the policy sends 0.70 to pb, which fills 6 at 0.70.
        Assert.Equal("pb|700000|6000000", (await h.ColumnAsync("SELECT venue || '|' || limit_micros || '|' || filled_micros FROM orders WHERE role = 'hedge'")).Single());
        EventExposure x = await h.OnKernelAsync(() => h.Host.Inventory.ExposureOf(0));
        Assert.Equal(Q(10), x.Matched);
        Assert.True(x.Unhedged.IsZero);
        Assert.Equal(1, (await h.SummaryAsync()).AttemptsByStatus["legged"]);
    }

    [Fact]
    public async Task Hedge_side_moves_away_the_policy_retries_within_the_loss_bound_then_unwinds()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { MaxLeggedLoss = "0.50", Grace = "1s" });
        await h.SetUsualBooksAsync();

        long id = await h.SendAsync(h.DutchPair(noLimit: "0.505"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));

        // Before the grace period ends the NO side runs away: 3 at 0.55, then nothing under 0.80 on either venue.
        await h.SetKalshiBookAsync("EV1", [L("0.20", 100)], [L("0.55", 100)]);
        await h.SetPolyBookAsync("EV1", [L("0.48", 100)], [L("0.50", 100)], [L("0.19", 100)], [L("0.55", 3), L("0.80", 100)]);

        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1), "the episode did not end");
        LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
        Assert.Equal("hedged and unwound", episode.Resolution);
        Assert.Equal(3, episode.HedgeTries);
        Assert.True(episode.UnwindTries >= 1);

        // Every hedge limit kept the loss it could lock in within the bound; the 3 that filled did.
        List<string> hedgeLimits = await h.ColumnAsync("SELECT limit_micros FROM orders WHERE role = 'hedge' ORDER BY sent_ms");
        Assert.Equal(3, hedgeLimits.Count);
        Assert.All(hedgeLimits, l => Assert.True(long.Parse(l, CultureInfo.InvariantCulture) < 800_000, $"hedge limit {l} reached the 0.80 level the bound forbids"));
        Assert.Equal(3_000_000, await h.ScalarAsync("SELECT SUM(filled_micros) FROM orders WHERE role = 'hedge'"));
        Assert.Equal(7_000_000, await h.ScalarAsync("SELECT SUM(filled_micros) FROM orders WHERE role = 'unwind'"));

        // Flat again: 3 matched, the other 7 YES sold at ka's 0.20 bid. The episode's cost is what it took off P&L.
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
        Assert.Equal(-(s.LockedIn + s.Realised), episode.Loss);
        Assert.True(episode.Loss!.Value > Money.Zero);
        Assert.Contains("unwind", await h.ColumnAsync("SELECT kind FROM alerts"));
    }

    [Fact]
    public async Task A_maker_fill_during_its_cancel_is_counted_and_hedged()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Latency = "1s" });
        await h.SetUsualBooksAsync();
        MarketHandle pb = h.Market("pb", "EV1");

        // A post-only bid at 0.45 (under the 0.48 best bid: nothing ahead to cross), resting.
        long quote = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.45", 10, TimeInForce.GoodTillCancelled, postOnly: true), M("0.50"), "test quote"));
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{quote}-0")!.Status == OrderStatus.Acked));

        // The strategy withdraws it; while the cancel travels (1 s) the market sells through our price.
        await h.SubmitAsync(IntentGroup.Cancel(quote, "withdraw"));
        Assert.True(await h.OnKernelAsync(() => h.Orders.Order($"arb-{quote}-0")!.CancelRequested));
        await h.SetPolyBookAsync("EV1", [L("0.40", 100)], [L("0.44", 100)], [L("0.48", 100)], [L("0.50", 100)]);

        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{quote}-0")!.IsDone));
        ManagedOrder order = (await h.OnKernelAsync(() => h.Orders.Order($"arb-{quote}-0")))!;
        Assert.Equal(OrderStatus.Filled, order.Status); // the late cancel's refusal does not undo the fill
        Assert.Equal(Q(10), order.Filled);
        Assert.Equal(1, (await h.SummaryAsync()).FillsDuringCancel);

        // Nobody else hedges it here, so the policy does.
        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1));
        Assert.Equal("hedged", (await h.OnKernelAsync(() => h.Execution.Policy.Closed[0])).Resolution);
        Assert.Equal(Q(10), (await h.OnKernelAsync(() => h.Host.Inventory.ExposureOf(0))).Matched);
    }

    [Fact]
    public async Task A_repeated_signal_while_the_attempt_is_in_flight_is_dropped_and_counted()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Latency = "1s" });
        await h.SetUsualBooksAsync();

        long first = await h.SendAsync(h.DutchPair(contracts: 5));
        await h.SubmitAsync(h.DutchPair(contracts: 5));
        await h.SubmitAsync(h.DutchPair(contracts: 5));
        Assert.Equal(2, (await h.SummaryAsync()).DuplicatesDropped);
        Assert.Equal(1, (await h.SummaryAsync()).Attempts);

        Assert.True(await h.WaitAsync(() => h.GroupDone(first)));
        await h.SendAsync(h.DutchPair(contracts: 5)); // the first is done: a new attempt may start
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(2, s.Attempts);
        Assert.Equal(2, s.Rejections[RejectReason.DuplicateInFlight]);
        Assert.Equal(4, await h.ScalarAsync("SELECT COUNT(*) FROM orders"));
    }

    [Fact]
    public async Task Resting_legs_are_cancelled_when_their_partner_is_done()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        OrderIntent yes = Buy(h.Market("ka", "EV1"), Outcome.Yes, "0.45", 10);
        OrderIntent noResting = Buy(h.Market("pb", "EV1"), Outcome.No, "0.40", 10, TimeInForce.GoodTillCancelled);
        long id = await h.SendAsync(IntentGroup.Pair(yes, noResting, M("1"), "test: taker + resting"));
        Assert.Empty((await h.SummaryAsync()).Rejections);

        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
        ManagedOrder resting = (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-1")))!;
        Assert.Equal(OrderStatus.Cancelled, resting.Status);
        Assert.Equal("cancelled by request", resting.Reason);
    }
}
