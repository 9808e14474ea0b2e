using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Tests.Strategies;

public sealed class SameMarketScenarioTests
{
    [Fact]
    public void Kalshi_yes_bid_plus_no_bid_above_a_dollar_buys_both_sides()
    {
        using var s = new StrategyScenario("same_market.csx");
        // YES bid 0.56 + NO bid 0.50 = 1.06: YES costs 0.50 (hitting the NO bid), NO costs 0.44 (hitting the YES bid).
        s.KalshiBook(yesBids: [("0.56", "100")], noBids: [("0.50", "80")]);

        IntentGroup group = Assert.Single(s.Emitted);
        // 80 x 0.50 + fee 1.40 = 41.40; 80 x 0.44 + fee ceil(1.37984) = 36.58; pays 80.
        Assert.Equal(Money.Parse("2.02"), group.ExpectedEdge);
        Assert.Equal(
            [
                new OrderIntent(s.Handles[0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.50"), Quantity.Parse("80"), TimeInForce.FillOrKill),
                new OrderIntent(s.Handles[0], Outcome.No, OrderSide.Buy, Price.Parse("0.44"), Quantity.Parse("80"), TimeInForce.FillOrKill),
            ],
            group.Legs);
    }

    [Fact]
    public void A_one_cent_kalshi_cross_is_eaten_by_fees()
    {
        using var s = new StrategyScenario("same_market.csx");
        s.KalshiBook(yesBids: [("0.51", "100")], noBids: [("0.50", "100")]);
        Assert.Empty(s.Emitted);
    }

    [Fact]
    public void Polymarket_yes_ask_plus_no_ask_below_a_dollar_fires()
    {
        using var s = new StrategyScenario("same_market.csx");
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.47", "50")], noBids: [("0.48", "100")], noAsks: [("0.50", "50")]);
        IntentGroup group = Assert.Single(s.Emitted);
        // 50 x 0.47 + 0.4982 fee; 50 x 0.50 + 0.50 fee; pays 50.
        Assert.Equal(Money.Parse("0.5018"), group.ExpectedEdge);
        Assert.All(group.Legs, l => Assert.Equal(s.Handles[1], l.Market));
    }

    [Fact]
    public void Only_the_book_that_changed_is_examined()
    {
        using var s = new StrategyScenario("same_market.csx");
        s.PolyBook(yesBids: [("0.45", "100")], yesAsks: [("0.47", "50")], noBids: [("0.48", "100")], noAsks: [("0.50", "50")]);
        s.Emitted.Clear();
        s.KalshiBook(yesBids: [("0.40", "100")], noBids: [("0.50", "100")]); // the Kalshi book has no edge
        Assert.Empty(s.Emitted);
    }
}
