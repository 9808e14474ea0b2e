using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Kalshi.Http;
using ArbBot.Venues.Kalshi.Parsing;
using ArbBot.Venues.Toolkit.Execution;

namespace ArbBot.Venues.Kalshi.Execution;

/// <summary>
/// Kalshi orders over the V2 endpoints (<c>POST/DELETE /portfolio/events/orders</c>), one YES-price
/// book: buying YES at p is a bid at p, buying NO at p an ask at 1 - p, selling is the reverse.
/// Calls run off the caller's thread; results come back through the execution sink: the POST's
/// answer gives the ack, the <c>fill</c> channel gives each execution (with its trade id, price
/// and fee), and an order's final state (filled, or the IOC remainder cancelled) is reported only
/// after the fills it counted have been delivered, so the engine never sees an order done with
/// its fills still on the way (after 3 s it is reported anyway and late fills still count).
/// </summary>
internal sealed partial class KalshiExecutor : IOrderExecutor
{
    private static readonly TimeSpan FillWait = TimeSpan.FromSeconds(3);

    // A good-till-date order's state is read this often after its expiry, this many times, until the venue has ended it.
    private const long ExpiryLookIntervalMs = 1_000;
    private const int ExpiryLooks = 5;
    private readonly KalshiVenue _venue;
    private readonly object _gate = new();
    private readonly OrderTable<Tracked, KalshiFill> _orders = new();
    private readonly HashSet<string> _seenTrades = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;
    private volatile bool _fillChannelDown;
    private int _disconnects;

    public KalshiExecutor(KalshiVenue venue)
    {
        _venue = venue;
        _venue.Session.Filled += OnFill;
        _venue.Session.Connected += OnConnected;
        _venue.Session.Disconnected += OnDisconnected;
        _venue.Session.WantFills();
        _venue.Session.Start();
    }

    public ValueTask PlaceAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fillChannelDown)
        {
            // Fail closed: fills and cancels could not be seen, and a long outage ends with every resting order cancelled.
            Report(order.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero,
                "not sent: the Kalshi fill channel is down; new orders wait until it is back and what it missed is reconciled");
            return ValueTask.CompletedTask;
        }

        var tracked = new Tracked(order);
        lock (_gate)
        {
            if (!_orders.TryAdd(order.ClientOrderId, tracked))
            {
                Report(order.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, $"duplicate client order id {order.ClientOrderId}");
                return ValueTask.CompletedTask;
            }
        }

        _ = Task.Run(() => PlaceCoreAsync(tracked), CancellationToken.None); // the caller does not cancel a send: the order is tracked until the venue answers
        return ValueTask.CompletedTask;
    }

    public ValueTask CancelAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = Task.Run(() => CancelCoreAsync(clientOrderId), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _venue.Session.Filled -= OnFill;
        _venue.Session.Connected -= OnConnected;
        _venue.Session.Disconnected -= OnDisconnected;
        await _stop.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>The V2 request body: side and YES price on the single book.</summary>
    internal static string OrderBody(OrderRequest r)
    {
        bool bid = (r.Outcome == Outcome.Yes) == (r.Side == OrderSide.Buy);
        Price yesPrice = r.Outcome == Outcome.Yes ? r.LimitPrice : r.LimitPrice.Complement;
        string tif = r.TimeInForce switch
        {
            TimeInForce.GoodTillCancelled or TimeInForce.GoodTillDate => "good_till_canceled", // an expiration time makes it good till then
            TimeInForce.ImmediateOrCancel => "immediate_or_cancel",
            _ => "fill_or_kill",
        };
        var body = new Dictionary<string, object>
        {
            ["ticker"] = r.MarketId,
            ["side"] = bid ? "bid" : "ask",
            ["count"] = r.Quantity.ToString(),
            ["price"] = yesPrice.ToString(),
            ["time_in_force"] = tif,
            ["self_trade_prevention_type"] = "taker_at_cross",
            ["client_order_id"] = r.ClientOrderId,
        };
        if (r.PostOnly)
        {
            body["post_only"] = true;
        }

        if (r.TimeInForce == TimeInForce.GoodTillDate)
        {
            body["expiration_time"] = r.ExpiresAtSeconds;
        }

        return JsonSerializer.Serialize(body);
    }

    private async Task PlaceCoreAsync(Tracked tracked)
    {
        OrderRequest r = tracked.Request;
        try
        {
            using JsonDocument answer = await _venue.Rest.PostAsync(KalshiPaths.PlaceOrder, OrderBody(r), _stop.Token).ConfigureAwait(false);
            JsonElement root = answer.RootElement;
            JsonElement order = root.TryGetProperty("order", out JsonElement nested) ? nested : root;
            string orderId = order.GetProperty("order_id").GetString() ?? throw new KalshiApiException(0, "order answer without order_id");
            await AcceptedAsync(tracked, orderId, Count(order, "fill_count"), Count(order, "remaining_count"), null).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsAmbiguous(ex) && !_stop.IsCancellationRequested)
        {
            // No answer, or a server error: the venue may have taken the order all the same.
            // Look it up by our client order id before calling it rejected, so that a live order
            // is never left unknown.
            await ResolveAmbiguousAsync(tracked, ex).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (!_stop.IsCancellationRequested)
            {
                Report(r.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, ex.Message);
            }
        }
    }

    /// <summary>No answer (network, timeout) or a 5xx: the order's fate is unknown until looked up.</summary>
    private static bool IsAmbiguous(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException || (ex is KalshiApiException api && api.Status >= 500);

    /// <summary>The venue has the order: ack it, deliver early fills, and end it if it is not resting.</summary>
    private async Task AcceptedAsync(Tracked tracked, string orderId, Quantity filled, Quantity remaining, string? venueStatus, bool recoverFills = false)
    {
        OrderRequest r = tracked.Request;
        IReadOnlyList<KalshiFill> early;
        lock (_gate)
        {
            tracked.OrderId = orderId;
            tracked.VenueFilled = filled;
            early = _orders.Answer(orderId, tracked);
        }

        Report(r.ClientOrderId, orderId, OrderStatus.Acked, Quantity.Zero, r.Quantity, null);
        foreach (KalshiFill fill in early)
        {
            OnFill(fill);
        }

        if (recoverFills)
        {
            await RecoverFillsAsync(orderId).ConfigureAwait(false); // the socket may have missed them while the call hung
        }

        // What is not resting and not filled was cancelled by the venue (IOC/FOK remainder).
        if (venueStatus is "canceled" || remaining.IsZero || !r.TimeInForce.Rests())
        {
            OrderStatus final = filled >= r.Quantity ? OrderStatus.Filled : OrderStatus.Cancelled;
            string? reason = final == OrderStatus.Cancelled ? (r.TimeInForce == TimeInForce.FillOrKill ? "fill-or-kill: not filled" : r.TimeInForce.Rests() ? "cancelled by the venue" : "immediate-or-cancel remainder") : null;
            await FinishAfterFillsAsync(tracked, final, reason).ConfigureAwait(false);
        }
        else if (r.TimeInForce == TimeInForce.GoodTillDate)
        {
            _ = Task.Run(() => WatchExpiryAsync(tracked));
        }
    }

    /// <summary>
    /// Kalshi ends a good-till-date order at its expiration time without a message on the fills
    /// channel: a moment after it, the order's state is read (again each second for a few seconds
    /// while the venue still shows it resting: its clock may be behind ours), and once the venue
    /// has ended it, it ends here (what filled first is delivered first). If it never does, the
    /// engine cancels it itself.
    /// </summary>
    private async Task WatchExpiryAsync(Tracked tracked)
    {
        long wait = tracked.Request.ExpiresAtMs - _venue.Context.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            for (int look = 0; look < ExpiryLooks && !tracked.Done; look++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, wait) + ExpiryLookIntervalMs), _venue.Context.Clock, _stop.Token).ConfigureAwait(false);
                wait = 0;
                if (!tracked.Done && await EndedAtVenueAsync(tracked, expiring: true).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (TaskCanceledException)
        {
        }
    }

    /// <summary>
    /// After a POST with no clear answer: find the order among the market's orders by client order
    /// id. Found: it goes on as placed (its fills fetched over REST too, in case the socket missed
    /// them). Not found: rejected, saying why. The lookup failing as well: rejected, and logged as
    /// possibly live, naming the client order id (its fills still reach the engine by that id).
    /// </summary>
    private async Task ResolveAmbiguousAsync(Tracked tracked, Exception failure)
    {
        OrderRequest r = tracked.Request;
        try
        {
            using JsonDocument list = await _venue.Rest.GetAsync(KalshiPaths.OrdersOfMarket(r.MarketId), _stop.Token).ConfigureAwait(false);
            foreach (JsonElement order in list.RootElement.GetProperty("orders").EnumerateArray())
            {
                if (order.TryGetProperty("client_order_id", out JsonElement cid) && cid.GetString() == r.ClientOrderId)
                {
                    string orderId = order.GetProperty("order_id").GetString() ?? throw new KalshiApiException(0, "order without order_id");
                    string status = order.TryGetProperty("status", out JsonElement st) ? st.GetString() ?? "" : "";
                    _venue.Context.Log.Warn($"order {r.ClientOrderId}: {failure.Message}; the venue has it all the same (order {orderId}, {status})");
                    await AcceptedAsync(tracked, orderId, Count(order, "fill_count"), status == "resting" ? Count(order, "remaining_count") : Quantity.Zero, status, recoverFills: true).ConfigureAwait(false);
                    return;
                }
            }

            Report(r.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, $"{failure.Message}; the venue has no order with client id {r.ClientOrderId}");
        }
        catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _venue.Context.Log.Error($"order {r.ClientOrderId} may be live at Kalshi: the order call failed ({failure.Message}) and so did looking it up ({ex.Message}); its fills, if any, still count");
            Report(r.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, $"{failure.Message}; could not check whether the venue took it: {ex.Message}");
        }
    }

    /// <summary>Delivers the fills of an order the socket may have missed (trade ids already seen are skipped).</summary>
    private async Task<int> RecoverFillsAsync(string orderId)
    {
        int recovered = 0;
        using JsonDocument fills = await _venue.Rest.GetAsync(KalshiPaths.FillsOfOrder(orderId), _stop.Token).ConfigureAwait(false);
        foreach (JsonElement raw in fills.RootElement.GetProperty("fills").EnumerateArray())
        {
            KalshiFill fill = KalshiFill.Parse(System.Text.Encoding.UTF8.GetBytes(raw.GetRawText()));
            bool isNew;
            lock (_gate)
            {
                isNew = !_seenTrades.Contains(fill.TradeId);
            }

            if (isNew)
            {
                recovered++;
                OnFill(fill);
            }
        }

        return recovered;
    }

    private void OnConnected()
    {
        if (_venue.Session.Connections > 1)
        {
            _ = Task.Run(AfterReconnectAsync); // fills and cancels may have happened while the socket was down
        }
    }

    private void OnDisconnected()
    {
        Interlocked.Increment(ref _disconnects);
        _fillChannelDown = true;
    }

    /// <summary>
    /// Kalshi has no dead-man switch of its own, so the engine keeps one: after a reconnect the
    /// working orders are reconciled, and if the fill channel was down at least
    /// <c>cancel_after_disconnect_ms</c>, every resting order is cancelled over REST (the strategy
    /// quoting it could not see the market or its fills meanwhile). New orders wait until then.
    /// </summary>
    private async Task AfterReconnectAsync()
    {
        int generation = Volatile.Read(ref _disconnects);
        long outageMs = _venue.Session.LastOutageMs;
        int limit = _venue.Settings.CancelAfterDisconnectMs;
        int cancelled = 0;
        try
        {
            await ReconcileAsync().ConfigureAwait(false);
            if (outageMs >= limit)
            {
                List<Tracked> resting;
                lock (_gate)
                {
                    resting = _orders.All.Where(t => !t.Done && t.OrderId is not null && t.Request.TimeInForce.Rests()).ToList();
                }

                foreach (Tracked tracked in resting)
                {
                    await CancelCoreAsync(tracked.Request.ClientOrderId, $"cancelled by the dead-man rule: the fill channel was down {outageMs} ms (cancel_after_disconnect_ms {limit})").ConfigureAwait(false);
                }

                cancelled = resting.Count;
            }
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            _venue.Context.Log.Error($"after the fill channel came back: {ex.Message}; orders it may have missed are not all reconciled");
        }
        finally
        {
            if (Volatile.Read(ref _disconnects) == generation && !_stop.IsCancellationRequested)
            {
                _fillChannelDown = false; // unless it dropped again meanwhile
                _venue.Context.Log.Info($"fill channel back after {outageMs} ms: reconciled, {cancelled} resting orders cancelled by the dead-man rule (cancel_after_disconnect_ms {limit}); new orders go out again");
                _venue.Context.Executions.OnReconnected(); // the engine checks the account as a whole (positions, orders it did not place)
            }
        }
    }

    /// <summary>
    /// After a reconnect: for every order still working, fetch its fills and its state over REST,
    /// deliver the fills the socket missed (trade ids already seen are skipped) and end orders the
    /// venue ended. What changed is logged.
    /// </summary>
    internal async Task ReconcileAsync()
    {
        List<Tracked> open;
        lock (_gate)
        {
            open = _orders.All.Where(t => !t.Done && t.OrderId is not null).ToList();
        }

        int recovered = 0, ended = 0;
        foreach (Tracked tracked in open)
        {
            string orderId = tracked.OrderId!;
            try
            {
                recovered += await RecoverFillsAsync(orderId).ConfigureAwait(false);
                using JsonDocument state = await _venue.Rest.GetAsync(KalshiPaths.Order(orderId), _stop.Token).ConfigureAwait(false);
                JsonElement order = state.RootElement.TryGetProperty("order", out JsonElement o) ? o : state.RootElement;
                string? status = order.TryGetProperty("status", out JsonElement s) ? s.GetString() : null;
                if (status is "canceled" or "executed")
                {
                    ended++;
                    await FinishAfterFillsAsync(tracked, status == "executed" ? OrderStatus.Filled : OrderStatus.Cancelled,
                        status == "canceled" ? "cancelled by the venue while disconnected" : null, waitForFills: false).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                _venue.Context.Log.Warn($"reconcile after reconnect: order {tracked.Request.ClientOrderId}: {ex.Message}");
            }
        }

        if (open.Count > 0)
        {
            _venue.Context.Log.Info($"reconciled after reconnect: {open.Count} working orders checked, {recovered} fills recovered, {ended} orders ended by the venue");
        }
    }

    private async Task CancelCoreAsync(string clientOrderId, string reason = "cancelled by request")
    {
        Tracked? tracked;
        lock (_gate)
        {
            _orders.TryGetByClientId(clientOrderId, out tracked);
        }

        if (tracked?.OrderId is not { } orderId)
        {
            Report(clientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, "cancel refused: no such order acknowledged by Kalshi");
            return;
        }

        try
        {
            string path = KalshiPaths.CancelOrder(orderId, tracked.Request.MarketId);
            using JsonDocument answer = await _venue.Rest.DeleteAsync(path, _stop.Token).ConfigureAwait(false);
            await FinishAfterFillsAsync(tracked, OrderStatus.Cancelled, reason, waitForFills: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException)
        {
            if (!_stop.IsCancellationRequested && !await EndedAtVenueAsync(tracked).ConfigureAwait(false))
            {
                Report(clientOrderId, orderId, OrderStatus.Rejected, tracked.Filled, Quantity.Zero, $"cancel refused: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// A cancel was refused or got no clear answer: the order may have ended already (filled, or
    /// cancelled by an earlier try whose answer was lost). If the venue says so, its missed fills
    /// are delivered and it is ended; returns whether it had ended.
    /// </summary>
    private async Task<bool> EndedAtVenueAsync(Tracked tracked, bool expiring = false)
    {
        try
        {
            string orderId = tracked.OrderId!;
            using JsonDocument state = await _venue.Rest.GetAsync(KalshiPaths.Order(orderId), _stop.Token).ConfigureAwait(false);
            JsonElement order = state.RootElement.TryGetProperty("order", out JsonElement o) ? o : state.RootElement;
            string? status = order.TryGetProperty("status", out JsonElement s) ? s.GetString() : null;
            if (status is not ("canceled" or "executed"))
            {
                return false;
            }

            await RecoverFillsAsync(orderId).ConfigureAwait(false);
            (OrderStatus final, string? reason) = status == "executed" ? (OrderStatus.Filled, (string?)null)
                : expiring ? (OrderStatus.Expired, tracked.Request.ExpiredReason + " at Kalshi")
                : (OrderStatus.Cancelled, "cancelled by request");
            await FinishAfterFillsAsync(tracked, final, reason, waitForFills: false).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _venue.Context.Log.Warn($"order {tracked.Request.ClientOrderId}: could not read its state after a failed cancel: {ex.Message}");
            return false;
        }
    }

    private async Task FinishAfterFillsAsync(Tracked tracked, OrderStatus final, string? reason, bool waitForFills = true)
    {
        DateTime until = DateTime.UtcNow + FillWait;
        while (waitForFills && DateTime.UtcNow < until && !_stop.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (tracked.Filled >= tracked.VenueFilled)
                {
                    break;
                }
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (tracked.Done)
            {
                return;
            }

            tracked.Done = true;
        }

        Report(tracked.Request.ClientOrderId, tracked.OrderId, final, tracked.Filled, Quantity.Zero, reason);
    }

    private void OnFill(KalshiFill fill)
    {
        Tracked? tracked;
        lock (_gate)
        {
            if (!_orders.TryGetByVenueId(fill.OrderId, out tracked)
                && !(fill.ClientOrderId is { } cid && _orders.TryGetByClientId(cid, out tracked)))
            {
                // The fill can beat the POST's answer: keep it until the order id is known.
                _orders.KeepUntilAnswered(fill.OrderId, fill);
                return;
            }

            if (!_seenTrades.Add(fill.TradeId))
            {
                return; // replayed after a reconnect
            }

            tracked.Filled += fill.Count;
        }

        OrderRequest r = tracked.Request;
        Price price = fill.Outcome == r.Outcome ? fill.Price : fill.Price.Complement; // our outcome's price
        _venue.Context.Executions.OnFill(new Fill(r.ClientOrderId, fill.OrderId, fill.TradeId, r.Market, r.Outcome, r.Side, price, fill.Count, fill.Fee, !fill.IsTaker, fill.TimestampMs));

        bool complete;
        lock (_gate)
        {
            complete = r.TimeInForce.Rests() && tracked.Filled >= r.Quantity && !tracked.Done;
            if (complete)
            {
                tracked.Done = true;
            }
        }

        if (complete)
        {
            Report(r.ClientOrderId, fill.OrderId, OrderStatus.Filled, tracked.Filled, Quantity.Zero, null);
        }
        else if (r.TimeInForce.Rests() && !tracked.Done)
        {
            Report(r.ClientOrderId, fill.OrderId, OrderStatus.PartiallyFilled, tracked.Filled, r.Quantity - tracked.Filled, null);
        }
    }

    private void Report(string clientOrderId, string? orderId, OrderStatus status, Quantity filled, Quantity remaining, string? reason) =>
        _venue.Context.Executions.OnOrderUpdate(new OrderUpdate(clientOrderId, orderId, status, filled, remaining, reason, _venue.Context.Clock.GetUtcNow().ToUnixTimeMilliseconds()));

    private static Quantity Count(JsonElement order, string name) =>
        order.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind == JsonValueKind.Number ? Quantity.FromContracts(value.GetInt64()) : Quantity.Parse(value.GetString() ?? "0")
            : order.TryGetProperty(name + "_fp", out JsonElement fp) ? Quantity.Parse(fp.GetString() ?? "0") : Quantity.Zero;

    private sealed class Tracked(OrderRequest request)
    {
        public OrderRequest Request { get; } = request;

        public string? OrderId { get; set; }

        public Quantity VenueFilled { get; set; }

        public Quantity Filled { get; set; }

        public bool Done { get; set; }
    }
}
