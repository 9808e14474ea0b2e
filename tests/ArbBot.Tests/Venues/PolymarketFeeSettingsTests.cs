using System.Text.Json;
using ArbBot.Abstractions.Fees;
using ArbBot.Venues.Polymarket.Discovery;

namespace ArbBot.Tests.Venues;

/// <summary>A Gamma market entry's fee settings (docs/venues/PROTOCOLS.md 2.2, 2.7) as the fee model the engine prices with.</summary>
public sealed class PolymarketFeeSettingsTests
{
    [Theory]
    [InlineData("""{"feesEnabled": true, "feeSchedule": {"rate": 0.04, "exponent": 1, "takerOnly": true, "rebateRate": 0.25}}""", "polymarket 0.04", null)]
    [InlineData("""{"feesEnabled": true, "feeSchedule": {"rate": "0.03"}}""", "polymarket 0.03", null)]
    [InlineData("""{"feesEnabled": false, "feeSchedule": {"rate": 0.04}}""", "polymarket 0.00", null)]
    [InlineData("""{"feeType": "politics_fees"}""", null, null)]
    [InlineData("""{"feeSchedule": {"rate": 0.25, "exponent": 2}}""", null, "feeSchedule.exponent 2 is not modelled (only 1)")]
    [InlineData("""{"feeSchedule": {"rate": 0.04, "takerOnly": false}}""", null, "feeSchedule.takerOnly is false (makers paying) is not modelled")]
    [InlineData("""{"feeSchedule": {"rate": "lots"}}""", null, "feeSchedule.rate \"lots\" is not a rate between 0 and 1")]
    public void Fee_settings_become_the_markets_fee_model_or_say_why_not(string entry, string? model, string? unsupported)
    {
        using JsonDocument doc = JsonDocument.Parse(entry);
        IFeeModel? fees = PolymarketCatalog.FeeModelOf(doc.RootElement, out string? why);
        Assert.Equal(model, fees?.Name);
        Assert.Equal(unsupported, why);
    }
}
