namespace ArbBot.Venues.Conformance.Sim;

/// <summary>The shipped simulated venue, in its Kalshi-like shape, against the conformance suite.</summary>
public sealed class SimKalshiStyleConformanceTests : VenueConformanceSuite
{
    protected override string PluginPath => Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Sim", "ArbBot.Venues.Sim.dll");

    protected override IReadOnlyList<(string MarketId, string? YesId, string? NoId)> Markets =>
        [("CK-E01", null, null), ("CK-E02", null, null), ("CK-E03", null, null)];

    protected override (string Key, string Value) BadSetting => ("updates_per_second", "lots");

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["style"] = "kalshi",
        ["market_prefix"] = "CK",
        ["events"] = "3",
        ["updates_per_second"] = "600",
        ["order_latency_ms"] = "2",
    };

    protected override IReadOnlyDictionary<string, string> SettingsWithSequenceGaps() =>
        new Dictionary<string, string>(Settings()) { ["gap_every"] = "25" };
}

/// <summary>The shipped simulated venue, in its Polymarket-like shape (no sequence numbers: gaps come from the connector), against the suite.</summary>
public sealed class SimPolymarketStyleConformanceTests : VenueConformanceSuite
{
    protected override string PluginPath => Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Sim", "ArbBot.Venues.Sim.dll");

    protected override IReadOnlyList<(string MarketId, string? YesId, string? NoId)> Markets =>
        [("CP-E01", "CP-E01-YES", "CP-E01-NO"), ("CP-E02", "CP-E02-YES", "CP-E02-NO")];

    protected override (string Key, string Value) BadSetting => ("style", "nasdaq");

    protected override IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["style"] = "polymarket",
        ["market_prefix"] = "CP",
        ["events"] = "2",
        ["updates_per_second"] = "600",
        ["tick"] = "0.001",
        ["order_latency_ms"] = "2",
    };

    protected override IReadOnlyDictionary<string, string> SettingsWithSequenceGaps() =>
        new Dictionary<string, string>(Settings()) { ["gap_every"] = "25" };
}
