using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArbBot.FakeVenues.Polymarket;

/// <summary>
/// A Polymarket CLOB market channel stand-in on a loopback port (Kestrel, <c>/ws/market</c>):
/// subscribe by asset ids (answered with each token's <c>book</c>, in one array as the initial
/// dump; a token subscribed again gets its book again), <c>operation</c> subscribe/unsubscribe on
/// an open socket, <c>PING</c>/<c>PONG</c>, and
/// <c>price_change</c> messages in the current <c>price_changes[]</c> form carrying both tokens of
/// a market (a YES bid at p is a NO ask at 1 - p, as the venue shows them), levels best last.
/// Each change carries the token's true <c>best_bid</c>/<c>best_ask</c> after it.
/// <c>?tick_change_every=N</c> on the URL sends a <c>tick_size_change</c> after every N changes on that connection;
/// <c>?drift_every=N</c> silently loses, after every N changes, the next one that moves the top of
/// the book, five times per connection (its books drift from the venue's without any sign but the
/// tops; then it runs clean, so a test's last look finds the books put right).
/// </summary>
public sealed partial class FakePolymarketServer : FakeVenueServer
{
    private const long One = 1_000_000;
    private const long Cent = 10_000;
    private const int MaxDriftsPerConnection = 5;
    private readonly List<FakeMarket> _markets = new();
    private readonly Dictionary<string, (FakeMarket Market, bool Yes)> _byToken = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly int _changesPerSecond;
    private readonly Dictionary<FakeMarket, JsonElement> _catalog = new();

    public FakePolymarketServer(IEnumerable<(string ConditionId, string YesToken, string NoToken)> markets, int changesPerSecond = 200, int seed = 11)
    {
        _random = new Random(seed);
        _changesPerSecond = changesPerSecond;
        foreach ((string condition, string yes, string no) in markets)
        {
            var market = new FakeMarket(condition, yes, no);
            for (int k = 0; k < 5; k++)
            {
                market.Bids[(45 - k) * Cent] = (_random.Next(5, 200)) * One;
                market.Asks[(55 + k) * Cent] = (_random.Next(5, 200)) * One;
            }

            _markets.Add(market);
            _byToken[yes] = (market, true);
            _byToken[no] = (market, false);
        }
    }

    /// <summary>
    /// A server whose markets are those of a Gamma <c>GET /markets</c> file (tests/fixtures/pairing):
    /// listed exactly as written there (filtered by tag id or slug and by event slug), with books for
    /// both tokens of each (the first token's book is the one the second mirrors).
    /// </summary>
    public static FakePolymarketServer FromCatalog(string catalogPath, int changesPerSecond = 200)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(catalogPath));
        var markets = doc.RootElement.EnumerateArray().Select(m => m.Clone()).ToList();
        var tokens = markets.Select(m => JsonSerializer.Deserialize<string[]>(m.GetProperty("clobTokenIds").GetString()!)!).ToList();
        var server = new FakePolymarketServer(markets.Select((m, i) => (m.GetProperty("conditionId").GetString()!, tokens[i][0], tokens[i][1])), changesPerSecond);
        for (int i = 0; i < markets.Count; i++)
        {
            server._catalog[server._markets[i]] = markets[i];
        }

        return server;
    }

    /// <summary>The market channel URL.</summary>
    public string MarketChannelUrl { get; private set; } = "";

    /// <summary>The Gamma API base (market listing).</summary>
    public string GammaUrl { get; private set; } = "";

    /// <summary>The most tokens any one connection subscribed.</summary>
    public int MostTokensOnOneConnection { get; private set; }

    /// <summary>Changes lost on purpose (<c>drift_every</c>).</summary>
    public int DriftedChanges { get; private set; }

    public async Task StartAsync(int port = 0)
    {
        string address = await StartHostAsync(port, MapEndpoints);
        GammaUrl = address;
        MarketChannelUrl = address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws/market";
    }

    private void MapEndpoints(WebApplication app)
    {
        app.Map("/ws/market", (Func<HttpContext, Task>)MarketChannelAsync);
        app.MapPost("/books", async (HttpContext context) =>
        {
            // The REST shape: the channel's book objects without event_type, in one array.
            using JsonDocument request = await JsonDocument.ParseAsync(context.Request.Body);
            lock (Gate)
            {
                var books = new List<string>();
                foreach (JsonElement item in request.RootElement.EnumerateArray())
                {
                    if (_byToken.TryGetValue(item.GetProperty("token_id").GetString()!, out (FakeMarket Market, bool Yes) found))
                    {
                        books.Add(BookJson(found.Market, found.Yes).Replace("\"event_type\":\"book\",", "", StringComparison.Ordinal));
                        RestBooksServed++;
                    }
                }

                return Results.Text("[" + string.Join(",", books) + "]", "application/json");
            }
        });
        MapClobEndpoints(app);
        app.MapGet("/markets", (bool? closed, string? tag_id, int? limit, int? offset, string[]? condition_ids) =>
        {
            // Gamma's listing: every fake market is open; generated ones are tagged "7" and in the event "fake-event".
            IEnumerable<FakeMarket> matching = _markets.Where(m => closed != true && (tag_id is null || HasTag(m, tag_id))
                && (condition_ids is not { Length: > 0 } || condition_ids.Contains(m.ConditionId, StringComparer.OrdinalIgnoreCase)));
            return Results.Json(matching.Skip(offset ?? 0).Take(limit ?? 20).Select(GammaMarket));
        });
        app.MapGet("/events/slug/{slug}", (string slug) =>
        {
            List<FakeMarket> inEvent = _markets.Where(m => EventSlug(m) == slug).ToList();
            return inEvent.Count > 0
                ? Results.Json(new { slug, title = slug, markets = inEvent.Select(GammaMarket) })
                : Results.Json(new { error = "event not found" }, statusCode: 404);
        });
    }

    /// <summary>While true the market channel refuses connections (503), as during an outage of the venue's socket.</summary>
    public bool RefuseMarketChannel { get; set; }

    /// <summary>Books served by <c>POST /books</c>.</summary>
    public int RestBooksServed { get; private set; }

    private async Task MarketChannelAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || RefuseMarketChannel)
        {
            context.Response.StatusCode = RefuseMarketChannel ? 503 : 400;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket)
        {
            TickChangeEvery = int.TryParse(context.Request.Query["tick_change_every"], NumberStyles.None, CultureInfo.InvariantCulture, out int every) ? every : 0,
            DriftEvery = int.TryParse(context.Request.Query["drift_every"], NumberStyles.None, CultureInfo.InvariantCulture, out int drift) ? drift : 0,
        };
        await ServeAsync(socket, connection, text => OnMessage(connection, text));
    }

    private void OnMessage(Connection connection, string text)
    {
        if (text == "PING")
        {
            connection.Enqueue("PONG");
            return;
        }

        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement root = doc.RootElement;
        string[] ids = root.GetProperty("assets_ids").EnumerateArray().Select(a => a.GetString()!).ToArray();
        string operation = root.TryGetProperty("operation", out JsonElement op) ? op.GetString()! : "subscribe";
        lock (Gate)
        {
            if (operation == "unsubscribe")
            {
                connection.Tokens.ExceptWith(ids);
                return;
            }

            var books = new List<string>();
            foreach (string id in ids)
            {
                if (_byToken.TryGetValue(id, out (FakeMarket Market, bool Yes) found))
                {
                    connection.Tokens.Add(id);
                    books.Add(BookJson(found.Market, found.Yes)); // subscribing again sends the book again
                }
            }

            MostTokensOnOneConnection = Math.Max(MostTokensOnOneConnection, connection.Tokens.Count);
            if (books.Count > 0)
            {
                connection.Enqueue("[" + string.Join(",", books) + "]"); // the initial dump: one array
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task GenerateAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / Math.Max(1, _changesPerSecond)));
        try
        {
            while (await timer.WaitForNextTickAsync(Stopping))
            {
                lock (Gate)
                {
                    CheckHeartbeats();
                    FakeMarket market = _markets[_random.Next(_markets.Count)];
                    (long Bid, long Ask) topBefore = Top(market);
                    bool bid = _random.Next(2) == 0;
                    SortedDictionary<long, long> side = bid ? market.Bids : market.Asks;
                    long price = bid ? (45 - _random.Next(5)) * Cent : (55 + _random.Next(5)) * Cent;
                    long size = _random.Next(4) == 0 ? 0 : _random.Next(1, 300) * One;
                    if (size == 0)
                    {
                        side.Remove(price);
                    }
                    else
                    {
                        side[price] = size;
                    }

                    // The YES change, and the same level seen from the NO token (a YES bid at p is a NO ask at 1 - p).
                    (long topBid, long topAsk) = Top(market);
                    bool topMoved = (topBid, topAsk) != topBefore;
                    string changes = $"[{Change(market.YesToken, price, size, bid, topBid, topAsk)},{Change(market.NoToken, One - price, size, !bid, topAsk == 0 ? 0 : One - topAsk, topBid == 0 ? 0 : One - topBid)}]";
                    string message = $"{{\"market\":\"{market.ConditionId}\",\"price_changes\":{changes},\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\",\"event_type\":\"price_change\"}}";
                    foreach (Connection c in Connections.OfType<Connection>())
                    {
                        if (c.Tokens.Contains(market.YesToken) || c.Tokens.Contains(market.NoToken))
                        {
                            if (c.DriftEvery > 0 && c.Drifts < MaxDriftsPerConnection && ++c.SinceDrift >= c.DriftEvery && topMoved)
                            {
                                c.SinceDrift = 0;
                                c.Drifts++;
                                DriftedChanges++;
                                continue; // lost, and nothing tells but the tops of the changes that follow
                            }

                            c.Enqueue(message);
                            if (c.TickChangeEvery > 0 && ++c.ChangesSent % c.TickChangeEvery == 0)
                            {
                                // The venue's own reason to start a book again: the market's tick size changed.
                                c.Enqueue($"{{\"event_type\":\"tick_size_change\",\"asset_id\":\"{market.YesToken}\",\"market\":\"{market.ConditionId}\",\"old_tick_size\":\"0.01\",\"new_tick_size\":\"0.01\",\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\"}}");
                            }
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Change(string token, long price, long size, bool bid, long bestBid, long bestAsk) =>
        $"{{\"asset_id\":\"{token}\",\"price\":\"{Decimal(price)}\",\"size\":\"{Decimal(size)}\",\"side\":\"{(bid ? "BUY" : "SELL")}\",\"hash\":\"0\",\"best_bid\":\"{Decimal(bestBid)}\",\"best_ask\":\"{Decimal(bestAsk)}\"}}";

    /// <summary>The YES token's best bid and ask (0: none).</summary>
    private static (long Bid, long Ask) Top(FakeMarket market) =>
        (market.Bids.Count == 0 ? 0 : market.Bids.Keys.Max(), market.Asks.Count == 0 ? 0 : market.Asks.Keys.Min());

    /// <summary>A token's book as the venue sends it: each side best last.</summary>
    private static string BookJson(FakeMarket market, bool yes)
    {
        IEnumerable<(long Price, long Size)> bids = yes ? market.Bids.Select(l => (l.Key, l.Value)) : market.Asks.Select(l => (One - l.Key, l.Value));
        IEnumerable<(long Price, long Size)> asks = yes ? market.Asks.Select(l => (l.Key, l.Value)) : market.Bids.Select(l => (One - l.Key, l.Value));
        string Levels(IEnumerable<(long Price, long Size)> levels, bool ascending) =>
            "[" + string.Join(",", (ascending ? levels.OrderBy(l => l.Price) : levels.OrderByDescending(l => l.Price)).Select(l => $"{{\"price\":\"{Decimal(l.Price)}\",\"size\":\"{Decimal(l.Size)}\"}}")) + "]";
        return $"{{\"event_type\":\"book\",\"market\":\"{market.ConditionId}\",\"asset_id\":\"{(yes ? market.YesToken : market.NoToken)}\",\"bids\":{Levels(bids, true)},\"asks\":{Levels(asks, false)},\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\",\"hash\":\"0\"}}";
    }

    /// <summary>
    /// A Gamma market object as the venue writes it (outcomes and token ids as JSON text in a
    /// string). Every other market lists "No" first, so a client that takes YES from list order
    /// gets it wrong.
    /// </summary>
    private object GammaMarket(FakeMarket market)
    {
        if (_catalog.TryGetValue(market, out JsonElement listed))
        {
            return listed;
        }

        bool noFirst = _markets.IndexOf(market) % 2 == 1;
        string[] outcomes = noFirst ? ["No", "Yes"] : ["Yes", "No"];
        string[] tokens = noFirst ? [market.NoToken, market.YesToken] : [market.YesToken, market.NoToken];
        return new Dictionary<string, object?>
        {
            ["id"] = market.ConditionId.TrimStart('0', 'x'),
            ["conditionId"] = market.ConditionId,
            ["question"] = $"Will {market.ConditionId} resolve Yes?",
            ["slug"] = market.ConditionId,
            ["outcomes"] = JsonSerializer.Serialize(outcomes),
            ["clobTokenIds"] = JsonSerializer.Serialize(tokens),
            ["active"] = true,
            ["closed"] = false,
            ["endDate"] = "2026-12-31T00:00:00Z",
            ["orderPriceMinTickSize"] = 0.01,
            ["orderMinSize"] = 5,
            ["negRisk"] = false,
            ["feesEnabled"] = true,
            ["feeSchedule"] = new { rate = FeeRate(market), exponent = 1, takerOnly = true },
            ["description"] = $"This market resolves Yes if {market.ConditionId} happens by December 31, 2026.",
            ["events"] = new[] { new { slug = "fake-event", title = "Fake event" } },
        };
    }

    /// <summary>The taker fee rate a generated market lists: 0.04 (politics), every third 0.03 (sports), so that per-market fees show.</summary>
    public decimal FeeRate(string conditionId) => FeeRate(_markets.Single(m => m.ConditionId == conditionId));

    private decimal FeeRate(FakeMarket market) => _markets.IndexOf(market) % 3 == 2 ? 0.03m : 0.04m;

    private bool HasTag(FakeMarket market, string tag) =>
        _catalog.TryGetValue(market, out JsonElement listed)
            ? listed.TryGetProperty("tags", out JsonElement tags) && tags.EnumerateArray().Any(t => t.GetProperty("id").GetString() == tag || t.GetProperty("slug").GetString() == tag)
            : tag == "7";

    private string EventSlug(FakeMarket market) =>
        _catalog.TryGetValue(market, out JsonElement listed) ? listed.GetProperty("events")[0].GetProperty("slug").GetString() ?? "" : "fake-event";

    private static string Decimal(long micros) => (micros / 1_000_000m).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>One market: the YES token's book (the NO token's is its mirror).</summary>
    private sealed class FakeMarket(string conditionId, string yesToken, string noToken)
    {
        public string ConditionId { get; } = conditionId;

        public string YesToken { get; } = yesToken;

        public string NoToken { get; } = noToken;

        public SortedDictionary<long, long> Bids { get; } = new();

        public SortedDictionary<long, long> Asks { get; } = new();
    }

    private sealed class Connection(WebSocket socket) : OutgoingFrames(socket)
    {
        public HashSet<string> Tokens { get; } = new(StringComparer.Ordinal);

        /// <summary>From the URL's <c>tick_change_every=N</c>: a tick_size_change after every N changes sent (0: never).</summary>
        public int TickChangeEvery { get; init; }

        public int ChangesSent { get; set; }

        /// <summary>From the URL's <c>drift_every=N</c>: after every N changes, the next that moves the top is lost (0: never).</summary>
        public int DriftEvery { get; init; }

        public int SinceDrift { get; set; }

        public int Drifts { get; set; }
    }
}
