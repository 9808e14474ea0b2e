using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MyVenue.FakeServer;

/// <summary>
/// The fake venue: every market is two ladders of bids (YES and NO, in whole cents and contracts)
/// that change a few hundred times a second; subscribers get a snapshot, then each change as a
/// numbered delta. <c>?drop_every=N</c> on the WebSocket address leaves out every Nth delta of that
/// connection (its numbers still count), the lost message the plugin must recover from;
/// <c>?junk=1</c> mixes malformed frames, frames of an unknown type and old deltas (sent again)
/// into it. With a token, every request must carry it (<c>Authorization: Bearer</c>; 401 otherwise).
/// Orders match the top of the other side's book at once (IOC) or rest (GTC) until cancelled.
/// </summary>
public sealed class FakeMyVenueServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeMarket> _markets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Session, byte> _sessions = new();
    private readonly ConcurrentDictionary<string, JsonObject> _resting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ticker;
    private long _nextId;

    private FakeMyVenueServer(WebApplication app, int port)
    {
        _app = app;
        WebSocketUrl = $"ws://127.0.0.1:{port}/ws";
        HttpUrl = $"http://127.0.0.1:{port}";
        _ticker = Task.Run(TickAsync);
    }

    /// <summary>The market data address.</summary>
    public string WebSocketUrl { get; }

    /// <summary>The order API address.</summary>
    public string HttpUrl { get; }

    /// <summary>Starts the server on 127.0.0.1 (port 0: any free port); with a token, requests without it are refused.</summary>
    public static async Task<FakeMyVenueServer> StartAsync(int port = 0, string? token = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        app.UseWebSockets();
        FakeMyVenueServer? server = null;
        app.Use(async (context, next) =>
        {
            if (token is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + token)
            {
                context.Response.StatusCode = 401;
                return;
            }

            await next(context);
        });
        app.Map("/ws", context => server!.StreamAsync(context));
        app.MapPost("/orders", (Func<HttpContext, Task<IResult>>)(context => server!.PlaceAsync(context)));
        app.MapDelete("/orders/{id}", (string id) => server!.Cancel(id));
        await app.StartAsync();
        int bound = new Uri(app.Urls.First()).Port;
        server = new FakeMyVenueServer(app, bound);
        return server;
    }

    /// <summary>Drops every market data connection at once, as a venue's outage or a network cut would.</summary>
    public void DropConnections()
    {
        foreach (Session session in _sessions.Keys)
        {
            session.Socket?.Abort();
        }
    }

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _ticker;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private async Task StreamAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        int dropEvery = int.TryParse(context.Request.Query["drop_every"], out int n) ? n : 0;
        bool junk = context.Request.Query["junk"] == "1";
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new Session(dropEvery, junk) { Socket = socket };
        _sessions[session] = 0;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, context.RequestAborted);
        Task sending = SendAsync(socket, session, done.Token);
        try
        {
            byte[] buffer = new byte[16 * 1024];
            while (!done.IsCancellationRequested)
            {
                WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, done.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Handle(session, JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count)));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // the client went away, or the server stops
        }
        finally
        {
            _sessions.TryRemove(session, out _);
            await done.CancelAsync();
            await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void Handle(Session session, JsonNode? request)
    {
        switch ((string?)request?["op"])
        {
            case "subscribe":
                foreach (JsonNode? id in request!["markets"]?.AsArray() ?? [])
                {
                    FakeMarket market = Market((string)id!);
                    lock (market)
                    {
                        session.Markets.Add(market.Id);
                        session.Outbox.Writer.TryWrite(market.Snapshot());
                    }
                }

                break;
            case "unsubscribe":
                foreach (JsonNode? id in request!["markets"]?.AsArray() ?? [])
                {
                    FakeMarket market = Market((string)id!);
                    lock (market)
                    {
                        session.Markets.Remove(market.Id);
                    }
                }

                break;
            case "snapshot":
                if (_markets.TryGetValue((string?)request!["market"] ?? "", out FakeMarket? known))
                {
                    lock (known)
                    {
                        session.Outbox.Writer.TryWrite(known.Snapshot());
                    }
                }

                break;
            default:
                session.Outbox.Writer.TryWrite(JsonSerializer.Serialize(new { type = "error", message = $"unknown request {request?.ToJsonString()}" }));
                break;
        }
    }

    private static async Task SendAsync(WebSocket socket, Session session, CancellationToken stop)
    {
        try
        {
            await foreach (string frame in session.Outbox.Reader.ReadAllAsync(stop))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, stop);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // closed
        }
    }

    /// <summary>Changes a random level of a random subscribed market every couple of milliseconds and tells its subscribers.</summary>
    private async Task TickAsync()
    {
        var random = new Random(7);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                FakeMarket[] markets = _markets.Values.ToArray();
                if (markets.Length == 0)
                {
                    continue;
                }

                FakeMarket market = markets[random.Next(markets.Length)];
                bool yes = random.Next(2) == 0;
                int cents = yes ? random.Next(30, 46) : random.Next(40, 53); // YES bids <= 45, NO bids <= 52: the book never crosses
                Change(market, yes, cents, random.Next(4) == 0 ? 0 : random.Next(5, 300));
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>Sets one level and sends the numbered delta to every subscriber (a dropping one skips some).</summary>
    private void Change(FakeMarket market, bool yes, int cents, int size)
    {
        lock (market)
        {
            string delta = market.Set(yes, cents, size);
            foreach (Session session in _sessions.Keys)
            {
                if (session.Markets.Contains(market.Id) && !session.Drops())
                {
                    session.Outbox.Writer.TryWrite(delta);
                    if (session.Junk && session.NextJunk() is { } junk)
                    {
                        session.Outbox.Writer.TryWrite(junk == "old" ? delta : junk); // "old": the same delta again, its number already applied
                    }
                }
            }
        }
    }

    private async Task<IResult> PlaceAsync(HttpContext context)
    {
        JsonNode? order = await JsonNode.ParseAsync(context.Request.Body);
        string clientId = (string?)order?["client_order_id"] ?? "";
        string orderId = $"MV-{Interlocked.Increment(ref _nextId)}";
        if (order is null || !decimal.TryParse((string?)order["price"], System.Globalization.CultureInfo.InvariantCulture, out decimal price)
            || !decimal.TryParse((string?)order["size"], System.Globalization.CultureInfo.InvariantCulture, out decimal size) || size <= 0)
        {
            return Results.BadRequest(Answer(orderId, "rejected", 0, 0, "price and size must be decimals, size above 0"));
        }

        FakeMarket market = Market((string?)order["market"] ?? "");
        bool yes = (string?)order["outcome"] == "yes";
        bool buy = (string?)order["side"] == "buy";
        int limitCents = (int)Math.Round(price * 100);
        int wanted = (int)size;
        (int filled, int atCents) = (0, 0);
        lock (market)
        {
            // A buy of one outcome meets the other outcome's best bid (its ask is 1 - that bid); a sell meets its own best bid.
            (int bestCents, int bestSize) = market.Best(buy ? !yes : yes);
            int fillCents = buy ? 100 - bestCents : bestCents;
            if (bestSize > 0 && (buy ? fillCents <= limitCents : fillCents >= limitCents))
            {
                filled = Math.Min(wanted, bestSize);
                atCents = fillCents;
                Change(market, buy ? !yes : yes, bestCents, bestSize - filled); // the liquidity taken leaves the book for every subscriber
            }
        }

        bool ioc = (string?)order["tif"] == "ioc";
        string status = filled == wanted ? "filled" : ioc ? (filled > 0 ? "partially_filled" : "cancelled") : (filled > 0 ? "partially_filled" : "acked");
        JsonObject answer = Answer(orderId, status, filled, ioc ? 0 : wanted - filled, null);
        if (filled > 0)
        {
            answer["fills"] = new JsonArray(new JsonObject
            {
                ["trade_id"] = $"{orderId}-T1",
                ["price"] = $"{atCents / 100m:0.00}",
                ["size"] = filled.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            });
        }

        if (!ioc && filled < wanted)
        {
            _resting[clientId] = Answer(orderId, "cancelled", filled, 0, null); // what a cancel will answer
        }

        return Results.Json(answer);
    }

    private IResult Cancel(string clientId) =>
        _resting.TryRemove(clientId, out JsonObject? cancelled)
            ? Results.Json(cancelled)
            : Results.NotFound(Answer("", "rejected", 0, 0, $"no resting order {clientId}"));

    private static JsonObject Answer(string orderId, string status, int filled, int remaining, string? reason) => new()
    {
        ["order_id"] = orderId,
        ["status"] = status,
        ["filled"] = filled.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["reason"] = reason,
    };

    private FakeMarket Market(string id) => _markets.GetOrAdd(id, key => new FakeMarket(key));

    /// <summary>One WebSocket client: its markets, what waits to be sent, and its drop counter.</summary>
    private sealed class Session(int dropEvery, bool junk)
    {
        private static readonly string[] s_junk = ["{\"type\":\"delta\",\"market\":", "{\"type\":\"heartbeat_v9\",\"market\":\"MV-1\"}", "old", "not json at all"];
        private int _sent;
        private int _junk;

        public WebSocket? Socket { get; init; }

        public bool Junk => junk;

        /// <summary>Every fifth delta is followed by a junk frame (malformed, an unknown type, or the delta again).</summary>
        public string? NextJunk() => ++_junk % 5 == 0 ? s_junk[(_junk / 5) % s_junk.Length] : null;

        public HashSet<string> Markets { get; } = new(StringComparer.Ordinal);

        public Channel<string> Outbox { get; } = Channel.CreateUnbounded<string>();

        /// <summary>Whether to leave out this delta (every Nth with drop_every=N).</summary>
        public bool Drops() => dropEvery > 0 && ++_sent % dropEvery == 0;
    }
}
