using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// Stands in for an OpenTelemetry collector's OTLP/HTTP receiver on loopback: answers 200 to every
/// post and keeps it (path, content type, body). Protobuf keeps names and string attributes as
/// UTF-8 bytes, so a test can find instrument names and labels in the body as text.
/// </summary>
internal sealed class OtlpCollectorStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Post> _posts = new();

    private OtlpCollectorStandIn(WebApplication app) => _app = app;

    /// <summary>Base URL, ending in a slash.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Posts received, oldest first.</summary>
    public IEnumerable<Post> Posts => _posts;

    public static async Task<OtlpCollectorStandIn> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var collector = new OtlpCollectorStandIn(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._posts.Enqueue(new Post(context.Request.Path, context.Request.ContentType ?? "", Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync();
        collector.Url = app.Urls.First().TrimEnd('/') + "/";
        return collector;
    }

    /// <summary>Whether a post whose body (as text) satisfies <paramref name="match"/> has arrived.</summary>
    public bool Received(Func<string, bool> match) => _posts.Any(p => match(p.Body));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One post.</summary>
    public sealed record Post(string Path, string ContentType, string Body);
}
