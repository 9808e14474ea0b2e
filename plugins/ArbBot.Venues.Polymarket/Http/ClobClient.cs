using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Venues.Polymarket.Http;

/// <summary>
/// The CLOB REST calls trading needs, authenticated with L2 headers (the HMAC covers the exact body
/// sent). Orders are never retried unless the venue surely did not take them (429); reads and
/// cancels retry through 429 and 5xx with backoff. Every error names the call and the venue's message.
/// </summary>
internal sealed class ClobClient(PolymarketTradingSettings settings, HttpClient http, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _credentialsGate = new(1, 1);
    private ApiCredentials? _credentials = settings.Credentials;

    public string Address => settings.Key.ChecksumAddress;

    /// <summary>The API credentials: from the environment, or derived once with an L1 ClobAuth signature.</summary>
    public async Task<ApiCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        if (_credentials is { } known)
        {
            return known;
        }

        await _credentialsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_credentials is null)
            {
                long now = clock.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Get, Url("/auth/derive-api-key"));
                foreach (KeyValuePair<string, string> header in ClobAuth.Headers(settings.Key, settings.ChainId, now, 0))
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                using JsonDocument doc = await SendAsync("GET /auth/derive-api-key", request, cancellationToken).ConfigureAwait(false);
                JsonElement root = doc.RootElement;
                _credentials = new ApiCredentials(Text(root, "apiKey"), Text(root, "secret"), Text(root, "passphrase"));
            }

            return _credentials;
        }
        finally
        {
            _credentialsGate.Release();
        }
    }

    /// <summary>A market's tick, minimum order size and neg-risk flag (<c>GET /markets/{condition}</c>).</summary>
    public async Task<(Price Tick, Quantity MinimumSize, bool NegRisk)> MarketAsync(string conditionId, CancellationToken cancellationToken)
    {
        using JsonDocument doc = await WithRetries($"GET /markets/{conditionId}", () => new HttpRequestMessage(HttpMethod.Get, Url("/markets/" + Uri.EscapeDataString(conditionId))), cancellationToken).ConfigureAwait(false);
        JsonElement root = doc.RootElement;
        Price tick = root.TryGetProperty("minimum_tick_size", out JsonElement t) && Price.TryParse(t.GetRawText().Trim('"').AsSpan(), out Price parsed) && parsed.Micros > 0 ? parsed : Price.Cent;
        Quantity minimum = root.TryGetProperty("minimum_order_size", out JsonElement m) && Quantity.TryParse(m.GetRawText().Trim('"').AsSpan(), out Quantity size) ? size : Quantity.Zero;
        bool negRisk = root.TryGetProperty("neg_risk", out JsonElement n) && n.ValueKind == JsonValueKind.True;
        return (tick, minimum, negRisk);
    }

    /// <summary>Posts a signed order (<c>POST /order</c>); returns the venue's order id and status. Retried only on 429.</summary>
    public async Task<(string OrderId, string Status)> PostOrderAsync(string body, CancellationToken cancellationToken)
    {
        ApiCredentials credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; ; attempt++)
        {
            using HttpRequestMessage request = Signed(credentials, HttpMethod.Post, "/order", body);
            try
            {
                using JsonDocument doc = await SendAsync("POST /order", request, cancellationToken).ConfigureAwait(false);
                JsonElement root = doc.RootElement;
                if (root.TryGetProperty("success", out JsonElement ok) && ok.ValueKind == JsonValueKind.False)
                {
                    throw new ClobApiException("POST /order", 200, Text(root, "errorMsg"));
                }

                return (Text(root, "orderID"), Text(root, "status"));
            }
            catch (ClobApiException ex) when (ex.Status == 429 && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Cancels an order (<c>DELETE /order</c>); true when the venue cancelled it, false when it says it was already done.</summary>
    public async Task<bool> CancelAsync(string orderId, CancellationToken cancellationToken)
    {
        ApiCredentials credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        string body = $"{{\"orderID\":\"{orderId}\"}}";
        using JsonDocument doc = await WithRetries("DELETE /order", () => Signed(credentials, HttpMethod.Delete, "/order", body), cancellationToken).ConfigureAwait(false);
        return doc.RootElement.TryGetProperty("canceled", out JsonElement cancelled) && cancelled.EnumerateArray().Any(c => c.GetString() == orderId);
    }

    /// <summary>
    /// The dead-man heartbeat (<c>POST /v1/heartbeats</c>, body <c>{"heartbeat_id": id}</c> as the
    /// official client sends it; empty starts a session): returns the id to send next. A refused
    /// heartbeat (an expired or unknown id) throws, naming the venue's words.
    /// </summary>
    public async Task<string> HeartbeatAsync(string heartbeatId, CancellationToken cancellationToken)
    {
        ApiCredentials credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        string body = HeartbeatBody(heartbeatId);
        using HttpRequestMessage request = Signed(credentials, HttpMethod.Post, HeartbeatPath, body);
        using JsonDocument doc = await SendAsync("POST " + HeartbeatPath, request, cancellationToken).ConfigureAwait(false);
        JsonElement root = doc.RootElement;
        string error = root.TryGetProperty("error_msg", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        string next = Text(root, "heartbeat_id");
        if (error.Length > 0 || next.Length == 0)
        {
            throw new ClobApiException("POST " + HeartbeatPath, 200, error.Length > 0 ? error : "no heartbeat_id in the answer");
        }

        return next;
    }

    /// <summary>The order version the venue takes now (<c>GET /version</c> → <c>{"version": N}</c>; 2 when it does not say, as the official client assumes).</summary>
    public async Task<int> OrderVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using JsonDocument doc = await WithRetries("GET /version", () => new HttpRequestMessage(HttpMethod.Get, Url("/version")), cancellationToken).ConfigureAwait(false);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("version", out JsonElement v) && v.TryGetInt32(out int version) ? version : 2;
        }
        catch (ClobApiException ex) when (ex.Status == 404)
        {
            return 2; // a venue without the endpoint takes version 2 orders
        }
    }

    /// <summary>The venue's word for an order signed for another version than it takes now.</summary>
    public const string OrderVersionMismatch = "order_version_mismatch";

    /// <summary>The heartbeat's body, byte for byte as the official client sends it (the L2 HMAC covers it).</summary>
    internal static string HeartbeatBody(string heartbeatId) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["heartbeat_id"] = heartbeatId });

    /// <summary>The heartbeat endpoint, as the official client names it.</summary>
    public const string HeartbeatPath = "/v1/heartbeats";

    /// <summary>One order as the venue has it now (<c>GET /data/order/{id}</c>): its status and how much matched.</summary>
    public async Task<(string Status, Quantity Matched)> OrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ApiCredentials credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        string path = "/data/order/" + orderId;
        using JsonDocument doc = await WithRetries("GET " + path, () => Signed(credentials, HttpMethod.Get, path, null), cancellationToken).ConfigureAwait(false);
        JsonElement root = doc.RootElement;
        return (Text(root, "status"), Quantity.TryParse(Text(root, "size_matched").AsSpan(), out Quantity matched) ? matched : Quantity.Zero);
    }

    /// <summary>
    /// An authenticated read with query parameters. As in the official client, the L2 signature
    /// covers the path alone; the query rides on the URL.
    /// </summary>
    public async Task<JsonDocument> GetAsync(string path, string query, CancellationToken cancellationToken)
    {
        ApiCredentials credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        return await WithRetries("GET " + path, () => Signed(credentials, HttpMethod.Get, path, null, query), cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Signed(ApiCredentials credentials, HttpMethod method, string path, string? body, string query = "")
    {
        var request = new HttpRequestMessage(method, Url(path + (query.Length > 0 ? "?" + query : "")));
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (KeyValuePair<string, string> header in credentials.Headers(Address, now, method.Method, path, body))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private async Task<JsonDocument> WithRetries(string call, Func<HttpRequestMessage> make, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            using HttpRequestMessage request = make();
            try
            {
                return await SendAsync(call, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 3 && (ex is ClobApiException { Status: 429 or >= 500 } || ex is HttpRequestException))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<JsonDocument> SendAsync(string call, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new ClobApiException(call, (int)response.StatusCode, Message(text));
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new ClobApiException(call, 200, $"not JSON: {(text.Length > 200 ? text[..200] : text)}");
        }
    }

    /// <summary>The venue's own words: errorMsg or error from a JSON body, else the body's start.</summary>
    private static string Message(string text)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            foreach (string name in new[] { "errorMsg", "error", "message" })
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String)
                {
                    return e.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: the text itself below
        }

        return text.Length > 200 ? text[..200] : text;
    }

    private Uri Url(string path) => new(settings.ClobUrl, settings.ClobUrl.AbsolutePath.TrimEnd('/') + path);

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()) : "";

    /// <summary>Releases the credentials gate (the HttpClient belongs to the executor, which disposes it).</summary>
    public void Dispose() => _credentialsGate.Dispose();
}
