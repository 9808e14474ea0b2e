using System.Globalization;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Venues.Polymarket.Config;

/// <summary>
/// What a Polymarket venue needs to trade: the CLOB and user-channel addresses, the chain, the
/// account key (from an environment variable or a key file, never from the config), the API
/// credentials (from the environment, or derived with an L1 signature when they are not set), and
/// how the account holds its funds. Read only when an executor is made: market data needs none of it.
/// </summary>
internal sealed record PolymarketTradingSettings(
    Uri ClobUrl,
    Uri UserChannelUrl,
    long ChainId,
    EthereumKey Key,
    ApiCredentials? Credentials,
    string? Funder,
    SignatureType SignatureType,
    int OrdersPerSecond,
    int HeartbeatIntervalMs = 5_000)
{
    public const string ProdClob = "https://clob.polymarket.com";
    public const string ProdUserChannel = "wss://ws-subscriptions-clob.polymarket.com/ws/user";

    public static IReadOnlyList<PluginSetting> Schema { get; } =
    [
        new("clob_url", "CLOB REST API (orders, cancels, markets, API keys)", ProdClob),
        new("user_ws_url", "user channel WebSocket URL (order and trade events)", ProdUserChannel),
        new("chain_id", "Polygon chain id orders are signed for (137 mainnet, 80002 Amoy)", "137"),
        new("private_key_env", "environment variable holding the account's private key (64 hex digits)", "POLYMARKET_PRIVATE_KEY"),
        new("private_key_file", "or a file holding it (relative to the config file); the environment variable wins when both are set", ""),
        new("api_key_env", "environment variable holding the CLOB API key (when unset, the credentials are derived with the account key)", "POLYMARKET_API_KEY"),
        new("api_secret_env", "environment variable holding the CLOB API secret", "POLYMARKET_API_SECRET"),
        new("api_passphrase_env", "environment variable holding the CLOB API passphrase", "POLYMARKET_API_PASSPHRASE"),
        new("funder_address", "the proxy or Safe wallet holding the funds (empty: the key's own address)", ""),
        new("signature_type", "eoa, proxy or safe: how the funder's wallet is controlled (1271 deposit wallets are not supported yet)", "eoa"),
        new("orders_per_second", "client-side cap on order requests (the venue's published limits are higher; this keeps bursts polite)", "20"),
        new("heartbeat_interval_ms", "dead-man switch: how often to send POST /v1/heartbeats (the venue cancels every open order when they stop; new orders wait while they fail)", "5000"),
    ];

    public static PolymarketTradingSettings Parse(VenueContext context)
    {
        IReadOnlyDictionary<string, string> settings = context.Settings;
        string Get(string key) => settings.TryGetValue(key, out string? v) ? v : Schema.First(s => s.Key == key).DefaultValue ?? "";

        Uri clob = Url(Get, "clob_url", "http", "https");
        Uri user = Url(Get, "user_ws_url", "ws", "wss");
        long chain = long.TryParse(Get("chain_id"), NumberStyles.None, CultureInfo.InvariantCulture, out long c) && c > 0
            ? c
            : throw new VenueSettingException("chain_id", $"must be a positive integer, was \"{Get("chain_id")}\"");
        EthereumKey key = LoadKey(Get, context.BaseDirectory);
        string? apiKey = Env(Get("api_key_env"));
        string? secret = Env(Get("api_secret_env"));
        string? passphrase = Env(Get("api_passphrase_env"));
        ApiCredentials? credentials = null;
        if (apiKey is not null || secret is not null || passphrase is not null)
        {
            if (apiKey is null || secret is null || passphrase is null)
            {
                throw new VenueSettingException("api_key_env", $"the API key, secret and passphrase come together: set all of {Get("api_key_env")}, {Get("api_secret_env")} and {Get("api_passphrase_env")}, or none of them to derive the credentials with the account key");
            }

            try
            {
                credentials = new ApiCredentials(apiKey, secret, passphrase);
            }
            catch (FormatException ex)
            {
                throw new VenueSettingException("api_secret_env", $"names a variable whose value is not usable: {ex.Message}");
            }
        }

        string funder = Get("funder_address").Trim();
        if (funder.Length > 0 && (funder.Length != 42 || !funder.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !funder[2..].All(Uri.IsHexDigit)))
        {
            throw new VenueSettingException("funder_address", $"must be an address (0x and 40 hex digits), was \"{funder}\"");
        }

        if (funder.Length > 0 && !string.Equals(funder[2..], funder[2..].ToLowerInvariant(), StringComparison.Ordinal) && !string.Equals(funder[2..], funder[2..].ToUpperInvariant(), StringComparison.Ordinal) && funder != Signing.Eip55.Checksum(funder))
        {
            throw new VenueSettingException("funder_address", $"\"{funder}\" is written in mixed case but its EIP-55 checksum does not hold (a typo?); the checksummed form of these digits is {Signing.Eip55.Checksum(funder)}");
        }

        SignatureType type = Get("signature_type") switch
        {
            "eoa" => SignatureType.Eoa,
            "proxy" => SignatureType.PolyProxy,
            "safe" => SignatureType.PolyGnosisSafe,
            "1271" => throw new VenueSettingException("signature_type",
                "1271 (deposit wallets) is not supported yet: the venue expects the deposit wallet as signer and the signature wrapped in an ERC-7739 TypedDataSign envelope, which this plugin does not build; use eoa, proxy or safe"),
            string other => throw new VenueSettingException("signature_type", $"must be eoa, proxy or safe, was \"{other}\""),
        };
        if (type != SignatureType.Eoa && funder.Length == 0)
        {
            throw new VenueSettingException("funder_address", $"is required with signature_type {Get("signature_type")}: the wallet that holds the funds");
        }

        int perSecond = int.TryParse(Get("orders_per_second"), NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r is >= 1 and <= 1000
            ? r
            : throw new VenueSettingException("orders_per_second", $"must be an integer from 1 to 1000, was \"{Get("orders_per_second")}\"");
        int heartbeat = int.TryParse(Get("heartbeat_interval_ms"), NumberStyles.None, CultureInfo.InvariantCulture, out int h) && h is >= 100 and <= 60_000
            ? h
            : throw new VenueSettingException("heartbeat_interval_ms", $"must be an integer from 100 to 60000 (milliseconds), was \"{Get("heartbeat_interval_ms")}\"");
        return new PolymarketTradingSettings(clob, user, chain, key, credentials, funder.Length > 0 ? funder : null, type, perSecond, heartbeat);
    }

    private static EthereumKey LoadKey(Func<string, string> get, string baseDirectory)
    {
        string envName = get("private_key_env");
        string? fromEnv = Env(envName);
        string file = get("private_key_file").Trim();
        string text;
        string where;
        if (fromEnv is not null)
        {
            (text, where) = (fromEnv, $"the variable {envName}");
        }
        else if (file.Length > 0)
        {
            string path = Path.GetFullPath(file, baseDirectory);
            if (!File.Exists(path))
            {
                throw new VenueSettingException("private_key_file", $"names {path}, which does not exist");
            }

            if (PrivateFiles.ReadableByOthers(path) is { } exposed)
            {
                throw new VenueSettingException("private_key_file", exposed);
            }

            (text, where) = (File.ReadAllText(path), path);
        }
        else
        {
            throw new VenueSettingException("private_key_env", $"names {envName}, which is not set, and no private_key_file is given: trading needs the account's key");
        }

        try
        {
            return EthereumKey.FromHex(text);
        }
        catch (FormatException ex)
        {
            throw new VenueSettingException(fromEnv is not null ? "private_key_env" : "private_key_file", $"gives a key that is not usable ({where}): {ex.Message}");
        }
    }

    private static Uri Url(Func<string, string> get, string key, params string[] schemes)
    {
        string text = get(key);
        return Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && schemes.Contains(url.Scheme)
            ? url
            : throw new VenueSettingException(key, $"must be an absolute {string.Join(" or ", schemes)} URL, was \"{text}\"");
    }

    private static string? Env(string name) => name.Length > 0 && Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
