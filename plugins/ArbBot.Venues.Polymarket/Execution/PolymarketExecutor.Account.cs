using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.Account;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Toolkit.Execution;

namespace ArbBot.Venues.Polymarket.Execution;

/// <summary>
/// The account as the CLOB reports it, for the engine's reconciliation (docs/venues/PROTOCOLS.md 2.5): open
/// orders (<c>GET /data/orders</c>), trades since a time (<c>GET /data/trades?after=</c>: our side
/// of each, as taker or as one of the makers, with the trade ids the user channel gives), each
/// subscribed outcome token's balance (<c>GET /balance-allowance?asset_type=CONDITIONAL</c>) as the
/// position, and the collateral balance (<c>asset_type=COLLATERAL</c>). Token and USDC amounts are
/// in millionths, as the fixed-point types are. Lists are read page by page (<c>next_cursor</c>,
/// <c>MA==</c> first, <c>LTE=</c> at the end). Polymarket keeps no client order id: orders are known by the venue's id.
/// </summary>
internal sealed partial class PolymarketExecutor : IVenueAccount
{
    private const string FirstCursor = "MA==";
    private const string EndCursor = "LTE=";
    private const int MaxPages = 1_000;

    public async ValueTask<IReadOnlyList<VenueOrder>> OpenOrdersAsync(CancellationToken cancellationToken)
    {
        var orders = new List<VenueOrder>();
        await foreach (JsonElement o in PagesAsync("/data/orders", "", cancellationToken).ConfigureAwait(false))
        {
            string market = Text(o, "market");
            orders.Add(new VenueOrder(
                Text(o, "id"),
                null,
                market,
                OutcomeOf(market, Text(o, "asset_id"), Text(o, "outcome")),
                Text(o, "side") == "SELL" ? OrderSide.Sell : OrderSide.Buy,
                Price.Parse(Text(o, "price")),
                Quantity.Parse(Text(o, "original_size")),
                Quantity.TryParse(Text(o, "size_matched"), out Quantity matched) ? matched : Quantity.Zero));
        }

        return orders;
    }

    public async ValueTask<IReadOnlyList<VenueFill>> FillsSinceAsync(long sinceMs, CancellationToken cancellationToken)
    {
        var fills = new List<VenueFill>();
        string after = Math.Max(0, sinceMs / 1000).ToString(CultureInfo.InvariantCulture);
        await foreach (JsonElement t in PagesAsync("/data/trades", "after=" + after, cancellationToken).ConfigureAwait(false))
        {
            if (Text(t, "status") is "FAILED" or "RETRYING")
            {
                continue; // not (or not yet) a trade
            }

            string tradeId = Text(t, "id");
            string market = Text(t, "market");
            long ts = TimeMs(Text(t, "match_time"));
            if (Text(t, "trader_side") != "MAKER")
            {
                string taker = Text(t, "taker_order_id");
                Price price = Price.Parse(Text(t, "price"));
                Quantity size = Quantity.Parse(Text(t, "size"));
                fills.Add(new VenueFill($"{tradeId}:{taker}", taker, null, market, OutcomeOf(market, Text(t, "asset_id"), Text(t, "outcome")),
                    Text(t, "side") == "SELL" ? OrderSide.Sell : OrderSide.Buy, price, size, TakerFee(price, size, Text(t, "fee_rate_bps")), false, ts));
            }

            if (t.TryGetProperty("maker_orders", out JsonElement makers) && makers.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement m in makers.EnumerateArray())
                {
                    if (!IsOurs(m) || !Quantity.TryParse(Text(m, "matched_amount"), out Quantity matched) || !Price.TryParse(Text(m, "price"), out Price makerPrice))
                    {
                        continue; // another account's order on the other side of our taker fill
                    }

                    string orderId = Text(m, "order_id");
                    fills.Add(new VenueFill($"{tradeId}:{orderId}", orderId, null, market, OutcomeOf(market, Text(m, "asset_id"), Text(m, "outcome")),
                        Text(m, "side") == "SELL" ? OrderSide.Sell : OrderSide.Buy, makerPrice, matched, Money.Zero, true, ts));
                }
            }
        }

        fills.Sort((a, b) => a.TimestampMs.CompareTo(b.TimestampMs));
        return fills;
    }

    public async ValueTask<IReadOnlyList<VenuePosition>> PositionsAsync(CancellationToken cancellationToken)
    {
        var positions = new List<VenuePosition>();
        foreach (string conditionId in _registry.ConditionIds)
        {
            if (!_registry.TryGet(conditionId, out (MarketHandle Market, string Yes, string No) tokens))
            {
                continue;
            }

            foreach ((string token, Outcome outcome) in new[] { (tokens.Yes, Outcome.Yes), (tokens.No, Outcome.No) })
            {
                Quantity held = Quantity.FromMicros(await BalanceMicrosAsync($"asset_type=CONDITIONAL&token_id={token}", cancellationToken).ConfigureAwait(false));
                if (held.IsPositive)
                {
                    positions.Add(new VenuePosition(conditionId, outcome, held));
                }
            }
        }

        return positions;
    }

    public async ValueTask<Money?> BalanceAsync(CancellationToken cancellationToken) =>
        Money.FromMicros(await BalanceMicrosAsync("asset_type=COLLATERAL", cancellationToken).ConfigureAwait(false));

    public void Adopt(OrderRequest request, string venueOrderId, Quantity filled, IReadOnlyCollection<string> knownTradeIds)
    {
        var working = new WorkingOrder(request) { VenueId = venueOrderId, Filled = filled };
        IReadOnlyList<JsonElement> early;
        lock (_gate)
        {
            _orders.Set(request.ClientOrderId, working);
            foreach (string trade in knownTradeIds)
            {
                _trades.Add(trade);
            }

            early = _orders.Answer(venueOrderId, working);
        }

        foreach (JsonElement e in early)
        {
            OnEvent(e);
        }
    }

    public async ValueTask CancelUnknownAsync(VenueOrder order, CancellationToken cancellationToken)
    {
        if (!await _client.CancelAsync(order.VenueOrderId, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"the venue did not cancel {order.VenueOrderId}");
        }
    }

    /// <summary>A balance in millionths (USDC and outcome tokens have 6 decimals), for this account's signature type.</summary>
    private async Task<long> BalanceMicrosAsync(string query, CancellationToken cancellationToken)
    {
        using JsonDocument answer = await _client.GetAsync("/balance-allowance", $"{query}&signature_type={(int)_settings.SignatureType}", cancellationToken).ConfigureAwait(false);
        string balance = Text(answer.RootElement, "balance");
        return long.TryParse(balance, NumberStyles.None, CultureInfo.InvariantCulture, out long micros)
            ? micros
            : throw new InvalidOperationException($"GET /balance-allowance?{query}: balance \"{balance}\" is not a whole number of millionths");
    }

    /// <summary>Every element of a paged list, following <c>next_cursor</c> until the venue says it has no more.</summary>
    private async IAsyncEnumerable<JsonElement> PagesAsync(string path, string query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string cursor = FirstCursor;
        for (int page = 0; page < MaxPages; page++)
        {
            string q = (query.Length > 0 ? query + "&" : "") + "next_cursor=" + Uri.EscapeDataString(cursor);
            using JsonDocument answer = await _client.GetAsync(path, q, cancellationToken).ConfigureAwait(false);
            if (!answer.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException($"GET {path}: the answer has no data list");
            }

            foreach (JsonElement item in data.EnumerateArray())
            {
                yield return item.Clone();
            }

            cursor = Text(answer.RootElement, "next_cursor");
            if (cursor.Length == 0 || cursor == EndCursor)
            {
                yield break;
            }
        }

        throw new InvalidOperationException($"GET {path}: more than {MaxPages} pages");
    }

    /// <summary>The engine's outcome of a token: by the pair's own mapping where the market is subscribed, else by the venue's outcome name.</summary>
    private Outcome OutcomeOf(string conditionId, string token, string outcomeName) =>
        _registry.TryGet(conditionId, out (MarketHandle Market, string Yes, string No) tokens) && (token == tokens.Yes || token == tokens.No)
            ? (token == tokens.Yes ? Outcome.Yes : Outcome.No)
            : string.Equals(outcomeName, "No", StringComparison.OrdinalIgnoreCase) ? Outcome.No : Outcome.Yes;

    /// <summary>Whether a maker order of a trade is this account's: made by its funder or signer address.</summary>
    private bool IsOurs(JsonElement maker)
    {
        string address = Text(maker, "maker_address");
        return string.Equals(address, _settings.Funder ?? _settings.Key.Address, StringComparison.OrdinalIgnoreCase)
            || string.Equals(address, _settings.Key.Address, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A trade's time: Unix seconds (or ms) as text, or an ISO date.</summary>
    private static long TimeMs(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? (n < 100_000_000_000 ? n * 1000 : n)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at.ToUnixTimeMilliseconds()
        : 0;
}
