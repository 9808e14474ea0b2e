using System.Text;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Kalshi.Parsing;

namespace ArbBot.Tests.Venues;

/// <summary>Kalshi fills in today's shape (outcome_side + book_side, docs/venues/PROTOCOLS.md 1.3), the deprecated one, and REST's.</summary>
public sealed class KalshiFillTests
{
    private const string Common = "\"trade_id\":\"t-1\",\"order_id\":\"o-1\",\"client_order_id\":\"arb-1-0\",\"market_ticker\":\"KX-1\",\"is_taker\":true,\"count_fp\":\"7.00\",\"fee_cost\":\"0.1200\"";

    [Theory]
    [InlineData("yes", "bid", Outcome.Yes, OrderSide.Buy, "0.41")]   // buy YES
    [InlineData("no", "ask", Outcome.No, OrderSide.Buy, "0.59")]     // buy NO (= sell YES on Kalshi's one YES book)
    [InlineData("yes", "ask", Outcome.Yes, OrderSide.Sell, "0.41")]
    [InlineData("no", "bid", Outcome.No, OrderSide.Sell, "0.59")]
    public void Direction_comes_from_outcome_side_and_book_side_without_action(string outcomeSide, string bookSide, Outcome outcome, OrderSide side, string price)
    {
        KalshiFill fill = Parse($$"""{{{Common}},"outcome_side":"{{outcomeSide}}","book_side":"{{bookSide}}","yes_price_dollars":"0.4100","no_price_dollars":"0.5900","ts_ms":1741052641000}""");
        Assert.Equal((outcome, side, Price.Parse(price), 1741052641000L), (fill.Outcome, fill.Side, fill.Price, fill.TimestampMs));
    }

    [Fact]
    public void The_new_fields_win_over_deprecated_ones_that_disagree_never_a_mix()
    {
        KalshiFill fill = Parse($$"""{{{Common}},"side":"no","action":"sell","outcome_side":"yes","book_side":"bid","yes_price_dollars":"0.4100","no_price_dollars":"0.5900","ts_ms":1}""");
        Assert.Equal((Outcome.Yes, OrderSide.Buy), (fill.Outcome, fill.Side));
    }

    [Fact]
    public void A_no_fill_without_a_no_price_takes_one_minus_the_yes_price_and_rest_fills_give_seconds()
    {
        KalshiFill fill = Parse($$"""{{{Common}},"outcome_side":"no","book_side":"ask","yes_price_dollars":"0.4100","ts":1741052641}""");
        Assert.Equal((Price.Parse("0.59"), 1741052641000L, Quantity.Parse("7"), Money.Parse("0.12")), (fill.Price, fill.TimestampMs, fill.Count, fill.Fee));
    }

    [Fact]
    public void A_fill_in_the_deprecated_vocabulary_alone_is_still_read()
    {
        KalshiFill fill = Parse($$"""{{{Common}},"side":"no","action":"buy","yes_price_dollars":"0.4100","no_price_dollars":"0.5900","ts_ms":5}""");
        Assert.Equal((Outcome.No, OrderSide.Buy, Price.Parse("0.59")), (fill.Outcome, fill.Side, fill.Price));
    }

    [Theory]
    [InlineData("\"outcome_side\":\"yes\"", "book_side")]
    [InlineData("\"outcome_side\":\"maybe\",\"book_side\":\"bid\"", "outcome_side 'maybe'")]
    [InlineData("\"side\":\"yes\"", "neither outcome_side + book_side nor side + action")]
    public void A_fill_whose_direction_cannot_be_told_is_refused_with_the_fields_named(string direction, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse($$"""{{{Common}},{{direction}},"yes_price_dollars":"0.41","ts_ms":1}"""));
        Assert.Contains(expected, error.Message);
    }

    private static KalshiFill Parse(string msg) => KalshiFill.Parse(Encoding.UTF8.GetBytes(msg));
}
