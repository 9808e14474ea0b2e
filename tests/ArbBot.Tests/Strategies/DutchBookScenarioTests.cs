using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Tests.Strategies;

public sealed class DutchBookScenarioTests
{
    [Fact]
    public void Fires_with_the_largest_size_that_keeps_the_edge_after_both_venues_fees()
    {
        using var s = new StrategyScenario("dutch_book.csx");
        // Kalshi: YES ask 0.45 x 100 (from the NO bid 0.55), NO ask 0.60. Polymarket: NO asks 0.48 x 60, 0.49 x 100; YES ask 0.50.
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.55", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.50", "200")], noBids: [("0.44", "100")], noAsks: [("0.48", "60"), ("0.49", "100")]);

        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(IntentAction.Place, group.Action);
        // Cost: 100 x 0.45 + Kalshi fee ceil(1.7325) = 46.74; 60 x 0.48 + 40 x 0.49 + Polymarket fees 0.59904 + 0.39984 = 49.39888.
        Assert.Equal(Money.Parse("3.86112"), group.ExpectedEdge);
        Assert.Equal(
            [
                new OrderIntent(s.Handles[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.45"), Quantity.Parse("100"), TimeInForce.FillOrKill),
                new OrderIntent(s.Handles[1], Outcome.No, OrderSide.Buy, Price.Parse("0.49"), Quantity.Parse("100"), TimeInForce.FillOrKill),
            ],
            group.Legs);
        Assert.Contains("edge 3.86112 (401 bps)", group.Reason);
        Assert.Equal("dutch_book", group.Strategy);
        Assert.Equal("E1", group.EventId);
    }

    [Fact]
    public void A_one_and_a_half_cent_gap_is_not_worth_kalshis_fee()
    {
        using var s = new StrategyScenario("dutch_book.csx");
        // YES 0.49 on Kalshi + NO 0.495 on Polymarket = 0.985: 1.5 cents gross, about 2.75 cents of fees.
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.51", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.55", "100")], noBids: [("0.44", "100")], noAsks: [("0.495", "100")], tick: "0.001");
        Assert.Empty(s.Emitted);
    }

    [Fact]
    public void The_same_gap_without_fees_would_fire_so_it_is_the_fee_that_decides()
    {
        using var s = new StrategyScenario("dutch_book.csx", fees: false);
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.51", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.55", "100")], noBids: [("0.44", "100")], noAsks: [("0.495", "100")], tick: "0.001");
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(Money.Parse("1.50"), group.ExpectedEdge);
    }

    [Fact]
    public void An_edge_too_thin_in_depth_to_reach_the_minimum_dollars_does_not_fire()
    {
        // One contract at the good prices, then nothing usable: the edge on 1 contract is 0.04001 < 0.05.
        using var s = new StrategyScenario("dutch_book.csx");
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.55", "1"), ("0.40", "100")]);
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.60", "100")], noBids: [("0.44", "100")], noAsks: [("0.48", "1"), ("0.58", "100")]);
        Assert.Empty(s.Emitted);

        using var lower = new StrategyScenario("dutch_book.csx", new Dictionary<string, string> { ["min_edge_usd"] = "0.04" });
        lower.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.55", "1"), ("0.40", "100")]);
        lower.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.60", "100")], noBids: [("0.44", "100")], noAsks: [("0.48", "1"), ("0.58", "100")]);
        IntentGroup group = Assert.Single(lower.Emitted);
        Assert.Equal(Quantity.Parse("1"), group.Legs[0].Quantity);
        Assert.Equal(Money.Parse("0.04001"), group.ExpectedEdge);
    }

    [Fact]
    public void Stale_books_are_never_traded()
    {
        using var s = new StrategyScenario("dutch_book.csx");
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.55", "100")]);
        s.Books.Invalidate(s.Handles[0], "sequence gap");
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.50", "200")], noBids: [("0.44", "100")], noAsks: [("0.48", "60"), ("0.49", "100")]);
        Assert.Empty(s.Emitted);
    }

    [Fact]
    public void The_other_direction_fires_when_it_is_the_cheap_one()
    {
        using var s = new StrategyScenario("dutch_book.csx");
        // Polymarket YES ask 0.40, Kalshi NO ask 1 - 0.52 = 0.48: 0.88 before fees.
        s.KalshiBook(yesBids: [("0.52", "50")], noBids: [("0.40", "100")]);
        s.PolyBook(yesBids: [("0.38", "100")], yesAsks: [("0.40", "30")], noBids: [("0.50", "100")], noAsks: [("0.62", "100")]);
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(s.Handles[1], group.Legs[0].Market);
        Assert.Equal(Outcome.Yes, group.Legs[0].Outcome);
        Assert.Equal(s.Handles[0], group.Legs[1].Market);
        Assert.Equal(Outcome.No, group.Legs[1].Outcome);
        Assert.Equal(Quantity.Parse("30"), group.Legs[0].Quantity);
    }
}
