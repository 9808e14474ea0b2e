using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace MyVenue.Parsing;

/// <summary>
/// MyVenue's market data frames, one JSON object per WebSocket message:
/// <c>{"type":"snapshot","market":"MV-1","seq":12,"ts":1795306881000,"yes":[["0.45","10"]],"no":[["0.52","5"]]}</c>
/// (bids of each outcome, best first), <c>{"type":"delta","market":"MV-1","seq":13,"ts":...,"outcome":"yes","price":"0.45","size":"12"}</c>
/// (the new size at that price; 0 removes it) and <c>{"type":"error","message":"..."}</c>.
/// Prices and sizes are decimal strings, parsed straight into the contract's fixed-point types.
/// </summary>
public static class MyVenueFrames
{
    /// <summary>Starts streaming markets: the venue answers each with a snapshot, then its deltas.</summary>
    public static string Subscribe(IEnumerable<string> markets) => JsonSerializer.Serialize(new { op = "subscribe", markets = markets.ToArray() });

    /// <summary>Stops streaming markets.</summary>
    public static string Unsubscribe(IEnumerable<string> markets) => JsonSerializer.Serialize(new { op = "unsubscribe", markets = markets.ToArray() });

    /// <summary>Asks for one market's whole book again.</summary>
    public static string Snapshot(string market) => JsonSerializer.Serialize(new { op = "snapshot", market });

    /// <summary>
    /// Decodes one frame into the sink. Returns null when it was used or deliberately ignored,
    /// or why it was skipped (malformed, unknown type or market) for the caller to log.
    /// </summary>
    /// <param name="frame">One whole message.</param>
    /// <param name="findMarket">The subscribed market of a venue market id, or null.</param>
    /// <param name="books">Where decoded data goes.</param>
    /// <param name="receivedTimestamp">When the message was received (Stopwatch ticks).</param>
    /// <param name="lastSequence">The newest message number applied per market: a delta not newer is an old frame (a resend, or one overtaken by a snapshot) and is skipped.</param>
    public static string? Decode(ReadOnlySpan<byte> frame, Func<string, MarketHandle?> findMarket, IVenueEventSink books, long receivedTimestamp, Dictionary<MarketHandle, long> lastSequence)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(frame.ToArray());
            JsonElement root = document.RootElement;
            string type = root.GetProperty("type").GetString() ?? "";
            if (type == "error")
            {
                return "the venue says: " + root.GetProperty("message").GetString();
            }

            string marketId = root.GetProperty("market").GetString() ?? "";
            if (findMarket(marketId) is not { } market)
            {
                return $"a {type} for {marketId}, which is not subscribed";
            }

            long sequence = root.GetProperty("seq").GetInt64();
            long venueMs = root.GetProperty("ts").GetInt64();
            switch (type)
            {
                case "snapshot":
                    lastSequence[market] = sequence;
                    books.OnBookSnapshot(new BookSnapshot(market, sequence, venueMs, receivedTimestamp, Levels(root.GetProperty("yes")), [], Levels(root.GetProperty("no")), []));
                    return null;
                case "delta" when lastSequence.TryGetValue(market, out long last) && sequence <= last:
                    return $"an old delta of {marketId} (number {sequence}, {last} applied)";
                case "delta":
                    lastSequence[market] = sequence;
                    Outcome outcome = root.GetProperty("outcome").GetString() switch
                    {
                        "yes" => Outcome.Yes,
                        "no" => Outcome.No,
                        string other => throw new FormatException($"outcome \"{other}\""),
                        null => throw new FormatException("no outcome"),
                    };
                    books.OnBookDelta(new BookDelta(market, outcome, BookSide.Bid, PriceOf(root.GetProperty("price")), SizeOf(root.GetProperty("size")), DeltaKind.Set, sequence, venueMs, receivedTimestamp));
                    return null;
                default:
                    return $"an unknown frame type \"{type}\"";
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return $"a malformed frame ({ex.Message}): {Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 200)])}";
        }
    }

    private static PriceLevel[] Levels(JsonElement levels) =>
        levels.EnumerateArray().Select(level => new PriceLevel(PriceOf(level[0]), SizeOf(level[1]))).ToArray();

    private static Price PriceOf(JsonElement text) =>
        Price.TryParse(text.GetString(), out Price price) ? price : throw new FormatException($"price \"{text}\"");

    private static Quantity SizeOf(JsonElement text) =>
        Quantity.TryParse(text.GetString(), out Quantity size) ? size : throw new FormatException($"size \"{text}\"");
}
