using System.Text.Json;
using ArbBot.Abstractions.Markets;
using ArbBot.Venues.Kalshi.Http;

namespace ArbBot.Tests.Venues;

/// <summary>Which Kalshi Market objects are resolved markets, and who won (the Market object's <c>status</c> and <c>result</c>, docs/venues/PROTOCOLS.md 1.4).</summary>
public sealed class KalshiResultsTests
{
    [Theory]
    [InlineData("determined", "yes", Outcome.Yes)]
    [InlineData("finalized", "no", Outcome.No)]
    [InlineData("amended", "no", Outcome.No)]
    [InlineData("settled", "yes", Outcome.Yes)]
    [InlineData("active", "", null)]
    [InlineData("closed", "", null)]
    [InlineData("disputed", "yes", null)]
    [InlineData("determined", "scalar", null)]
    [InlineData("finalized", "", null)]
    public void A_market_is_resolved_once_decided_with_a_yes_or_no_result(string status, string result, Outcome? winner)
    {
        using JsonDocument market = JsonDocument.Parse($"{{\"ticker\":\"KXFED-26DEC-T4.25\",\"status\":\"{status}\",\"result\":\"{result}\"}}");
        Assert.Equal(winner, KalshiResults.Winner(market.RootElement));
    }
}
