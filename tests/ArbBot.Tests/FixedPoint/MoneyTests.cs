using ArbBot.Abstractions.FixedPoint;
using FsCheck;
using FsCheck.Fluent;

namespace ArbBot.Tests.FixedPoint;

public sealed class MoneyTests
{
    [Fact]
    public void Price_times_quantity_is_exact_when_it_fits()
    {
        Assert.Equal(Money.Parse("56.00"), Money.Of(Price.Parse("0.56"), Quantity.Parse("100"), Rounding.Up));
        Assert.Equal(Money.Parse("0.0056"), Money.Of(Price.Parse("0.56"), Quantity.Parse("0.01"), Rounding.Down));
    }

    [Fact]
    public void Rounding_goes_the_stated_way_below_a_micro_dollar()
    {
        // 0.000001 contracts at $0.5 is half a micro-dollar.
        Assert.Equal(1, Money.Of(Price.Parse("0.5"), Quantity.FromMicros(1), Rounding.Up).Micros);
        Assert.Equal(0, Money.Of(Price.Parse("0.5"), Quantity.FromMicros(1), Rounding.Down).Micros);
        Assert.Equal(-1, Money.FromScaledProduct(-500_000, Rounding.Down).Micros);
        Assert.Equal(0, Money.FromScaledProduct(-500_000, Rounding.Up).Micros);
    }

    [Fact]
    public void Scaled_products_round_the_same_inside_and_beyond_64_bits()
    {
        // Products that fit in 64 bits take a faster division than wider ones: both must agree with exact arithmetic.
        var random = new Random(5);
        var values = new List<Int128> { 0, 1, -1, 999_999, -999_999, 1_000_000, -1_000_000, long.MaxValue, long.MinValue, (Int128)long.MaxValue + 1, (Int128)long.MinValue - 1 };
        for (int i = 0; i < 2_000; i++)
        {
            values.Add(random.NextInt64(long.MinValue, long.MaxValue));
            values.Add((Int128)random.NextInt64() * random.Next(2, 1_000_000) * (random.Next(2) == 0 ? 1 : -1));
        }

        foreach (Int128 value in values)
        {
            var exact = (System.Numerics.BigInteger)value;
            System.Numerics.BigInteger floor = System.Numerics.BigInteger.Divide(exact - (exact.Sign < 0 ? 999_999 : 0), 1_000_000);
            System.Numerics.BigInteger ceiling = System.Numerics.BigInteger.Divide(exact + (exact.Sign > 0 ? 999_999 : 0), 1_000_000);
            if (ceiling > long.MaxValue || floor < long.MinValue)
            {
                continue;
            }

            Assert.Equal((long)floor, Money.FromScaledProduct(value, Rounding.Down).Micros);
            Assert.Equal((long)ceiling, Money.FromScaledProduct(value, Rounding.Up).Micros);
        }
    }

    [Theory]
    [InlineData("0.0175", "0.02")]
    [InlineData("1.3125", "1.32")]
    [InlineData("0.3325", "0.34")]
    [InlineData("1.75", "1.75")]
    [InlineData("0.000001", "0.01")]
    public void Ceil_to_cent_matches_kalshi_fee_rounding(string amount, string expected)
    {
        Assert.Equal(Money.Parse(expected), Money.Parse(amount).CeilToCent());
    }

    [Fact]
    public void Product_rounding_brackets_the_exact_value()
    {
        Gen<(long P, long Q)> pairs =
            from p in Gen.Choose(1, 999_999)
            from q in Gen.Choose(1, int.MaxValue)
            select ((long)p, (long)q);
        Prop.ForAll(Arb.From(pairs), x =>
        {
            Money up = Money.Of(Price.FromMicros(x.P), Quantity.FromMicros(x.Q), Rounding.Up);
            Money down = Money.Of(Price.FromMicros(x.P), Quantity.FromMicros(x.Q), Rounding.Down);
            Int128 exact = (Int128)x.P * x.Q;
            return (Int128)down.Micros * 1_000_000 <= exact && exact <= (Int128)up.Micros * 1_000_000 && up.Micros - down.Micros <= 1;
        }).QuickCheckThrowOnFailure();
    }
}
