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

    /// <summary>
    /// Outcome groups listed after the plain events: each an event with <see cref="GroupOutcomes"/>
    /// mutually exclusive and exhaustive outcomes, one binary market each, whose fair values sum to $1
    /// and whose rounds resolve together with exactly one outcome YES.
    /// </summary>
    public int Groups { get; init; }

    /// <summary>Outcomes (markets) in each outcome group.</summary>
    public int GroupOutcomes { get; init; } = 3;

    /// <summary>Times a minute each group moves value between two of its outcomes (and back a few seconds later).</summary>
    public int GroupMovesPerMinute { get; init; }

    /// <summary>Markets listed: the plain events, then every outcome of every group.</summary>
    public int TotalMarkets => Events + (Groups * GroupOutcomes);

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
        new("groups", "outcome groups listed after the events: each an event with group_outcomes mutually exclusive, exhaustive outcomes (markets {prefix}-G01-O1, {prefix}-G01-O2, ...) whose fair values sum to $1 and of which exactly one resolves YES", "0"),
        new("group_outcomes", "outcomes in each outcome group (2 to 10)", "3"),
        new("group_moves_per_minute", "times a minute each group moves twice jump_size of value from one outcome to another and back a few seconds later (a lagging venue then prices the set below $1); at most 12", "2"),
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
            Groups = Int(Get, "groups", 0, 100),
            GroupOutcomes = Int(Get, "group_outcomes", 2, 10),
            GroupMovesPerMinute = Int(Get, "group_moves_per_minute", 0, 12),
        };
    }

    /// <summary>A market's id: {prefix}-E01 for a plain event, {prefix}-G01-O1 for the first outcome of the first group.</summary>
    public string MarketId(int eventIndex) => eventIndex < Events
        ? string.Create(CultureInfo.InvariantCulture, $"{MarketPrefix}-E{eventIndex + 1:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{MarketPrefix}-G{((eventIndex - Events) / GroupOutcomes) + 1:00}-O{((eventIndex - Events) % GroupOutcomes) + 1}");

    /// <summary>The market index of one of this venue's market ids, or -1.</summary>
    public int EventIndexOf(string marketId)
    {
        string head = MarketPrefix + "-E";
        if (marketId.StartsWith(head, StringComparison.Ordinal))
        {
            return int.TryParse(marketId.AsSpan(head.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= Events ? n - 1 : -1;
        }

        // {prefix}-G{group}-O{outcome}
        string groupHead = MarketPrefix + "-G";
        if (!marketId.StartsWith(groupHead, StringComparison.Ordinal))
        {
            return -1;
        }

        int dash = marketId.IndexOf("-O", groupHead.Length, StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(marketId.AsSpan(groupHead.Length, dash - groupHead.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int g)
            && int.TryParse(marketId.AsSpan(dash + 2), NumberStyles.None, CultureInfo.InvariantCulture, out int o)
            && g >= 1 && g <= Groups && o >= 1 && o <= GroupOutcomes
            && marketId == MarketId(Events + ((g - 1) * GroupOutcomes) + o - 1)
            ? Events + ((g - 1) * GroupOutcomes) + o - 1
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
