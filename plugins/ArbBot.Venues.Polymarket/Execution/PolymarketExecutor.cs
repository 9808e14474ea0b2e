using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Http;
using ArbBot.Venues.Polymarket.Orders;
using ArbBot.Venues.Polymarket.Streaming;
using ArbBot.Venues.Toolkit.Execution;

namespace ArbBot.Venues.Polymarket.Execution;

/// <summary>
/// Polymarket orders: each request is built and signed as a CLOB V2 order for the token the
/// engine's outcome stands for (on the market's own exchange, at its tick), posted with L2 headers,
/// and followed on the user channel: <c>trade</c> events become fills (each trade id once),
/// <c>order</c> events acks and cancels. Events that arrive before the REST answer names the order
/// are held until it does. After the user channel reconnects, working orders are looked up over
/// REST and anything matched meanwhile is reported. Time in force: GTC rests, GTD rests until its
/// expiry, IOC is FAK, FOK is FOK.
/// </summary>
internal sealed partial class PolymarketExecutor : IOrderExecutor
{
    /// <summary>How long before its <c>expiration</c> the venue ends a GTD order (its security threshold).</summary>
    public const long ExpiryThresholdSeconds = 60;

    private static readonly TimeSpan FirstConnectWait = TimeSpan.FromSeconds(10);

    // A venue whose clock runs a little ahead of ours may end a GTD order just before its time.
    private const long ExpiryToleranceMs = 2_000;

    private readonly VenueContext _context;
    private readonly PolymarketTradingSettings _settings;
    private readonly TokenRegistry _registry;
    private int _disposed;
    private readonly ClobClient _client;
    private readonly OrderSigner _signer;
    private readonly UserChannelConnection _user;
    private readonly DeadManHeartbeat _heartbeat;
    private Task<int>? _orderVersion;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, Task<(Price Tick, Quantity MinimumSize, bool NegRisk)>> _marketInfo = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly OrderTable<WorkingOrder, JsonElement> _orders = new();
    private readonly HashSet<string> _trades = new(StringComparer.Ordinal);
    private readonly RequestBudget _pace;

    public PolymarketExecutor(VenueContext context, PolymarketTradingSettings settings, TokenRegistry registry)
    {
        _context = context;
        _settings = settings;
        _registry = registry;
        _client = new ClobClient(settings, _http, context.Clock);
        _signer = new OrderSigner(settings.Key, settings.ChainId, settings.SignatureType, settings.Funder);
        _user = new UserChannelConnection(settings, context, _client.CredentialsAsync, OnEvent, AfterReconnectAsync, () => registry.ConditionIds);
        _pace = new RequestBudget(settings.OrdersPerSecond, burst: 1); // evenly spaced, never a burst
        _heartbeat = new DeadManHeartbeat(_client, context, TimeSpan.FromMilliseconds(settings.HeartbeatIntervalMs));
        context.Log.Info($"trading as {settings.Key.Address}{(settings.Funder is { } f ? $" for {f}" : "")} (signature type {settings.SignatureType.ToString().ToLowerInvariant()}), chain {settings.ChainId}");
    }

    public async ValueTask PlaceAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        var working = new WorkingOrder(order);
        lock (_gate)
        {
            _orders.Set(order.ClientOrderId, working);
        }

        string body;
        int version;
        Func<int, string> sign;
        try
        {
            // Fills of the first order must not slip past a channel still connecting.
            await _user.StartAsync().WaitAsync(FirstConnectWait, cancellationToken).ConfigureAwait(false);

            // Nothing goes out unguarded: the venue must be acknowledging the dead-man heartbeats.
            _heartbeat.Start();
            await _heartbeat.FirstAnswer.WaitAsync(FirstConnectWait, cancellationToken).ConfigureAwait(false);
            if (_heartbeat.Failure is { } failing)
            {
                throw new ArgumentException($"the dead-man heartbeat is failing ({failing}); new orders wait until the venue acknowledges one again");
            }

            if (!_registry.TryGet(order.MarketId, out (MarketHandle Market, string Yes, string No) tokens))
            {
                throw new ArgumentException($"market {order.MarketId} is not subscribed on this venue: its token ids are unknown");
            }

            (Price tick, Quantity minimum, bool negRisk) = await _marketInfo.GetOrAdd(order.MarketId, id => _client.MarketAsync(id, CancellationToken.None)).ConfigureAwait(false);
            if (_registry.TryGetTick(order.MarketId, out Price announced))
            {
                tick = announced; // the market channel's tick_size_change is newer than what the market said when first read
            }

            if (order.Quantity < minimum)
            {
                throw new ArgumentException($"size {order.Quantity} is below the market's minimum order of {minimum}");
            }

            string token = order.Outcome == Outcome.Yes ? tokens.Yes : tokens.No;
            string type = order.TimeInForce switch
            {
                TimeInForce.ImmediateOrCancel => "FAK",
                TimeInForce.FillOrKill => "FOK",
                TimeInForce.GoodTillDate => "GTD",
                _ => "GTC",
            };
            if (order.PostOnly && !order.TimeInForce.Rests())
            {
                throw new ArgumentException($"post-only needs a resting order, not {type}");
            }

            string apiKey = (await _client.CredentialsAsync(cancellationToken).ConfigureAwait(false)).ApiKey;
            version = await OrderVersionAsync(refresh: false, cancellationToken).ConfigureAwait(false);
            sign = v => _signer.Sign(token, order.Side, order.LimitPrice, order.Quantity, tick, negRisk, _context.Clock.GetUtcNow().ToUnixTimeMilliseconds(), v)
                .ToJson(apiKey, type, order.PostOnly, ExpirationSeconds(order));
            body = sign(version);
        }
        catch (Exception ex) when (ex is ArgumentException or ClobApiException or HttpRequestException or TimeoutException or TaskCanceledException)
        {
            Reject(working, $"not sent: {ex.Message}");
            return;
        }

        await _pace.WaitAsync(1, cancellationToken).ConfigureAwait(false);
        string orderId;
        try
        {
            try
            {
                (orderId, _) = await _client.PostOrderAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (ClobApiException ex) when (ex.Message.Contains(ClobClient.OrderVersionMismatch, StringComparison.Ordinal))
            {
                // The venue moved to another order version: learn which and send it once more, signed for that one (as the official client does).
                int now = await OrderVersionAsync(refresh: true, cancellationToken).ConfigureAwait(false);
                if (now == version)
                {
                    throw;
                }

                _context.Log.Warn($"order {order.ClientOrderId}: the venue now takes order version {now} (was {version}); signed again for it");
                (orderId, _) = await _client.PostOrderAsync(sign(now), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClobApiException ex)
        {
            Reject(working, ex.Message);
            return;
        }
        catch (ArgumentException ex)
        {
            Reject(working, $"not sent: {ex.Message}");
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // No answer: the venue may hold it. Polymarket has no client order id to look it up by; its events will name it if it lives.
            _context.Log.Error($"order {order.ClientOrderId}: POST /order got no answer ({ex.Message}); it may be live at the venue: check open orders");
            Reject(working, $"POST /order: no answer ({ex.Message}); the order may be live at the venue");
            return;
        }

        IReadOnlyList<JsonElement> early;
        bool cancelNow;
        lock (_gate)
        {
            working.VenueId = orderId;
            early = _orders.Answer(orderId, working);
            cancelNow = working.CancelRequested;
        }

        Update(working, OrderStatus.Acked, null);
        foreach (JsonElement e in early)
        {
            OnEvent(e);
        }

        if (cancelNow)
        {
            await CancelAsync(order.ClientOrderId, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask CancelAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        WorkingOrder? working;
        string? venueId;
        lock (_gate)
        {
            if (!_orders.TryGetByClientId(clientOrderId, out working) || working.Done)
            {
                return;
            }

            working.CancelRequested = true;
            venueId = working.VenueId;
        }

        if (venueId is null)
        {
            return; // cancelled as soon as the venue names it
        }

        try
        {
            if (await _client.CancelAsync(venueId, cancellationToken).ConfigureAwait(false))
            {
                Finish(working, OrderStatus.Cancelled, "cancelled");
            }
        }
        catch (Exception ex) when (ex is ClobApiException or HttpRequestException or TaskCanceledException)
        {
            _context.Log.Warn($"order {clientOrderId}: cancel failed: {ex.Message}");
        }
    }

    /// <summary>
    /// The order version the venue takes (<c>GET /version</c>), read before the first order and again
    /// after an <c>order_version_mismatch</c>; one the signer cannot sign refuses orders with a clear error.
    /// </summary>
    private async Task<int> OrderVersionAsync(bool refresh, CancellationToken cancellationToken)
    {
        Task<int> resolving;
        lock (_gate)
        {
            if (refresh || _orderVersion is null || _orderVersion.IsFaulted || _orderVersion.IsCanceled)
            {
                _orderVersion = _client.OrderVersionAsync(CancellationToken.None);
            }

            resolving = _orderVersion;
        }

        int version = await resolving.WaitAsync(cancellationToken).ConfigureAwait(false);
        return OrderSigner.Signs(version)
            ? version
            : throw new ArgumentException($"the venue takes order version {version}; this plugin signs versions 2 and 3");
    }

    /// <summary>Dead-man heartbeats the venue acknowledged (tests).</summary>
    internal long HeartbeatsAcknowledged => _heartbeat.Acknowledged;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // the engine, then the venue's session: the second is a no-op
        }

        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        await _user.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        _http.Dispose();
        _pace.Dispose();
    }

    /// <summary>One user-channel event (any thread the channel runs on).</summary>
    private void OnEvent(JsonElement e)
    {
        string type = Text(e, "event_type");
        if (type == "trade")
        {
            OnTrade(e);
        }
        else if (type == "order")
        {
            string id = Text(e, "id");
            WorkingOrder? working = Find(id, e);
            if (working is not null && Text(e, "type") == "CANCELLATION")
            {
                // The venue says nothing more when it ends a GTD order at its expiry than when it cancels one.
                OrderRequest r = working.Request;
                bool expired = r.TimeInForce == TimeInForce.GoodTillDate && !working.CancelRequested && _context.Clock.GetUtcNow().ToUnixTimeMilliseconds() >= r.ExpiresAtMs - ExpiryToleranceMs;
                if (expired)
                {
                    Finish(working, OrderStatus.Expired, r.ExpiredReason + " at the venue");
                }
                else
                {
                    Finish(working, OrderStatus.Cancelled, "cancelled at the venue");
                }
            }
        }
    }

    private void OnTrade(JsonElement e)
    {
        // A trade is reported again as it is mined and confirmed: the match is the fill.
        if (Text(e, "status") is not ("MATCHED" or "") || !Price.TryParse(Text(e, "price"), out Price price))
        {
            return;
        }

        string tradeId = Text(e, "id");
        string takerId = Text(e, "taker_order_id");
        long ts = _context.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (Find(takerId, e) is { } taker && Quantity.TryParse(Text(e, "size"), out Quantity size))
        {
            ReportFill(taker, $"{tradeId}:{takerId}", price, size, Text(e, "fee_rate_bps"), isMaker: false, ts);
        }

        if (e.TryGetProperty("maker_orders", out JsonElement makers) && makers.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement maker in makers.EnumerateArray())
            {
                WorkingOrder? ours;
                lock (_gate)
                {
                    _orders.TryGetByVenueId(Text(maker, "order_id"), out ours);
                }

                if (ours is not null && Quantity.TryParse(Text(maker, "matched_amount"), out Quantity matched) && Price.TryParse(Text(maker, "price"), out Price makerPrice))
                {
                    ReportFill(ours, $"{tradeId}:{Text(maker, "order_id")}", makerPrice, matched, "0", isMaker: true, ts);
                }
            }
        }
    }

    /// <summary>The working order a venue id names; an id not known yet is kept with its event for when the REST answer comes.</summary>
    private WorkingOrder? Find(string venueId, JsonElement e)
    {
        lock (_gate)
        {
            if (_orders.TryGetByVenueId(venueId, out WorkingOrder? working))
            {
                return working;
            }

            if (venueId.Length > 0 && _orders.All.Any(w => w.VenueId is null && !w.Done))
            {
                _orders.KeepUntilAnswered(venueId, e.Clone());
            }

            return null;
        }
    }

    private void ReportFill(WorkingOrder working, string tradeKey, Price price, Quantity size, string feeRateBps, bool isMaker, long ts)
    {
        OrderRequest o = working.Request;
        Quantity filled;
        lock (_gate)
        {
            if (!_trades.Add(tradeKey))
            {
                return;
            }

            working.Filled += size;
            filled = working.Filled;
        }

        _context.Executions.OnFill(new Fill(o.ClientOrderId, working.VenueId ?? "", tradeKey, o.Market, o.Outcome, o.Side, price, size, TakerFee(price, size, feeRateBps), isMaker, ts));
        if (filled >= o.Quantity)
        {
            Finish(working, OrderStatus.Filled, null);
        }
        else
        {
            Update(working, OrderStatus.PartiallyFilled, null);
        }
    }

    /// <summary>After the user channel was down: this executor's own orders brought up to date, then the engine told to check the whole account.</summary>
    private async Task AfterReconnectAsync()
    {
        await ReconcileAsync().ConfigureAwait(false);
        _context.Executions.OnReconnected();
    }

    /// <summary>After the user channel was down: what the venue says of each working order, and any match missed meanwhile.</summary>
    private async Task ReconcileAsync()
    {
        WorkingOrder[] working;
        lock (_gate)
        {
            working = _orders.Answered.Where(w => !w.Done).ToArray();
        }

        foreach (WorkingOrder w in working)
        {
            try
            {
                (string status, Quantity matched) = await _client.OrderAsync(w.VenueId!, CancellationToken.None).ConfigureAwait(false);
                Quantity missed;
                lock (_gate)
                {
                    missed = matched > w.Filled ? matched - w.Filled : Quantity.Zero;
                }

                if (!missed.IsZero)
                {
                    // The trade events were lost with the connection: the venue's matched size is the truth; its price is at most the limit.
                    ReportFill(w, $"reconciled:{w.VenueId}:{matched}", w.Request.LimitPrice, missed, "0", isMaker: false, _context.Clock.GetUtcNow().ToUnixTimeMilliseconds());
                }

                if (status.ToUpperInvariant() is "CANCELED" or "CANCELLED" or "INVALID")
                {
                    Finish(w, OrderStatus.Cancelled, $"{status.ToLowerInvariant()} at the venue (found on reconnect)");
                }
            }
            catch (Exception ex) when (ex is ClobApiException or HttpRequestException or TaskCanceledException)
            {
                _context.Log.Warn($"order {w.Request.ClientOrderId}: could not be looked up after the user channel reconnected: {ex.Message}");
            }
        }
    }

    private void Reject(WorkingOrder working, string reason)
    {
        _context.Log.Warn($"order {working.Request.ClientOrderId} rejected: {reason}");
        Finish(working, OrderStatus.Rejected, reason);
    }

    private void Finish(WorkingOrder working, OrderStatus status, string? reason)
    {
        lock (_gate)
        {
            if (working.Done)
            {
                return;
            }

            working.Done = true;
        }

        Update(working, status, reason);
    }

    private void Update(WorkingOrder working, OrderStatus status, string? reason)
    {
        Quantity filled;
        lock (_gate)
        {
            filled = working.Filled;
        }

        Quantity remaining = status is OrderStatus.Acked or OrderStatus.PartiallyFilled ? working.Request.Quantity - filled : Quantity.Zero;
        _context.Executions.OnOrderUpdate(new OrderUpdate(working.Request.ClientOrderId, working.VenueId, status, filled, remaining, reason, _context.Clock.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <summary>The taker fee: size x rate x p x (1 - p), rate in basis points, rounded up to 5 decimals (docs/venues/PROTOCOLS.md 2.7).</summary>
    /// <summary>
    /// The order's <c>expiration</c> (Unix seconds; 0 unless GTD). The venue ends a GTD order
    /// <see cref="ExpiryThresholdSeconds"/> before the expiration it is given, so that much is added
    /// to the time the engine asked for.
    /// </summary>
    internal static long ExpirationSeconds(OrderRequest order) =>
        order.TimeInForce == TimeInForce.GoodTillDate ? order.ExpiresAtSeconds + ExpiryThresholdSeconds : 0;

    internal static Money TakerFee(Price price, Quantity size, string feeRateBps)
    {
        if (!long.TryParse(feeRateBps, NumberStyles.None, CultureInfo.InvariantCulture, out long bps) || bps == 0)
        {
            return Money.Zero;
        }

        Int128 scaled = (Int128)size.Micros * price.Micros * (1_000_000 - price.Micros) * bps; // micros^3 x bps
        Int128 divisor = (Int128)1_000_000 * 1_000_000 * 10_000;
        long micros = (long)((scaled + divisor - 1) / divisor);
        return Money.FromMicros((micros + 9) / 10 * 10);
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()) : "";

    private sealed class WorkingOrder(OrderRequest request)
    {
        public OrderRequest Request { get; } = request;

        public string? VenueId { get; set; }

        public Quantity Filled { get; set; }

        public bool CancelRequested { get; set; }

        public bool Done { get; set; }
    }
}
