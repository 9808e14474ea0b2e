using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArbBot.FakeVenues.Polymarket;

/// <summary>The account a fake Polymarket trades for: its address and API credentials (made up; no funds anywhere).</summary>
public sealed record FakeClobAccount(string Address, string ApiKey, string Secret, string Passphrase);

/// <summary>
/// The fake's CLOB trading side (PROTOCOLS.md 2.5, 2.6): <c>GET /auth/derive-api-key</c> (L1: a
/// ClobAuth signature by the account), <c>GET /markets/{condition}</c>, <c>POST /order</c> and
/// <c>DELETE /order</c> (L2: HMAC headers checked byte for byte; an order is accepted only when its
/// EIP-712 signature recovers to the account), and the user channel <c>/ws/user</c> with
/// <c>order</c> and <c>trade</c> events, sent before the REST answer as the venue may. Orders
/// match against the fake's books (which they do not deplete): BUY takes asks up to the limit,
/// SELL hits bids; FOK all or nothing, FAK what is there, GTC/GTD rest the remainder.
/// </summary>
public sealed partial class FakePolymarketServer
{
    private const long ChainId = 137;
    private const string Exchange = "0xE111180000d2663C0091e4f400237545B87B996B";
    private const string ExchangeV3 = "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa";

    // The venue ends a GTD order this long before its expiration, and refuses one that leaves less.
    private const long ExpiryThresholdSeconds = 60;
    private readonly Dictionary<string, FakeOrder> _orders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expiredHeartbeats = new(StringComparer.Ordinal);
    private FakeClobAccount? _account;
    private long _nextId;
    private string? _heartbeatId; // the live dead-man session, once a heartbeat started one
    private DateTimeOffset _heartbeatDue;

    /// <summary>Orders accepted.</summary>
    public int OrdersAccepted { get; private set; }

    /// <summary>GTD orders ended by their expiration.</summary>
    public int OrdersExpired { get; private set; }

    /// <summary>The token of every order accepted, in order.</summary>
    public List<string> TokensOrdered { get; } = new();

    /// <summary>Requests refused for their L2 headers, or orders for their signature.</summary>
    public int Refused { get; private set; }

    /// <summary>The user channel URL.</summary>
    public string UserChannelUrl => MarketChannelUrl.Replace("/ws/market", "/ws/user", StringComparison.Ordinal);

    /// <summary>Fills every resting order in full without telling the user channel (as if its events were lost with a dropped connection).</summary>
    public void FillRestingQuietly()
    {
        lock (Gate)
        {
            foreach (FakeOrder order in _orders.Values.Where(o => !o.Done))
            {
                order.Filled = order.Size;
                order.Done = true;
            }
        }
    }

    /// <summary>Dead-man switch: once a heartbeat started a session, every open order is cancelled if the next does not come within this.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The order version the venue takes (<c>GET /version</c>): 2, or 3 (ExchangeV3, domain version "3"). An order signed for the other is refused with <c>order_version_mismatch</c>.</summary>
    public int OrderVersion { get; set; } = 2;

    /// <summary>Orders refused for being signed for another order version.</summary>
    public int VersionMismatches { get; private set; }

    /// <summary>Answer every heartbeat with an error (the venue's heartbeat service failing).</summary>
    public bool FailHeartbeats { get; set; }

    /// <summary>Heartbeats received (acknowledged or not).</summary>
    public int HeartbeatsReceived { get; private set; }

    /// <summary>Orders the dead-man switch cancelled because heartbeats stopped.</summary>
    public int OrdersCancelledByDeadMan { get; private set; }

    /// <summary>Orders resting now.</summary>
    public int OrdersResting
    {
        get
        {
            lock (Gate)
            {
                return _orders.Values.Count(o => !o.Done);
            }
        }
    }

    /// <summary>The smallest order the markets take, in shares (the venue's usual 5).</summary>
    public int MinimumOrderSize { get; set; } = 5;

    /// <summary>Lets one account trade (call before <see cref="StartAsync"/>).</summary>
    public void EnableTrading(FakeClobAccount account) => _account = account;

    private void MapClobEndpoints(WebApplication app)
    {
        app.Map("/ws/user", (Func<HttpContext, Task>)UserChannelAsync);
        app.MapGet("/auth/derive-api-key", (HttpContext context) =>
        {
            FakeClobAccount? account = _account;
            string? signer = account is null ? null : FakeClobSignatures.ClobAuthSigner(
                Header(context, "POLY_ADDRESS"), Header(context, "POLY_TIMESTAMP"), Header(context, "POLY_NONCE") is { Length: > 0 } n ? n : "0", ChainId, Header(context, "POLY_SIGNATURE"));
            if (account is null || signer != account.Address || Header(context, "POLY_ADDRESS").ToLowerInvariant() != account.Address || !FakeClobSignatures.ChecksumHolds(Header(context, "POLY_ADDRESS")))
            {
                Refused++;
                return Results.Json(new { error = "Invalid L1 Request headers" }, statusCode: 401);
            }

            return Results.Json(new { apiKey = account.ApiKey, secret = account.Secret, passphrase = account.Passphrase });
        });
        app.MapGet("/markets/{condition}", (string condition) =>
        {
            FakeMarket? market = _markets.FirstOrDefault(m => m.ConditionId == condition);
            return market is null
                ? Results.Json(new { error = "market not found" }, statusCode: 404)
                : Results.Json(new
                {
                    condition_id = market.ConditionId,
                    tokens = new[] { new { token_id = market.YesToken, outcome = "Yes" }, new { token_id = market.NoToken, outcome = "No" } },
                    minimum_tick_size = 0.01,
                    minimum_order_size = MinimumOrderSize,
                    neg_risk = false,
                    accepting_orders = true,
                });
        });
        app.MapGet("/data/order/{id}", (HttpContext context, string id) =>
        {
            if (Unauthorized(context, "") is { } refusal)
            {
                return refusal;
            }

            lock (Gate)
            {
                return _orders.TryGetValue(id, out FakeOrder? o)
                    ? Results.Json(new { id, status = o.Done ? (o.Filled >= o.Size ? "MATCHED" : "CANCELED") : "LIVE", size_matched = Decimal(o.Filled), original_size = Decimal(o.Size), price = Decimal(o.Price) })
                    : Results.Json(new { error = "order not found" }, statusCode: 404);
            }
        });
        app.MapPost("/order", (Func<HttpContext, Task<IResult>>)PlaceAsync);
        app.MapDelete("/order", (Func<HttpContext, Task<IResult>>)CancelAsync);
        app.MapPost("/v1/heartbeats", (Func<HttpContext, Task<IResult>>)HeartbeatAsync);
        app.MapGet("/version", () => Results.Json(new { version = OrderVersion }));
    }

    private async Task<IResult> PlaceAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        if (Unauthorized(context, body) is { } refusal)
        {
            return refusal;
        }

        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement order = doc.RootElement.GetProperty("order");
        var fields = order.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
        string type = doc.RootElement.GetProperty("orderType").GetString()!;
        bool postOnly = doc.RootElement.TryGetProperty("postOnly", out JsonElement p) && p.ValueKind == JsonValueKind.True;
        int version = OrderVersion;
        string? signer = version == 3 ? FakeClobSignatures.OrderSigner(fields, ChainId, ExchangeV3, "3") : FakeClobSignatures.OrderSigner(fields, ChainId, Exchange);
        string? otherVersion = version == 3 ? FakeClobSignatures.OrderSigner(fields, ChainId, Exchange) : FakeClobSignatures.OrderSigner(fields, ChainId, ExchangeV3, "3");
        lock (Gate)
        {
            if (signer != _account!.Address && otherVersion == _account.Address)
            {
                VersionMismatches++;
                return Results.Json(new { success = false, errorMsg = "order_version_mismatch", orderID = "", status = "" }, statusCode: 400);
            }

            if (signer is null || signer != _account!.Address || fields["signer"].ToLowerInvariant() != signer || fields["maker"].ToLowerInvariant() != signer
                || !FakeClobSignatures.ChecksumHolds(fields["signer"]) || !FakeClobSignatures.ChecksumHolds(fields["maker"]))
            {
                Refused++;
                return Results.Json(new { success = false, errorMsg = "invalid signature", orderID = "", status = "" }, statusCode: 400);
            }

            if (doc.RootElement.GetProperty("owner").GetString() != _account.ApiKey)
            {
                Refused++;
                return Results.Json(new { success = false, errorMsg = "the order owner is not the API key's", orderID = "", status = "" }, statusCode: 400);
            }

            string token = fields["tokenId"];
            if (!_byToken.TryGetValue(token, out (FakeMarket Market, bool Yes) found))
            {
                return Results.Json(new { success = false, errorMsg = $"unknown token id {token}", orderID = "", status = "" }, statusCode: 400);
            }

            bool buy = fields["side"] == "BUY";
            long maker = long.Parse(fields["makerAmount"], CultureInfo.InvariantCulture);
            long taker = long.Parse(fields["takerAmount"], CultureInfo.InvariantCulture);
            long shares = buy ? taker : maker;
            long price = (long)((Int128)(buy ? maker : taker) * One / shares);
            string id = "0x" + (++_nextId).ToString("x64", CultureInfo.InvariantCulture);
            var placed = new FakeOrder(id, found.Market, token, found.Yes, buy, price, shares, type);
            List<(long Price, long Size)> crossing = Crossing(placed);
            long available = crossing.Sum(c => c.Size);
            if (postOnly && available > 0)
            {
                return Results.Json(new { success = false, errorMsg = "invalid post-only order: order crosses book", orderID = "", status = "" }, statusCode: 400);
            }

            if ((type == "FOK" && available < shares) || (type == "FAK" && available == 0))
            {
                return Results.Json(new { success = false, errorMsg = $"order couldn't be filled: {type} orders need a match", orderID = "", status = "" }, statusCode: 400);
            }

            // GTD: the expiration (Unix s) must leave the venue's one-minute security threshold; the order ends that minute early.
            long expiration = long.Parse(fields["expiration"], CultureInfo.InvariantCulture);
            long nowSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (type == "GTD" ? expiration < nowSeconds + ExpiryThresholdSeconds : expiration != 0)
            {
                return Results.Json(new { success = false, errorMsg = $"invalid expiration value ({expiration}) for a {type} order", orderID = "", status = "" }, statusCode: 400);
            }

            OrdersAccepted++;
            TokensOrdered.Add(token);
            _orders[id] = placed;
            foreach ((long levelPrice, long levelSize) in crossing)
            {
                long size = Math.Min(levelSize, shares - placed.Filled);
                if (size <= 0)
                {
                    break;
                }

                placed.Filled += size;
                UserEvent(Trade(placed, levelPrice, size));
            }

            bool rests = placed.Filled < shares && type is "GTC" or "GTD";
            if (rests)
            {
                UserEvent(OrderEvent(placed, "PLACEMENT", "LIVE"));
                if (type == "GTD")
                {
                    _ = ExpireAsync(placed, TimeSpan.FromMilliseconds(Math.Max(0, ((expiration - ExpiryThresholdSeconds) * 1000) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
                }
            }
            else if (placed.Filled < shares)
            {
                placed.Done = true;
                UserEvent(OrderEvent(placed, "CANCELLATION", "CANCELED")); // FAK: the rest is killed
            }
            else
            {
                placed.Done = true;
            }

            return Results.Json(new
            {
                success = true,
                errorMsg = "",
                orderID = id,
                status = placed.Filled == 0 ? "live" : "matched",
                takingAmount = placed.Filled.ToString(CultureInfo.InvariantCulture),
                makingAmount = "0",
            });
        }
    }

    private async Task ExpireAsync(FakeOrder order, TimeSpan after)
    {
        await Task.Delay(after);
        lock (Gate)
        {
            if (!order.Done)
            {
                order.Done = true;
                OrdersExpired++;
                UserEvent(OrderEvent(order, "CANCELLATION", "CANCELED"));
            }
        }
    }

    private async Task<IResult> CancelAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        if (Unauthorized(context, body) is { } refusal)
        {
            return refusal;
        }

        string id = JsonDocument.Parse(body).RootElement.GetProperty("orderID").GetString()!;
        lock (Gate)
        {
            if (!_orders.TryGetValue(id, out FakeOrder? order) || order.Done)
            {
                return Results.Json(new { canceled = Array.Empty<string>(), not_canceled = new Dictionary<string, string> { [id] = "already canceled or matched" } });
            }

            order.Done = true;
            UserEvent(OrderEvent(order, "CANCELLATION", "CANCELED"));
            return Results.Json(new { canceled = new[] { id }, not_canceled = new Dictionary<string, string>() });
        }
    }

    /// <summary>
    /// <c>POST /v1/heartbeats</c> with <c>{"heartbeat_id": id}</c>: an empty id starts a session
    /// (replacing any other), the live session's id keeps it going; an expired or unknown id is refused.
    /// </summary>
    private async Task<IResult> HeartbeatAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        if (Unauthorized(context, body) is { } refusal)
        {
            return refusal;
        }

        string id = JsonDocument.Parse(body).RootElement.TryGetProperty("heartbeat_id", out JsonElement h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";
        lock (Gate)
        {
            HeartbeatsReceived++;
            if (FailHeartbeats)
            {
                return Results.Json(new { heartbeat_id = "", error_msg = "heartbeat service unavailable" }, statusCode: 503);
            }

            if (id.Length > 0 && id != _heartbeatId)
            {
                string why = _expiredHeartbeats.Contains(id) ? "heartbeat expired: open orders were cancelled" : "unknown heartbeat id";
                return Results.Json(new { heartbeat_id = "", error_msg = why }, statusCode: 400);
            }

            if (id.Length == 0)
            {
                _heartbeatId = "hb-" + Guid.NewGuid().ToString("N");
            }

            _heartbeatDue = DateTimeOffset.UtcNow + HeartbeatTimeout;
            return Results.Json(new { heartbeat_id = _heartbeatId });
        }
    }

    /// <summary>The dead-man switch (under <see cref="FakeVenueServer.Gate"/>): a session whose heartbeats stopped loses every open order.</summary>
    private void CheckHeartbeats()
    {
        if (_heartbeatId is null || DateTimeOffset.UtcNow <= _heartbeatDue)
        {
            return;
        }

        foreach (FakeOrder order in _orders.Values.Where(o => !o.Done))
        {
            order.Done = true;
            OrdersCancelledByDeadMan++;
            UserEvent(OrderEvent(order, "CANCELLATION", "CANCELED"));
        }

        _expiredHeartbeats.Add(_heartbeatId);
        _heartbeatId = null;
    }

    /// <summary>The L2 check: every header present, the API key and passphrase the account's, and the HMAC over exactly this request.</summary>
    private IResult? Unauthorized(HttpContext context, string body)
    {
        FakeClobAccount? account = _account;
        string expected = account is null ? "" : FakeClobSignatures.Hmac(account.Secret, Header(context, "POLY_TIMESTAMP"), context.Request.Method, context.Request.Path, body);
        if (account is null || Header(context, "POLY_API_KEY") != account.ApiKey || Header(context, "POLY_PASSPHRASE") != account.Passphrase
            || Header(context, "POLY_ADDRESS").ToLowerInvariant() != account.Address || !FakeClobSignatures.ChecksumHolds(Header(context, "POLY_ADDRESS")) || Header(context, "POLY_SIGNATURE") != expected)
        {
            lock (Gate)
            {
                Refused++;
            }

            return Results.Json(new { error = "Unauthorized/Invalid api key" }, statusCode: 401);
        }

        return null;
    }

    private async Task UserChannelAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new UserConnection(socket);
        await ServeAsync(socket, connection, text =>
        {
            if (text == "PING")
            {
                connection.Enqueue("PONG");
                return;
            }

            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement auth = doc.RootElement.GetProperty("auth");
            FakeClobAccount? account = _account;
            if (account is null || auth.GetProperty("apiKey").GetString() != account.ApiKey
                || auth.GetProperty("secret").GetString() != account.Secret || auth.GetProperty("passphrase").GetString() != account.Passphrase)
            {
                connection.Abort(); // the venue closes a user channel it cannot authenticate
                return;
            }

            connection.Authenticated = true;
        });
    }

    private void UserEvent(string message)
    {
        foreach (UserConnection c in Connections.OfType<UserConnection>().Where(c => c.Authenticated))
        {
            c.Enqueue(message);
        }
    }

    /// <summary>The book levels the order crosses, best first, as (price, size) in the order's own token's terms.</summary>
    private static List<(long Price, long Size)> Crossing(FakeOrder o)
    {
        // A YES book: asks and bids as they are. The NO token sees them mirrored (a YES bid at p is a NO ask at 1 - p).
        IEnumerable<(long Price, long Size)> asks = o.Yes ? o.Market.Asks.Select(a => (a.Key, a.Value)) : o.Market.Bids.Reverse().Select(b => (One - b.Key, b.Value));
        IEnumerable<(long Price, long Size)> bids = o.Yes ? o.Market.Bids.Reverse().Select(b => (b.Key, b.Value)) : o.Market.Asks.Select(a => (One - a.Key, a.Value));
        return o.Buy ? asks.Where(a => a.Price <= o.Price).ToList() : bids.Where(b => b.Price >= o.Price).ToList();
    }

    private string Trade(FakeOrder o, long price, long size) => JsonSerializer.Serialize(new
    {
        event_type = "trade",
        type = "TRADE",
        id = $"trade-{++_nextId}",
        taker_order_id = o.Id,
        market = o.Market.ConditionId,
        asset_id = o.Token,
        side = o.Buy ? "BUY" : "SELL",
        size = Decimal(size),
        price = Decimal(price),
        fee_rate_bps = "200",
        status = "MATCHED",
        match_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        outcome = o.Yes ? "Yes" : "No",
        owner = _account!.ApiKey,
        trader_side = "TAKER",
        maker_orders = Array.Empty<object>(),
        timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    });

    private string OrderEvent(FakeOrder o, string type, string status) => JsonSerializer.Serialize(new
    {
        event_type = "order",
        type,
        id = o.Id,
        status,
        market = o.Market.ConditionId,
        asset_id = o.Token,
        side = o.Buy ? "BUY" : "SELL",
        price = Decimal(o.Price),
        original_size = Decimal(o.Size),
        size_matched = Decimal(o.Filled),
        order_type = o.Type,
        owner = _account!.ApiKey,
        timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    });

    private static string Header(HttpContext context, string name) => context.Request.Headers[name].ToString();

    private sealed class FakeOrder(string id, FakeMarket market, string token, bool yes, bool buy, long price, long size, string type)
    {
        public string Id { get; } = id;

        public FakeMarket Market { get; } = market;

        public string Token { get; } = token;

        public bool Yes { get; } = yes;

        public bool Buy { get; } = buy;

        public long Price { get; } = price;

        public long Size { get; } = size;

        public string Type { get; } = type;

        public long Filled { get; set; }

        public bool Done { get; set; }
    }

    private sealed class UserConnection(WebSocket socket) : OutgoingFrames(socket)
    {
        public bool Authenticated { get; set; }
    }
}
