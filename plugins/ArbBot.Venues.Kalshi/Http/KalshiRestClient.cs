using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ArbBot.Venues.Kalshi.Auth;
using ArbBot.Venues.Kalshi.Config;
using ArbBot.Venues.Toolkit.Execution;
using Polly;
using Polly.Retry;

namespace ArbBot.Venues.Kalshi.Http;

/// <summary>
/// Signed REST calls. Each call waits for its tokens in the account's budget (the toolkit's
/// <see cref="RequestBudget"/>, token buckets from System.Threading.RateLimiting: an order costs 10 write tokens, the write bucket holds 2 s); a
/// 429, a network failure or a 5xx backs off and retries with Polly (up to 5 times, exponential
/// from 200 ms with jitter; an order only when it surely did not arrive); other errors come back
/// as <see cref="KalshiApiException"/> with Kalshi's own message.
/// </summary>
internal sealed class KalshiRestClient : IDisposable
{
    private const int OrderCost = 10;
    private readonly HttpClient _http;
    private readonly KalshiSettings _settings;
    private readonly KalshiSigner _signer;
    private readonly RequestBudget _writes;
    private readonly RequestBudget _reads;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly ResiliencePipeline<HttpResponseMessage> _retryOrder;

    public KalshiRestClient(KalshiSettings settings, KalshiSigner signer)
    {
        _settings = settings;
        _signer = signer;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _writes = new RequestBudget(settings.WriteTokensPerSecond, settings.WriteTokensPerSecond * 2); // the write bucket holds 2 s
        _reads = new RequestBudget(settings.ReadTokensPerSecond, settings.ReadTokensPerSecond);
        // Reads and cancels are safe to repeat on any failure. An order is repeated only when it
        // surely did not arrive (429, or no connection made); after any other failure the
        // executor looks it up by client order id instead, so it is never placed twice.
        _retry = Pipeline(new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || IsServerError(r.StatusCode)));
        _retryOrder = Pipeline(new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>(ex => ex.HttpRequestError == HttpRequestError.ConnectionError)
            .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(PredicateBuilder<HttpResponseMessage> shouldRetry) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = shouldRetry,
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose(); // the answer being retried
                    return default;
                },
            })
            .Build();

    public Task<JsonDocument> PostAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, json, _writes, cancellationToken);

    public Task<JsonDocument> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, _writes, cancellationToken);

    public Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, _reads, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _writes.Dispose();
        _reads.Dispose();
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string pathAndQuery, string? json, RequestBudget budget, CancellationToken cancellationToken)
    {
        string basePath = _settings.RestBase.AbsolutePath.TrimEnd('/');
        string path = pathAndQuery.Split('?')[0];
        var uri = new Uri(_settings.RestBase.GetLeftPart(UriPartial.Authority) + basePath + pathAndQuery);
        ResiliencePipeline<HttpResponseMessage> retry = method == HttpMethod.Post ? _retryOrder : _retry;
        using HttpResponseMessage response = await retry.ExecuteAsync(async token =>
        {
            try
            {
                await budget.WaitAsync(OrderCost, token).ConfigureAwait(false);
            }
            catch (InvalidOperationException full)
            {
                throw new KalshiApiException(0, $"{method} {path}: {full.Message}");
            }

            // Signed afresh on every try: the timestamp is part of the signature.
            using var request = new HttpRequestMessage(method, uri);
            (string key, string timestamp, string signature) = _signer.Sign(method.Method, basePath + path); // path with /trade-api/v2, no query
            request.Headers.Add(KalshiSigner.KeyHeader, key);
            request.Headers.Add(KalshiSigner.TimestampHeader, timestamp);
            request.Headers.Add(KalshiSigner.SignatureHeader, signature);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }

            return await _http.SendAsync(request, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new KalshiApiException((int)response.StatusCode, $"{method} {path}: HTTP {(int)response.StatusCode}: {ErrorText(body)}");
        }

        return JsonDocument.Parse(body.Length == 0 ? "{}" : body);
    }

    private static bool IsServerError(HttpStatusCode status) => status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

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
