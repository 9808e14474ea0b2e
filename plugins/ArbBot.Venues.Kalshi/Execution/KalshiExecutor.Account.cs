using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Account;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Kalshi.Http;
using ArbBot.Venues.Kalshi.Parsing;
using ArbBot.Venues.Toolkit.Execution;

namespace ArbBot.Venues.Kalshi.Execution;

/// <summary>
/// The account as Kalshi reports it, for the engine's reconciliation: resting orders
/// (<c>GET /portfolio/orders?status=resting</c>), fills since a time (<c>GET /portfolio/fills?min_ts=</c>),
/// positions (<c>GET /portfolio/positions</c>: one signed <c>position_fp</c> per market, positive
/// long YES, negative long NO) and cash (<c>GET /portfolio/balance</c>). Lists are read page by
/// page (<c>cursor</c>).
/// </summary>
internal sealed partial class KalshiExecutor : IVenueAccount
{
    private const int MaxPages = 1_000;

    public async ValueTask<IReadOnlyList<VenueOrder>> OpenOrdersAsync(CancellationToken cancellationToken)
    {
        var orders = new List<VenueOrder>();
        await foreach (JsonElement order in PagesAsync(KalshiPaths.RestingOrders, "orders", cancellationToken).ConfigureAwait(false))
        {
            // One YES book: a bid buys YES at the YES price, an ask buys NO at the NO price.
            bool bid = Text(order, "book_side") is { } book ? book == "bid" : (Text(order, "side") == "yes") == (Text(order, "action") != "sell");
            Price yes = Price.Parse(Text(order, "yes_price_dollars") ?? throw new InvalidOperationException("order without yes_price_dollars"));
            Quantity filled = Count(order, "fill_count");
            Quantity initial = order.TryGetProperty("initial_count_fp", out _) || order.TryGetProperty("initial_count", out _)
                ? Count(order, "initial_count")
                : filled + Count(order, "remaining_count");
            orders.Add(new VenueOrder(
                Text(order, "order_id") ?? throw new InvalidOperationException("order without order_id"),
                Text(order, "client_order_id") is { Length: > 0 } cid ? cid : null,
                Text(order, "ticker") ?? throw new InvalidOperationException("order without ticker"),
                bid ? Outcome.Yes : Outcome.No,
                OrderSide.Buy,
                bid ? yes : yes.Complement,
                initial,
                filled));
        }

        return orders;
    }

    public async ValueTask<IReadOnlyList<VenueFill>> FillsSinceAsync(long sinceMs, CancellationToken cancellationToken)
    {
        var fills = new List<VenueFill>();
        long minTs = Math.Max(0, sinceMs / 1000);
        await foreach (JsonElement raw in PagesAsync(KalshiPaths.FillsSince(minTs), "fills", cancellationToken).ConfigureAwait(false))
        {
            KalshiFill f = KalshiFill.Parse(Encoding.UTF8.GetBytes(raw.GetRawText()));
            fills.Add(new VenueFill(f.TradeId, f.OrderId, f.ClientOrderId, f.MarketTicker, f.Outcome, f.Side, f.Price, f.Count, f.Fee, !f.IsTaker, f.TimestampMs));
        }

        fills.Sort((a, b) => a.TimestampMs.CompareTo(b.TimestampMs));
        return fills;
    }

    public async ValueTask<IReadOnlyList<VenuePosition>> PositionsAsync(CancellationToken cancellationToken)
    {
        var positions = new List<VenuePosition>();
        await foreach (JsonElement p in PagesAsync(KalshiPaths.Positions, "market_positions", cancellationToken).ConfigureAwait(false))
        {
            string ticker = Text(p, "ticker") ?? throw new InvalidOperationException("position without ticker");
            long signed = p.TryGetProperty("position_fp", out JsonElement fp)
                ? Quantity.Parse(fp.GetString() ?? "0").Micros
                : p.TryGetProperty("position", out JsonElement whole) ? checked(whole.GetInt64() * 1_000_000) : 0;
            if (signed != 0)
            {
                positions.Add(new VenuePosition(ticker, signed > 0 ? Outcome.Yes : Outcome.No, Quantity.FromMicros(Math.Abs(signed))));
            }
        }

        return positions;
    }

    public async ValueTask<Money?> BalanceAsync(CancellationToken cancellationToken)
    {
        using JsonDocument answer = await _venue.Rest.GetAsync(KalshiPaths.Balance, cancellationToken).ConfigureAwait(false);
        JsonElement root = answer.RootElement;
        if (Text(root, "balance_dollars") is { } dollars)
        {
            return Money.Parse(dollars);
        }

        return root.TryGetProperty("balance", out JsonElement cents) && cents.ValueKind == JsonValueKind.Number
            ? Money.FromMicros(checked(cents.GetInt64() * 10_000))
            : null;
    }

    public void Adopt(OrderRequest request, string venueOrderId, Quantity filled, IReadOnlyCollection<string> knownTradeIds)
    {
        var tracked = new Tracked(request) { OrderId = venueOrderId, Filled = filled, VenueFilled = filled };
        IReadOnlyList<KalshiFill> early;
        lock (_gate)
        {
            _orders.Set(request.ClientOrderId, tracked);
            foreach (string trade in knownTradeIds)
            {
                _seenTrades.Add(trade);
            }

            early = _orders.Answer(venueOrderId, tracked);
        }

        foreach (KalshiFill fill in early)
        {
            OnFill(fill); // fills that came on the stream before the engine adopted it
        }

        if (request.TimeInForce == TimeInForce.GoodTillDate)
        {
            _ = Task.Run(() => WatchExpiryAsync(tracked));
        }
    }

    public async ValueTask CancelUnknownAsync(VenueOrder order, CancellationToken cancellationToken)
    {
        using JsonDocument answer = await _venue.Rest.DeleteAsync(KalshiPaths.CancelOrder(order.VenueOrderId, order.MarketId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every element of a paged list, following <c>cursor</c> until the venue gives none.</summary>
    private async IAsyncEnumerable<JsonElement> PagesAsync(string pathAndQuery, string listName, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        for (int page = 0; page < MaxPages; page++)
        {
            string path = cursor is null ? pathAndQuery : KalshiPaths.NextPage(pathAndQuery, cursor);
            using JsonDocument answer = await _venue.Rest.GetAsync(path, cancellationToken).ConfigureAwait(false);
            if (!answer.RootElement.TryGetProperty(listName, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException($"GET {pathAndQuery}: the answer has no {listName} list");
            }

            foreach (JsonElement item in list.EnumerateArray())
            {
                yield return item.Clone();
            }

            cursor = Text(answer.RootElement, "cursor");
            if (string.IsNullOrEmpty(cursor))
            {
                yield break;
            }
        }

        throw new InvalidOperationException($"GET {pathAndQuery}: more than {MaxPages} pages");
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
