using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;

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
        // 50 x 0.41 + 50 x 0.50 + Polymarket fee 0.50 = 46.00: edge 4.00.
        IntentGroup quote = Assert.Single(s.Emitted);
        Assert.Equal(new OrderIntent(s.Handles[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.41"), Quantity.Parse("50"), TimeInForce.GoodTillCancelled, PostOnly: true), Assert.Single(quote.Legs));
        Assert.Equal(Money.Parse("4.00"), quote.ExpectedEdge);

        // A partial maker fill is hedged at once for exactly that quantity.
        s.Emitted.Clear();
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "20", isMaker: true);
        IntentGroup hedge = Assert.Single(s.Emitted);
        Assert.Equal(new OrderIntent(s.Handles[1], Outcome.No, OrderSide.Buy, Price.Parse("0.52"), Quantity.Parse("20"), TimeInForce.ImmediateOrCancel), Assert.Single(hedge.Legs));

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
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.55", "100")], noBids: [("0.45", "100")], noAsks: [("0.50", "100")]);
        IntentGroup first = Assert.Single(s.Emitted);
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
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.54", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.55", "100")], noBids: [("0.45", "100")], noAsks: [("0.50", "100")]);
        IntentGroup quote = Assert.Single(s.Emitted);
        s.Emitted.Clear();
        s.Fill(quote.Id + 1000, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "5", isMaker: true);
        s.Fill(quote.Id, 0, StrategyScenario.Kalshi, Outcome.Yes, "0.41", "5", isMaker: false);
        Assert.Empty(s.Emitted);
    }
}
