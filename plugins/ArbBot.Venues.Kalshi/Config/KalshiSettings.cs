using System.Globalization;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Kalshi.Config;

/// <summary>A Kalshi venue's settings, from the <c>settings:</c> of its venue entry. Secrets come from the environment and a key file only.</summary>
internal sealed record KalshiSettings(
    Uri RestBase,
    Uri WebSocketUrl,
    string ApiKeyIdEnv,
    string PrivateKeyFile,
    int ReconnectMinMs,
    int ReconnectMaxMs,
    int WriteTokensPerSecond,
    int ReadTokensPerSecond,
    int RestFallbackMs,
    bool StreamTrades,
    bool StreamTicker,
    int CancelAfterDisconnectMs = 10_000)
{
    /// <summary>How often the subscribed markets' status is read for results (0: never).</summary>
    public int ResultPollMs { get; init; } = 60_000;

    public const string ProdRest = "https://external-api.kalshi.com/trade-api/v2";
    public const string ProdWs = "wss://external-api-ws.kalshi.com/trade-api/ws/v2";
    public const string DemoRest = "https://external-api.demo.kalshi.co/trade-api/v2";
    public const string DemoWs = "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2";

    public static IReadOnlyList<PluginSetting> Schema { get; } =
    [
        new("environment", "prod or demo: which Kalshi hosts to use (demo keys only work on demo)", "demo"),
        new("rest_url", "REST base URL ending in /trade-api/v2 (overrides environment; for a local fake server)", ""),
        new("ws_url", "WebSocket URL ending in /trade-api/ws/v2 (overrides environment)", ""),
        new("api_key_id_env", "environment variable holding the API key id", "KALSHI_API_KEY_ID"),
        new("private_key_file", "path of the RSA private key (PEM, PKCS#1 or PKCS#8) that signs requests", null),
        new("reconnect_min_ms", "first reconnect delay; doubles (with jitter) up to reconnect_max_ms", "250"),
        new("reconnect_max_ms", "longest reconnect delay", "10000"),
        new("write_tokens_per_second", "write budget of the account tier (Basic 100, Advanced 300, Premier 1000, ...); an order costs 10", "100"),
        new("read_tokens_per_second", "read budget of the account tier (Basic 200, ...)", "200"),
        new("stream_trades", "also stream the markets' public trades (trade channel: last price in Redis, paper queue model)", "true"),
        new("stream_ticker", "also stream the venue's ticker (volume, open interest; catches a book that drifted)", "true"),
        new("rest_fallback_ms", "while the WebSocket is down, poll the books over REST this often (0: never)", "2000"),
        new("result_poll_ms", "read the subscribed markets' status this often; a market determined or finalized with a result settles the positions there (0: never)", "60000"),
        new("cancel_after_disconnect_ms", "dead-man rule (Kalshi has no venue-side switch): a fill channel down this long has every resting order cancelled over REST when it returns; new orders wait while it is down", "10000"),
    ];

    public static KalshiSettings Parse(IReadOnlyDictionary<string, string> settings)
    {
        string Get(string key) => settings.TryGetValue(key, out string? v) ? v : Schema.First(s => s.Key == key).DefaultValue ?? throw new VenueSettingException(key, "is required");

        (string rest, string ws) = Get("environment") switch
        {
            "prod" => (ProdRest, ProdWs),
            "demo" => (DemoRest, DemoWs),
            string other => throw new VenueSettingException("environment", $"must be prod or demo, was \"{other}\""),
        };
        Uri restUri = Url(Get, "rest_url", rest, "http", "https");
        Uri wsUri = Url(Get, "ws_url", ws, "ws", "wss");
        if (!restUri.AbsolutePath.TrimEnd('/').EndsWith("/trade-api/v2", StringComparison.Ordinal))
        {
            throw new VenueSettingException("rest_url", $"must end in /trade-api/v2 (signatures cover that path), was \"{restUri}\"");
        }

        string keyFile = Get("private_key_file");
        if (keyFile.Length == 0)
        {
            throw new VenueSettingException("private_key_file", "must name the PEM file of the API key's private key");
        }

        int min = Int(Get, "reconnect_min_ms", 10, 60_000);
        int restFallback = Int(Get, "rest_fallback_ms", 0, 600_000);
        if (restFallback is > 0 and < 50)
        {
            throw new VenueSettingException("rest_fallback_ms", $"must be 0 (off) or at least 50 (each poll costs read tokens), was {restFallback}");
        }

        return new KalshiSettings(
            restUri,
            wsUri,
            Get("api_key_id_env"),
            keyFile,
            min,
            Math.Max(min, Int(Get, "reconnect_max_ms", 10, 600_000)),
            Int(Get, "write_tokens_per_second", 1, 1_000_000),
            Int(Get, "read_tokens_per_second", 1, 1_000_000),
            restFallback,
            Bool(Get, "stream_trades"),
            Bool(Get, "stream_ticker"),
            Int(Get, "cancel_after_disconnect_ms", 0, 86_400_000))
        {
            ResultPollMs = Int(Get, "result_poll_ms", 0, 86_400_000),
        };
    }

    private static Uri Url(Func<string, string> get, string key, string fallback, params string[] schemes)
    {
        string text = get(key);
        if (text.Length == 0)
        {
            text = fallback;
        }

        return Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out Uri? uri) && schemes.Contains(uri.Scheme)
            ? uri
            : throw new VenueSettingException(key, $"must be an absolute {string.Join(" or ", schemes)} URL, was \"{text}\"");
    }

    private static bool Bool(Func<string, string> get, string key) => get(key) switch
    {
        "true" => true,
        "false" => false,
        string other => throw new VenueSettingException(key, $"must be true or false, was \"{other}\""),
    };

    private static int Int(Func<string, string> get, string key, int min, int max)
    {
        string text = get(key);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new VenueSettingException(key, $"must be an integer from {min} to {max}, was \"{text}\"");
    }
}
