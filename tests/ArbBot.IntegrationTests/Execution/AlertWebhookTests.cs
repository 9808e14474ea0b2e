using System.Collections.Concurrent;
using System.Text.Json;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>Alerts posted to a webhook (a Kestrel server on a real socket), rate-limited, with the URL read from the environment.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class AlertWebhookTests
{
    [Fact]
    public async Task Warnings_and_errors_are_posted_as_json_and_the_rate_limit_counts_the_rest()
    {
        var received = new ConcurrentQueue<JsonElement>();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using WebApplication app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using JsonDocument body = await JsonDocument.ParseAsync(context.Request.Body);
            received.Enqueue(body.RootElement.Clone());
            return Results.Ok();
        });
        await app.StartAsync();
        string url = app.Urls.Single() + "/hook";

        string variable = "ARBBOT_TEST_WEBHOOK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, url);
        try
        {
            await using var alerts = new AlertSink(new AlertOptions(variable, WebhookPerMinute: 3, MinLevel: "warning"), "hook-test", null, NullLogger.Instance);
            alerts.Raise("info", "resolved", "EV1", "informational: not posted", 1);
            for (int i = 0; i < 10; i++)
            {
                alerts.Raise(i == 0 ? "error" : "warning", "legged", "EV1", $"alert {i}", 1000 + i);
            }

            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(alerts.WebhookSent == 3 && alerts.WebhookSuppressed == 7), TimeSpan.FromSeconds(10)),
                $"sent {alerts.WebhookSent}, suppressed {alerts.WebhookSuppressed}");
            JsonElement first = received.First();
            Assert.Equal("hook-test", first.GetProperty("engine").GetString());
            Assert.Equal("error", first.GetProperty("level").GetString());
            Assert.Equal("legged", first.GetProperty("kind").GetString());
            Assert.Equal("EV1", first.GetProperty("event").GetString());
            Assert.Equal("alert 0", first.GetProperty("message").GetString());
            Assert.Equal(1000, first.GetProperty("ts").GetInt64());
            Assert.DoesNotContain(received, r => r.GetProperty("level").GetString() == "info");
            Assert.Equal(11, alerts.Raised);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            await app.StopAsync();
        }
    }
}
