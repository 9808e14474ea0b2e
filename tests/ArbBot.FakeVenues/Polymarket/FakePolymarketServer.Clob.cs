using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ArbBot.FakeVenues.Polymarket;

/// <summary>The account a fake Polymarket trades for: its address and API credentials (made up; no funds anywhere).</summary>
public sealed record FakeClobAccount(string Address, string ApiKey, string Secret, string Passphrase);

/// <summary>
/// The fake's CLOB trading side (docs/venues/PROTOCOLS.md 2.5, 2.6): <c>GET /auth/derive-api-key</c> (L1: a
/// ClobAuth signature by the account), <c>GET /markets/{condition}</c>, <c>POST /order</c> and
/// <c>DELETE /order</c> (L2: HMAC headers checked byte for byte; an order is accepted only when its
/// EIP-712 signature recovers to the account), and the user channel <c>/ws/user</c> with
/// <c>order</c> and <c>trade</c> events, sent before the REST answer as the venue may. Orders
/// match against the fake's books (which they do not deplete): BUY takes asks up to the limit,
/// SELL hits bids; FOK all or nothing, FAK what is there, GTC/GTD rest the remainder.
/// </summary>
public sealed partial class FakePolymarketServer
{
    private static readonly string[] s_testTags = ["test"];

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
            if (account is null || signer != account.Address || !string.Equals(Header(context, "POLY_ADDRESS"), account.Address, StringComparison.OrdinalIgnoreCase) || !FakeClobSignatures.ChecksumHolds(Header(context, "POLY_ADDRESS")))
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
        app.MapGet("/data/orders", (HttpContext context, string? next_cursor) => Authorized(context, () =>
            Page(_orders.Values.Where(o => !o.Done).Select(OpenOrderJson).ToList(), next_cursor)));
        app.MapGet("/data/trades", (HttpContext context, long? after, string? next_cursor) => Authorized(context, () =>
            Page(_trades.Where(t => after is null || t.Seconds >= after).Select(t => (object)t.Json).ToList(), next_cursor)));
        app.MapGet("/balance-allowance", (HttpContext context, string asset_type, string? token_id) => Authorized(context, () =>
        {
            CollateralReads += asset_type == "COLLATERAL" ? 1 : 0;
            long micros = asset_type switch
            {
                "COLLATERAL" => CollateralMicros,
                "CONDITIONAL" when token_id is not null => _tokenBalances.GetValueOrDefault(token_id),
                _ => -1,
            };
            return micros < 0
                ? Results.Json(new { error = "asset_type must be COLLATERAL, or CONDITIONAL with a token_id" }, statusCode: 400)
                : Results.Json(new { balance = micros.ToString(CultureInfo.InvariantCulture), allowances = new Dictionary<string, string> { [Exchange] = "115792089237316195423570985008687907853269984665640564039457584007913129639935" } });
        }));
    }

    /// <summary>Answers to <c>GET /balance-allowance?asset_type=COLLATERAL</c> (each reconciliation reads it once, last).</summary>
    public int CollateralReads { get; private set; }

    /// <summary>The account's USDC (millionths), as <c>GET /balance-allowance?asset_type=COLLATERAL</c> reports it; trades move it.</summary>
    public long CollateralMicros { get; set; } = 10_000 * One;

    /// <summary>Outcome tokens the account holds (millionths of a share), as <c>asset_type=CONDITIONAL</c> reports them.</summary>
    public long TokenBalance(string token)
    {
        lock (Gate)
        {
            return _tokenBalances.GetValueOrDefault(token);
        }
    }

    /// <summary>Changes a token balance behind the client's back (a transfer, a trade by another client of the account): no event is sent.</summary>
    public void AdjustTokenBalance(string token, decimal shares)
    {
        lock (Gate)
        {
            _tokenBalances[token] = _tokenBalances.GetValueOrDefault(token) + (long)(shares * One);
        }
    }

    /// <summary>Someone takes a resting order of ours (the account is the maker): a trade event on the user channel, as the venue sends one.</summary>
    public void FillResting(string orderId, decimal shares)
    {
        lock (Gate)
        {
            FakeOrder order = _orders[orderId];
            long size = Math.Min(order.Size - order.Filled, (long)(shares * One));
            order.Filled += size;
            order.Done = order.Filled >= order.Size;
            UserEvent(Trade(order, order.Price, size, asMaker: true));
        }
    }

    /// <summary>
    /// The market resolves: <c>market_resolved</c> on the market channel (as the venue sends it, to
    /// connections subscribed to its tokens). Tokens stay in the account until redeemed, as on the venue.
    /// </summary>
    public void Resolve(string conditionId, bool yesWins)
    {
        lock (Gate)
        {
            FakeMarket market = _markets.First(m => m.ConditionId == conditionId);
            string winner = yesWins ? market.YesToken : market.NoToken;
            string message = JsonSerializer.Serialize(new
            {
                event_type = "market_resolved",
                id = "1031769",
                market = conditionId,
                assets_ids = new[] { market.YesToken, market.NoToken },
                winning_asset_id = winner,
                winning_outcome = yesWins ? "Yes" : "No",
                timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                tags = s_testTags,
            });
            foreach (Connection c in Connections.OfType<Connection>().Where(c => c.Tokens.Contains(market.YesToken) || c.Tokens.Contains(market.NoToken)))
            {
                c.Enqueue(message);
            }
        }
    }

    /// <summary>The venue id of every order accepted, oldest first.</summary>
    public IReadOnlyList<string> OrderIds
    {
        get
        {
            lock (Gate)
            {
                return _orders.Keys.ToList();
            }
        }
    }

    private readonly Dictionary<string, long> _tokenBalances = new(StringComparer.Ordinal);
    private readonly List<(long Seconds, JsonElement Json)> _trades = new();

    /// <summary>Answers an L2-authenticated read (the signature covers the path only, as the official client signs it).</summary>
    private IResult Authorized(HttpContext context, Func<IResult> answer)
    {
        if (Unauthorized(context, "") is { } refusal)
        {
            return refusal;
        }

        lock (Gate)
        {
            return answer();
        }
    }

    /// <summary>A page of a list: <c>next_cursor</c> is the base64 of the next offset (<c>MA==</c> is 0), <c>LTE=</c> (-1) at the end; two items a page, so clients must follow it.</summary>
    private static IResult Page(List<object> items, string? cursor)
    {
        const int PageSize = 2;
        int from = cursor is null ? 0 : int.Parse(System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture);
        int next = from + PageSize < items.Count ? from + PageSize : -1;
        return Results.Json(new
        {
            data = items.Skip(Math.Max(0, from)).Take(PageSize),
            next_cursor = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture))),
            limit = PageSize,
            count = Math.Min(PageSize, Math.Max(0, items.Count - from)),
        });
    }

    private object OpenOrderJson(FakeOrder o) => new Dictionary<string, object?>
    {
        ["associate_trades"] = Array.Empty<string>(),
        ["id"] = o.Id,
        ["status"] = "LIVE",
        ["market"] = o.Market.ConditionId,
        ["original_size"] = Decimal(o.Size),
        ["outcome"] = o.Yes ? "Yes" : "No",
        ["maker_address"] = _account!.Address,
        ["owner"] = _account.ApiKey,
        ["price"] = Decimal(o.Price),
        ["side"] = o.Buy ? "BUY" : "SELL",
        ["size_matched"] = Decimal(o.Filled),
        ["asset_id"] = o.Token,
        ["expiration"] = null,
        ["order_type"] = o.Type,
        ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };

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

            if (signer is null || signer != _account!.Address || !string.Equals(fields["signer"], signer, StringComparison.OrdinalIgnoreCase) || !string.Equals(fields["maker"], signer, StringComparison.OrdinalIgnoreCase)
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
            || !string.Equals(Header(context, "POLY_ADDRESS"), account.Address, StringComparison.OrdinalIgnoreCase) || !FakeClobSignatures.ChecksumHolds(Header(context, "POLY_ADDRESS")) || Header(context, "POLY_SIGNATURE") != expected)
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

    /// <summary>
    /// A trade of one of our orders: on the user channel, in <c>GET /data/trades</c>, and in the
    /// balances (a buy pays USDC for tokens, a sell the reverse; a taker pays the fee). As taker the
    /// trade is the order's own; as maker the order is one of <c>maker_orders</c> and the taker is someone else.
    /// </summary>
    private string Trade(FakeOrder o, long price, long size, bool asMaker = false)
    {
        string tradeId = $"trade-{++_nextId}";
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long cost = (long)((Int128)price * size / One);
        long fee = asMaker ? 0 : (long)((Int128)size * price * (One - price) * 200 / ((Int128)One * One * 10_000));
        _tokenBalances[o.Token] = _tokenBalances.GetValueOrDefault(o.Token) + (o.Buy ? size : -size);
        CollateralMicros += (o.Buy ? -cost : cost) - fee;
        var makerOrders = asMaker
            ? new object[] { new { order_id = o.Id, maker_address = _account!.Address, owner = _account.ApiKey, matched_amount = Decimal(size), price = Decimal(price), fee_rate_bps = "0", asset_id = o.Token, outcome = o.Yes ? "Yes" : "No", side = o.Buy ? "BUY" : "SELL" } }
            : Array.Empty<object>();
        string json = JsonSerializer.Serialize(new
        {
            event_type = "trade",
            type = "TRADE",
            id = tradeId,
            taker_order_id = asMaker ? "0x" + new string('f', 64) : o.Id,
            market = o.Market.ConditionId,
            asset_id = asMaker ? (o.Yes ? o.Market.NoToken : o.Market.YesToken) : o.Token,
            side = asMaker ? (o.Buy ? "SELL" : "BUY") : (o.Buy ? "BUY" : "SELL"),
            size = Decimal(size),
            price = Decimal(price),
            fee_rate_bps = "200",
            status = "MATCHED",
            match_time = (nowMs / 1000).ToString(CultureInfo.InvariantCulture),
            outcome = o.Yes ? "Yes" : "No",
            owner = _account!.ApiKey,
            maker_address = asMaker ? _account.Address : "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
            trader_side = asMaker ? "MAKER" : "TAKER",
            maker_orders = makerOrders,
            timestamp = nowMs.ToString(CultureInfo.InvariantCulture),
        });
        using JsonDocument doc = JsonDocument.Parse(json);
        _trades.Add((nowMs / 1000, doc.RootElement.Clone()));
        return json;
    }

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
