using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Toolkit.Parsing;

namespace ArbBot.Venues.Polymarket.Parsing;

/// <summary>What one market-channel frame was.</summary>
internal enum FrameKind
{
    /// <summary>Book events handed to the sink (a token's book, or level changes).</summary>
    Book,

    /// <summary>A token's tick size changed: its market's book was invalidated; a fresh book is needed.</summary>
    TickSize,

    /// <summary>A trade, the venue's best bid and ask, or a market's resolution, handed to the sink.</summary>
    Tape,

    /// <summary>Understood and not needed (PONG, new_market, a token not subscribed).</summary>
    Ignored,

    /// <summary>Not valid JSON or not the documented shape: logged and skipped.</summary>
    Malformed,
}

/// <summary>
/// Decodes Polymarket market-channel frames (docs/venues/PROTOCOLS.md 2.4) into book events for the two
/// outcome tokens of each subscribed market: <c>book</c> (a token's whole book: a snapshot of
/// that outcome only), <c>price_change</c> in the current <c>price_changes[]</c> form and the older
/// flat form (each the new absolute size of a level; zero removes it; BUY is a bid, SELL an ask;
/// the <c>best_bid</c>/<c>best_ask</c> each change carries go to the engine's drift check after
/// the message's changes: the book <c>hash</c> cannot be used, its formula does not reproduce the
/// venue's captured hashes),
/// <c>tick_size_change</c> (the market's book is invalidated: a new epoch, waiting for a fresh
/// book), <c>last_trade_price</c> (a trade print), <c>best_bid_ask</c> (the venue's top, for the
/// drift check) and <c>market_resolved</c> (the winner is the outcome of <c>winning_asset_id</c>). A frame may be one object or an array of them (the initial dump). Levels arrive
/// in the venue's order (best last); the book store sorts. Fields are read in one pass whatever
/// their order (<c>event_type</c> may come last); a price change allocates nothing. One session
/// thread calls it.
/// </summary>
internal sealed class PolymarketFeed
{
    private const int MaxChangesInline = 16; // a price_change usually carries one to four
    private readonly IVenueEventSink _books;
    private readonly Utf8KeyMap<(MarketHandle Market, Outcome Outcome)> _tokens = new(); // found by the token id's bytes in a frame
    private readonly PriceLevelChange[] _scanned = new PriceLevelChange[MaxChangesInline]; // the fast path's changes, reused frame after frame

    public PolymarketFeed(IVenueEventSink books)
    {
        _books = books;
    }

    /// <summary>Whether plain <c>price_change</c> frames take <see cref="PriceChangeScanner"/> (tests turn it off to compare).</summary>
    public bool UseFastPath { get; set; } = true;

    /// <summary>The market of the last <see cref="FrameKind.TickSize"/> frame (its books must be fetched again).</summary>
    public MarketHandle TickSizeChanged { get; private set; }

    /// <summary>The new tick that frame announced (zero if it gave none that parses).</summary>
    public Price NewTick { get; private set; }

    /// <summary>Messages for tokens this feed does not know.</summary>
    public long UnknownTokens { get; private set; }

    /// <summary>Adds a market by its two outcome token ids (which is YES is the caller's to know: from the market's <c>outcomes</c>, never from order).</summary>
    public void AddMarket(MarketHandle market, string yesToken, string noToken)
    {
        _tokens.Set(yesToken, (market, Outcome.Yes));
        _tokens.Set(noToken, (market, Outcome.No));
    }

    /// <summary>Stops following a market: messages about its tokens count as unknown from now on.</summary>
    public void RemoveMarket(string yesToken, string noToken)
    {
        _tokens.Remove(yesToken);
        _tokens.Remove(noToken);
    }

    /// <summary>Decodes one frame and hands its events to the sink.</summary>
    public FrameKind Handle(ReadOnlySpan<byte> frame, long receivedTimestamp, out string? problem) =>
        Handle(frame, receivedTimestamp, EventType.None, out problem);

    /// <summary>
    /// A REST answer of books (<c>GET /book</c>'s object, or <c>POST /books</c>' array): the same
    /// objects as the channel's <c>book</c> messages, without their <c>event_type</c>; each applied as that token's snapshot.
    /// </summary>
    public FrameKind HandleRestBooks(ReadOnlySpan<byte> body, long receivedTimestamp, out string? problem) =>
        Handle(body, receivedTimestamp, EventType.Book, out problem);

    private FrameKind Handle(ReadOnlySpan<byte> frame, long receivedTimestamp, EventType assumed, out string? problem)
    {
        problem = null;
        if (frame.SequenceEqual("PONG"u8))
        {
            return FrameKind.Ignored;
        }

        if (UseFastPath && assumed == EventType.None && PriceChangeScanner.TryScan(frame, _scanned, out int count, out long timestampMs))
        {
            return ApplyChanges(frame, _scanned.AsSpan(0, count), timestampMs, receivedTimestamp, ref problem);
        }

        return Decode(frame, receivedTimestamp, assumed, ref problem);
    }

    /// <summary>The general decoder: every message shape, validated. A method of its own, so the fast path above does not pay for its frame (a JSON reader's state is cleared on entry).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private FrameKind Decode(ReadOnlySpan<byte> frame, long receivedTimestamp, EventType assumed, ref string? problem)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read())
            {
                problem = "an empty frame";
                return FrameKind.Malformed;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return Message(ref reader, frame, receivedTimestamp, assumed, ref problem);
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                problem = "a frame must be a JSON object or an array of them";
                return FrameKind.Malformed;
            }

            FrameKind result = FrameKind.Ignored;
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                FrameKind kind = Message(ref reader, frame, receivedTimestamp, assumed, ref problem);
                result = kind == FrameKind.Malformed || result == FrameKind.Malformed ? FrameKind.Malformed : kind == FrameKind.Ignored ? result : kind;
            }

            return result;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            problem = ex.Message;
            return FrameKind.Malformed;
        }
    }

    /// <summary>One message object; the reader is on its StartObject and ends on its EndObject.</summary>
    private FrameKind Message(ref Utf8JsonReader reader, ReadOnlySpan<byte> frame, long received, EventType assumed, ref string? problem)
    {
        EventType type = EventType.None;
        scoped ReadOnlySpan<byte> asset = default, winning = default;
        int assetStart = 0;
        bool haveAsset = false, haveWinning = false;
        Price price = default, bestBid = default, bestAsk = default, newTick = default;
        Quantity size = default;
        OrderSide side = OrderSide.Buy;
        bool havePrice = false, haveSize = false, haveSide = false;
        long timestampMs = 0;
        List<PriceLevel>? bids = null, asks = null;
        Span<PriceLevelChange> inline = stackalloc PriceLevelChange[MaxChangesInline];
        List<PriceLevelChange>? overflow = null;
        int changes = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_type"u8))
            {
                reader.Read();
                type = TypeOf(ref reader);
            }
            else if (reader.ValueTextEquals("asset_id"u8))
            {
                reader.Read();
                asset = Text(ref reader);
                assetStart = (int)reader.TokenStartIndex + 1;
                haveAsset = true;
            }
            else if (reader.ValueTextEquals("winning_asset_id"u8))
            {
                reader.Read();
                winning = Text(ref reader);
                haveWinning = true;
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                reader.Read();
                havePrice = Price.TryParse(Text(ref reader), out price);
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                haveSize = Quantity.TryParse(Text(ref reader), out size);
            }
            else if (reader.ValueTextEquals("side"u8))
            {
                reader.Read();
                haveSide = SideOf(ref reader, out side);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestampMs = Milliseconds(ref reader);
            }
            else if (reader.ValueTextEquals("best_bid"u8))
            {
                reader.Read();
                bestBid = Price.TryParse(Text(ref reader), out Price bid) ? bid : default; // empty or absent: no level (0)
            }
            else if (reader.ValueTextEquals("best_ask"u8))
            {
                reader.Read();
                bestAsk = Price.TryParse(Text(ref reader), out Price ask) ? ask : default;
            }
            else if (reader.ValueTextEquals("new_tick_size"u8))
            {
                reader.Read();
                newTick = Price.TryParse(Text(ref reader), out Price tick) ? tick : default;
            }
            else if (reader.ValueTextEquals("bids"u8))
            {
                reader.Read();
                bids = Levels(ref reader);
            }
            else if (reader.ValueTextEquals("asks"u8))
            {
                reader.Read();
                asks = Levels(ref reader);
            }
            else if (reader.ValueTextEquals("price_changes"u8))
            {
                reader.Read();
                changes = Changes(ref reader, inline, ref overflow);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        switch (type == EventType.None ? assumed : type)
        {
            case EventType.Book:
                return Book(asset, haveAsset, bids, asks, timestampMs, received, ref problem);
            case EventType.PriceChange when changes > 0:
                return ApplyChanges(frame, overflow is null ? inline[..changes] : System.Runtime.InteropServices.CollectionsMarshal.AsSpan(overflow), timestampMs, received, ref problem);
            case EventType.PriceChange:
                // The older flat form: one level of one token.
                Span<PriceLevelChange> one = [new PriceLevelChange(assetStart, asset.Length, haveAsset, price, havePrice, size, haveSize, side, haveSide)];
                return ApplyChanges(frame, one, timestampMs, received, ref problem);
            case EventType.TickSizeChange:
                if (newTick.Micros <= 0 || newTick >= Price.One)
                {
                    // A book priced on a zero or whole-dollar tick cannot be kept: the frame is refused, the book stays as it was.
                    problem = "tick_size_change without a valid new_tick_size (a price above 0 and below 1)";
                    return FrameKind.Malformed;
                }

                if (!Lookup(asset, haveAsset, out MarketHandle market, out _))
                {
                    return FrameKind.Ignored;
                }

                _books.OnBookInvalidated(market, $"tick size changed to {newTick}");
                TickSizeChanged = market;
                NewTick = newTick;
                return FrameKind.TickSize;
            case EventType.LastTradePrice:
                if (!havePrice || !haveSize || !haveSide)
                {
                    problem = "last_trade_price without a valid price, size and side";
                    return FrameKind.Malformed;
                }

                if (!Lookup(asset, haveAsset, out market, out Outcome outcome))
                {
                    return FrameKind.Ignored;
                }

                _books.OnTrade(new TradePrint(market, outcome, price, size, side, timestampMs, received));
                return FrameKind.Tape;
            case EventType.BestBidAsk:
                if (!Lookup(asset, haveAsset, out market, out outcome))
                {
                    return FrameKind.Ignored;
                }

                // Told from YES: a NO bid at p is a YES ask at 1 - p.
                (Price yesBid, Price yesAsk) = outcome == Outcome.Yes
                    ? (bestBid, bestAsk)
                    : (bestAsk.Micros == 0 ? default : bestAsk.Complement, bestBid.Micros == 0 ? default : bestBid.Complement);
                _books.OnTicker(new TickerUpdate(market, yesBid, yesAsk, default, null, null, timestampMs, received));
                return FrameKind.Tape;
            case EventType.MarketResolved:
                if (!haveWinning)
                {
                    problem = "market_resolved without winning_asset_id";
                    return FrameKind.Malformed;
                }

                if (!Lookup(winning, haveWinning, out market, out outcome))
                {
                    return FrameKind.Ignored; // a market not subscribed (or a winner that is neither of its tokens)
                }

                _books.OnMarketResolved(market, outcome, timestampMs);
                return FrameKind.Tape;
            case EventType.None:
                problem = "no event_type";
                return FrameKind.Malformed;
            default:
                return FrameKind.Ignored;
        }
    }

    private FrameKind Book(ReadOnlySpan<byte> asset, bool haveAsset, List<PriceLevel>? bids, List<PriceLevel>? asks, long timestampMs, long received, ref string? problem)
    {
        if (!haveAsset || bids is null || asks is null)
        {
            problem = "book without asset_id, bids and asks";
            return FrameKind.Malformed;
        }

        if (!Lookup(asset, haveAsset, out MarketHandle market, out Outcome outcome))
        {
            return FrameKind.Ignored;
        }

        PriceLevel[] b = bids.ToArray(), a = asks.ToArray();
        _books.OnBookSnapshot(outcome == Outcome.Yes
            ? new BookSnapshot(market, 0, timestampMs, received, b, a, [], []) { OnlyOutcome = Outcome.Yes }
            : new BookSnapshot(market, 0, timestampMs, received, [], [], b, a) { OnlyOutcome = Outcome.No });
        return FrameKind.Book;
    }

    private FrameKind ApplyChanges(ReadOnlySpan<byte> frame, Span<PriceLevelChange> changes, long timestampMs, long received, ref string? problem)
    {
        // Check them all first (nothing is applied from a bad message), resolving each token once.
        int last = -1;
        for (int i = 0; i < changes.Length; i++)
        {
            ref PriceLevelChange c = ref changes[i];
            if (!c.HaveAsset || !c.HavePrice || !c.HaveSize || !c.HaveSide)
            {
                problem = "price_change without a valid asset_id, price, size and side";
                return FrameKind.Malformed;
            }

            c.Known = Lookup(Asset(frame, c), true, out c.Market, out c.Outcome);
            last = c.Known ? i : last;
        }

        if (last < 0)
        {
            return FrameKind.Ignored;
        }

        for (int i = 0; i <= last; i++)
        {
            ref readonly PriceLevelChange c = ref changes[i];
            if (c.Known)
            {
                // The last change of each market closes its batch, so strategies never see half a message.
                BookSide bookSide = c.Side == OrderSide.Buy ? BookSide.Bid : BookSide.Ask;
                _books.OnBookDelta(new BookDelta(c.Market, c.Outcome, bookSide, c.Price, c.Size, DeltaKind.Set, 0, timestampMs, received, isLastInBatch: !LaterFor(changes, i, last, sameToken: false)));
            }
        }

        // Then the venue's top of each token after the message (its last change's), for the engine to check its book against.
        for (int i = 0; i <= last; i++)
        {
            ref readonly PriceLevelChange c = ref changes[i];
            if (c.Known && (c.BestBid.Micros != 0 || c.BestAsk.Micros != 0) && !LaterFor(changes, i, last, sameToken: true))
            {
                _books.OnVenueTop(c.Market, c.Outcome, c.BestBid, c.BestAsk);
            }
        }

        return FrameKind.Book;
    }

    /// <summary>Whether a known change after <paramref name="index"/> is for the same market (or, with <paramref name="sameToken"/>, the same token).</summary>
    private static bool LaterFor(Span<PriceLevelChange> changes, int index, int last, bool sameToken)
    {
        for (int i = index + 1; i <= last; i++)
        {
            if (changes[i].Known && changes[i].Market == changes[index].Market && (!sameToken || changes[i].Outcome == changes[index].Outcome))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> Asset(ReadOnlySpan<byte> frame, in PriceLevelChange change) => frame.Slice(change.AssetStart, change.AssetLength);

    private bool Lookup(ReadOnlySpan<byte> asset, bool haveAsset, out MarketHandle market, out Outcome outcome)
    {
        if (haveAsset && _tokens.TryGetValue(asset, out (MarketHandle Market, Outcome Outcome) found))
        {
            (market, outcome) = found;
            return true;
        }

        market = default;
        outcome = default;
        UnknownTokens++;
        return false;
    }

    private static int Changes(ref Utf8JsonReader reader, scoped Span<PriceLevelChange> inline, ref List<PriceLevelChange>? overflow)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidOperationException("price_changes must be an array");
        }

        int count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var change = default(PriceLevelChange);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("asset_id"u8))
                {
                    reader.Read();
                    change.AssetLength = Text(ref reader).Length;
                    change.AssetStart = (int)reader.TokenStartIndex + 1;
                    change.HaveAsset = true;
                }
                else if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    change.HavePrice = Price.TryParse(Text(ref reader), out change.Price);
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    reader.Read();
                    change.HaveSize = Quantity.TryParse(Text(ref reader), out change.Size);
                }
                else if (reader.ValueTextEquals("side"u8))
                {
                    reader.Read();
                    change.HaveSide = SideOf(ref reader, out change.Side);
                }
                else if (reader.ValueTextEquals("best_bid"u8))
                {
                    reader.Read();
                    change.BestBid = VenueTop(ref reader);
                }
                else if (reader.ValueTextEquals("best_ask"u8))
                {
                    reader.Read();
                    change.BestAsk = VenueTop(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (count < inline.Length && overflow is null)
            {
                inline[count] = change;
            }
            else
            {
                // Rare: more changes than fit on the stack; the rest of the message goes to a list.
                overflow ??= new List<PriceLevelChange>(inline[..count].ToArray());
                overflow.Add(change);
            }

            count++;
        }

        return count;
    }

    private static List<PriceLevel> Levels(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidOperationException("bids and asks must be arrays of {price, size}");
        }

        var levels = new List<PriceLevel>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Price price = default;
            Quantity size = default;
            bool havePrice = false, haveSize = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    havePrice = Price.TryParse(Text(ref reader), out price);
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    reader.Read();
                    haveSize = Quantity.TryParse(Text(ref reader), out size);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!havePrice || !haveSize)
            {
                throw new FormatException("a book level needs a price and a size (decimal strings)");
            }

            levels.Add(new PriceLevel(price, size));
        }

        return levels;
    }

    /// <summary>A string value's bytes (Polymarket sends prices, sizes and ids as strings; escapes are not expected and refused).</summary>
    private static ReadOnlySpan<byte> Text(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
            ? reader.ValueSpan
            : throw new InvalidOperationException($"expected a plain string, found {reader.TokenType}");

    /// <summary>
    /// A top a price change carries, or zero when it says nothing usable: null (the venue sends it
    /// when a side is empty), "0" for a bid and "1" for an ask (no level either), anything unparsable.
    /// The change's levels stand either way.
    /// </summary>
    private static Price VenueTop(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Price.TryParse(reader.ValueSpan, out Price price) && price.IsValidBinaryPrice
            ? price
            : Price.Zero;

    private static bool SideOf(ref Utf8JsonReader reader, out OrderSide side)
    {
        side = reader.ValueTextEquals("SELL"u8) ? OrderSide.Sell : OrderSide.Buy;
        return reader.ValueTextEquals("BUY"u8) || reader.ValueTextEquals("SELL"u8);
    }

    private static long Milliseconds(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt64()
        : System.Buffers.Text.Utf8Parser.TryParse(Text(ref reader), out long ms, out int used) && used == reader.ValueSpan.Length ? ms
        : throw new FormatException("timestamp must be Unix milliseconds");

    private static EventType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("price_change"u8) ? EventType.PriceChange
        : reader.ValueTextEquals("book"u8) ? EventType.Book
        : reader.ValueTextEquals("tick_size_change"u8) ? EventType.TickSizeChange
        : reader.ValueTextEquals("last_trade_price"u8) ? EventType.LastTradePrice
        : reader.ValueTextEquals("best_bid_ask"u8) ? EventType.BestBidAsk
        : reader.ValueTextEquals("market_resolved"u8) ? EventType.MarketResolved
        : EventType.Other;

    private enum EventType
    {
        None,
        Book,
        PriceChange,
        TickSizeChange,
        LastTradePrice,
        BestBidAsk,
        MarketResolved,
        Other,
    }
}
