using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>
/// Level-2 authentication: the API key, secret and passphrase (from the environment, never the
/// config), and the HMAC-SHA256 <c>POLY_SIGNATURE</c> over timestamp + method + path + body.
/// <see cref="ToString"/> shows the key id only. docs/venues/PROTOCOLS.md 2.6.
/// </summary>
internal sealed class ApiCredentials(string apiKey, string secret, string passphrase)
{
    private readonly byte[] _secret = Base64UrlDecode(secret);
    private readonly string _secretText = secret;

    public string ApiKey { get; } = apiKey;

    /// <summary>base64url(HMAC_SHA256(base64url_decode(secret), timestamp + METHOD + path + body)), '=' padding kept.</summary>
    public string Signature(long timestampSeconds, string method, string requestPath, string? body)
    {
        string message = timestampSeconds.ToString(CultureInfo.InvariantCulture) + method + requestPath + (body ?? "");
        byte[] mac = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(message));
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The L2 headers for one request (the path without its query string; the body byte for byte as sent).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers(string address, long timestampSeconds, string method, string requestPath, string? body) =>
    [
        new("POLY_ADDRESS", address),
        new("POLY_SIGNATURE", Signature(timestampSeconds, method, requestPath, body)),
        new("POLY_TIMESTAMP", timestampSeconds.ToString(CultureInfo.InvariantCulture)),
        new("POLY_API_KEY", ApiKey),
        new("POLY_PASSPHRASE", passphrase),
    ];

    /// <summary>The user channel's subscription message (it carries the credentials: sent over the socket, never logged).</summary>
    public string UserChannelSubscription(IReadOnlyList<string> markets) =>
        System.Text.Json.JsonSerializer.Serialize(new { auth = new { apiKey = ApiKey, secret = _secretText, passphrase }, markets, type = "user" });

    /// <inheritdoc/>
    public override string ToString() => $"api key {ApiKey}";

    private static byte[] Base64UrlDecode(string text)
    {
        string standard = text.Trim().Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(standard);
        }
        catch (FormatException ex)
        {
            throw new FormatException("the API secret is not base64 (url-safe or standard)", ex);
        }
    }
}
