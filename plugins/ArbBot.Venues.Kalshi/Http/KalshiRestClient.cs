using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ArbBot.Venues.Kalshi.Auth;
using ArbBot.Venues.Kalshi.Config;

namespace ArbBot.Venues.Kalshi.Http;

/// <summary>
/// Signed REST calls. Each call waits for its tokens in the account's budget (an order costs 10
/// write tokens); a 429 backs off and retries (up to 5 times, doubling from 200 ms); other errors
/// come back as <see cref="KalshiApiException"/> with Kalshi's own message.
/// </summary>
internal sealed class KalshiRestClient : IDisposable
{
    private const int OrderCost = 10;
    private readonly HttpClient _http;
    private readonly KalshiSettings _settings;
    private readonly KalshiSigner _signer;
    private readonly TokenBudget _writes;
    private readonly TokenBudget _reads;

    public KalshiRestClient(KalshiSettings settings, KalshiSigner signer)
    {
        _settings = settings;
        _signer = signer;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _writes = new TokenBudget(settings.WriteTokensPerSecond, settings.WriteTokensPerSecond * 2); // the write bucket holds 2 s
        _reads = new TokenBudget(settings.ReadTokensPerSecond, settings.ReadTokensPerSecond);
    }

    /// <summary>Requests answered 429 and retried.</summary>
    public long RateLimited { get; private set; }

    public Task<JsonDocument> PostAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, json, _writes, cancellationToken);

    public Task<JsonDocument> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, _writes, cancellationToken);

    public Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, _reads, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> SendAsync(HttpMethod method, string pathAndQuery, string? json, TokenBudget budget, CancellationToken cancellationToken)
    {
        string basePath = _settings.RestBase.AbsolutePath.TrimEnd('/');
        string path = pathAndQuery.Split('?')[0];
        for (int attempt = 0; ; attempt++)
        {
            await budget.TakeAsync(OrderCost, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, new Uri(_settings.RestBase.GetLeftPart(UriPartial.Authority) + basePath + pathAndQuery));
            (string key, string timestamp, string signature) = _signer.Sign(method.Method, basePath + path); // path with /trade-api/v2, no query
            request.Headers.Add(KalshiSigner.KeyHeader, key);
            request.Headers.Add(KalshiSigner.TimestampHeader, timestamp);
            request.Headers.Add(KalshiSigner.SignatureHeader, signature);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }

            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 5)
            {
                RateLimited++;
                await Task.Delay(200 << attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new KalshiApiException((int)response.StatusCode, $"{method} {path}: HTTP {(int)response.StatusCode}: {ErrorText(body)}");
            }

            return JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        }
    }

    private static string ErrorText(string body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.TryGetProperty("error", out JsonElement error))
            {
                return error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? body : error.ToString();
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 300 ? body[..300] : body;
    }
}
