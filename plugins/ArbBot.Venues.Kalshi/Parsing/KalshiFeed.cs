using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Venues.Toolkit.Parsing;

namespace ArbBot.Venues.Kalshi.Parsing;

/// <summary>What one WebSocket frame was.</summary>
internal enum FrameKind
{
    /// <summary>A book snapshot or delta, applied.</summary>
    Book,

    /// <summary>A sequence gap on a subscription: its books were invalidated; ask for snapshots.</summary>
    Gap,

    /// <summary>A command was answered: subscribed (sid and channel in the info).</summary>
    Subscribed,

    /// <summary>A command failed (code and message in the info).</summary>
    Error,

    /// <summary>One of our orders filled (in the info).</summary>
    Fill,

    /// <summary>A public trade or a venue ticker, handed to the sink.</summary>
    Tape,

    /// <summary>Understood and not needed (ok, an old sequence number, an unknown market).</summary>
    Ignored,

    /// <summary>Not valid JSON or not the shape documented: logged and skipped.</summary>
    Malformed,
}

/// <summary>Details of a frame that is not a book update.</summary>
internal struct FrameInfo
{
    public long Id;
    public int Sid;
    public int Code;
    public string? Text;
    public KalshiFill? Fill;
}

/// <summary>
/// Decodes Kalshi WebSocket frames into book events, in place over the received bytes: a delta
/// allocates nothing. Checks the sequence per subscription (sid): a jump invalidates that
/// subscription's books (new epoch) and is reported so the session asks for snapshots; a number
/// already seen is an old frame and is skipped. Understands the fixed-point fields
/// (<c>yes_dollars_fp</c>, <c>delta_fp</c>, ...) and the older integer-cent ones of recordings
/// made before 2026-03-12. Bids only: YES bids and NO bids, as Kalshi sends them.
/// One session thread calls it.
/// </summary>
internal sealed partial class KalshiFeed
{
    private readonly IVenueEventSink _books;
    private readonly Dictionary<string, MarketHandle> _handles = new(StringComparer.Ordinal);
    private readonly Utf8KeyMap<MarketHandle> _byBytes = new(); // the same markets, found by the ticker's bytes in a frame
    private readonly Dictionary<int, long> _lastSeq = new();
    private readonly Dictionary<int, long> _answerSeq = new(); // the seq of the last "ok" answer on a sid (add_markets, delete_markets)
    private readonly Dictionary<int, string> _channels = new();

    public KalshiFeed(IVenueEventSink books)
    {
        _books = books;
    }

    /// <summary>Whether plain <c>orderbook_delta</c> frames take <see cref="KalshiDeltaScanner"/> (tests turn it off to compare).</summary>
    public bool UseFastPath { get; set; } = true;

    /// <summary>Frames with a market this feed does not know.</summary>
    public long UnknownMarkets { get; private set; }

    /// <summary>Frames older than the last sequence number seen (duplicates, reordering).</summary>
    public long OldFrames { get; private set; }

    /// <summary>The markets being streamed, by ticker.</summary>
    public IReadOnlyDictionary<string, MarketHandle> Markets => _handles;

    public void AddMarket(string ticker, MarketHandle handle)
    {
        _handles[ticker] = handle;
        _byBytes.Set(ticker, handle);
    }

    /// <summary>Stops following a market: its frames count as unknown from now on.</summary>
    public void RemoveMarket(string ticker)
    {
        _handles.Remove(ticker);
        _byBytes.Remove(ticker);
    }

    /// <summary>A new connection: sequence numbers and subscriptions start over.</summary>
    public void Reset()
    {
        _lastSeq.Clear();
        _answerSeq.Clear();
        _channels.Clear();
    }

    /// <summary>The channel a sid belongs to, once subscribed.</summary>
    public string? ChannelOf(int sid) => _channels.TryGetValue(sid, out string? c) ? c : null;

    /// <summary>Decodes one frame and hands book events to the sink.</summary>
    public FrameKind Handle(ReadOnlySpan<byte> frame, long receivedTimestamp, out FrameInfo info)
    {
        info = default;
        if (UseFastPath && KalshiDeltaScanner.TryScan(frame, out int sid, out long seq, out DeltaFields fields))
        {
            info.Sid = sid;
            return CheckSequence(sid, seq, ref info) ?? EmitDelta(ref fields, receivedTimestamp, ref info);
        }

        try
        {
            return Decode(frame, receivedTimestamp, ref info);
        }
        catch (JsonException ex)
        {
            info.Text = "not valid JSON: " + ex.Message;
            return FrameKind.Malformed;
        }
        catch (InvalidOperationException ex)
        {
            info.Text = "unexpected JSON shape: " + ex.Message;
            return FrameKind.Malformed;
        }
    }

    private FrameKind Decode(ReadOnlySpan<byte> frame, long received, ref FrameInfo info)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            info.Text = "a frame must be a JSON object";
            return FrameKind.Malformed;
        }

        MessageType type = MessageType.None;
        long seq = -1;
        int msgStart = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = TypeOf(ref reader);
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                reader.Read();
                info.Sid = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                info.Id = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                if (type == MessageType.Delta && seq >= 0)
                {
                    // The usual order (type, sid, seq, msg): decode the delta in this one pass.
                    return Delta(ref reader, info.Sid, seq, received, ref info);
                }

                msgStart = (int)reader.TokenStartIndex;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type == MessageType.None)
        {
            info.Text = "no \"type\"";
            return FrameKind.Malformed;
        }

        ReadOnlySpan<byte> msg = msgStart >= 0 ? frame[msgStart..] : default;
        switch (type)
        {
            case MessageType.Snapshot:
                return Snapshot(msg, info.Sid, seq, received, ref info);
            case MessageType.Delta:
                var msgReader = new Utf8JsonReader(msg);
                msgReader.Read();
                return Delta(ref msgReader, info.Sid, seq, received, ref info);
            case MessageType.Subscribed:
                return Subscribed(msg, ref info);
            case MessageType.Error:
                return Error(msg, ref info);
            case MessageType.Fill:
                info.Fill = KalshiFill.Parse(msg);
                return FrameKind.Fill;
            case MessageType.Trade:
                return Trade(msg, received);
            case MessageType.Ticker:
                return Ticker(msg, received);
            case MessageType.Ok when seq >= 0:
                _answerSeq[info.Sid] = seq;
                return FrameKind.Ignored;
            default:
                return FrameKind.Ignored;
        }
    }

    private FrameKind Snapshot(ReadOnlySpan<byte> msg, int sid, long seq, long received, ref FrameInfo info)
    {
        if (seq >= 0)
        {
            _lastSeq[sid] = seq; // a snapshot restarts the count
        }

        var reader = new Utf8JsonReader(msg);
        reader.Read();
        MarketHandle handle = default;
        bool known = false;
        List<PriceLevel>? yes = null, no = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("market_ticker"u8))
            {
                reader.Read();
                known = TryHandle(ref reader, out handle);
            }
            else if (reader.ValueTextEquals("yes_dollars_fp"u8) || reader.ValueTextEquals("yes_dollars"u8))
            {
                reader.Read();
                yes = Levels(ref reader, cents: false);
            }
            else if (reader.ValueTextEquals("no_dollars_fp"u8) || reader.ValueTextEquals("no_dollars"u8))
            {
                reader.Read();
                no = Levels(ref reader, cents: false);
            }
            else if (reader.ValueTextEquals("yes"u8) && yes is null)
            {
                reader.Read();
                yes = Levels(ref reader, cents: true); // before 2026-03-12: integer cents, whole contracts
            }
            else if (reader.ValueTextEquals("no"u8) && no is null)
            {
                reader.Read();
                no = Levels(ref reader, cents: true);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!known)
        {
            UnknownMarkets++;
            info.Text = "snapshot for a market not subscribed";
            return FrameKind.Ignored;
        }

        // An absent side is an empty side.
        _books.OnBookSnapshot(new BookSnapshot(handle, 0, 0, received, yes?.ToArray() ?? [], [], no?.ToArray() ?? [], []));
        return FrameKind.Book;
    }

    private FrameKind Delta(ref Utf8JsonReader reader, int sid, long seq, long received, ref FrameInfo info)
    {
        if (CheckSequence(sid, seq, ref info) is FrameKind early)
        {
            return early;
        }

        var fields = default(DeltaFields);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("market_ticker"u8))
            {
                reader.Read();
                fields.HaveTicker = !reader.ValueIsEscaped && reader.TokenType == JsonTokenType.String;
                fields.Ticker = fields.HaveTicker ? reader.ValueSpan : default;
            }
            else if (reader.ValueTextEquals("price_dollars"u8))
            {
                reader.Read();
                fields.HavePrice = Price.TryParse(reader.ValueSpan, out fields.Price);
            }
            else if (reader.ValueTextEquals("delta_fp"u8))
            {
                reader.Read();
                fields.HaveDelta = Quantity.TryParse(reader.ValueSpan, out fields.Delta);
            }
            else if (reader.ValueTextEquals("price"u8) && !fields.HavePrice)
            {
                reader.Read();
                fields.HavePrice = reader.TryGetInt64(out long cents);
                fields.Price = Price.FromCents(cents);
            }
            else if (reader.ValueTextEquals("delta"u8) && !fields.HaveDelta)
            {
                reader.Read();
                fields.HaveDelta = reader.TryGetInt64(out long contracts);
                fields.Delta = Quantity.FromContracts(contracts);
            }
            else if (reader.ValueTextEquals("side"u8))
            {
                reader.Read();
                fields.HaveSide = reader.ValueTextEquals("yes"u8) || reader.ValueTextEquals("no"u8);
                fields.Outcome = reader.ValueTextEquals("no"u8) ? Outcome.No : Outcome.Yes;
            }
            else if (reader.ValueTextEquals("ts_ms"u8))
            {
                reader.Read();
                reader.TryGetInt64(out fields.TimestampMs);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return EmitDelta(ref fields, received, ref info);
    }

    /// <summary>
    /// Checks a subscription's sequence: null to go on; an old number is skipped; a jump
    /// invalidates the subscription's books (reported as a gap, so the session asks for snapshots).
    /// </summary>
    private FrameKind? CheckSequence(int sid, long seq, ref FrameInfo info)
    {
        if (seq >= 0 && _lastSeq.TryGetValue(sid, out long last))
        {
            if (seq <= last)
            {
                OldFrames++;
                info.Text = $"sequence {seq} on sid {sid} after {last}: an old frame";
                return FrameKind.Ignored;
            }

            _lastSeq[sid] = seq;
            // An "ok" answer to update_subscription carries a seq of the sid: whether or not it took a number of the
            // stream, the next frame is contiguous (a number it took is not a lost message; one it did not, not a skipped one).
            bool answered = _answerSeq.Count > 0 && _answerSeq.Remove(sid, out long answer) && answer == last + 1 && seq == last + 2;
            if (seq != last + 1 && !answered)
            {
                foreach (MarketHandle market in _handles.Values)
                {
                    _books.OnBookInvalidated(market, $"sequence gap on sid {sid}: {last} then {seq}");
                }

                info.Text = $"sequence gap on sid {sid}: {last} then {seq}";
                return FrameKind.Gap;
            }
        }
        else if (seq >= 0)
        {
            _lastSeq[sid] = seq;
        }

        return null;
    }

    private FrameKind EmitDelta(ref DeltaFields fields, long received, ref FrameInfo info)
    {
        if (!fields.HaveTicker || !TryHandle(fields.Ticker, out MarketHandle handle))
        {
            UnknownMarkets++;
            info.Text = "delta for a market not subscribed";
            return FrameKind.Ignored;
        }

        if (!fields.HavePrice || !fields.HaveDelta || !fields.HaveSide)
        {
            info.Text = "delta without a valid price_dollars, delta_fp and side";
            return FrameKind.Malformed;
        }

        _books.OnBookDelta(new BookDelta(handle, fields.Outcome, BookSide.Bid, fields.Price, fields.Delta, DeltaKind.Add, 0, fields.TimestampMs, received));
        return FrameKind.Book;
    }

    private FrameKind Subscribed(ReadOnlySpan<byte> msg, ref FrameInfo info)
    {
        var reader = new Utf8JsonReader(msg);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channel"u8))
            {
                reader.Read();
                info.Text = reader.GetString();
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                reader.Read();
                info.Sid = reader.GetInt32();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (info.Text is { } channel)
        {
            _channels[info.Sid] = channel;
        }

        return FrameKind.Subscribed;
    }

    private static FrameKind Error(ReadOnlySpan<byte> msg, ref FrameInfo info)
    {
        var reader = new Utf8JsonReader(msg);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                info.Code = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                info.Text = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return FrameKind.Error;
    }

    private bool TryHandle(ref Utf8JsonReader reader, out MarketHandle handle)
    {
        if (reader.ValueIsEscaped)
        {
            handle = default;
            return false;
        }

        return TryHandle(reader.ValueSpan, out handle);
    }

    private bool TryHandle(ReadOnlySpan<byte> utf8, out MarketHandle handle) => _byBytes.TryGetValue(utf8, out handle);

    private static List<PriceLevel> Levels(ref Utf8JsonReader reader, bool cents)
    {
        var levels = new List<PriceLevel>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return levels; // older payloads sent null for an empty side
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidOperationException("book levels must be an array of [price, size]");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            Price price = cents ? Price.FromCents(reader.GetInt64()) : ParsePrice(ref reader);
            reader.Read();
            Quantity size = reader.TokenType == JsonTokenType.Number
                ? Quantity.FromContracts(reader.GetInt64())
                : Quantity.TryParse(reader.ValueSpan, out Quantity q) ? q : throw new InvalidOperationException("bad level size");
            reader.Read(); // EndArray
            levels.Add(new PriceLevel(price, size));
        }

        return levels;
    }

    private static Price ParsePrice(ref Utf8JsonReader reader) =>
        Price.TryParse(reader.ValueSpan, out Price price) ? price : throw new InvalidOperationException("bad level price");

    private static MessageType TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("orderbook_delta"u8) ? MessageType.Delta
        : reader.ValueTextEquals("orderbook_snapshot"u8) ? MessageType.Snapshot
        : reader.ValueTextEquals("subscribed"u8) ? MessageType.Subscribed
        : reader.ValueTextEquals("error"u8) ? MessageType.Error
        : reader.ValueTextEquals("fill"u8) ? MessageType.Fill
        : reader.ValueTextEquals("trade"u8) ? MessageType.Trade
        : reader.ValueTextEquals("ticker"u8) ? MessageType.Ticker
        : reader.ValueTextEquals("ok"u8) ? MessageType.Ok
        : MessageType.Other;

    private enum MessageType
    {
        None,
        Snapshot,
        Delta,
        Subscribed,
        Error,
        Fill,
        Trade,
        Ticker,
        Ok,
        Other,
    }
}
