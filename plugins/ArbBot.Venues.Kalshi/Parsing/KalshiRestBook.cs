using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Kalshi.Parsing;

/// <summary>
/// A REST order book (<c>GET /markets/{ticker}/orderbook</c>, or one entry of
/// <c>GET /markets/orderbooks</c>) as a bids-only snapshot. Reads the current
/// <c>orderbook_fp</c> (<c>yes_dollars</c> / <c>no_dollars</c>: [price, count] strings) and the
/// older <c>orderbook</c> (integer cents and counts, sides possibly null). Levels may come in
/// either order (the docs disagree); the book store sorts them.
/// </summary>
internal static class KalshiRestBook
{
    /// <summary>
    /// Applies every book of a <c>GET /markets/orderbooks</c> answer whose ticker is in
    /// <paramref name="markets"/> as a snapshot; a book that does not parse is reported through
    /// <paramref name="skipped"/> and the rest still apply. Returns how many applied.
    /// </summary>
    public static int ApplyBatch(JsonElement root, IReadOnlyDictionary<string, MarketHandle> markets, long receivedTimestamp, IVenueEventSink sink, Action<string> skipped)
    {
        int applied = 0;
        foreach (JsonElement entry in root.GetProperty("orderbooks").EnumerateArray())
        {
            string ticker = entry.GetProperty("ticker").GetString() ?? "";
            if (!markets.TryGetValue(ticker, out MarketHandle market))
            {
                continue;
            }

            try
            {
                sink.OnBookSnapshot(Parse(entry, market, receivedTimestamp));
                applied++;
            }
            catch (FormatException ex)
            {
                skipped($"REST order book of {ticker} skipped: {ex.Message}");
            }
        }

        return applied;
    }

    /// <summary>The snapshot in <paramref name="response"/>, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static BookSnapshot Parse(JsonElement response, MarketHandle market, long receivedTimestamp)
    {
        if (response.TryGetProperty("orderbook_fp", out JsonElement fp) && fp.ValueKind == JsonValueKind.Object)
        {
            return new BookSnapshot(market, 0, 0, receivedTimestamp, Levels(fp, "yes_dollars", cents: false), [], Levels(fp, "no_dollars", cents: false), []);
        }

        if (response.TryGetProperty("orderbook", out JsonElement legacy) && legacy.ValueKind == JsonValueKind.Object)
        {
            bool dollars = legacy.TryGetProperty("yes_dollars", out _) || legacy.TryGetProperty("no_dollars", out _);
            return dollars
                ? new BookSnapshot(market, 0, 0, receivedTimestamp, Levels(legacy, "yes_dollars", cents: false), [], Levels(legacy, "no_dollars", cents: false), [])
                : new BookSnapshot(market, 0, 0, receivedTimestamp, Levels(legacy, "yes", cents: true), [], Levels(legacy, "no", cents: true), []);
        }

        throw new FormatException("an order book response has orderbook_fp (or the older orderbook)");
    }

    private static PriceLevel[] Levels(JsonElement book, string side, bool cents)
    {
        if (!book.TryGetProperty(side, out JsonElement levels) || levels.ValueKind == JsonValueKind.Null)
        {
            return []; // an empty side is left out or null
        }

        var result = new PriceLevel[levels.GetArrayLength()];
        int i = 0;
        foreach (JsonElement level in levels.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() < 2)
            {
                throw new FormatException($"{side}[{i}] must be [price, count]");
            }

            result[i++] = new PriceLevel(PriceOf(level[0], cents, side, i), CountOf(level[1], side, i));
        }

        return result;
    }

    private static Price PriceOf(JsonElement value, bool cents, string side, int index) =>
        cents && value.ValueKind == JsonValueKind.Number ? Price.FromCents(value.GetInt64())
        : value.ValueKind == JsonValueKind.String && Price.TryParse(value.GetString().AsSpan(), out Price p) ? p
        : throw new FormatException($"{side}[{index - 1}] has price {value.GetRawText()}, not a {(cents ? "cent count" : "dollar string")}");

    private static Quantity CountOf(JsonElement value, string side, int index) =>
        value.ValueKind == JsonValueKind.Number ? Quantity.FromContracts(value.GetInt64())
        : value.ValueKind == JsonValueKind.String && Quantity.TryParse(value.GetString().AsSpan(), out Quantity q) ? q
        : throw new FormatException($"{side}[{index - 1}] has count {value.GetRawText()}, not a contract count");
}
