using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using MyVenue.Config;

namespace MyVenue.Execution;

/// <summary>
/// Places and cancels orders through MyVenue's HTTP API (<c>POST /orders</c>, <c>DELETE /orders/{client_order_id}</c>);
/// each answer says what became of the order and lists its fills, which go to the engine through
/// <see cref="VenueContext.Executions"/>. Trade ids are the venue's own: unique for ever, so the
/// engine counts each fill once, across reconnects and plugin reloads.
/// </summary>
public sealed class MyVenueExecutor : IOrderExecutor
{
    private readonly VenueContext _context;
    private readonly HttpClient _http;
    private readonly Dictionary<string, OrderRequest> _orders = new(StringComparer.Ordinal);

    /// <summary>Creates the executor.</summary>
    public MyVenueExecutor(MyVenueSettings settings, VenueContext context)
    {
        _context = context;
        _http = new HttpClient { BaseAddress = settings.OrdersUrl, Timeout = TimeSpan.FromSeconds(10) };
        if (settings.Token.Length > 0)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.Token);
        }
    }

    /// <inheritdoc/>
    public async ValueTask PlaceAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        lock (_orders)
        {
            _orders[order.ClientOrderId] = order;
        }

        var body = new PlaceBody(order.ClientOrderId, order.MarketId, order.Outcome == Outcome.Yes ? "yes" : "no", order.Side == OrderSide.Buy ? "buy" : "sell",
            order.LimitPrice.ToString(), order.Quantity.ToString(), order.TimeInForce == TimeInForce.ImmediateOrCancel ? "ioc" : "gtc");
        await SendAsync(order, () => _http.PostAsJsonAsync("orders", body, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask CancelAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        OrderRequest? order;
        lock (_orders)
        {
            _orders.TryGetValue(clientOrderId, out order);
        }

        if (order is null)
        {
            _context.Log.Warn($"{_context.VenueName}: cancel of unknown order {clientOrderId}");
            return;
        }

        await SendAsync(order, () => _http.DeleteAsync($"orders/{Uri.EscapeDataString(clientOrderId)}", cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SendAsync(OrderRequest order, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        long now = _context.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        OrderAnswer? answer;
        try
        {
            using HttpResponseMessage response = await send();
            answer = await response.Content.ReadFromJsonAsync<OrderAnswer>(cancellationToken);
            if (!response.IsSuccessStatusCode || answer is null)
            {
                Report(order, OrderStatus.Rejected, Quantity.Zero, order.Quantity, $"HTTP {(int)response.StatusCode}: {answer?.Reason ?? "no answer"}", now);
                return;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Report(order, OrderStatus.Rejected, Quantity.Zero, order.Quantity, $"the venue did not answer: {ex.Message}", now);
            return;
        }

        foreach (FillAnswer fill in answer.Fills ?? [])
        {
            _context.Executions.OnFill(new Fill(order.ClientOrderId, answer.OrderId, fill.TradeId, order.Market, order.Outcome, order.Side,
                Price.Parse(fill.Price), Quantity.Parse(fill.Size), Money.Zero, IsMaker: false, fill.TimestampMs));
        }

        OrderStatus status = answer.Status switch
        {
            "acked" => OrderStatus.Acked,
            "filled" => OrderStatus.Filled,
            "partially_filled" => OrderStatus.PartiallyFilled,
            "cancelled" => OrderStatus.Cancelled,
            _ => OrderStatus.Rejected,
        };
        Report(order, status, Quantity.Parse(answer.Filled), Quantity.Parse(answer.Remaining), answer.Reason, now, answer.OrderId);
    }

    private void Report(OrderRequest order, OrderStatus status, Quantity filled, Quantity remaining, string? reason, long timestampMs, string? venueOrderId = null) =>
        _context.Executions.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueOrderId, status, filled, remaining, reason, timestampMs));

    private sealed record PlaceBody(
        [property: JsonPropertyName("client_order_id")] string ClientOrderId,
        [property: JsonPropertyName("market")] string Market,
        [property: JsonPropertyName("outcome")] string Outcome,
        [property: JsonPropertyName("side")] string Side,
        [property: JsonPropertyName("price")] string Price,
        [property: JsonPropertyName("size")] string Size,
        [property: JsonPropertyName("tif")] string TimeInForce);

    private sealed record OrderAnswer(
        [property: JsonPropertyName("order_id")] string OrderId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("filled")] string Filled,
        [property: JsonPropertyName("remaining")] string Remaining,
        [property: JsonPropertyName("reason")] string? Reason,
        [property: JsonPropertyName("fills")] IReadOnlyList<FillAnswer>? Fills);

    private sealed record FillAnswer(
        [property: JsonPropertyName("trade_id")] string TradeId,
        [property: JsonPropertyName("price")] string Price,
        [property: JsonPropertyName("size")] string Size,
        [property: JsonPropertyName("ts")] long TimestampMs);
}
