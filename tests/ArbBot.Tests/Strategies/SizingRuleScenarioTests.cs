using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Tests.Strategies;

/// <summary>
/// The four ways the first sizer went wrong, each through a shipped script compiled by the real
/// compiler: it must now find the size with the most edge after fees. Leg 0 is Kalshi-like
/// (bids only: a YES ask is a NO bid at 1 - price), leg 1 Polymarket-like.
/// </summary>
public sealed class SizingRuleScenarioTests
{
    [Fact]
    public void A_thin_top_level_that_cannot_reach_the_minimum_alone_does_not_hide_the_levels_behind_it()
    {
        // YES asks 0.46 x1, 0.47 x100 (NO bids 0.54, 0.53); NO ask 0.50 x100; no fees.
        // 1 contract: 0.04 < min_edge_usd 0.05. 100: 0.46 + 99 x 0.47 + 100 x 0.50 = 96.99, edge 3.01 (101 is past the NO depth).
        using var s = new StrategyScenario("dutch_book.csx", fees: false);
        s.KalshiBook(yesBids: [("0.30", "100")], noBids: [("0.54", "1"), ("0.53", "100")]);
        s.PolyBook(yesBids: [], yesAsks: [], noBids: [], noAsks: [("0.50", "100")]);
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(Quantity.Parse("100"), group.Legs[0].Quantity);
        Assert.Equal(Price.Parse("0.47"), group.Legs[0].LimitPrice);
        Assert.Equal(Money.Parse("3.01"), group.ExpectedEdge);
    }

    [Fact]
    public void A_level_under_one_contract_is_walked_through_not_stopped_at()
    {
        // YES asks 0.40 x10, 0.41 x0.5, 0.42 x10; NO ask 0.50 x100; no fees.
        // 20: 10 x 0.40 + 0.5 x 0.41 + 9.5 x 0.42 = 8.195, + 20 x 0.50 = 18.195: edge 1.805 (20.5 is not a whole size).
        using var s = new StrategyScenario("dutch_book.csx", fees: false);
        s.KalshiBook(yesBids: [("0.30", "100")], noBids: [("0.60", "10"), ("0.59", "0.5"), ("0.58", "10")]);
        s.PolyBook(yesBids: [], yesAsks: [], noBids: [], noAsks: [("0.50", "100")]);
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(Quantity.Parse("20"), group.Legs[0].Quantity);
        Assert.Equal(Money.Parse("1.805"), group.ExpectedEdge);
    }

    [Fact]
    public void Fractional_levels_add_up_before_the_size_is_rounded_down()
    {
        // YES asks 0.40 x1.5, 0.41 x1.5: three whole contracts exist (the floors per level would give two).
        // 3: 1.5 x 0.40 + 1.5 x 0.41 = 1.215, + 3 x 0.45 = 2.565: edge 0.435.
        using var s = new StrategyScenario("dutch_book.csx", fees: false);
        s.KalshiBook(yesBids: [("0.30", "100")], noBids: [("0.60", "1.5"), ("0.59", "1.5")]);
        s.PolyBook(yesBids: [], yesAsks: [], noBids: [], noAsks: [("0.45", "100")]);
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(Quantity.Parse("3"), group.Legs[0].Quantity);
        Assert.Equal(Money.Parse("0.435"), group.ExpectedEdge);
    }

    [Fact]
    public void Kalshi_cent_rounding_makes_edge_rise_and_fall_with_size_and_the_best_size_is_still_found()
    {
        // Same market on Kalshi: YES ask 0.87 x21 (NO bid 0.13), NO ask 0.11 x25 (YES bid 0.89), Kalshi fees.
        // 20: fees 0.07 x 20 x 0.87 x 0.13 = 0.15834 -> 0.16 and 0.07 x 20 x 0.11 x 0.89 = 0.13706 -> 0.14;
        //     cost 17.40 + 2.20 + 0.30 = 19.90, edge 0.10 = 50.25 bps (passes min_edge_bps 50).
        // 21: fees 0.17 + 0.15, cost 20.90, edge 0.10 = 47.8 bps (fails); 19: edge 0.38 - 0.30 = 0.08.
        using var s = new StrategyScenario("same_market.csx");
        s.KalshiBook(yesBids: [("0.89", "25")], noBids: [("0.13", "21")]);
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(Quantity.Parse("20"), group.Legs[0].Quantity);
        Assert.Equal(Money.Parse("0.10"), group.ExpectedEdge);
    }

    [Fact]
    public void Contracts_that_lose_money_at_the_margin_are_not_bought_even_when_the_total_still_clears()
    {
        // YES asks 0.45 x67, 0.51 x116; NO ask 0.50 x200; no fees; slippage up to 0.10 allowed.
        // 67: edge 67 x 0.05 = 3.35. 183: 3.35 - 116 x 0.01 = 2.19 still clears the minimum, but every contract past 67 loses a cent.
        using var s = new StrategyScenario("dutch_book.csx", new Dictionary<string, string> { ["max_slippage"] = "0.10" }, fees: false);
        s.KalshiBook(yesBids: [("0.30", "100")], noBids: [("0.55", "67"), ("0.49", "116")]);
        s.PolyBook(yesBids: [], yesAsks: [], noBids: [], noAsks: [("0.50", "200")]);
        IntentGroup group = Assert.Single(s.Emitted);
        Assert.Equal(Quantity.Parse("67"), group.Legs[0].Quantity);
        Assert.Equal(Price.Parse("0.45"), group.Legs[0].LimitPrice);
        Assert.Equal(Money.Parse("3.35"), group.ExpectedEdge);
    }
}
