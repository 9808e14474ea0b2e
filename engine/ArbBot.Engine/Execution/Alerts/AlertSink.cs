using System.Net.Http.Json;
using System.Threading.Channels;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Journal;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution.Alerts;

/// <summary>
/// Raises alerts: a log line (warning or error), a row in the fill log, an entry on the Redis
/// <c>alerts</c> stream (through <see cref="Published"/>), and an optional webhook POST of JSON.
/// The webhook is rate-limited to <see cref="AlertOptions.WebhookPerMinute"/>; alerts over the
/// limit are counted and the count rides along with the next post. Posting happens on its own
/// task, never on the kernel thread.
/// </summary>
public sealed class AlertSink : IAsyncDisposable
{
    private readonly AlertOptions _options;
    private readonly ILogger _logger;
    private readonly IExecutionJournal? _log;
    private readonly string _engineId;
    private readonly Uri? _webhook;
    private readonly Channel<Alert> _outbox = Channel.CreateBounded<Alert>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Task _sender;
    private readonly HttpClient? _http; // only with a webhook: the HTTP stack is a megabyte or two an engine without one never needs
    private readonly Queue<DateTime> _sentTimes = new();
    private long _raised;
    private long _webhookSent;
    private long _webhookSuppressed;
    private long _webhookSuppressedTotal;

    /// <summary>Creates the sink. The webhook URL is read from the environment variable the options name.</summary>
    public AlertSink(AlertOptions options, string engineId, IExecutionJournal? log, ILogger logger)
    {
        _options = options;
        _engineId = engineId;
        _log = log;
        _logger = logger;
        if (options.WebhookUrlEnv is { } variable)
        {
            string? url = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(url))
            {
                logger.LogWarning("alerts.webhook_url_env names {Variable}, which is not set; alerts go to the log, the fill log and Redis only", variable);
            }
            else if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                logger.LogError("alerts.webhook_url_env: {Variable} does not hold an http(s) URL; the webhook is off", variable);
            }
            else
            {
                _webhook = uri;
            }
        }

        if (_webhook is { } webhook)
        {
            HttpClient http = _http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            _sender = Task.Run(() => SendLoopAsync(webhook, http));
        }
        else
        {
            _sender = Task.CompletedTask;
        }
    }

    /// <summary>Raised for every alert (the Redis mirror's hook).</summary>
    public event Action<Alert>? Published;

    /// <summary>Alerts raised.</summary>
    public long Raised => Interlocked.Read(ref _raised);

    /// <summary>Webhook posts that succeeded.</summary>
    public long WebhookSent => Interlocked.Read(ref _webhookSent);

    /// <summary>Alerts not posted because of the rate limit (in all).</summary>
    public long WebhookSuppressed => Interlocked.Read(ref _webhookSuppressedTotal);

    /// <summary>Raises an alert.</summary>
    public void Raise(string level, string kind, string? eventId, string message, long nowMs)
    {
        var alert = new Alert(nowMs, level, kind, eventId, message);
        Interlocked.Increment(ref _raised);
        LogLevel logLevel = level switch { "error" => LogLevel.Error, "warning" => LogLevel.Warning, _ => LogLevel.Information };
        _logger.Log(logLevel, "alert {Kind}{Event}: {Message}", kind, eventId is null ? "" : " " + eventId, message);
        _log?.AlertRaised(alert);
        Published?.Invoke(alert);
        bool wanted = level == "error" || (level == "warning" && _options.MinLevel == "warning");
        if (_webhook is not null && wanted)
        {
            _outbox.Writer.TryWrite(alert);
        }
    }

    /// <summary>Stops the webhook sender (alerts queued are still tried for a moment).</summary>
    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await Task.WhenAny(_sender, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _http?.Dispose();
    }

    private async Task SendLoopAsync(Uri webhook, HttpClient http)
    {
        await foreach (Alert alert in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            DateTime now = DateTime.UtcNow;
            while (_sentTimes.Count > 0 && now - _sentTimes.Peek() > TimeSpan.FromMinutes(1))
            {
                _sentTimes.Dequeue();
            }

            if (_sentTimes.Count >= _options.WebhookPerMinute)
            {
                Interlocked.Increment(ref _webhookSuppressed);
                Interlocked.Increment(ref _webhookSuppressedTotal);
                continue;
            }

            _sentTimes.Enqueue(now);
            long suppressed = Interlocked.Exchange(ref _webhookSuppressed, 0);
            var body = new
            {
                engine = _engineId,
                ts = alert.TimestampMs,
                level = alert.Level,
                kind = alert.Kind,
                @event = alert.EventId,
                message = alert.Message,
                suppressed_since_last = suppressed,
            };
            try
            {
                using HttpResponseMessage response = await http.PostAsJsonAsync(webhook, body).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _webhookSent);
                }
                else
                {
                    _logger.LogWarning("alert webhook answered {Status}", (int)response.StatusCode);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _logger.LogWarning("alert webhook failed: {Message}", ex.Message);
            }
        }
    }
}
