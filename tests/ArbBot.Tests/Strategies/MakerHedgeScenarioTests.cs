using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Risk;

namespace ArbBot.Tests.Strategies;

public sealed class MakerHedgeScenarioTests
{
    [Fact]
    public void Quotes_where_making_is_cheapest_hedges_fills_and_cancels_when_the_edge_goes()
    {
        using var s = new StrategyScenario("maker_hedge.csx");
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.55", "100")], noBids: [("0.45", "100")], noAsks: [("0.50", "100")]);

        // Best of the four ways: buy YES on Kalshi at 0.41 (one tick over the bid), hedge NO on Polymarket at 0.50.
        // At today's prices 50 x 0.41 + 50 x 0.50 + Polymarket fee 0.50 = 46.00: edge 4.00. The claim is the worst
        // the hedge rule allows: 50 at the limit 0.52 = 26.00, the fee at most 0.04 x 50 x 0.25 = 0.50 plus
        // rounding of 5 hedge orders filling at up to 3 prices each (15 x $0.00001): 50 - 20.50 - 26.00 - 0.50015 = 2.99985.
        IntentGroup quote = Assert.Single(s.Emitted);
        Assert.Equal(new OrderIntent(s.Handles[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.41"), Quantity.Parse("50"), TimeInForce.GoodTillCancelled, PostOnly: true), Assert.Single(quote.Legs));
        Assert.Equal(Money.Parse("2.99985"), quote.ExpectedEdge);
        Assert.Contains("4.00 at today's prices", quote.Reason);

        // A partial maker fill is hedged at once for exactly that quantity.
        s.Emitted.Clear();
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "20", isMaker: true);
        IntentGroup hedge = Assert.Single(s.Emitted);
        Assert.Equal(new OrderIntent(s.Handles[1], Outcome.No, OrderSide.Buy, Price.Parse("0.52"), Quantity.Parse("20"), TimeInForce.ImmediateOrCancel), Assert.Single(hedge.Legs));
        // The hedge's claim includes its own fee at the limit: 20 - 8.20 - 10.40 - (0.04 x 20 x 0.25 = 0.20 + 3 fills x $0.00001) = 1.19997.
        Assert.Equal(Money.Parse("1.19997"), hedge.ExpectedEdge);

        // Both markets tighten to one-cent spreads around 0.50: no way of making pays any more,
        // and the quote is cancelled at once (no requote interval for a cancel).
        s.Emitted.Clear();
        s.KalshiBook(yesBids: [("0.50", "100")], noBids: [("0.49", "100")]);
        s.PolyBook(yesBids: [("0.50", "100")], yesAsks: [("0.51", "100")], noBids: [("0.49", "100")], noAsks: [("0.50", "100")]);
        IntentGroup cancel = Assert.Single(s.Emitted);
        Assert.Equal(IntentAction.Cancel, cancel.Action);
        Assert.Equal(quote.Id, cancel.CancelsGroupId);

        // The rest of the maker order fills while the cancel is in flight: still hedged.
        s.Emitted.Clear();
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "30", isMaker: true);
        IntentGroup late = Assert.Single(s.Emitted);
        Assert.Equal(Quantity.Parse("30"), Assert.Single(late.Legs).Quantity);
        Assert.Equal(Outcome.No, late.Legs[0].Outcome);
    }

    [Fact]
    public void Reprices_no_more_often_than_the_minimum_requote_interval()
    {
        using var s = new StrategyScenario("maker_hedge.csx");
        IntentGroup first = StartQuoting(s);
        s.Emitted.Clear();

        // The Kalshi bid rises a cent: the better quote is 0.42, but only 100 ms have passed.
        s.Clock.Advance(TimeSpan.FromMilliseconds(100));
        s.KalshiBook(yesBids: [("0.41", "100")], noBids: [("0.54", "100")]);
        Assert.Empty(s.Emitted);

        s.Clock.Advance(TimeSpan.FromMilliseconds(500));
        s.KalshiBook(yesBids: [("0.41", "100")], noBids: [("0.54", "100")]);
        Assert.Equal(2, s.Emitted.Count);
        Assert.Equal((IntentAction.Cancel, first.Id), (s.Emitted[0].Action, s.Emitted[0].CancelsGroupId));
        Assert.Equal(Price.Parse("0.42"), s.Emitted[1].Legs[0].LimitPrice);
    }

    [Fact]
    public void A_fill_of_someone_elses_order_or_of_a_hedge_is_ignored()
    {
        using var s = new StrategyScenario("maker_hedge.csx");
        IntentGroup quote = StartQuoting(s);
        s.Emitted.Clear();
        s.Fill(quote.Id + 1000, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "5", isMaker: true);
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "5", isMaker: false);
        Assert.Empty(s.Emitted);
    }

    [Fact]
    public void A_quote_refused_by_risk_is_forgotten_and_sent_again_after_the_requote_interval()
    {
        using var s = new StrategyScenario("maker_hedge.csx");
        IntentGroup quote = StartQuoting(s);
        s.Emitted.Clear();

        // Believed live, the same book sends nothing more.
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        Assert.Empty(s.Emitted);

        s.Host.OnIntentUpdate(new IntentGroupUpdate(quote.Id, IntentGroupState.Refused, "new_epoch: the book restarted", Quantity.Zero));
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        Assert.Empty(s.Emitted); // not asked again on every update: min_requote_ms (500) first

        s.Clock.Advance(TimeSpan.FromMilliseconds(500));
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        IntentGroup again = Assert.Single(s.Emitted);
        Assert.NotEqual(quote.Id, again.Id);
        Assert.Equal(quote.Legs, again.Legs);
    }

    [Fact]
    public void A_quote_that_ended_is_quoted_afresh_and_its_late_fills_are_still_hedged()
    {
        using var s = new StrategyScenario("maker_hedge.csx");
        IntentGroup quote = StartQuoting(s);
        s.Emitted.Clear();

        s.Host.OnIntentUpdate(new IntentGroupUpdate(quote.Id, IntentGroupState.Ended, "unfilled", Quantity.Zero));
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "5", isMaker: true);
        Assert.Equal(Quantity.Parse("5"), Assert.Single(Assert.Single(s.Emitted).Legs).Quantity);
        s.Emitted.Clear();

        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        Assert.Equal(Price.Parse("0.41"), Assert.Single(Assert.Single(s.Emitted).Legs).LimitPrice);
    }

    [Fact]
    public void A_quote_filled_in_as_many_pieces_as_its_worst_case_allows_is_taken_off()
    {
        using var s = new StrategyScenario("maker_hedge.csx", new Dictionary<string, string> { ["expected_fills"] = "3" });
        IntentGroup quote = StartQuoting(s);
        s.Emitted.Clear();

        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "1", isMaker: true);
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "1", isMaker: true);
        Assert.Equal(2, s.Emitted.Count); // two hedges
        s.Emitted.Clear();

        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "1", isMaker: true);
        Assert.Equal(2, s.Emitted.Count);
        Assert.Equal((IntentAction.Cancel, quote.Id), (s.Emitted[0].Action, s.Emitted[0].CancelsGroupId));
        Assert.Equal(IntentAction.Place, s.Emitted[1].Action); // and the third piece is hedged
    }

    [Fact]
    public void The_host_forgets_a_refused_group_at_once_and_an_ended_one_a_minute_later()
    {
        using var s = new StrategyScenario("maker_hedge.csx");
        IntentGroup quote = StartQuoting(s);
        s.Host.OnIntentUpdate(new IntentGroupUpdate(quote.Id, IntentGroupState.Refused, RejectReason.NewEpoch, Quantity.Zero));
        Assert.Equal(0, s.Host.TrackedGroups);

        s.Emitted.Clear();
        s.Clock.Advance(TimeSpan.FromMilliseconds(500)); // min_requote_ms after the refusal
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        IntentGroup again = Assert.Single(s.Emitted);
        s.Host.OnIntentUpdate(new IntentGroupUpdate(again.Id, IntentGroupState.Ended, "unfilled", Quantity.Zero));
        Assert.Equal(1, s.Host.TrackedGroups); // a late fill still reaches the strategy

        s.Clock.Advance(TimeSpan.FromSeconds(61));
        s.Host.OnIntentUpdate(new IntentGroupUpdate(again.Id + 1000, IntentGroupState.Accepted, "", Quantity.Zero));
        Assert.Equal(0, s.Host.TrackedGroups);
    }

    /// <summary>Kalshi YES bid 0.40 (NO bid 0.54), Polymarket NO ask 0.50: the quote is YES on Kalshi at 0.41.</summary>
    private static IntentGroup StartQuoting(StrategyScenario s)
    {
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.55", "100")], noBids: [("0.45", "100")], noAsks: [("0.50", "100")]);
        return Assert.Single(s.Emitted);
    }
}
