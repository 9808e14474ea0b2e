using System.Globalization;
using ArbBot.Abstractions.FixedPoint;
using FsCheck;
using FsCheck.Fluent;

namespace ArbBot.Tests.FixedPoint;

public sealed class PriceParsingTests
{
    [Theory]
    [InlineData("0.5600", 560_000)]
    [InlineData("0.56", 560_000)]
    [InlineData("0.960", 960_000)]
    [InlineData("0.0800", 80_000)]
    [InlineData("1", 1_000_000)]
    [InlineData(".5", 500_000)]
    [InlineData("0.000001", 1)]
    [InlineData("0.12345600", 123_456)]
    [InlineData("-0.25", -250_000)]
    public void Dollar_strings_parse_exactly(string text, long micros)
    {
        Assert.True(Price.TryParse(text.AsSpan(), out Price price));
        Assert.Equal(micros, price.Micros);
        Assert.True(Price.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out Price fromUtf8));
        Assert.Equal(price, fromUtf8);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("0.1234567")]
    [InlineData("1e5")]
    [InlineData("0.5 ")]
    [InlineData("0,5")]
    [InlineData("99999999999999999999")]
    public void Text_that_is_not_an_exact_price_is_refused(string text)
    {
        Assert.False(Price.TryParse(text.AsSpan(), out _));
    }

    [Fact]
    public void Legacy_integer_cents_convert_exactly()
    {
        Assert.Equal(Price.Parse("0.56"), Price.FromCents(56));
        Assert.Equal(Price.Parse("0.01"), Price.Cent);
    }

    [Fact]
    public void Contract_counts_parse_with_sign_and_decimals()
    {
        Assert.Equal(-54_000_000, Quantity.Parse("-54.00").Micros);
        Assert.Equal(1_000_000_000, Quantity.Parse("1000").Micros);
        Assert.Equal(125_500_000, Quantity.Parse("125.5").Micros);
    }

    [Theory]
    [InlineData(560_000, "0.56")]
    [InlineData(500, "0.0005")]
    [InlineData(1_000_000, "1.00")]
    [InlineData(-250_000, "-0.25")]
    [InlineData(123_456, "0.123456")]
    [InlineData(long.MinValue, "-9223372036854.775808")]
    public void Prices_format_canonically(long micros, string expected)
    {
        Assert.Equal(expected, Price.FromMicros(micros).ToString());
        Span<byte> utf8 = stackalloc byte[32];
        Assert.True(Price.FromMicros(micros).TryFormatUtf8(utf8, out int written));
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(utf8[..written]));
    }

    [Fact]
    public void Format_then_parse_gives_back_every_value()
    {
        Prop.ForAll(Arb.From(ArbitraryLongs()), micros =>
        {
            Price original = Price.FromMicros(micros);
            return Price.TryParse(original.ToString().AsSpan(), out Price parsed) && parsed == original;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Parsing_any_decimal_with_up_to_six_places_loses_nothing()
    {
        Gen<(long Whole, int Fraction, int Places)> decimals =
            from whole in Gen.Choose(0, 1_000_000)
            from places in Gen.Choose(0, 6)
            from fraction in Gen.Choose(0, (int)Math.Pow(10, places) - 1)
            select ((long)whole, fraction, places);

        Prop.ForAll(Arb.From(decimals), d =>
        {
            string text = d.Places == 0 ? d.Whole.ToString(CultureInfo.InvariantCulture) : $"{d.Whole}.{d.Fraction.ToString(CultureInfo.InvariantCulture).PadLeft(d.Places, '0')}";
            long expected = (d.Whole * 1_000_000) + (d.Fraction * (long)Math.Pow(10, 6 - d.Places));
            return Quantity.TryParse(text.AsSpan(), out Quantity q) && q.Micros == expected;
        }).QuickCheckThrowOnFailure();
    }

    private static Gen<long> ArbitraryLongs() =>
        Gen.OneOf(
            Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i),
            Gen.Choose(0, 1_000_000).Select(i => (long)i),
            from hi in Gen.Choose(int.MinValue, int.MaxValue)
            from lo in Gen.Choose(int.MinValue, int.MaxValue)
            select ((long)hi << 32) | (uint)lo);
}
