using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArbBot.FakeVenues.Kalshi;

/// <summary>
/// A Kalshi Trade API v2 stand-in on a loopback port (Kestrel): REST market data and V2 orders,
/// and the WebSocket with <c>orderbook_delta</c> (snapshot, then signed deltas numbered per
/// subscription) and <c>fill</c>. Every request's KALSHI-ACCESS-* signature is checked with the
/// public half of the test key and refused (401) as Kalshi would. Query parameters on the
/// WebSocket URL script faults for that connection: <c>gap_every=N</c> skips a sequence number
/// every N deltas, <c>drop_after=N</c> closes the socket after N frames, <c>junk_every=N</c>
/// sends a malformed, an unknown-type, an unknown-market or an old-sequence frame every N deltas,
/// <c>drift_after=N</c> silently loses, after N deltas, one removal of a best level, and that
/// market's later changes until its next snapshot (no sequence gap shows it; only the ticker does:
/// the client keeps a best bid the venue no longer has). Trades (ours, and the best bids shrinking) go out on the
/// <c>trade</c> channel, and a <c>ticker</c> whenever a top of book or the volume changes.
/// With a catalog (<see cref="FromCatalog"/>), <c>GET /markets</c> lists those market objects as they are written.
/// </summary>
public sealed class FakeKalshiServer : FakeVenueServer
{
    private const long One = 1_000_000;
    private readonly RSA _publicKey;
    private readonly string _keyId;
    private readonly int _deltasPerSecond;
    private readonly Dictionary<string, FakeKalshiBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RestingOrder> _resting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderRecord> _orders = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly Dictionary<string, JsonElement> _catalog = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal); // signed micros: + long YES, - long NO
    private long _nextOrder;
    private int _driftedOnClosedConnections;

    public FakeKalshiServer(IEnumerable<string> tickers, RSA publicKey, string keyId, int deltasPerSecond = 200, int seed = 7)
    {
        _publicKey = publicKey;
        _keyId = keyId;
        _deltasPerSecond = deltasPerSecond;
        _random = new Random(seed);
        foreach (string ticker in tickers)
        {
            _books[ticker] = new FakeKalshiBook(ticker, _random);
        }
    }

    /// <summary>
    /// A server whose markets are those of a <c>GET /markets</c> response file (tests/fixtures/pairing):
    /// listed exactly as written there, with a book each.
    /// </summary>
    public static FakeKalshiServer FromCatalog(string catalogPath, RSA publicKey, string keyId, int deltasPerSecond = 200)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(catalogPath));
        var markets = doc.RootElement.GetProperty("markets").EnumerateArray().Select(m => m.Clone()).ToList();
        var server = new FakeKalshiServer(markets.Select(m => m.GetProperty("ticker").GetString()!), publicKey, keyId, deltasPerSecond);
        foreach (JsonElement market in markets)
        {
            server._catalog[market.GetProperty("ticker").GetString()!] = market;
        }

        return server;
    }

    /// <summary>What <c>GET /events/{ticker}</c> says of an event's <c>mutually_exclusive</c> (left out for events not here).</summary>
    public Dictionary<string, bool> MutuallyExclusiveEvents { get; } = new(StringComparer.Ordinal);

    /// <summary>REST base, ending in /trade-api/v2.</summary>
    public string RestUrl { get; private set; } = "";

    /// <summary>WebSocket URL, ending in /trade-api/ws/v2.</summary>
    public string WebSocketUrl { get; private set; } = "";

    /// <summary>Requests refused for a bad or missing signature.</summary>
    public int Unauthorized { get; private set; }

    /// <summary>Orders received.</summary>
    public int OrdersReceived { get; private set; }

    /// <summary>Resting orders ended by their expiration time.</summary>
    public int OrdersExpired { get; private set; }

    /// <summary>The venue's id of the order placed with a client order id (null if none).</summary>
    public string? OrderIdOf(string clientOrderId)
    {
        lock (Gate)
        {
            return _orders.FirstOrDefault(o => o.Value.ClientOrderId == clientOrderId).Key;
        }
    }

    /// <summary>The venue's status of an order placed with a client order id ("resting", "canceled", "executed"; null if none).</summary>
    public string? StatusOf(string clientOrderId)
    {
        lock (Gate)
        {
            return _orders.Values.FirstOrDefault(o => o.ClientOrderId == clientOrderId)?.Status;
        }
    }

    /// <summary>What <c>GET /series/{ticker}</c> reports as <c>fee_type</c> (quadratic, quadratic_with_maker_fees, flat).</summary>
    public string FeeType { get; set; } = "quadratic";

    /// <summary>What <c>GET /series/{ticker}</c> reports as <c>fee_multiplier</c>.</summary>
    public decimal FeeMultiplier { get; set; } = 1m;

    /// <summary>The next this many order requests are answered 429 "too many requests", as Kalshi does past the rate limit.</summary>
    public int TooManyRequestsNext { get; set; }

    /// <summary>Answers to <c>GET /markets/orderbooks</c> (the batch REST books).</summary>
    public int OrderbooksServed { get; private set; }

    /// <summary>Markets taken off subscriptions with update_subscription / delete_markets.</summary>
    public int DeletedMarkets { get; private set; }

    /// <summary>Markets listed by <c>GET /markets</c> so far (all pages).</summary>
    public int ListedMarketsServed { get; private set; }

    /// <summary>The next this many REST requests are answered 503 without being handled (an overloaded gateway).</summary>
    public int ServerErrorsNext { get; set; }

    /// <summary>The next this many orders are placed, but answered 503 (the answer is lost on the way back).</summary>
    public int AcceptThenFailNext { get; set; }

    /// <summary>The next this many cancels are carried out, but answered 503 (the answer is lost on the way back).</summary>
    public int CancelThenFailNext { get; set; }

    /// <summary>Requests answered 429.</summary>
    public int TooManyRequestsSent { get; private set; }

    /// <summary>
    /// While true the feed is frozen: connections stay open but nothing is sent on them (no deltas,
    /// tickers or trades), as a venue process that hangs or a connection that went half-open.
    /// </summary>
    public bool Frozen { get; set; }

    /// <summary>While true, WebSocket upgrades are refused (503): the venue is unreachable for streaming.</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>Someone trades against one of our resting orders (a fill the client may miss if it is disconnected).</summary>
    public void FillResting(string orderId, decimal contracts)
    {
        lock (Gate)
        {
            RestingOrder order = _resting[orderId];
            long size = Math.Min(order.Remaining, (long)(contracts * 1_000_000m));
            order.Remaining -= size;
            SortedDictionary<long, long> side = order.Bid ? order.Book.Yes : order.Book.No;
            long now = side.GetValueOrDefault(order.BookPrice) - size;
            if (now <= 0)
            {
                side.Remove(order.BookPrice);
            }
            else
            {
                side[order.BookPrice] = now;
            }

            Broadcast(order.Book, order.Bid, order.BookPrice, -size);
            OrderRecord record = _orders[orderId];
            long yesPrice = order.Bid ? order.BookPrice : One - order.BookPrice;
            SendFill(orderId, record.ClientOrderId, order.Book.Ticker, order.Bid, yesPrice, size, isTaker: false);
            PrintTrade(order.Book, yesPrice, size, takerBoughtYes: !order.Bid);
            if (order.Remaining == 0)
            {
                _resting.Remove(orderId);
                record.Status = "executed";
            }
        }
    }

    /// <summary>Creates a key pair for tests: the private PEM (PKCS#8) to give the plugin, the public key for the server.</summary>
    public static (string PrivatePem, RSA PublicKey) NewKeyPair()
    {
        using var rsa = RSA.Create(2048);
        var pub = RSA.Create();
        pub.ImportRSAPublicKey(rsa.ExportRSAPublicKey(), out _);
        return (rsa.ExportPkcs8PrivateKeyPem(), pub);
    }

    public async Task StartAsync(int port = 0)
    {
        string address = await StartHostAsync(port, MapEndpoints);
        RestUrl = address + "/trade-api/v2";
        WebSocketUrl = address.Replace("http://", "ws://", StringComparison.Ordinal) + "/trade-api/ws/v2";
    }

    private void MapEndpoints(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            bool overloaded;
            lock (Gate)
            {
                overloaded = ServerErrorsNext > 0 && !context.Request.Path.StartsWithSegments("/trade-api/ws");
                ServerErrorsNext -= overloaded ? 1 : 0;
            }

            if (overloaded)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("{\"error\":{\"code\":\"service_unavailable\",\"message\":\"try again\"}}");
                return;
            }

            if (!Verify(context.Request))
            {
                Unauthorized++;
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("{\"error\":{\"code\":\"authentication_error\",\"message\":\"invalid signature\"}}");
                return;
            }

            await next(context);
        });
        app.Map("/trade-api/ws/v2", (Func<HttpContext, Task>)WebSocketAsync);
        app.MapGet("/trade-api/v2/markets/{ticker}/orderbook", (string ticker) =>
        {
            lock (Gate)
            {
                return _books.TryGetValue(ticker, out FakeKalshiBook? book)
                    ? Results.Text(book.OrderbookJson(), "application/json")
                    : Results.Json(new { error = new { code = "not_found", message = $"market {ticker} not found" } }, statusCode: 404);
            }
        });
        app.MapGet("/trade-api/v2/markets/orderbooks", (string tickers) =>
        {
            lock (Gate)
            {
                OrderbooksServed++;
                var books = tickers.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(_books.ContainsKey).Select(t => $"{{\"ticker\":\"{t}\",{_books[t].OrderbookJson()[1..^1]}}}");
                return Results.Text($"{{\"orderbooks\":[{string.Join(",", books)}]}}", "application/json");
            }
        });
        app.MapGet("/trade-api/v2/markets", (string? tickers, string? series_ticker, string? event_ticker, string? status, string? cursor, int? limit) =>
        {
            lock (Gate)
            {
                // Filters and paging as Kalshi applies them; every fake market is open.
                string[] wanted = tickers?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? _books.Keys.ToArray();
                var matching = _books.Values
                    .Where(b => wanted.Contains(b.Ticker))
                    .Where(b => series_ticker is null || SeriesOf(b.Ticker) == series_ticker)
                    .Where(b => event_ticker is null || EventOf(b.Ticker) == event_ticker)
                    .Where(b => status is null || status == "open")
                    .ToList();
                int from = int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : 0;
                int take = Math.Clamp(limit ?? 100, 1, 1000);
                ListedMarketsServed += Math.Max(0, Math.Min(take, matching.Count - from));
                return Results.Json(new
                {
                    markets = matching.Skip(from).Take(take).Select(b => _catalog.TryGetValue(b.Ticker, out JsonElement listed) ? (object)listed : MarketJson(b)),
                    cursor = from + take < matching.Count ? (from + take).ToString(CultureInfo.InvariantCulture) : "",
                });
            }
        });
        app.MapGet("/trade-api/v2/events/{eventTicker}", (string eventTicker) =>
            Results.Json(new
            {
                @event = MutuallyExclusiveEvents.TryGetValue(eventTicker, out bool exclusive)
                    ? (object)new { event_ticker = eventTicker, series_ticker = SeriesOf(eventTicker), mutually_exclusive = exclusive }
                    : new { event_ticker = eventTicker, series_ticker = SeriesOf(eventTicker) },
                markets = Array.Empty<object>(),
            }));
        app.MapGet("/trade-api/v2/series/{seriesTicker}", (string seriesTicker) =>
            Results.Json(new { series = new { ticker = seriesTicker, fee_type = FeeType, fee_multiplier = FeeMultiplier } }));
        app.MapPost("/trade-api/v2/portfolio/events/orders", (Func<HttpContext, Task<IResult>>)PlaceAsync);
        app.MapDelete("/trade-api/v2/portfolio/events/orders/{orderId}", (string orderId) => Cancel(orderId));
        app.MapGet("/trade-api/v2/portfolio/orders", (string? ticker, string? status, string? cursor, int? limit) =>
        {
            lock (Gate)
            {
                var matching = _orders.Where(o => (ticker is null || o.Value.Ticker == ticker) && (status is null || o.Value.Status == status)).ToList();
                (int from, int take) = Page(cursor, limit, 200);
                return Results.Json(new
                {
                    orders = matching.Skip(from).Take(take).Select(o => OrderJson(o.Key, o.Value)),
                    cursor = from + take < matching.Count ? (from + take).ToString(CultureInfo.InvariantCulture) : "",
                });
            }
        });
        app.MapGet("/trade-api/v2/portfolio/positions", (string? cursor, int? limit, string? count_filter) =>
        {
            lock (Gate)
            {
                PositionReads++;
                var held = _positions.Where(p => count_filter != "position" || p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                (int from, int take) = Page(cursor, limit, 100);
                return Results.Json(new
                {
                    market_positions = held.Skip(from).Take(take).Select(p => new Dictionary<string, object?>
                    {
                        ["ticker"] = p.Key,
                        ["exchange_index"] = 0,
                        ["position_fp"] = FakeKalshiBook.Count(p.Value),
                        ["total_traded_dollars"] = "0.0000",
                        ["market_exposure_dollars"] = "0.0000",
                        ["realized_pnl_dollars"] = "0.0000",
                        ["fees_paid_dollars"] = "0.0000",
                        ["last_updated_ts"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    }),
                    event_positions = Array.Empty<object>(),
                    cursor = from + take < held.Count ? (from + take).ToString(CultureInfo.InvariantCulture) : "",
                });
            }
        });
        app.MapGet("/trade-api/v2/portfolio/balance", () =>
        {
            lock (Gate)
            {
                return Results.Json(new { balance = BalanceMicros / 10_000, balance_dollars = FakeKalshiBook.Dollars(BalanceMicros), portfolio_value = 0, updated_ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
            }
        });
        app.MapGet("/trade-api/v2/portfolio/orders/{orderId}", (string orderId) =>
        {
            lock (Gate)
            {
                return _orders.TryGetValue(orderId, out OrderRecord? o)
                    ? Results.Json(new { order = OrderJson(orderId, o) })
                    : Results.Json(new { error = new { code = "not_found", message = "order not found" } }, statusCode: 404);
            }
        });
        app.MapGet("/trade-api/v2/portfolio/fills", (string? order_id, long? min_ts, string? cursor, int? limit) =>
        {
            lock (Gate)
            {
                var fills = (order_id is not null ? (_orders.TryGetValue(order_id, out OrderRecord? o) ? o.Fills : []) : _orders.Values.SelectMany(r => r.Fills))
                    .Where(f => min_ts is null || f.Ts >= min_ts)
                    .ToList();
                (int from, int take) = Page(cursor, limit, 100);
                string next = from + take < fills.Count ? (from + take).ToString(CultureInfo.InvariantCulture) : "";
                return Results.Text($"{{\"fills\":[{string.Join(",", fills.Skip(from).Take(take).Select(f => f.Json))}],\"cursor\":\"{next}\"}}", "application/json");
            }
        });
    }

    /// <summary>An Order object as <c>GET /portfolio/orders</c> lists it (today's fields: outcome_side and book_side, fixed-point counts).</summary>
    private object OrderJson(string orderId, OrderRecord o)
    {
        long remaining = _resting.TryGetValue(orderId, out RestingOrder? r) ? r.Remaining : 0;
        return new Dictionary<string, object?>
        {
            ["order_id"] = orderId,
            ["user_id"] = "fake-user",
            ["client_order_id"] = o.ClientOrderId ?? "",
            ["ticker"] = o.Ticker,
            ["outcome_side"] = o.Bid ? "yes" : "no",
            ["book_side"] = o.Bid ? "bid" : "ask",
            ["type"] = "limit",
            ["status"] = o.Status,
            ["yes_price_dollars"] = FakeKalshiBook.Dollars(o.YesPrice),
            ["no_price_dollars"] = FakeKalshiBook.Dollars(One - o.YesPrice),
            ["fill_count_fp"] = FakeKalshiBook.Count(o.Filled),
            ["remaining_count_fp"] = FakeKalshiBook.Count(remaining),
            ["initial_count_fp"] = FakeKalshiBook.Count(o.Initial),
            ["created_time"] = DateTimeOffset.FromUnixTimeMilliseconds(o.CreatedMs).ToString("O", CultureInfo.InvariantCulture),
        };
    }

    private static (int From, int Take) Page(string? cursor, int? limit, int defaultLimit) =>
        (int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : 0, Math.Clamp(limit ?? defaultLimit, 1, 1000));

    private bool Verify(HttpRequest request)
    {
        string? key = request.Headers["KALSHI-ACCESS-KEY"];
        string? timestamp = request.Headers["KALSHI-ACCESS-TIMESTAMP"];
        string? signature = request.Headers["KALSHI-ACCESS-SIGNATURE"];
        if (key != _keyId || timestamp is null || signature is null)
        {
            return false;
        }

        try
        {
            byte[] data = Encoding.UTF8.GetBytes(timestamp + request.Method + request.Path.Value);
            return _publicKey.VerifyData(data, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task WebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || RefuseConnections)
        {
            context.Response.StatusCode = RefuseConnections ? 503 : 400;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket,
            Query(context, "gap_every"), Query(context, "drop_after"), Query(context, "junk_every"), Query(context, "drift_after"));
        await ServeAsync(socket, connection, text =>
        {
            if (!Frozen)
            {
                OnCommand(connection, text); // a frozen venue answers nothing either
            }
        });
    }

    /// <inheritdoc/>
    protected override void OnClosed(OutgoingFrames connection) => _driftedOnClosedConnections += ((Connection)connection).Drifted;

    private static int Query(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;

    private void OnCommand(Connection connection, string text)
    {
        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement root = doc.RootElement;
        long id = root.GetProperty("id").GetInt64();
        string cmd = root.GetProperty("cmd").GetString()!;
        JsonElement p = root.TryGetProperty("params", out JsonElement ps) ? ps : default;
        lock (Gate)
        {
            switch (cmd)
            {
                case "subscribe":
                    foreach (JsonElement channel in p.GetProperty("channels").EnumerateArray())
                    {
                        int sid = ++connection.LastSid;
                        connection.Enqueue($"{{\"id\":{id},\"type\":\"subscribed\",\"msg\":{{\"channel\":\"{channel.GetString()}\",\"sid\":{sid}}}}}");
                        if (channel.GetString() == "orderbook_delta")
                        {
                            connection.BookSid = sid;
                            AddMarkets(connection, p);
                        }
                        else if (channel.GetString() == "fill")
                        {
                            connection.FillSid = sid;
                        }
                        else if (channel.GetString() is "trade" or "ticker")
                        {
                            if (channel.GetString() == "trade")
                            {
                                connection.TradeSid = sid;
                            }
                            else
                            {
                                connection.TickerSid = sid;
                            }

                            foreach (JsonElement t in p.GetProperty("market_tickers").EnumerateArray())
                            {
                                connection.TapeMarkets.Add(t.GetString()!);
                            }
                        }
                    }

                    break;
                case "update_subscription":
                    string action = p.GetProperty("action").GetString()!;
                    int target = p.GetProperty("sid").GetInt32();
                    if (action == "add_markets" && target == connection.BookSid)
                    {
                        AddMarkets(connection, p);
                        connection.Answer(id, target, p.GetProperty("market_tickers"));
                    }
                    else if (action == "add_markets" && (target == connection.TradeSid || target == connection.TickerSid))
                    {
                        foreach (JsonElement t in p.GetProperty("market_tickers").EnumerateArray())
                        {
                            connection.TapeMarkets.Add(t.GetString()!);
                        }

                        connection.Answer(id, target, p.GetProperty("market_tickers"));
                    }
                    else if (action == "delete_markets" && (target == connection.BookSid || target == connection.TradeSid || target == connection.TickerSid))
                    {
                        foreach (JsonElement t in p.GetProperty("market_tickers").EnumerateArray())
                        {
                            (target == connection.BookSid ? connection.Markets : connection.TapeMarkets).Remove(t.GetString()!);
                        }

                        DeletedMarkets += p.GetProperty("market_tickers").GetArrayLength();
                        connection.Answer(id, target, p.GetProperty("market_tickers"));
                    }
                    else if (action == "get_snapshot")
                    {
                        foreach (JsonElement t in p.GetProperty("market_tickers").EnumerateArray())
                        {
                            if (_books.TryGetValue(t.GetString()!, out FakeKalshiBook? book))
                            {
                                connection.Snapshot(book);
                            }
                        }
                    }

                    break;
                default:
                    connection.Enqueue($"{{\"id\":{id},\"type\":\"error\",\"msg\":{{\"code\":5,\"msg\":\"Unknown command\"}}}}");
                    break;
            }
        }
    }

    private void AddMarkets(Connection connection, JsonElement p)
    {
        foreach (JsonElement t in p.GetProperty("market_tickers").EnumerateArray())
        {
            if (_books.TryGetValue(t.GetString()!, out FakeKalshiBook? book) && connection.Markets.Add(book.Ticker))
            {
                connection.Snapshot(book);
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task GenerateAsync()
    {
        var period = TimeSpan.FromSeconds(1.0 / Math.Max(1, _deltasPerSecond));
        using var timer = new PeriodicTimer(period < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : period);
        FakeKalshiBook[] books = _books.Values.ToArray();
        long nextTicker = Environment.TickCount64;
        try
        {
            while (await timer.WaitForNextTickAsync(Stopping))
            {
                if (Frozen)
                {
                    continue;
                }

                lock (Gate)
                {
                    if (Environment.TickCount64 >= nextTicker)
                    {
                        // Kalshi also sends tickers for quiet markets now and then.
                        nextTicker = Environment.TickCount64 + 250;
                        foreach (FakeKalshiBook quiet in books)
                        {
                            foreach (Connection c in Connections)
                            {
                                c.Ticker(quiet);
                            }
                        }
                    }

                    FakeKalshiBook book = books[_random.Next(books.Length)];
                    (bool yes, long price, long delta) = book.RandomChange();
                    if (delta != 0)
                    {
                        bool traded = delta < 0 && (yes ? book.Yes : book.No).Keys.All(p => p <= price); // the best bid shrank: someone sold into it
                        Broadcast(book, yes, price, delta);
                        if (traded)
                        {
                            // Hitting the YES bid is buying NO; hitting the NO bid at p is buying YES at 1 - p.
                            PrintTrade(book, yes ? price : One - price, -delta, takerBoughtYes: !yes);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Broadcast(FakeKalshiBook book, bool yes, long price, long delta)
    {
        SortedDictionary<long, long> side = yes ? book.Yes : book.No;
        bool bestRemoved = delta < 0 && !side.ContainsKey(price) && side.Keys.All(p => p < price);
        foreach (Connection c in Connections)
        {
            c.Delta(book, yes, price, delta, bestRemoved);
        }

        if (book.Top() != book.TickerTop)
        {
            book.TickerTop = book.Top();
            foreach (Connection c in Connections)
            {
                c.Ticker(book);
            }
        }
    }

    /// <summary>A trade on the public tape (and in the ticker's volume and last price).</summary>
    private void PrintTrade(FakeKalshiBook book, long yesPrice, long size, bool takerBoughtYes)
    {
        book.Volume += size;
        book.LastYesPrice = yesPrice;
        foreach (Connection c in Connections)
        {
            c.Trade(book, yesPrice, size, takerBoughtYes);
            c.Ticker(book);
        }
    }

    /// <summary>Deltas the connections lost silently (drift_after), all told.</summary>
    public int DriftedDeltas
    {
        get
        {
            lock (Gate)
            {
                return _driftedOnClosedConnections + Connections.Cast<Connection>().Sum(c => c.Drifted);
            }
        }
    }

    private async Task<IResult> PlaceAsync(HttpContext context)
    {
        using JsonDocument doc = await JsonDocument.ParseAsync(context.Request.Body);
        JsonElement o = doc.RootElement;
        string ticker = o.GetProperty("ticker").GetString()!;
        bool bid = o.GetProperty("side").GetString() == "bid";
        long count = Micros(o.GetProperty("count").GetString()!);
        long price = Micros(o.GetProperty("price").GetString()!);
        string tif = o.GetProperty("time_in_force").GetString()!;
        bool postOnly = o.TryGetProperty("post_only", out JsonElement po) && po.GetBoolean();
        string? clientId = o.TryGetProperty("client_order_id", out JsonElement c) ? c.GetString() : null;
        long? expiration = o.TryGetProperty("expiration_time", out JsonElement e) ? e.GetInt64() : null;
        lock (Gate)
        {
            if (TooManyRequestsNext > 0)
            {
                TooManyRequestsNext--;
                TooManyRequestsSent++;
                return Results.Json(new { error = "too many requests" }, statusCode: 429);
            }

            OrdersReceived++;
            if (clientId is not null)
            {
                _clientIdsReceived[clientId] = _clientIdsReceived.GetValueOrDefault(clientId) + 1;
            }

            if (!_books.TryGetValue(ticker, out FakeKalshiBook? book))
            {
                return Results.Json(new { error = new { code = "market_not_found", message = $"market {ticker} not found" } }, statusCode: 404);
            }

            if (price <= 0 || price >= One || count <= 0)
            {
                return Results.Json(new { error = new { code = "invalid_parameters", message = "price must be in (0, 1) and count positive" } }, statusCode: 400);
            }

            long nowSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (expiration is { } at && (tif != "good_till_canceled" || at <= nowSeconds))
            {
                return Results.Json(new { error = new { code = "invalid_parameters", message = "expiration_time must be in the future and only with good_till_canceled" } }, statusCode: 400);
            }

            (List<(long YesPrice, long Size)> available, _) = book.Take(bid, price, count, dryRun: true);
            long canFill = available.Sum(f => f.Size);
            if (postOnly && canFill > 0)
            {
                return Results.Json(new { error = new { code = "post_only_cross", message = "post only order would cross" } }, statusCode: 400);
            }

            string orderId = $"fk-{++_nextOrder}";
            _orders[orderId] = new OrderRecord(clientId, ticker, bid, price, count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            long filled = 0;
            if (tif != "fill_or_kill" || canFill >= count)
            {
                (List<(long YesPrice, long Size)> fills, List<(bool YesSide, long Price, long Delta)> changes) = book.Take(bid, price, count, dryRun: false);
                foreach ((bool yes, long p, long d) in changes)
                {
                    Broadcast(book, yes, p, d);
                }

                foreach ((long yesPrice, long size) in fills)
                {
                    filled += size;
                    SendFill(orderId, clientId, ticker, bid, yesPrice, size, isTaker: true);
                    PrintTrade(book, yesPrice, size, takerBoughtYes: bid);
                }
            }

            long remaining = 0;
            _orders[orderId].Status = filled >= count ? "executed" : "canceled";
            if (tif == "good_till_canceled" && filled < count)
            {
                remaining = count - filled;
                _resting[orderId] = new RestingOrder(book, bid, bid ? price : One - price, remaining);
                _orders[orderId].Status = "resting";
                SortedDictionary<long, long> side = bid ? book.Yes : book.No;
                long level = bid ? price : One - price;
                side[level] = side.GetValueOrDefault(level) + remaining;
                Broadcast(book, bid, level, remaining);
                if (expiration is { } expiresAt)
                {
                    _ = ExpireAsync(orderId, TimeSpan.FromMilliseconds((expiresAt * 1000) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                }
            }

            if (AcceptThenFailNext > 0)
            {
                AcceptThenFailNext--;
                return Results.Json(new { error = new { code = "internal_error", message = "upstream timed out" } }, statusCode: 503);
            }

            return Results.Json(new Dictionary<string, object?>
            {
                ["order_id"] = orderId,
                ["client_order_id"] = clientId,
                ["fill_count"] = FakeKalshiBook.Count(filled),
                ["remaining_count"] = FakeKalshiBook.Count(remaining),
                ["ts_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            }, statusCode: 201);
        }
    }

    /// <summary>A resting order with an expiration time ends then, as a cancel (Kalshi's status is "canceled").</summary>
    private async Task ExpireAsync(string orderId, TimeSpan after)
    {
        await Task.Delay(after);
        lock (Gate)
        {
            if (_resting.Remove(orderId, out RestingOrder? order))
            {
                Unrest(orderId, order);
                OrdersExpired++;
            }
        }
    }

    private void Unrest(string orderId, RestingOrder order)
    {
        SortedDictionary<long, long> side = order.Bid ? order.Book.Yes : order.Book.No;
        long now = side.GetValueOrDefault(order.BookPrice) - order.Remaining;
        if (now <= 0)
        {
            side.Remove(order.BookPrice);
        }
        else
        {
            side[order.BookPrice] = now;
        }

        Broadcast(order.Book, order.Bid, order.BookPrice, -order.Remaining);
        _orders[orderId].Status = "canceled";
    }

    private IResult Cancel(string orderId)
    {
        lock (Gate)
        {
            if (!_resting.Remove(orderId, out RestingOrder? order))
            {
                if (_orders.TryGetValue(orderId, out OrderRecord? done))
                {
                    return Results.Json(new { error = new { code = "order_not_resting", message = $"order is {done.Status}" } }, statusCode: 400);
                }

                return Results.Json(new { error = new { code = "not_found", message = "order not found" } }, statusCode: 404);
            }

            Unrest(orderId, order);
            if (CancelThenFailNext > 0)
            {
                CancelThenFailNext--;
                return Results.Json(new { error = new { code = "internal_error", message = "upstream timed out" } }, statusCode: 503);
            }

            return Results.Json(new { order_id = orderId, reduced_by = FakeKalshiBook.Count(order.Remaining), ts_ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        }
    }

    private void SendFill(string orderId, string? clientId, string ticker, bool bid, long yesPrice, long size, bool isTaker)
    {
        // Buy YES is (yes, bid); the ask side is reported as buying NO at 1 - price.
        decimal p = (bid ? yesPrice : One - yesPrice) / 1_000_000m;
        decimal contracts = size / 1_000_000m;
        decimal fee = Math.Ceiling(0.07m * contracts * p * (1 - p) * 100m) / 100m;
        string outcome = bid ? "yes" : "no";
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Today's shape: outcome_side + book_side only (the deprecated side and action are gone);
        // the socket's fill carries ts_ms, the REST copy of it only ts, in seconds.
        var fields = new Dictionary<string, object?>
        {
            ["trade_id"] = Guid.NewGuid().ToString(),
            ["order_id"] = orderId,
            ["client_order_id"] = clientId,
            ["market_ticker"] = ticker,
            ["is_taker"] = isTaker,
            ["outcome_side"] = outcome,
            ["book_side"] = bid ? "bid" : "ask",
            ["yes_price_dollars"] = FakeKalshiBook.Dollars(yesPrice),
            ["no_price_dollars"] = FakeKalshiBook.Dollars(One - yesPrice),
            ["count_fp"] = FakeKalshiBook.Count(size),
            ["fee_cost"] = fee.ToString("0.0000", CultureInfo.InvariantCulture),
            ["ts"] = nowMs / 1000,
        };
        string rest = JsonSerializer.Serialize(fields);
        fields["ts_ms"] = nowMs;
        string msg = JsonSerializer.Serialize(fields);
        OrderRecord record = _orders[orderId];
        record.Filled += size;
        record.Fills.Add((nowMs / 1000, rest));
        Settle(ticker, bid ? size : -size, (long)((bid ? yesPrice : One - yesPrice) * (decimal)size / One), (long)(fee * 1_000_000m));
        foreach (Connection c in Connections)
        {
            if (c.FillSid > 0)
            {
                c.Enqueue($"{{\"type\":\"fill\",\"sid\":{c.FillSid},\"msg\":{msg}}}");
            }
        }
    }

    /// <summary>KXTEST-26DEC31-A belongs to event KXTEST-26DEC31 (series KXTEST), as Kalshi tickers do.</summary>
    private static string EventOf(string ticker) => ticker.Contains('-') ? ticker[..ticker.LastIndexOf('-')] : ticker;

    private static string SeriesOf(string ticker) => ticker.Split('-')[0];

    /// <summary>A Market object with the fields discovery reads (2026 field names: no tick_size, a price grid instead).</summary>
    private object MarketJson(FakeKalshiBook book)
    {
        string outcome = book.Ticker[(book.Ticker.LastIndexOf('-') + 1)..];
        bool decided = _results.TryGetValue(book.Ticker, out string? result);
        return new Dictionary<string, object?>
        {
            ["result"] = decided ? result : "",
            ["settlement_ts"] = decided ? "2026-12-06T12:00:00Z" : null,
            ["ticker"] = book.Ticker,
            ["event_ticker"] = EventOf(book.Ticker),
            ["market_type"] = "binary",
            ["title"] = $"Will {outcome} happen in {EventOf(book.Ticker)}?",
            ["yes_sub_title"] = outcome,
            ["no_sub_title"] = $"Not {outcome}",
            ["status"] = decided ? "determined" : "active",
            ["close_time"] = "2026-12-31T23:00:00Z",
            ["price_level_structure"] = "linear_cent",
            ["price_ranges"] = new[] { new { start = "0.0000", end = "1.0000", step = "0.0100" } },
            ["volume_fp"] = "1234.00",
            ["rules_primary"] = $"If {outcome} happens by Dec 31, 2026, the market resolves to Yes.",
        };
    }

    private static long Micros(string text) => (long)(decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 1_000_000m);

    private sealed class RestingOrder(FakeKalshiBook book, bool bid, long bookPrice, long remaining)
    {
        public FakeKalshiBook Book { get; } = book;

        public bool Bid { get; } = bid;

        public long BookPrice { get; } = bookPrice;

        public long Remaining { get; set; } = remaining;
    }

    /// <summary>
    /// One fill on the account: the position moves (a bid adds YES, an ask adds NO, against
    /// the other side first: one signed position), the cash pays price and fee, and each YES+NO pair
    /// closed by it gives its $1 back at once.
    /// </summary>
    private void Settle(string ticker, long signedSize, long costMicros, long feeMicros)
    {
        long before = _positions.GetValueOrDefault(ticker);
        long closed = Math.Sign(before) == -Math.Sign(signedSize) ? Math.Min(Math.Abs(before), Math.Abs(signedSize)) : 0;
        _positions[ticker] = before + signedSize;
        BalanceMicros += closed - costMicros - feeMicros;
    }

    /// <summary>Answers to <c>GET /portfolio/positions</c> (each reconciliation reads them once).</summary>
    public int PositionReads { get; private set; }

    /// <summary>The account's cash (micro-dollars), as <c>GET /portfolio/balance</c> reports it; fills take from it.</summary>
    public long BalanceMicros { get; set; } = 10_000 * One;

    /// <summary>The account's signed position in a market (+ long YES, - long NO), in contracts.</summary>
    public decimal PositionOf(string ticker)
    {
        lock (Gate)
        {
            return _positions.GetValueOrDefault(ticker) / 1_000_000m;
        }
    }

    /// <summary>
    /// The market is decided: its status becomes <c>determined</c> with the result, and the account
    /// is settled as Kalshi settles it (each winning contract pays $1 into the balance, the position goes to zero).
    /// </summary>
    public void Resolve(string ticker, bool yes)
    {
        lock (Gate)
        {
            _results[ticker] = yes ? "yes" : "no";
            long position = _positions.GetValueOrDefault(ticker);
            if ((position > 0 && yes) || (position < 0 && !yes))
            {
                BalanceMicros += Math.Abs(position);
            }

            _positions[ticker] = 0;
        }
    }

    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);

    /// <summary>Changes a position behind the client's back (someone trading the account by hand, or a venue correction): no fill is sent.</summary>
    public void AdjustPosition(string ticker, decimal contracts)
    {
        lock (Gate)
        {
            _positions[ticker] = _positions.GetValueOrDefault(ticker) + (long)(contracts * 1_000_000m);
        }
    }

    /// <summary>Places a resting order on the account the way another client would (not through the engine); returns its id.</summary>
    public string PlaceRestingByHand(string ticker, string clientOrderId, bool bid, decimal yesPrice, decimal contracts)
    {
        lock (Gate)
        {
            FakeKalshiBook book = _books[ticker];
            long price = (long)(yesPrice * 1_000_000m), count = (long)(contracts * 1_000_000m);
            string orderId = $"fk-{++_nextOrder}";
            _orders[orderId] = new OrderRecord(clientOrderId, ticker, bid, price, count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            long level = bid ? price : One - price;
            _resting[orderId] = new RestingOrder(book, bid, level, count);
            SortedDictionary<long, long> side = bid ? book.Yes : book.No;
            side[level] = side.GetValueOrDefault(level) + count;
            Broadcast(book, bid, level, count);
            return orderId;
        }
    }

    /// <summary>Cancels a resting order the way someone on the venue's website would (or the venue itself): no message tells the client.</summary>
    public void CancelRestingByHand(string orderId)
    {
        lock (Gate)
        {
            RestingOrder order = _resting[orderId];
            _resting.Remove(orderId);
            Unrest(orderId, order);
        }
    }

    /// <summary>How many orders arrived with a client order id (each should arrive once).</summary>
    public int OrdersWithClientId(string clientOrderId)
    {
        lock (Gate)
        {
            return _clientIdsReceived.GetValueOrDefault(clientOrderId);
        }
    }

    private readonly Dictionary<string, int> _clientIdsReceived = new(StringComparer.Ordinal);

    /// <summary>Orders received whose client order id starts with a prefix.</summary>
    public int OrdersWithClientIdPrefix(string prefix)
    {
        lock (Gate)
        {
            return _clientIdsReceived.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);
        }
    }

    /// <summary>Client order ids that arrived on more than one order (none, if no order is ever sent twice).</summary>
    public IReadOnlyList<string> RepeatedClientIds
    {
        get
        {
            lock (Gate)
            {
                return _clientIdsReceived.Where(c => c.Value > 1).Select(c => c.Key).ToList();
            }
        }
    }

    /// <summary>The orders resting now: the venue's id, the client order id and the market.</summary>
    public IReadOnlyList<(string OrderId, string? ClientOrderId, string Ticker)> Resting
    {
        get
        {
            lock (Gate)
            {
                return _resting.Keys.Select(id => (id, _orders[id].ClientOrderId, _orders[id].Ticker)).ToList();
            }
        }
    }

    /// <summary>What the REST order and fill endpoints report.</summary>
    private sealed class OrderRecord(string? clientOrderId, string ticker, bool bid, long yesPrice, long initial, long createdMs)
    {
        public string? ClientOrderId { get; } = clientOrderId;

        public string Ticker { get; } = ticker;

        public bool Bid { get; } = bid;

        public long YesPrice { get; } = yesPrice;

        public long Initial { get; } = initial;

        public long CreatedMs { get; } = createdMs;

        public long Filled { get; set; }

        public string Status { get; set; } = "resting";

        public List<(long Ts, string Json)> Fills { get; } = new();
    }

    /// <summary>One client's WebSocket: its subscriptions, sequence, scripted faults and outgoing frames.</summary>
    private sealed class Connection(WebSocket socket, int gapEvery, int dropAfter, int junkEvery, int driftAfter) : OutgoingFrames(socket, dropAfter)
    {
        private long _seq;
        private int _deltas;

        public int LastSid { get; set; }

        public int BookSid { get; set; }

        public int FillSid { get; set; }

        public int TradeSid { get; set; }

        public int TickerSid { get; set; }

        public HashSet<string> Markets { get; } = new(StringComparer.Ordinal);

        /// <summary>Markets of the trade and ticker subscriptions.</summary>
        public HashSet<string> TapeMarkets { get; } = new(StringComparer.Ordinal);

        /// <summary>Deltas this connection silently lost (drift_after): no sequence gap shows it.</summary>
        public int Drifted { get; private set; }

        private long _tapeSeq;
        private string? _stuck; // the market whose changes this connection loses since its drift

        public void Trade(FakeKalshiBook book, long yesPrice, long size, bool takerBoughtYes)
        {
            if (TradeSid == 0 || !TapeMarkets.Contains(book.Ticker))
            {
                return;
            }

            string side = takerBoughtYes ? "yes" : "no";
            Enqueue($"{{\"type\":\"trade\",\"sid\":{TradeSid},\"seq\":{++_tapeSeq},\"msg\":{{\"trade_id\":\"{Guid.NewGuid()}\",\"market_ticker\":\"{book.Ticker}\",\"yes_price_dollars\":\"{FakeKalshiBook.Dollars(yesPrice)}\",\"no_price_dollars\":\"{FakeKalshiBook.Dollars(One - yesPrice)}\",\"count_fp\":\"{FakeKalshiBook.Count(size)}\",\"taker_side\":\"{side}\",\"taker_outcome_side\":\"{side}\",\"taker_book_side\":\"{(takerBoughtYes ? "bid" : "ask")}\",\"ts_ms\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}}");
        }

        public void Ticker(FakeKalshiBook book)
        {
            if (TickerSid == 0 || !TapeMarkets.Contains(book.Ticker))
            {
                return;
            }

            (long bid, long ask) = book.Top();
            Enqueue($"{{\"type\":\"ticker\",\"sid\":{TickerSid},\"msg\":{{\"market_ticker\":\"{book.Ticker}\",\"market_id\":\"{book.MarketId}\",\"price_dollars\":\"{FakeKalshiBook.Dollars(book.LastYesPrice)}\",\"yes_bid_dollars\":\"{FakeKalshiBook.Dollars(bid)}\",\"yes_ask_dollars\":\"{FakeKalshiBook.Dollars(ask)}\",\"volume_fp\":\"{FakeKalshiBook.Count(book.Volume)}\",\"open_interest_fp\":\"{FakeKalshiBook.Count(book.Volume / 2)}\",\"ts_ms\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}}");
        }

        /// <summary>The "ok" answer to update_subscription: like Kalshi's it carries the sid and a seq, here the next number of the sid's stream.</summary>
        public void Answer(long id, int sid, JsonElement tickers)
        {
            string seq = sid == BookSid ? $",\"seq\":{++_seq}" : sid == TradeSid ? $",\"seq\":{++_tapeSeq}" : "";
            Enqueue($"{{\"id\":{id},\"sid\":{sid}{seq},\"type\":\"ok\",\"msg\":{{\"market_tickers\":{tickers.GetRawText()}}}}}");
        }

        public void Snapshot(FakeKalshiBook book)
        {
            if (_stuck == book.Ticker)
            {
                _stuck = null; // the client gets the whole book again: its changes flow again
            }

            Enqueue($"{{\"type\":\"orderbook_snapshot\",\"sid\":{BookSid},\"seq\":{++_seq},\"msg\":{{{book.SnapshotJson()}}}}}");
        }

        public void Delta(FakeKalshiBook book, bool yes, long price, long delta, bool bestRemoved)
        {
            if (BookSid == 0 || !Markets.Contains(book.Ticker))
            {
                return;
            }

            _deltas++;
            if (_stuck == book.Ticker)
            {
                return; // still lost, still without a trace, until the market's next snapshot
            }

            if (driftAfter > 0 && _deltas > driftAfter && Drifted == 0 && bestRemoved)
            {
                // Lost without a trace: the sequence goes on as if it had been sent. The market's later
                // changes are lost too until its next snapshot, so the client's book cannot heal by
                // chance (a level re-added at the lost price) before the ticker shows the difference.
                Drifted++;
                _stuck = book.Ticker;
                return;
            }

            if (gapEvery > 0 && _deltas % gapEvery == 0)
            {
                _seq++; // a lost message
            }

            Enqueue($"{{\"type\":\"orderbook_delta\",\"sid\":{BookSid},\"seq\":{++_seq},\"msg\":{{\"market_ticker\":\"{book.Ticker}\",\"market_id\":\"{book.MarketId}\",\"price_dollars\":\"{FakeKalshiBook.Dollars(price)}\",\"delta_fp\":\"{FakeKalshiBook.Count(delta)}\",\"side\":\"{(yes ? "yes" : "no")}\",\"ts_ms\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}}");
            if (junkEvery > 0 && _deltas % junkEvery == 0)
            {
                Enqueue((_deltas / junkEvery % 4) switch
                {
                    0 => "{\"type\":\"orderbook_delta\",\"sid\":",                                        // cut short
                    1 => $"{{\"type\":\"mystery_channel\",\"sid\":99,\"msg\":{{\"x\":1}}}}",               // unknown type
                    2 => $"{{\"type\":\"ticker\",\"sid\":98,\"msg\":{{\"market_ticker\":\"NOPE\"}}}}",     // not subscribed
                    _ => $"{{\"type\":\"orderbook_delta\",\"sid\":{BookSid},\"seq\":{_seq - 1},\"msg\":{{\"market_ticker\":\"{book.Ticker}\",\"price_dollars\":\"0.5000\",\"delta_fp\":\"999.00\",\"side\":\"yes\"}}}}", // old seq
                });
            }
        }
    }
}
