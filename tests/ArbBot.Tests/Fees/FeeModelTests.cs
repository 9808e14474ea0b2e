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

    [Fact]
    public void The_quadratic_model_matches_an_exact_rational_oracle_for_any_rates_multiplier_and_rounding()
    {
        // rate x multiplier x C x P x (1 - P), in whole micro-units scaled by 10^24 (BigInteger: exact), rounded up per fill, then per order.
        var random = new Random(2026_12_07);
        long[] perFillSteps = [1, 10, 100, 1_000];
        long[] perOrderSteps = [0, 10_000, 1_000];
        for (int i = 0; i < 20_000; i++)
        {
            long taker = random.Next(0, 200_001), maker = random.Next(0, 50_001), multiplier = random.Next(1, 3_000_001);
            long perFill = perFillSteps[random.Next(perFillSteps.Length)], perOrder = perOrderSteps[random.Next(perOrderSteps.Length)];
            long price = random.Next(1, 1_000_000), quantity = random.NextInt64(1, 5_000_000_000);
            IFeeModel model = new QuadraticFeeModel("custom", Price.FromMicros(taker), Price.FromMicros(maker), Price.FromMicros(multiplier),
                new FeeRounding(Money.FromMicros(perFill), Money.FromMicros(perOrder)));

            Money takerFee = model.TakerFee(Price.FromMicros(price), Quantity.FromMicros(quantity));
            Money makerFee = model.MakerFee(Price.FromMicros(price), Quantity.FromMicros(quantity));
            Assert.Equal(Exact(taker, multiplier, price, quantity, perFill, perOrder), takerFee.Micros);
            Assert.Equal(maker == 0 ? 0 : Exact(maker, multiplier, price, quantity, perFill, perOrder), makerFee.Micros);
        }

        // The venue presets are this model with their parameters.
        IFeeModel kalshi = new QuadraticFeeModel("k", Price.Parse("0.07"), Price.Parse("0.0175"), Price.Parse("2"), new FeeRounding(Money.FromMicros(100), Money.FromMicros(10_000)));
        IFeeModel poly = new QuadraticFeeModel("p", Price.Parse("0.04"), Price.Zero, Price.One, new FeeRounding(Money.FromMicros(10), Money.Zero));
        IFeeModel kalshiPreset = new KalshiFeeModel(Price.Parse("2"), makerFees: true), polyPreset = new PolymarketFeeModel(Price.Parse("0.04"));
        for (long p = 10_000; p < 1_000_000; p += 10_000)
        {
            Quantity q = Quantity.FromMicros(random.NextInt64(1, 1_000_000_000));
            Assert.Equal(kalshi.TakerFee(Price.FromMicros(p), q), kalshiPreset.TakerFee(Price.FromMicros(p), q));
            Assert.Equal(kalshi.MakerFee(Price.FromMicros(p), q), kalshiPreset.MakerFee(Price.FromMicros(p), q));
            Assert.Equal(poly.TakerFee(Price.FromMicros(p), q), polyPreset.TakerFee(Price.FromMicros(p), q));
        }
    }

    private static long Exact(long rate, long multiplier, long price, long quantity, long perFill, long perOrder)
    {
        // Every factor is in millionths: the product is in units of 10^-30 dollars; a micro-dollar is 10^24 of them.
        System.Numerics.BigInteger product = (System.Numerics.BigInteger)rate * multiplier * quantity * price * (1_000_000 - price);
        System.Numerics.BigInteger unit = System.Numerics.BigInteger.Pow(10, 24);
        long fill = (long)CeilDiv(product, unit * perFill) * perFill;
        return perOrder == 0 ? fill : (long)CeilDiv(fill, perOrder) * perOrder;
    }

    private static System.Numerics.BigInteger CeilDiv(System.Numerics.BigInteger a, System.Numerics.BigInteger b) => (a + b - 1) / b;
}
