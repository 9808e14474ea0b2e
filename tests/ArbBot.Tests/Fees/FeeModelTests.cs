using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using FsCheck;
using FsCheck.Fluent;

namespace ArbBot.Tests.Fees;

public sealed class FeeModelTests
{
    private static readonly IFeeModel s_kalshi = new KalshiFeeModel(Price.One, makerFees: false);
    private static readonly IFeeModel s_kalshiMakers = new KalshiFeeModel(Price.One, makerFees: true);
    private static readonly IFeeModel s_polymarket = new PolymarketFeeModel(Price.Parse("0.04"));

    // Worked examples of docs/venues/PROTOCOLS.md 1.7 (Kalshi fee schedule, as quoted by secondary sources).
    [Theory]
    [InlineData("1", "0.50", "0.02")]
    [InlineData("100", "0.50", "1.75")]
    [InlineData("100", "0.25", "1.32")]
    [InlineData("100", "0.05", "0.34")]
    [InlineData("10", "0.50", "0.18")]
    public void Kalshi_taker_fee_is_ceil_to_cent_of_seven_percent_of_c_p_one_minus_p(string contracts, string price, string fee)
    {
        Assert.Equal(Money.Parse(fee), s_kalshi.TakerFee(Price.Parse(price), Quantity.Parse(contracts)));
    }

    [Theory]
    [InlineData("100", "0.50", "0.44")]
    [InlineData("10", "0.50", "0.05")]
    public void Kalshi_maker_fee_applies_only_where_the_series_charges_makers(string contracts, string price, string fee)
    {
        Assert.Equal(Money.Parse(fee), s_kalshiMakers.MakerFee(Price.Parse(price), Quantity.Parse(contracts)));
        Assert.Equal(Money.Zero, s_kalshi.MakerFee(Price.Parse(price), Quantity.Parse(contracts)));
    }

    [Fact]
    public void Kalshi_fee_multiplier_scales_before_rounding()
    {
        IFeeModel doubled = new KalshiFeeModel(Price.Parse("2"), makerFees: false);
        Assert.Equal(Money.Parse("3.50"), doubled.TakerFee(Price.Parse("0.50"), Quantity.Parse("100")));
        IFeeModel half = new KalshiFeeModel(Price.Parse("0.5"), makerFees: false);
        Assert.Equal(Money.Parse("0.01"), half.TakerFee(Price.Parse("0.50"), Quantity.Parse("1"))); // 0.00875 -> 0.01
    }

    [Fact]
    public void Kalshi_order_over_several_fills_rounds_each_fill_to_a_hundredth_cent_then_the_order_to_a_cent()
    {
        // 10 at 0.40 (0.168) + 10 at 0.41 (0.16933 -> 0.1694): 0.3374 -> 0.34 for the order.
        Money fills = s_kalshi.TakerFill(Price.Parse("0.40"), Quantity.Parse("10")) + s_kalshi.TakerFill(Price.Parse("0.41"), Quantity.Parse("10"));
        Assert.Equal(Money.Parse("0.3374"), fills);
        Assert.Equal(Money.Parse("0.34"), s_kalshi.RoundOrderTotal(fills));
    }

    // docs/venues/PROTOCOLS.md 2.7: 100 shares at 0.50, politics rate 0.04 -> 1.00.
    [Theory]
    [InlineData("100", "0.50", "1.00")]
    [InlineData("3", "0.37", "0.02798")]
    [InlineData("1", "0.99", "0.00040")]
    public void Polymarket_taker_fee_is_c_rate_p_one_minus_p_rounded_up_to_five_decimals(string contracts, string price, string fee)
    {
        Assert.Equal(Money.Parse(fee), s_polymarket.TakerFee(Price.Parse(price), Quantity.Parse(contracts)));
        Assert.Equal(Money.Zero, s_polymarket.MakerFee(Price.Parse(price), Quantity.Parse(contracts)));
    }

    [Fact]
    public void Markets_with_fees_off_charge_nothing()
    {
        Assert.Equal(Money.Zero, ((IFeeModel)new PolymarketFeeModel(Price.Zero)).TakerFee(Price.Parse("0.5"), Quantity.Parse("100")));
        Assert.Equal(Money.Zero, ((IFeeModel)NoFees.Instance).TakerFee(Price.Parse("0.5"), Quantity.Parse("100")));
    }

    [Fact]
    public void Fees_are_never_negative_grow_with_size_and_are_symmetric_around_half()
    {
        Gen<(long Cents, long Contracts, long More)> inputs =
            from cents in Gen.Choose(1, 99)
            from contracts in Gen.Choose(0, 100_000)
            from more in Gen.Choose(0, 1_000)
            select ((long)cents, (long)contracts, (long)more);
        foreach (IFeeModel model in new[] { s_kalshi, s_kalshiMakers, s_polymarket })
        {
            Prop.ForAll(Arb.From(inputs), x =>
            {
                Price p = Price.FromCents(x.Cents);
                Quantity c = Quantity.FromContracts(x.Contracts);
                Quantity bigger = Quantity.FromContracts(x.Contracts + x.More);
                Money fee = model.TakerFee(p, c);
                return fee >= Money.Zero
                    && model.TakerFee(p, bigger) >= fee
                    && model.TakerFee(p.Complement, c) == fee
                    && model.MakerFee(p, c) >= Money.Zero
                    && model.MakerFee(p.Complement, c) == model.MakerFee(p, c);
            }).QuickCheckThrowOnFailure();
        }
    }
}
