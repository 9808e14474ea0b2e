using System.Globalization;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Sim.Model;

/// <summary>A simulated venue's settings, parsed from the <c>settings:</c> of its venue entry.</summary>
internal sealed record SimSettings(
    SimStyle Style,
    ulong Seed,
    int Events,
    string MarketPrefix,
    int UpdatesPerSecond,
    Price Tick,
    int DepthLevels,
    int FeedLagMs,
    int NoSideLagMs,
    int JumpsPerMinute,
    Price JumpSize,
    int OrderLatencyMs,
    int GapEvery,
    Price FeeRate)
{
    /// <summary>
    /// Each event resolves every this many seconds and opens again for a new round (0: never). The
    /// rounds are aligned to the Unix epoch and staggered by event, and a round's winner is drawn
    /// from the seed with the fair value at its end as the chance of YES, so venues with one seed
    /// resolve each event alike. A venue resolves no round that ends within one period of its start.
    /// </summary>
    public int SettleEverySeconds { get; init; }

    public static IReadOnlyList<PluginSetting> Schema { get; } =
    [
        new("style", "kalshi (bids-only books, 1-cent ticks, Kalshi fees) or polymarket (token books with bids and asks)", "kalshi"),
        new("seed", "random seed; venues with the same seed share the same fair values", "42"),
        new("events", "number of events listed, each one binary market", "20"),
        new("market_prefix", "market ids are {prefix}-E01, {prefix}-E02, ...", null),
        new("updates_per_second", "book updates per second across all markets", "200"),
        new("tick", "price tick in dollars (0.01 or 0.001)", "0.01"),
        new("depth_levels", "levels quoted on each side", "5"),
        new("feed_lag_ms", "how far this venue's quotes trail the shared fair value, in ms", "0"),
        new("no_side_lag_ms", "how far the NO book trails the YES book, in ms (makes same-market mispricings)", "150"),
        new("jumps_per_minute", "fair-value jumps per minute across all events (each opens a mispricing while lagging quotes catch up)", "6"),
        new("jump_size", "size of a fair-value jump in dollars", "0.08"),
        new("order_latency_ms", "delay between an order arriving and the matching engine handling it, in ms", "20"),
        new("gap_every", "lose every Nth delta to exercise resync: a sequence jump (kalshi style) or a detected book drift (polymarket style); 0 = never", "0"),
        new("fee_rate", "Polymarket-style taker fee rate (polymarket style only)", "0.04"),
        new("settle_every_s", "each event resolves every this many seconds (a winner drawn from its fair value; positions settle at $1 a winning contract) and opens again for a new round; 0 = never", "600"),
    ];

    public static SimSettings Parse(IReadOnlyDictionary<string, string> settings)
    {
        string Get(string key) => settings.TryGetValue(key, out string? v) ? v : Schema.First(s => s.Key == key).DefaultValue ?? throw new VenueSettingException(key, "is required");

        SimStyle style = Get("style") switch
        {
            "kalshi" => SimStyle.Kalshi,
            "polymarket" => SimStyle.Polymarket,
            string other => throw new VenueSettingException("style", $"must be kalshi or polymarket, was \"{other}\""),
        };

        Price tick = PriceSetting(Get, "tick");
        if (tick.Micros != 10_000 && tick.Micros != 1_000)
        {
            throw new VenueSettingException("tick", $"must be 0.01 or 0.001, was \"{Get("tick")}\"");
        }

        string prefix = Get("market_prefix");
        if (prefix.Length == 0)
        {
            throw new VenueSettingException("market_prefix", "must not be empty");
        }

        return new SimSettings(
            style,
            ulong.TryParse(Get("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed : throw new VenueSettingException("seed", $"must be a non-negative integer, was \"{Get("seed")}\""),
            Int(Get, "events", 1, 10_000),
            prefix,
            Int(Get, "updates_per_second", 1, 1_000_000),
            tick,
            Int(Get, "depth_levels", 1, 50),
            Int(Get, "feed_lag_ms", 0, 60_000),
            Int(Get, "no_side_lag_ms", 0, 60_000),
            Int(Get, "jumps_per_minute", 0, 100_000),
            PriceSetting(Get, "jump_size"),
            Int(Get, "order_latency_ms", 0, 60_000),
            Int(Get, "gap_every", 0, int.MaxValue),
            PriceSetting(Get, "fee_rate"))
        {
            SettleEverySeconds = Int(Get, "settle_every_s", 0, 10_000_000),
        };
    }

    public string MarketId(int eventIndex) => string.Create(CultureInfo.InvariantCulture, $"{MarketPrefix}-E{eventIndex + 1:00}");

    /// <summary>The event index of one of this venue's market ids, or -1.</summary>
    public int EventIndexOf(string marketId)
    {
        string head = MarketPrefix + "-E";
        return marketId.StartsWith(head, StringComparison.Ordinal)
            && int.TryParse(marketId.AsSpan(head.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && n <= Events
            ? n - 1
            : -1;
    }

    private static int Int(Func<string, string> get, string key, int min, int max)
    {
        string text = get(key);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new VenueSettingException(key, $"must be an integer from {min} to {max}, was \"{text}\"");
    }

    private static Price PriceSetting(Func<string, string> get, string key)
    {
        string text = get(key);
        return Price.TryParse(text.AsSpan(), out Price price) && price.Micros >= 0 && price.Micros < 1_000_000
            ? price
            : throw new VenueSettingException(key, $"must be a decimal from 0 to 1, was \"{text}\"");
    }
}
