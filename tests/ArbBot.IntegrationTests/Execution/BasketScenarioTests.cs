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
/// Baskets over an outcome group's outcomes through the whole engine (risk, paper venues, fill log,
/// legged policy), against books the test sets: a complete basket locks in its edge and settles to
/// it; a basket with legs refused is legged as a group and the policy hedges it with the cheaper
/// plan or, past the loss bound, unwinds it, with the cost recorded exactly.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class BasketScenarioTests
{
    private static readonly IFeeModel PolyFees = new PolymarketFeeModel(Price.Parse("0.04"));

    [Fact]
    public async Task A_complete_three_outcome_yes_basket_locks_in_its_edge_and_settles_to_it()
    {
        await using TradingHarness h = await StartGroupAsync(3, exhaustive: true);
        await SetBooksAsync(h, 3, yesAsk: "0.30", noAsk: "0.72");

        long id = await h.SendAsync(YesBasket(h, 3, "0.30"), "G");
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)), "the basket did not finish");

        Money cost = Times(3, Leg("0.30"));
        Money edge = M("10") - cost;
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(1, s.AttemptsByStatus["filled"]);
        Assert.Equal(edge, s.RealisedEdge);
        Assert.Equal(edge, s.LockedIn);
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
        Assert.Equal(0, s.LeggedEpisodes + s.LeggedOpen);
        Assert.Equal("basket|G|filled", (await h.ColumnAsync($"SELECT kind || '|' || event || '|' || status FROM attempts WHERE group_id = {id}")).Single());
        Assert.Equal(edge.Micros, await h.ScalarAsync($"SELECT realised_edge_micros FROM attempts WHERE group_id = {id}"));

        // The status shows the group as one position ($10 whatever wins, nothing unhedged), not three unhedged YES.
        Engine.Hosting.PositionSummary position = Assert.Single((await h.Host.SummarizeAsync()).Positions);
        Assert.Equal(("G", Q(30), Q(10), Quantity.Zero, edge), (position.EventId, position.Yes, position.Matched, position.Unhedged, position.LockedIn));

        // The second outcome wins: its YES pays $10, the others nothing; the locked-in edge is what is realised.
        Money booked = await h.Host.SettleAsync("EV1", Outcome.No) + await h.Host.SettleAsync("EV2", Outcome.Yes) + await h.Host.SettleAsync("EV3", Outcome.No);
        Assert.Equal(edge, booked);
        Assert.Equal(Money.Zero, (await h.SummaryAsync()).LockedIn);
    }

    [Fact]
    public async Task A_three_outcome_basket_with_one_leg_refused_is_resolved_by_the_legged_policy()
    {
        await using TradingHarness h = await StartGroupAsync(3, exhaustive: true);
        await SetBooksAsync(h, 3, yesAsk: "0.30", noAsk: "0.72");

        // 0.305 is off pb's one-cent tick: the venue refuses the third leg; the first two fill.
        long id = await h.SendAsync(YesBasket(h, 3, "0.30", offTickLeg: 2), "G");
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
        Assert.Equal(OrderStatus.Rejected, (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-2")))!.Status);

        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1), "the legged episode was not resolved");
        LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
        Assert.Equal("hedged", episode.Resolution);
        Assert.Equal("G", episode.EventId);
        Assert.Equal(Q(10), episode.InitialQuantity); // $10 if EV1 or EV2 wins, $0 if EV3 does

        // Two ways to even it: 10 YES of EV3 (pays $10 whatever wins) or 10 NO of EV1 and of EV2 (pays $20);
        // at 0.30 against 0.72 the YES locks in more, so that is what the policy bought: the basket the strategy wanted.
        Assert.Equal("EV3|yes|pb|300000|10000000", (await h.ColumnAsync(
            "SELECT a.event || '|' || o.outcome || '|' || o.venue || '|' || o.limit_micros || '|' || o.filled_micros FROM orders o JOIN attempts a ON a.group_id = o.group_id WHERE o.role = 'hedge'")).Single());
        Assert.Equal(-(M("10") - Times(3, Leg("0.30"))), episode.Loss);
        GroupExposure x = await h.OnKernelAsync(() => h.Host.Inventory.GroupExposureOf(0));
        Assert.True(x.IsBalanced);
        Assert.Equal(Q(10), x.MinPayoff);
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
        Assert.Equal(1, s.AttemptsByStatus["legged"]);
        Assert.Equal(["legged", "hedge", "resolved"], await h.ColumnAsync("SELECT kind FROM alerts ORDER BY rowid"));
    }

    [Fact]
    public async Task A_five_outcome_no_basket_with_two_legs_refused_is_hedged_with_the_missing_no()
    {
        await using TradingHarness h = await StartGroupAsync(5, exhaustive: true);
        await SetBooksAsync(h, 5, yesAsk: "0.24", noAsk: "0.78");

        long id = await h.SendAsync(Basket(h, 5, Outcome.No, "0.78", offTickLegs: [3, 4]), "G");
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1), "the legged episode was not resolved");
        LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
        Assert.Equal("hedged", episode.Resolution);

        // Held: 10 NO of EV1..EV3, paying $20 if one of them wins and $30 if EV4 or EV5 does. Evening it with
        // 10 YES of EV1..EV3 at 0.24 pays $30 for $7.20; with 10 NO of EV4 and EV5 at 0.78 it pays $40 for $15.60: the NOs lock in more.
        Money yesPlan = Times(3, Leg("0.24")) - M("30");
        Money noPlan = Times(2, Leg("0.78")) - M("40");
        Assert.True(noPlan < yesPlan, "the scenario must make the NO plan the cheaper one");
        Assert.Equal(["EV4|no|780000|10000000", "EV5|no|780000|10000000"], await h.ColumnAsync(
            "SELECT a.event || '|' || o.outcome || '|' || o.limit_micros || '|' || o.filled_micros FROM orders o JOIN attempts a ON a.group_id = o.group_id WHERE o.role = 'hedge' ORDER BY a.event"));

        // Every ending now pays $40 (NO on all five): $40 less five legs' cost is locked in, and that is the episode's gain.
        Money lockedIn = M("40") - Times(5, Leg("0.78"));
        Assert.Equal(-lockedIn, episode.Loss);
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(lockedIn, s.LockedIn);
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
    }

    [Fact]
    public async Task A_five_outcome_basket_whose_missing_leg_costs_more_than_the_loss_bound_is_unwound()
    {
        await using TradingHarness h = await StartGroupAsync(5, exhaustive: true, new Settings { MaxLeggedLoss = "0.50" });
        await SetBooksAsync(h, 4, yesAsk: "0.18", noAsk: "0.84");

        // EV5's YES is offered only at 0.95 on pb (ka's NO bid of 0.01 offers it at 0.99): the basket's EV5
        // leg rests at 0.18 and is cancelled when the others are done, so the first four are held alone.
        await h.SetKalshiBookAsync("EV5", [L("0.01", 100)], [L("0.01", 100)]);
        await h.SetPolyBookAsync("EV5", [L("0.01", 100)], [L("0.95", 100)], [L("0.04", 100)], [L("0.99", 100)]);
        long id = await h.SendAsync(Basket(h, 5, Outcome.Yes, "0.18", restingLegs: [4]), "G");
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)));

        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1), "the legged episode was not resolved");
        LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
        Assert.Equal("unwound", episode.Resolution);
        Assert.Equal(0, episode.HedgeTries);

        // Buying EV5's YES at 0.95, or NO of the four at 0.84, would each lock in more than $0.50: the four YES were sold at their 0.16 bids.
        Assert.Equal(["EV1|yes|sell|160000|10000000", "EV2|yes|sell|160000|10000000", "EV3|yes|sell|160000|10000000", "EV4|yes|sell|160000|10000000"], await h.ColumnAsync(
            "SELECT a.event || '|' || o.outcome || '|' || o.side || '|' || o.limit_micros || '|' || o.filled_micros FROM orders o JOIN attempts a ON a.group_id = o.group_id WHERE o.role = 'unwind' ORDER BY a.event"));
        Assert.Contains(await h.ColumnAsync("SELECT message FROM alerts WHERE kind = 'hedge'"), m => m.Contains("max_legged_loss_usd", StringComparison.Ordinal));

        // Flat again; the cost is what the four round trips lost: bought at 0.18 plus fees, sold at 0.16 less fees.
        Money lost = Times(4, Leg("0.18") - (M("1.60") - PolyFees.TakerFee(P("0.16"), Q(10))));
        Assert.Equal(lost, episode.Loss);
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(Money.Zero, s.UnhedgedExposure);
        Assert.Equal(-lost, s.Realised);
    }

    [Fact]
    public async Task Risk_refuses_baskets_that_do_not_pay_the_same_whatever_wins_and_legs_outside_the_group()
    {
        await using TradingHarness h = await StartGroupAsync(3, exhaustive: true, new Settings { Events = 4 });
        await SetBooksAsync(h, 4, yesAsk: "0.30", noAsk: "0.60");

        // Two of three outcomes: nothing is paid if the third wins.
        string reason = await RefusalAsync(h, IntentGroup.Basket([YesLeg(h, 1, "0.30"), YesLeg(h, 2, "0.30")], M("0.10"), "two of three"));
        Assert.StartsWith(RejectReason.IncompleteBasket + ":", reason, StringComparison.Ordinal);
        Assert.Contains("if EV3 wins", reason, StringComparison.Ordinal);

        // EV4 is not an outcome of the group.
        reason = await RefusalAsync(h, IntentGroup.Basket([YesLeg(h, 1, "0.30"), YesLeg(h, 4, "0.30")], M("0.10"), "unrelated"));
        Assert.StartsWith(RejectReason.SeveralEvents + ":", reason, StringComparison.Ordinal);
        Assert.Equal(0, (await h.SummaryAsync()).AttemptsByStatus.Values.Sum());
    }

    [Fact]
    public async Task A_yes_basket_on_a_group_not_marked_exhaustive_is_refused()
    {
        await using TradingHarness h = await StartGroupAsync(3, exhaustive: false);
        await SetBooksAsync(h, 3, yesAsk: "0.30", noAsk: "0.72");

        string reason = await RefusalAsync(h, YesBasket(h, 3, "0.30"));
        Assert.StartsWith(RejectReason.IncompleteBasket + ":", reason, StringComparison.Ordinal);
        Assert.Contains("not marked exhaustive", reason, StringComparison.Ordinal);
    }

    private static Task<TradingHarness> StartGroupAsync(int outcomes, bool exhaustive, Settings? settings = null)
    {
        settings ??= new Settings();
        string list = string.Join(", ", Enumerable.Range(1, outcomes).Select(e => $"EV{e}"));
        return TradingHarness.StartAsync(settings with
        {
            Events = Math.Max(settings.Events, outcomes),
            Groups = $"groups:\n  - event: G\n    outcomes: [{list}]\n    exhaustive: {(exhaustive ? "true" : "false")}",
        });
    }

    /// <summary>pb offers each outcome's YES at <paramref name="yesAsk"/> and NO at <paramref name="noAsk"/>, bids two cents under; ka is dearer.</summary>
    private static async Task SetBooksAsync(TradingHarness h, int events, string yesAsk, string noAsk)
    {
        Price yes = P(yesAsk), no = P(noAsk), twoCents = P("0.02");
        for (int e = 1; e <= events; e++)
        {
            await h.SetPolyBookAsync($"EV{e}", [new PriceLevel(yes - twoCents, Q(100))], [new PriceLevel(yes, Q(100))],
                [new PriceLevel(no - twoCents, Q(100))], [new PriceLevel(no, Q(100))]);
            await h.SetKalshiBookAsync($"EV{e}", [L("0.01", 100)], [L("0.01", 100)]); // asks of 0.99 each way
        }
    }

    /// <summary>What 10 contracts bought on pb at <paramref name="price"/> cost, fee included.</summary>
    private static Money Leg(string price) => Money.Of(P(price), Q(10), Rounding.Up) + PolyFees.TakerFee(P(price), Q(10));

    private static Money Times(int n, Money each) => Money.FromMicros(n * each.Micros);

    private static OrderIntent YesLeg(TradingHarness h, int e, string limit) => Buy(h.Market("pb", $"EV{e}"), Outcome.Yes, limit, 10);

    private static IntentGroup YesBasket(TradingHarness h, int outcomes, string limit, int offTickLeg = -1) =>
        Basket(h, outcomes, Outcome.Yes, limit, offTickLegs: offTickLeg >= 0 ? [offTickLeg] : []);

    /// <summary>10 of one outcome side on every event on pb; some legs off the tick (refused by the venue) or resting.</summary>
    private static IntentGroup Basket(TradingHarness h, int outcomes, Outcome side, string limit, int[]? offTickLegs = null, int[]? restingLegs = null)
    {
        var legs = new List<OrderIntent>();
        for (int i = 0; i < outcomes; i++)
        {
            bool offTick = offTickLegs?.Contains(i) == true;
            bool rests = restingLegs?.Contains(i) == true;
            string price = offTick ? (P(limit) + Price.FromMicros(5_000)).ToString() : limit;
            legs.Add(Buy(h.Market("pb", $"EV{i + 1}"), side, price, 10, rests ? TimeInForce.GoodTillCancelled : TimeInForce.ImmediateOrCancel));
        }

        return IntentGroup.Basket(legs, M("0.10"), "test basket");
    }

    private static async Task<string> RefusalAsync(TradingHarness h, IntentGroup group)
    {
        long before = await h.OnKernelAsync(() => h.Execution.Risk.RejectedTotal);
        await h.SubmitAsync(group, "G");
        (long after, string last) = await h.OnKernelAsync(() => (h.Execution.Risk.RejectedTotal, h.Execution.Risk.LastRejection));
        Assert.Equal(before + 1, after);
        return last;
    }
}
