using System.Net;
using System.Security.Cryptography;
using System.Text;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Hosting.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ArbBot.Cli.Http;

/// <summary>
/// <c>arbbot run --http ADDRESS:PORT</c>: <c>GET /health</c> (200 while every feed is fresh, 503
/// with the reasons otherwise) and <c>GET /metrics</c> (Prometheus text, from the engine's
/// System.Diagnostics.Metrics meter, by OpenTelemetry's Prometheus exporter). Loopback by
/// default; any other address needs a token from the environment, then every request must carry
/// <c>Authorization: Bearer TOKEN</c>.
/// </summary>
internal sealed class OpsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OpsServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The address it listens on.</summary>
    public string Url => _app.Urls.First();

    /// <summary>
    /// Parses <paramref name="address"/> (host:port) and checks the token rule; returns the error
    /// to print, or null. A token found in the environment is required on loopback too.
    /// </summary>
    public static string? Check(string address, string tokenEnv, out Uri? url, out string? token)
    {
        token = Environment.GetEnvironmentVariable(tokenEnv) is { Length: > 0 } t ? t : null;
        if (!Uri.TryCreate("http://" + address, UriKind.Absolute, out url) || url.Port <= 0 || url.AbsolutePath != "/" || address.Contains('/'))
        {
            url = null;
            return $"--http must be ADDRESS:PORT such as 127.0.0.1:9100, was \"{address}\"";
        }

        bool loopback = url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
        if (!loopback && token is null)
        {
            return $"--http {address} is not a loopback address: set a token in {tokenEnv} (every request must then send Authorization: Bearer <token>)";
        }

        return null;
    }

    /// <summary>
    /// Serves the engine <paramref name="currentHost"/> returns (a run restarts its engine when the
    /// pairs file changes); <c>/metrics</c> reads the <see cref="EngineMetrics.MeterName"/> meter the run keeps.
    /// </summary>
    public static async Task<OpsServer> StartAsync(Uri url, string? token, string engineId, Func<EngineHost> currentHost)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => MetricsPush.Describe(resource, engineId))
            .WithMetrics(metrics => metrics.AddMeter(EngineMetrics.MeterName).AddPrometheusExporter());
        WebApplication app = builder.Build();
        byte[]? expected = token is null ? null : Encoding.UTF8.GetBytes("Bearer " + token);
        app.Use(async (context, next) =>
        {
            if (expected is not null && !Authorized(context.Request, expected))
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("missing or wrong bearer token\n");
                return;
            }

            await next(context);
        });
        app.MapGet("/health", async () =>
        {
            EngineHost host = currentHost();
            EngineSummary summary = host.LatestSummary ?? await host.SummarizeAsync();
            IReadOnlyList<string> problems = EngineHealth.Problems(summary);
            return problems.Count == 0
                ? Results.Json(new { status = "ok", latency_p99_us = Math.Round(summary.LatencyP99Us, 1) })
                : Results.Json(new { status = "unhealthy", problems }, statusCode: 503);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync();
        return new OpsServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Whether the request carries <c>Authorization: Bearer TOKEN</c> (<paramref name="expected"/> is "Bearer TOKEN" in UTF-8), compared in constant time.</summary>
    internal static bool Authorized(HttpRequest request, byte[] expected)
    {
        string? header = request.Headers.Authorization;
        return header is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), expected);
    }
}
