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
    /// Reads a fill <c>msg</c> (the <c>fill</c> channel, or one entry of REST <c>/portfolio/fills</c>).
    /// Direction comes from <c>outcome_side</c> + <c>book_side</c>, the fields Kalshi requires now
    /// (bid on YES is buying YES, ask on NO is buying NO: docs/venues/PROTOCOLS.md 1.3); only a fill without them
    /// is read in the deprecated <c>side</c> + <c>action</c> vocabulary, and the two are never mixed.
    /// The price is that outcome's dollar price (a NO fill without <c>no_price_dollars</c> takes 1 - the
    /// YES price). The time is <c>ts_ms</c>, or <c>ts</c> in seconds (REST fills carry only that).
    /// </summary>
    public static KalshiFill Parse(ReadOnlySpan<byte> msg)
    {
        var reader = new Utf8JsonReader(msg);
        reader.Read();
        string? tradeId = null, orderId = null, clientOrderId = null, ticker = null, side = null, outcomeSide = null, bookSide = null, action = null;
        Price yesPrice = default, noPrice = default;
        Quantity count = default;
        Money fee = default;
        bool isTaker = true;
        long tsMs = 0, tsSeconds = 0;
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
                case "side": side = OptionalString(ref reader); break;
                case "action": action = OptionalString(ref reader); break;
                case "outcome_side": outcomeSide = OptionalString(ref reader); break;
                case "book_side": bookSide = OptionalString(ref reader); break;
                case "is_taker": isTaker = reader.GetBoolean(); break;
                case "yes_price_dollars": yesPrice = Price.Parse(reader.GetString()!); break;
                case "no_price_dollars": noPrice = reader.TokenType == JsonTokenType.Null ? default : Price.Parse(reader.GetString()!); break;
                case "count_fp": count = Quantity.Parse(reader.GetString()!); break;
                case "fee_cost": fee = reader.TokenType == JsonTokenType.String ? Money.Parse(reader.GetString()!) : Money.FromMicros((long)(reader.GetDecimal() * 1_000_000m)); break;
                case "ts_ms": tsMs = reader.GetInt64(); break;
                case "ts": tsSeconds = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : 0; break;
                default: reader.Skip(); break;
            }
        }

        if (tradeId is null || orderId is null || ticker is null || count.Micros <= 0)
        {
            throw new InvalidOperationException("fill without trade_id, order_id, market_ticker or count_fp");
        }

        Outcome outcome;
        OrderSide direction;
        if (outcomeSide is not null || bookSide is not null)
        {
            if (outcomeSide is not ("yes" or "no") || bookSide is not ("bid" or "ask"))
            {
                throw new InvalidOperationException($"fill {tradeId}: outcome_side '{outcomeSide}' and book_side '{bookSide}' must be yes|no and bid|ask");
            }

            outcome = outcomeSide == "yes" ? Outcome.Yes : Outcome.No;
            direction = (outcome == Outcome.Yes) == (bookSide == "bid") ? OrderSide.Buy : OrderSide.Sell;
        }
        else
        {
            if (side is not ("yes" or "no") || action is not ("buy" or "sell"))
            {
                throw new InvalidOperationException($"fill {tradeId}: neither outcome_side + book_side nor side + action says its direction");
            }

            outcome = side == "yes" ? Outcome.Yes : Outcome.No;
            direction = action == "sell" ? OrderSide.Sell : OrderSide.Buy;
        }

        Price price = outcome == Outcome.Yes ? yesPrice : noPrice.Micros != 0 ? noPrice : yesPrice.Complement;
        return new KalshiFill(tradeId, orderId, clientOrderId, ticker, outcome, direction, price, count, fee, isTaker, tsMs != 0 ? tsMs : tsSeconds * 1000);
    }

    private static string? OptionalString(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
}
