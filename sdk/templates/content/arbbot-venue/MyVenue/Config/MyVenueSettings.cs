using ArbBot.Abstractions.Plugins;

namespace MyVenue.Config;

/// <summary>The venue's settings (arbbot.yaml <c>venues[].settings</c>), checked once when a connector or executor is made.</summary>
public sealed record MyVenueSettings(Uri StreamUrl, Uri OrdersUrl, string TokenEnv, string Token)
{
    /// <summary>Every key the plugin accepts, with its default (null: required). Keys not listed are config errors.</summary>
    public static IReadOnlyList<PluginSetting> All { get; } =
    [
        new("url", "The venue's WebSocket market data address (ws:// or wss://)", "ws://127.0.0.1:8765/ws"),
        new("orders_url", "The venue's HTTP order API address (http:// or https://)", "http://127.0.0.1:8765"),
        new("token_env", "The environment variable holding the API token (secrets never go in arbbot.yaml); unset: no token is sent", "MYVENUE_TOKEN"),
    ];

    /// <summary>Reads and checks the settings; a bad value throws <see cref="VenueSettingException"/> naming its key.</summary>
    public static MyVenueSettings Read(IReadOnlyDictionary<string, string> settings)
    {
        string tokenEnv = settings.TryGetValue("token_env", out string? env) ? env : "";
        return new(Address(settings, "url", "ws", "wss"), Address(settings, "orders_url", "http", "https"), tokenEnv,
            tokenEnv.Length > 0 ? Environment.GetEnvironmentVariable(tokenEnv) ?? "" : "");
    }

    private static Uri Address(IReadOnlyDictionary<string, string> settings, string key, params string[] schemes)
    {
        string value = settings.TryGetValue(key, out string? text) ? text : "";
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || !schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            throw new VenueSettingException(key, $"{key} must be a {string.Join(" or ", schemes.Select(s => s + "://"))} address, was \"{value}\"");
        }

        return uri;
    }
}
