using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Venues.Kalshi.Parsing;

/// <summary>The public tape: <c>trade</c> and <c>ticker</c> messages (current fields, and the older integer ones).</summary>
internal sealed partial class KalshiFeed
{
    /// <summary>
    /// A public trade, told from YES: the taker bought YES at the YES price, or bought NO (sold
    /// YES at the YES price). Allocates nothing.
    /// </summary>
    private FrameKind Trade(ReadOnlySpan<byte> msg, long received)
    {
        var reader = new Utf8JsonReader(msg);
        reader.Read();
        MarketHandle handle = default;
        bool known = false, hasMarket = false;
        Price yesPrice = default;
        Quantity count = default;
        Outcome? takerBought = null;
        long tsMs = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("market_ticker"u8))
            {
                reader.Read();
                hasMarket = true;
                known = TryHandle(ref reader, out handle);
            }
            else if (reader.ValueTextEquals("yes_price_dollars"u8))
            {
                reader.Read();
                yesPrice = ParsePrice(ref reader);
            }
            else if (reader.ValueTextEquals("yes_price"u8))
            {
                reader.Read();
                yesPrice = yesPrice.Micros == 0 ? Price.FromCents(reader.GetInt64()) : yesPrice;
            }
            else if (reader.ValueTextEquals("count_fp"u8))
            {
                reader.Read();
                count = Quantity.TryParse(reader.ValueSpan, out Quantity q) ? q : throw new InvalidOperationException("bad count_fp");
            }
            else if (reader.ValueTextEquals("count"u8))
            {
                reader.Read();
                count = count.Micros == 0 ? Quantity.FromContracts(reader.GetInt64()) : count;
            }
            else if (reader.ValueTextEquals("taker_outcome_side"u8))
            {
                reader.Read();
                takerBought = OutcomeOf(ref reader); // the current field wins over the older taker_side
            }
            else if (reader.ValueTextEquals("taker_side"u8))
            {
                reader.Read();
                takerBought ??= OutcomeOf(ref reader);
            }
            else if (reader.ValueTextEquals("ts_ms"u8))
            {
                reader.Read();
                tsMs = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                tsMs = tsMs == 0 ? reader.GetInt64() * 1000 : tsMs;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasMarket || takerBought is null || !yesPrice.IsValidBinaryPrice || count.Micros <= 0)
        {
            throw new InvalidOperationException("a trade needs market_ticker, taker_outcome_side (or taker_side), a YES price between 0 and 1 and a positive count");
        }

        if (!known)
        {
            UnknownMarkets++;
            return FrameKind.Ignored;
        }

        _books.OnTrade(new TradePrint(handle, Outcome.Yes, yesPrice, count, takerBought == Outcome.Yes ? OrderSide.Buy : OrderSide.Sell, tsMs, received));
        return FrameKind.Tape;
    }

    /// <summary>The venue's summary of a market: its YES top of book, last price, volume and open interest.</summary>
    private FrameKind Ticker(ReadOnlySpan<byte> msg, long received)
    {
        var reader = new Utf8JsonReader(msg);
        reader.Read();
        MarketHandle handle = default;
        bool known = false, hasMarket = false;
        Price bid = default, ask = default, last = default;
        Quantity? volume = null, openInterest = null;
        long tsMs = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("market_ticker"u8))
            {
                reader.Read();
                hasMarket = true;
                known = TryHandle(ref reader, out handle);
            }
            else if (reader.ValueTextEquals("yes_bid_dollars"u8))
            {
                reader.Read();
                bid = ParsePrice(ref reader);
            }
            else if (reader.ValueTextEquals("yes_ask_dollars"u8))
            {
                reader.Read();
                ask = ParsePrice(ref reader);
            }
            else if (reader.ValueTextEquals("price_dollars"u8))
            {
                reader.Read();
                last = ParsePrice(ref reader);
            }
            else if (reader.ValueTextEquals("yes_bid"u8))
            {
                reader.Read();
                bid = bid.Micros == 0 ? Price.FromCents(reader.GetInt64()) : bid;
            }
            else if (reader.ValueTextEquals("yes_ask"u8))
            {
                reader.Read();
                ask = ask.Micros == 0 ? Price.FromCents(reader.GetInt64()) : ask;
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                reader.Read();
                last = last.Micros == 0 ? Price.FromCents(reader.GetInt64()) : last;
            }
            else if (reader.ValueTextEquals("volume_fp"u8))
            {
                reader.Read();
                volume = Quantity.TryParse(reader.ValueSpan, out Quantity v) ? v : throw new InvalidOperationException("bad volume_fp");
            }
            else if (reader.ValueTextEquals("open_interest_fp"u8))
            {
                reader.Read();
                openInterest = Quantity.TryParse(reader.ValueSpan, out Quantity oi) ? oi : throw new InvalidOperationException("bad open_interest_fp");
            }
            else if (reader.ValueTextEquals("volume"u8))
            {
                reader.Read();
                volume ??= Quantity.FromContracts(reader.GetInt64());
            }
            else if (reader.ValueTextEquals("open_interest"u8))
            {
                reader.Read();
                openInterest ??= Quantity.FromContracts(reader.GetInt64());
            }
            else if (reader.ValueTextEquals("ts_ms"u8))
            {
                reader.Read();
                tsMs = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                tsMs = tsMs == 0 && reader.TokenType == JsonTokenType.Number ? reader.GetInt64() * 1000 : tsMs;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasMarket)
        {
            throw new InvalidOperationException("a ticker needs market_ticker");
        }

        if (!known)
        {
            UnknownMarkets++;
            return FrameKind.Ignored;
        }

        _books.OnTicker(new TickerUpdate(handle, bid, ask, last, volume, openInterest, tsMs, received));
        return FrameKind.Tape;
    }

    private static Outcome OutcomeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("yes"u8) ? Outcome.Yes
        : reader.ValueTextEquals("no"u8) ? Outcome.No
        : throw new InvalidOperationException("a taker side must be yes or no");
}
