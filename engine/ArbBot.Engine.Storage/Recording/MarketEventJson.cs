using System.Buffers;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Decoded market data as JSON, the form recordings keep for venues that do not record their own
/// frames, and the form people write by hand in JSON Lines files (docs/recording.md):
/// <c>{"book": {...}}</c>, <c>{"delta": {...}}</c>, <c>{"invalidated": {...}}</c>,
/// <c>{"fees": {...}}</c>, <c>{"status": {...}}</c>. Prices and sizes are decimal strings, exact.
/// </summary>
public static class MarketEventJson
{
    /// <summary>Writes a full book (both outcomes) or one outcome's book.</summary>
    public static void WriteBook(Utf8JsonWriter json, string market, BookSnapshot snapshot)
    {
        json.WriteStartObject();
        json.WriteStartObject("book");
        json.WriteString("market", market);
        if (snapshot.Sequence != 0)
        {
            json.WriteNumber("seq", snapshot.Sequence);
        }

        if (snapshot.Tick.Micros > 0)
        {
            json.WriteString("tick", snapshot.Tick.ToString());
        }

        if (snapshot.VenueTimestampMs != 0)
        {
            json.WriteNumber("venue_ms", snapshot.VenueTimestampMs);
        }

        if (snapshot.OnlyOutcome is { } only)
        {
            json.WriteString("outcome", only.ToWireName());
            WriteSides(json, snapshot, only);
        }
        else
        {
            foreach (Outcome outcome in (ReadOnlySpan<Outcome>)[Outcome.Yes, Outcome.No])
            {
                json.WriteStartObject(outcome.ToWireName());
                WriteSides(json, snapshot, outcome);
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes a change to one level.</summary>
    public static void WriteDelta(Utf8JsonWriter json, string market, in BookDelta delta)
    {
        json.WriteStartObject();
        json.WriteStartObject("delta");
        json.WriteString("market", market);
        json.WriteString("outcome", delta.Outcome.ToWireName());
        json.WriteString("side", delta.Side == BookSide.Bid ? "bid" : "ask");
        json.WriteString("price", delta.Price.ToString());
        json.WriteString("size", delta.Quantity.ToString());
        json.WriteString("kind", delta.Kind == DeltaKind.Set ? "set" : "add");
        if (delta.Sequence != 0)
        {
            json.WriteNumber("seq", delta.Sequence);
        }

        if (delta.VenueTimestampMs != 0)
        {
            json.WriteNumber("venue_ms", delta.VenueTimestampMs);
        }

        if (!delta.IsLastInBatch)
        {
            json.WriteBoolean("more", true);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes a book the connector stopped trusting.</summary>
    public static void WriteInvalidated(Utf8JsonWriter json, string market, string reason)
    {
        json.WriteStartObject();
        json.WriteStartObject("invalidated");
        json.WriteString("market", market);
        json.WriteString("reason", reason);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// Writes what a market charges, as the venue announced it (Kalshi's series fees, from REST), for
    /// the fee models of the contract; returns false, writing nothing, for a model of another type.
    /// </summary>
    public static bool WriteFees(Utf8JsonWriter json, string market, IFeeModel fees)
    {
        if (fees is not (KalshiFeeModel or PolymarketFeeModel or NoFees))
        {
            return false;
        }

        json.WriteStartObject();
        json.WriteStartObject("fees");
        json.WriteString("market", market);
        switch (fees)
        {
            case KalshiFeeModel kalshi:
                json.WriteString("model", "kalshi");
                json.WriteString("multiplier", kalshi.Multiplier.ToString());
                json.WriteBoolean("maker_fees", kalshi.MakerFees);
                break;
            case PolymarketFeeModel polymarket:
                json.WriteString("model", "polymarket");
                json.WriteString("rate", polymarket.Rate.ToString());
                break;
            default:
                json.WriteString("model", "none");
                break;
        }

        json.WriteEndObject();
        json.WriteEndObject();
        return true;
    }

    /// <summary>Writes a market's resolution.</summary>
    public static void WriteResolved(Utf8JsonWriter json, string market, Outcome winner, long venueTimestampMs)
    {
        json.WriteStartObject();
        json.WriteStartObject("resolved");
        json.WriteString("market", market);
        json.WriteString("winner", winner.ToWireName());
        json.WriteNumber("venue_ms", venueTimestampMs);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes a change of the venue link's state.</summary>
    public static void WriteStatus(Utf8JsonWriter json, VenueStatus status, string detail)
    {
        json.WriteStartObject();
        json.WriteStartObject("status");
        json.WriteString("status", status.ToString().ToLowerInvariant());
        json.WriteString("detail", detail);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// Reads one event and hands it to <paramref name="sink"/>. <paramref name="markets"/> maps the
    /// venue's market ids to the engine's handles; events about other markets are skipped, as a live
    /// connector skips them. Returns null, or what is wrong with the event (the caller adds where).
    /// </summary>
    public static string? Apply(ReadOnlySpan<byte> eventJson, IReadOnlyDictionary<string, MarketHandle> markets, BookStyle style, long receivedTimestamp, IVenueEventSink sink, out bool unknownMarket)
    {
        unknownMarket = false;
        var reader = new Utf8JsonReader(eventJson);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return "an event is an object with one key: book, delta, invalidated, fees, status or resolved";
            }

            string kind = reader.GetString()!;
            if (kind == "delta")
            {
                return ApplyDelta(ref reader, markets, receivedTimestamp, sink, out unknownMarket);
            }

            using var doc = JsonDocument.ParseValue(ref reader);
            JsonElement body = doc.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return $"\"{kind}\" must be an object";
            }

            switch (kind)
            {
                case "book":
                    return ApplyBook(body, markets, style, receivedTimestamp, sink, out unknownMarket);
                case "invalidated":
                    if (!TryMarket(body, markets, out MarketHandle market, out string? problem, out unknownMarket))
                    {
                        return problem;
                    }

                    sink.OnBookInvalidated(market, body.TryGetProperty("reason", out JsonElement r) ? r.GetString() ?? "invalidated" : "invalidated");
                    return null;
                case "fees":
                    return ApplyFees(body, markets, sink, out unknownMarket);
                case "status":
                    string text = body.TryGetProperty("status", out JsonElement s) ? s.GetString() ?? "" : "";
                    if (!Enum.TryParse(text, ignoreCase: true, out VenueStatus status))
                    {
                        return $"status must be connecting, connected, reconnecting or stopped, was \"{text}\"";
                    }

                    sink.OnVenueStatus(status, body.TryGetProperty("detail", out JsonElement d) ? d.GetString() ?? "" : "");
                    return null;
                case "resolved":
                    if (!TryMarket(body, markets, out MarketHandle resolved, out string? missing, out unknownMarket))
                    {
                        return missing;
                    }

                    string winner = body.TryGetProperty("winner", out JsonElement w) ? w.GetString() ?? "" : "";
                    if (winner is not ("yes" or "no") || !body.TryGetProperty("venue_ms", out JsonElement at) || !at.TryGetInt64(out long venueMs))
                    {
                        return $"resolved needs winner yes or no and venue_ms, was winner \"{winner}\"";
                    }

                    sink.OnMarketResolved(resolved, winner == "yes" ? Outcome.Yes : Outcome.No, venueMs);
                    return null;
                default:
                    return $"unknown event \"{kind}\" (expected book, delta, invalidated, fees, status or resolved)";
            }
        }
        catch (JsonException ex)
        {
            return $"not JSON: {ex.Message}";
        }
        catch (InvalidOperationException ex)
        {
            return $"a value of the wrong type: {ex.Message}";
        }
    }

    private static string? ApplyDelta(ref Utf8JsonReader reader, IReadOnlyDictionary<string, MarketHandle> markets, long receivedTimestamp, IVenueEventSink sink, out bool unknownMarket)
    {
        // Read without building a document: replaying millions of these is the common case.
        unknownMarket = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "\"delta\" must be an object";
        }

        string? market = null;
        Outcome? outcome = null;
        BookSide? side = null;
        Price price = default;
        Quantity size = default;
        bool havePrice = false;
        bool haveSize = false;
        DeltaKind kind = DeltaKind.Set;
        long seq = 0;
        long venueMs = 0;
        bool more = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("market"u8))
            {
                reader.Read();
                market = reader.GetString();
            }
            else if (reader.ValueTextEquals("outcome"u8))
            {
                reader.Read();
                outcome = reader.ValueTextEquals("yes"u8) ? Outcome.Yes : reader.ValueTextEquals("no"u8) ? Outcome.No : null;
                if (outcome is null)
                {
                    return $"delta outcome must be \"yes\" or \"no\", was \"{reader.GetString()}\"";
                }
            }
            else if (reader.ValueTextEquals("side"u8))
            {
                reader.Read();
                side = reader.ValueTextEquals("bid"u8) ? BookSide.Bid : reader.ValueTextEquals("ask"u8) ? BookSide.Ask : null;
                if (side is null)
                {
                    return $"delta side must be \"bid\" or \"ask\", was \"{reader.GetString()}\"";
                }
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                reader.Read();
                havePrice = Price.TryParse(reader.ValueSpan, out price) && !reader.ValueIsEscaped;
                if (!havePrice || !price.IsValidBinaryPrice)
                {
                    return $"delta price must be a decimal string between 0 and 1, was {Text(ref reader)}";
                }
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                haveSize = Quantity.TryParse(reader.ValueSpan, out size) && !reader.ValueIsEscaped;
                if (!haveSize)
                {
                    return $"delta size must be a decimal string, was {Text(ref reader)}";
                }
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                if (reader.ValueTextEquals("set"u8))
                {
                    kind = DeltaKind.Set;
                }
                else if (reader.ValueTextEquals("add"u8))
                {
                    kind = DeltaKind.Add;
                }
                else
                {
                    return $"delta kind must be \"set\" or \"add\", was {Text(ref reader)}";
                }
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("venue_ms"u8))
            {
                reader.Read();
                venueMs = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("more"u8))
            {
                reader.Read();
                more = reader.GetBoolean();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (market is null || outcome is null || side is null || !havePrice || !haveSize)
        {
            return "a delta needs market, outcome, side, price and size";
        }

        if (!markets.TryGetValue(market, out MarketHandle handle))
        {
            unknownMarket = true;
            return null;
        }

        if (kind == DeltaKind.Set && size.Micros < 0)
        {
            return $"delta size {size} is negative; only \"add\" takes a negative size";
        }

        sink.OnBookDelta(new BookDelta(handle, outcome.Value, side.Value, price, size, kind, seq, venueMs, receivedTimestamp, isLastInBatch: !more));
        return null;
    }

    private static string? ApplyFees(JsonElement body, IReadOnlyDictionary<string, MarketHandle> markets, IVenueEventSink sink, out bool unknownMarket)
    {
        if (!TryMarket(body, markets, out MarketHandle market, out string? problem, out unknownMarket))
        {
            return problem;
        }

        string model = body.TryGetProperty("model", out JsonElement m) ? m.GetString() ?? "" : "";
        static Price Fraction(JsonElement body, string key, Price fallback) =>
            body.TryGetProperty(key, out JsonElement v) && Price.TryParse(v.GetString().AsSpan(), out Price p) ? p : fallback;
        FeeSpec spec = model switch
        {
            "kalshi" => FeeSpec.None with { Model = model, Multiplier = Fraction(body, "multiplier", Price.One), MakerFees = body.TryGetProperty("maker_fees", out JsonElement mf) && mf.GetBoolean() },
            "polymarket" => FeeSpec.None with { Model = model, Rate = Fraction(body, "rate", Price.Zero) },
            "none" => FeeSpec.None,
            _ => null!,
        };
        if (spec is null)
        {
            return $"fees model must be kalshi, polymarket or none, was \"{model}\"";
        }

        sink.OnMarketFees(market, spec.Create());
        return null;
    }

    private static string? ApplyBook(JsonElement body, IReadOnlyDictionary<string, MarketHandle> markets, BookStyle style, long receivedTimestamp, IVenueEventSink sink, out bool unknownMarket)
    {
        if (!TryMarket(body, markets, out MarketHandle market, out string? problem, out unknownMarket))
        {
            return problem;
        }

        long seq = body.TryGetProperty("seq", out JsonElement s) ? s.GetInt64() : 0;
        long venueMs = body.TryGetProperty("venue_ms", out JsonElement v) ? v.GetInt64() : 0;
        Price tick = default;
        if (body.TryGetProperty("tick", out JsonElement t) && (!Price.TryParse(t.GetString().AsSpan(), out tick) || tick.Micros <= 0))
        {
            return $"book tick must be a positive decimal string, was {t.GetRawText()}";
        }

        PriceLevel[] empty = [];
        if (body.TryGetProperty("outcome", out JsonElement o))
        {
            Outcome? outcome = o.GetString() switch { "yes" => Outcome.Yes, "no" => Outcome.No, _ => null };
            if (outcome is null)
            {
                return $"book outcome must be \"yes\" or \"no\", was {o.GetRawText()}";
            }

            if (Sides(body, style, out PriceLevel[] bids, out PriceLevel[] asks) is { } bad)
            {
                return bad;
            }

            sink.OnBookSnapshot(outcome == Outcome.Yes
                ? new BookSnapshot(market, seq, venueMs, receivedTimestamp, bids, asks, empty, empty, tick) { OnlyOutcome = Outcome.Yes }
                : new BookSnapshot(market, seq, venueMs, receivedTimestamp, empty, empty, bids, asks, tick) { OnlyOutcome = Outcome.No });
            return null;
        }

        if (!body.TryGetProperty("yes", out JsonElement yes) || !body.TryGetProperty("no", out JsonElement no))
        {
            return "a book has \"outcome\" with \"bids\" and \"asks\", or \"yes\" and \"no\" objects with them";
        }

        if (Sides(yes, style, out PriceLevel[] yesBids, out PriceLevel[] yesAsks) is { } wrongYes)
        {
            return "yes: " + wrongYes;
        }

        if (Sides(no, style, out PriceLevel[] noBids, out PriceLevel[] noAsks) is { } wrongNo)
        {
            return "no: " + wrongNo;
        }

        sink.OnBookSnapshot(new BookSnapshot(market, seq, venueMs, receivedTimestamp, yesBids, yesAsks, noBids, noAsks, tick));
        return null;
    }

    private static string? Sides(JsonElement outcome, BookStyle style, out PriceLevel[] bids, out PriceLevel[] asks)
    {
        asks = [];
        if (Levels(outcome, "bids", out bids) is { } badBids)
        {
            return badBids;
        }

        if (Levels(outcome, "asks", out asks) is { } badAsks)
        {
            return badAsks;
        }

        return style == BookStyle.BidsOnly && asks.Length > 0
            ? "this venue's books are bids only (asks are the other outcome's bids): write YES asks at p as NO bids at 1-p"
            : null;
    }

    private static string? Levels(JsonElement parent, string name, out PriceLevel[] levels)
    {
        levels = [];
        if (!parent.TryGetProperty(name, out JsonElement array))
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return $"\"{name}\" must be an array of [price, size] pairs";
        }

        var list = new List<PriceLevel>(array.GetArrayLength());
        int i = 0;
        foreach (JsonElement level in array.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() != 2
                || level[0].ValueKind != JsonValueKind.String || level[1].ValueKind != JsonValueKind.String
                || !Price.TryParse(level[0].GetString().AsSpan(), out Price price) || !price.IsValidBinaryPrice
                || !Quantity.TryParse(level[1].GetString().AsSpan(), out Quantity size) || size.Micros < 0)
            {
                return $"{name}[{i}] must be [\"price\", \"size\"] as decimal strings, the price between 0 and 1, was {level.GetRawText()}";
            }

            list.Add(new PriceLevel(price, size));
            i++;
        }

        levels = list.ToArray();
        return null;
    }

    private static bool TryMarket(JsonElement body, IReadOnlyDictionary<string, MarketHandle> markets, out MarketHandle market, out string? problem, out bool unknownMarket)
    {
        market = default;
        problem = null;
        unknownMarket = false;
        if (!body.TryGetProperty("market", out JsonElement m) || m.ValueKind != JsonValueKind.String)
        {
            problem = "the event needs \"market\" (the venue's market id)";
            return false;
        }

        if (!markets.TryGetValue(m.GetString()!, out market))
        {
            unknownMarket = true;
            return false;
        }

        return true;
    }

    private static void WriteSides(Utf8JsonWriter json, BookSnapshot snapshot, Outcome outcome)
    {
        WriteLevels(json, "bids", snapshot.Levels(outcome, BookSide.Bid));
        WriteLevels(json, "asks", snapshot.Levels(outcome, BookSide.Ask));
    }

    private static void WriteLevels(Utf8JsonWriter json, string name, PriceLevel[] levels)
    {
        json.WriteStartArray(name);
        foreach (PriceLevel level in levels)
        {
            json.WriteStartArray();
            json.WriteStringValue(level.Price.ToString());
            json.WriteStringValue(level.Quantity.ToString());
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    private static string Text(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);

    /// <summary>Serialises one event with a fresh writer (for tools and tests; the recorder reuses its writer).</summary>
    public static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
