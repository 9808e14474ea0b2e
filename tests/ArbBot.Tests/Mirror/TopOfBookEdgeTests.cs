using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Mirror;

namespace ArbBot.Tests.Mirror;

/// <summary>The dashboard's edge each way: exact money, each venue's own taker fee, the size both tops show.</summary>
public sealed class TopOfBookEdgeTests
{
    private static readonly IFeeModel s_kalshi = new KalshiFeeModel(Price.One, makerFees: false);

    [Fact]
    public void Yes_and_no_at_the_asks_cost_both_prices_and_both_fees_for_the_smaller_top()
    {
        // YES at 0.54 x 38 on Kalshi, NO at 0.40 (50 shown) fee-free: Kalshi's fee is 7% x 38 x 0.54 x 0.46 = 0.660744, up to the cent.
        TopOfBookEdge edge = TopOfBookEdge.Of(Price.Parse("0.54"), Quantity.Parse("38"), s_kalshi, Price.Parse("0.40"), Quantity.Parse("50"), NoFees.Instance)!.Value;
        Assert.Equal(Quantity.Parse("38"), edge.Size);
        Assert.Equal(Money.Parse("0.67"), edge.Fees);
        Assert.Equal(Money.Parse("1.61"), edge.Edge); // 38 - 38 x 0.94 - 0.67
        Assert.Equal(Money.Parse("0.042368"), edge.PerContract); // 1.61 / 38, truncated to the micro-dollar
    }

    [Fact]
    public void A_pair_dearer_than_a_dollar_is_a_negative_edge()
    {
        // 0.58 + 0.47 = 1.05 a pair for 10, plus Kalshi's fee on the NO leg: 7% x 10 x 0.47 x 0.53 = 0.17437, up to 0.18.
        TopOfBookEdge edge = TopOfBookEdge.Of(Price.Parse("0.58"), Quantity.Parse("20"), NoFees.Instance, Price.Parse("0.47"), Quantity.Parse("10"), s_kalshi)!.Value;
        Assert.Equal(Money.Parse("-0.68"), edge.Edge);
        Assert.Equal(Money.Parse("-0.068"), edge.PerContract);
    }

    [Fact]
    public void An_empty_top_has_no_edge()
    {
        Assert.Null(TopOfBookEdge.Of(Price.Parse("0.50"), Quantity.Zero, s_kalshi, Price.Parse("0.40"), Quantity.Parse("5"), s_kalshi));
    }
}
