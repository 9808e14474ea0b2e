using StackExchange.Redis;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArbBot.Cli.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ArbBot.Cli.Dashboard;

/// <summary>
/// <c>arbbot dashboard</c>'s web app (Kestrel): the page and its script and styles (embedded in
/// arbbot, no CDN), <c>GET /api/snapshot</c> (JSON), <c>GET /api/events</c> (server-sent events,
/// a snapshot every <see cref="Interval"/>), and <c>POST /api/kill</c> (the kill switch of every
/// engine, through their Redis kill keys). One loop reads Redis for all clients. Loopback by
/// default; elsewhere a token from the environment is required on every request, the page
/// included (as <c>Authorization: Bearer</c>, or <c>?token=</c> where a browser cannot set headers).
/// Against other web pages the operator opens: without a token only a loopback <c>Host</c> is
/// answered (DNS rebinding cannot read it), and the kill switch takes only same-origin JSON that
/// carries this run's CSRF token (embedded in the page), so no cross-site form or script can fire or release it.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>How often Redis is read and the page updated.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };
    private readonly WebApplication _app;
    private readonly DashboardReader _reader;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _poll;
    private volatile DashboardSnapshot? _latest;
    private long _version;

    private DashboardServer(WebApplication app, DashboardReader reader)
    {
        _app = app;
        _reader = reader;
        _poll = Task.Run(PollAsync);
    }

    /// <summary>The header the page sends this run's CSRF token in.</summary>
    public const string CsrfHeader = "X-ArbBot-CSRF";

    /// <summary>The address it listens on.</summary>
    public string Url => _app.Urls.First();

    public static async Task<DashboardServer> StartAsync(Uri url, string? token, DashboardReader reader, ILogger logger)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        DashboardServer? server = null;
        byte[]? expected = token is null ? null : Encoding.UTF8.GetBytes("Bearer " + token);
        byte[]? expectedQuery = token is null ? null : Encoding.UTF8.GetBytes(token);
        string csrf = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        byte[] csrfBytes = Encoding.ASCII.GetBytes(csrf);
        app.Use(async (context, next) =>
        {
            if (token is null && !LoopbackHost(context.Request.Host.Host))
            {
                // Tokenless means loopback only: a page served from another name that resolves here (DNS rebinding) gets nothing.
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync($"refused: Host \"{context.Request.Host}\" is not a loopback address; open the dashboard at http://127.0.0.1:{context.Request.Host.Port ?? 80}/\n");
                return;
            }

            if (expected is not null && !OpsServer.Authorized(context.Request, expected)
                && !(context.Request.Query.TryGetValue("token", out var q) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(q.ToString()), expectedQuery)))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("missing or wrong token: send Authorization: Bearer <token>, or open the page with ?token=<token>\n");
                return;
            }

            await next(context);
        });
        app.MapGet("/", () => Results.Text(AssetText("index.html").Replace("<head>", $"<head>\n  <meta name=\"arbbot-csrf\" content=\"{csrf}\">", StringComparison.Ordinal), "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/style.css", () => Asset("style.css", "text/css; charset=utf-8"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/api/snapshot", async () => Results.Json(server!._latest ?? await reader.ReadAsync()));
        app.MapGet("/api/events", (Func<HttpContext, Task>)(context => server!.StreamAsync(context)));
        app.MapPost("/api/kill", async (HttpContext context) =>
        {
            if (CrossSiteRefusal(context.Request, csrfBytes) is { } refusal)
            {
                return refusal;
            }

            KillRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<KillRequest>(context.Request.Body, s_json);
            }
            catch (JsonException ex)
            {
                return Results.Json(new { error = $"body must be JSON {{\"mode\": \"halt|flatten|clear\", \"reason\": \"...\"}}: {ex.Message}" }, statusCode: 400);
            }

            if (request?.Mode is not ("halt" or "flatten" or "clear"))
            {
                return Results.Json(new { error = $"mode must be halt, flatten or clear, was \"{request?.Mode}\"" }, statusCode: 400);
            }

            string reason = string.IsNullOrWhiteSpace(request.Reason) ? "dashboard" : request.Reason.Trim();
            long generation;
            IReadOnlyList<string> engines;
            try
            {
                (generation, engines) = await reader.KillAsync(request.Mode, reason);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
            {
                logger.LogError("dashboard: kill switch {Mode} ({Reason}) NOT sent: {Error}", request.Mode, reason, ex.Message);
                return Results.Json(new { error = $"not sent: {ex.Message}; use arbbot kill on the engine's host (it also writes the engine's own state database)" }, statusCode: 503);
            }

            logger.LogWarning("dashboard: kill switch {Mode} ({Reason}) sent to every engine as global generation {Generation} (alive now: {Engines})", request.Mode, reason, generation, string.Join(", ", engines));
            return Results.Json(new { mode = request.Mode, generation, engines });
        });
        await app.StartAsync();
        server = new DashboardServer(app, reader);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _poll;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private static IResult Asset(string name, string contentType) => Results.Text(AssetText(name), contentType);

    private static string AssetText(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ArbBot.Cli.Dashboard.wwwroot.{name}")
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in arbbot");
        using var text = new StreamReader(stream);
        return text.ReadToEnd();
    }

    private static bool LoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" || (System.Net.IPAddress.TryParse(host, out System.Net.IPAddress? ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>
    /// Why a state-changing request may not be from this dashboard's own page: not JSON (a form or
    /// a text/plain fetch needs no preflight), from another origin, or without this run's CSRF token.
    /// </summary>
    private static IResult? CrossSiteRefusal(HttpRequest request, byte[] csrf)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(new { error = "the kill switch takes only application/json" }, statusCode: 415);
        }

        string origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(new { error = $"refused: a request from {origin}, not from this dashboard" }, statusCode: 403);
        }

        string sent = request.Headers[CsrfHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), csrf))
        {
            return Results.Json(new { error = $"refused: {CsrfHeader} is missing or not this dashboard's (reload the page)" }, statusCode: 403);
        }

        return null;
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _latest = await _reader.ReadAsync();
                Interlocked.Increment(ref _version);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Redis went away mid-read: say so on the page and try again next time.
                _latest = _latest is { } last ? last with { Redis = $"read failed: {ex.Message}" } : null;
            }

            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StreamAsync(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        long sent = -1;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        try
        {
            while (!both.IsCancellationRequested)
            {
                long version = Interlocked.Read(ref _version);
                if (version != sent && _latest is { } snapshot)
                {
                    sent = version;
                    await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(snapshot, s_json) + "\n\n", both.Token);
                    await context.Response.Body.FlushAsync(both.Token);
                }

                await Task.Delay(100, both.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away, or the dashboard is stopping
        }
    }

    private sealed record KillRequest(
        [property: System.Text.Json.Serialization.JsonPropertyName("mode")] string? Mode,
        [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string? Reason);
}
