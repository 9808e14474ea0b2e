using System.Globalization;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Polymarket.Config;

/// <summary>A Polymarket venue's settings, from the <c>settings:</c> of its venue entry.</summary>
internal sealed record PolymarketSettings(
    Uri MarketChannelUrl,
    Uri GammaUrl,
    int MaxAssetsPerConnection,
    int PingIntervalMs,
    int ReconnectMinMs,
    int ReconnectMaxMs)
{
    /// <summary>The CLOB REST API (books while the channel is down; orders).</summary>
    public Uri ClobUrl { get; init; } = new(PolymarketTradingSettings.ProdClob);

    /// <summary>How often books are fetched over REST while a market channel connection is down (0: never).</summary>
    public int RestFallbackMs { get; init; } = 2000;

    public const string ProdMarketChannel = "wss://ws-subscriptions-clob.polymarket.com/ws/market";
    public const string ProdGamma = "https://gamma-api.polymarket.com";

    public static IReadOnlyList<PluginSetting> Schema { get; } =
    [
        new("ws_url", "market channel WebSocket URL (a local fake server for trying it out)", ProdMarketChannel),
        new("gamma_url", "Gamma API (market listing for arbbot markets list)", ProdGamma),
        new("max_assets_per_connection", "outcome tokens per WebSocket (the venue caps a connection at 500); more markets open more connections", "500"),
        new("ping_interval_ms", "how often PING keeps each connection alive", "10000"),
        new("reconnect_min_ms", "first reconnect delay; doubles (with jitter) up to reconnect_max_ms", "250"),
        new("reconnect_max_ms", "longest reconnect delay", "10000"),
        new("rest_fallback_ms", "while a market channel connection is down, fetch its books over REST (POST /books) this often; 0 turns it off", "2000"),
        .. PolymarketTradingSettings.Schema,
    ];

    public static PolymarketSettings Parse(IReadOnlyDictionary<string, string> settings)
    {
        string Get(string key) => settings.TryGetValue(key, out string? v) ? v : Schema.First(s => s.Key == key).DefaultValue ?? throw new VenueSettingException(key, "is required");

        string url = Get("ws_url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? ws) || ws.Scheme is not ("ws" or "wss"))
        {
            throw new VenueSettingException("ws_url", $"must be an absolute ws or wss URL, was \"{url}\"");
        }

        string gammaText = Get("gamma_url");
        if (!Uri.TryCreate(gammaText, UriKind.Absolute, out Uri? gamma) || gamma.Scheme is not ("http" or "https"))
        {
            throw new VenueSettingException("gamma_url", $"must be an absolute http or https URL, was \"{gammaText}\"");
        }

        string clobText = Get("clob_url");
        if (!Uri.TryCreate(clobText, UriKind.Absolute, out Uri? clob) || clob.Scheme is not ("http" or "https"))
        {
            throw new VenueSettingException("clob_url", $"must be an absolute http or https URL, was \"{clobText}\"");
        }

        int min = Int(Get, "reconnect_min_ms", 10, 60_000);
        int fallback = Int(Get, "rest_fallback_ms", 0, 600_000);
        return new PolymarketSettings(
            ws,
            gamma,
            Int(Get, "max_assets_per_connection", 2, 500),
            Int(Get, "ping_interval_ms", 100, 600_000),
            min,
            Math.Max(min, Int(Get, "reconnect_max_ms", 10, 600_000)))
        {
            ClobUrl = clob,
            RestFallbackMs = fallback == 0 ? 0 : Math.Max(100, fallback),
        };
    }

    private static int Int(Func<string, string> get, string key, int min, int max)
    {
        string text = get(key);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new VenueSettingException(key, $"must be an integer from {min} to {max}, was \"{text}\"");
    }
}
