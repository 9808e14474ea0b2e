using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Venues.Kalshi.Parsing;

/// <summary>A message of the private <c>fill</c> channel: one execution of one of our orders.</summary>
internal sealed record KalshiFill(
    string TradeId,
    string OrderId,
    string? ClientOrderId,
    string MarketTicker,
    Outcome Outcome,
    OrderSide Side,
    Price Price,
    Quantity Count,
    Money Fee,
    bool IsTaker,
    long TimestampMs)
{
    /// <summary>
    /// Reads a fill <c>msg</c>. Direction comes from <c>outcome_side</c> + <c>action</c> when present,
    /// else the legacy <c>side</c> + <c>action</c>; the price is that outcome's dollar price.
    /// </summary>
    public static KalshiFill Parse(ReadOnlySpan<byte> msg)
    {
        var reader = new Utf8JsonReader(msg);
        reader.Read();
        string? tradeId = null, orderId = null, clientOrderId = null, ticker = null, side = null, outcomeSide = null, action = null;
        Price yesPrice = default, noPrice = default;
        Quantity count = default;
        Money fee = default;
        bool isTaker = true;
        long ts = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "trade_id": tradeId = reader.GetString(); break;
                case "order_id": orderId = reader.GetString(); break;
                case "client_order_id": clientOrderId = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "market_ticker": ticker = reader.GetString(); break;
                case "side": side = reader.GetString(); break;
                case "outcome_side": outcomeSide = reader.GetString(); break;
                case "action": action = reader.GetString(); break;
                case "is_taker": isTaker = reader.GetBoolean(); break;
                case "yes_price_dollars": yesPrice = Price.Parse(reader.GetString()!); break;
                case "no_price_dollars": noPrice = Price.Parse(reader.GetString()!); break;
                case "count_fp": count = Quantity.Parse(reader.GetString()!); break;
                case "fee_cost": fee = reader.TokenType == JsonTokenType.String ? Money.Parse(reader.GetString()!) : Money.FromMicros((long)(reader.GetDecimal() * 1_000_000m)); break;
                case "ts_ms": ts = reader.GetInt64(); break;
                default: reader.Skip(); break;
            }
        }

        Outcome outcome = (outcomeSide ?? side) == "no" ? Outcome.No : Outcome.Yes;
        if (tradeId is null || orderId is null || ticker is null || action is null || count.Micros <= 0)
        {
            throw new InvalidOperationException("fill without trade_id, order_id, market_ticker, action or count_fp");
        }

        return new KalshiFill(tradeId, orderId, clientOrderId, ticker, outcome, action == "sell" ? OrderSide.Sell : OrderSide.Buy,
            outcome == Outcome.Yes ? yesPrice : noPrice, count, fee, isTaker, ts);
    }
}
