using System.Text.Json;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Venues.Polymarket.Discovery;

namespace ArbBot.Tests.Venues;

/// <summary>Gamma market objects as listed markets: the captured sample, and the cases discovery must not get wrong.</summary>
public sealed class PolymarketCatalogParsingTests
{
    [Fact]
    public void The_captured_gamma_market_lists_its_first_outcome_as_yes_when_the_outcomes_are_not_yes_and_no()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "polymarket", "gamma_market.json")));
        ListedMarket m = PolymarketCatalog.ToListed(doc.RootElement)!;
        Assert.Equal("0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b", m.MarketId);
        Assert.Equal(("Up", "Down", "active", "btc-updown-5m-1773307200"), (m.YesLabel, m.NoLabel, m.Status, m.EventId));
        Assert.Equal("104239898038807136052399800151408521467737075933964991162589336683346093173875", m.YesId);
        Assert.Equal("71183960810705820955071415844881728181970340514894896943812046065452395013351", m.NoId);
        Assert.Equal((Price.Cent, "crypto_fees (rate from the venue)"), (m.TickSize, m.Fees));
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 9, 25, 0, TimeSpan.Zero), m.CloseTime);
        Assert.StartsWith("This market will resolve to \"Up\"", m.Rules, StringComparison.Ordinal);
        Assert.Equal((Quantity.Parse("5"), false), (m.MinimumSize!.Value, m.NegRisk!.Value)); // orderMinSize, negRisk
    }

    [Fact]
    public void A_captured_neg_risk_outcome_says_its_event_is_exclusive_which_outcome_it_is_and_that_outcomes_may_be_added()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "polymarket", "gamma_market_neg_risk.json")));
        ListedMarket m = PolymarketCatalog.ToListed(doc.RootElement)!;
        Assert.Equal(("democratic-presidential-nominee-2028", "Democratic Presidential Nominee 2028", "Gavin Newsom"), (m.EventId, m.EventTitle, m.OutcomeLabel));
        Assert.Equal((true, true, false, true), (m.NegRisk, m.MutuallyExclusive, m.CatchAll, m.OutcomesMayBeAdded));

        // The BTC Up/Down market's event is not neg-risk: its markets are not said to exclude each other.
        using JsonDocument plain = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "polymarket", "gamma_market.json")));
        ListedMarket p = PolymarketCatalog.ToListed(plain.RootElement)!;
        Assert.Equal((false, false), (p.MutuallyExclusive, p.OutcomesMayBeAdded));
    }

    [Fact]
    public void Yes_is_the_token_labelled_yes_wherever_it_stands_and_markets_without_two_outcomes_are_left_out()
    {
        using JsonDocument reversed = JsonDocument.Parse("""{"conditionId":"0xabc","question":"Q?","outcomes":"[\"No\", \"Yes\"]","clobTokenIds":"[\"222\", \"111\"]","active":true,"closed":false,"feesEnabled":false}""");
        ListedMarket m = PolymarketCatalog.ToListed(reversed.RootElement)!;
        Assert.Equal(("111", "222", "Yes", "No", "none"), (m.YesId, m.NoId, m.YesLabel, m.NoLabel, m.Fees));

        using JsonDocument three = JsonDocument.Parse("""{"conditionId":"0xdef","outcomes":"[\"A\", \"B\", \"Draw\"]","clobTokenIds":"[\"1\", \"2\", \"3\"]"}""");
        Assert.Null(PolymarketCatalog.ToListed(three.RootElement));
    }
}
