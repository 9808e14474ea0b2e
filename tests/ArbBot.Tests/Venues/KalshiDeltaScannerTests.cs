using System.Text;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Venues.Kalshi.Parsing;

namespace ArbBot.Tests.Venues;

/// <summary>
/// The fast path for delta frames decides exactly as the general decoder: the same frames go
/// through a feed with it and one without, and every result and event must match.
/// </summary>
public sealed class KalshiDeltaScannerTests
{
    private const string T = "KXBTC-25MAR15-B100000";
    private const string Plain = $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","market_id":"9b0f6b43","price_dollars":"0.4200","delta_fp":"50.00","side":"yes","ts":"2026-11-21T20:44:01Z","ts_ms":1741052641000}}""";

    public static TheoryData<string> Frames => new()
    {
        Plain,
        $$$""" { "type" : "orderbook_delta" ,"sid": 2 , "seq":3,"msg" : { "market_ticker" : "{{{T}}}" , "price_dollars":"0.42", "delta_fp":"-5.00","side":"no" } } """,
        $$$"""{"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"5.00","side":"yes"},"seq":3,"sid":2,"type":"orderbook_delta"}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price":42,"delta":-7,"side":"no"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.4200","price":41,"delta_fp":"1.00","delta":9,"side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price":"41","delta_fp":"1.00","side":"yes"}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"KXBTC-25MAR15-B1000\u0030\u0030","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","market_id":"caf\u00e9","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","extra":{"a":1},"price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}garbage""",
        $$$"""{"type":"orderbook_delta","id":"x","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes","ts_ms":1.5e3}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes","ts_ms":"soon"}}""",
        $$$"""{"type":"orderbook_delta","seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":-1,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":9,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":1,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"0.42","delta_fp":"1.00","side":"maybe"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":"cheap","delta_fp":"1.00","side":"yes"}}""",
        $$$"""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"{{{T}}}","price_dollars":0.42,"delta_fp":"1.00","side":"yes"}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"OTHER","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":17,"price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","side":true,"flag":null,"n":-0.5E+2}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.42","delta_fp":"1.00","side":"yes",}}""",
        """{"type":"orderbook_delta","sid":2,"seq":03,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}""",
        """{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}""",
        """{"type":"orderbook_snapshot","sid":2,"seq":3,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","yes_dollars_fp":[["0.42","10.00"]]}}""",
        """{"type":"trade","sid":5,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","yes_price_dollars":"0.41","count_fp":"3.00","taker_side":"yes"}}""",
        """[1,2,3]""",
        "",
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void The_fast_path_and_the_general_decoder_agree(string frame)
    {
        // Each feed has seen seq 2 on sid 2 (a snapshot), so seq 3 follows, 9 is a gap and 1 is old.
        (string Fast, string General) results = (Run(frame, fast: true), Run(frame, fast: false));
        Assert.Equal(results.General, results.Fast);
    }

    [Fact]
    public void A_plain_delta_takes_the_fast_path_and_anything_unusual_does_not()
    {
        Assert.True(KalshiDeltaScanner.TryScan(Encoding.UTF8.GetBytes(Plain), out int sid, out long seq, out DeltaFields fields));
        Assert.Equal((2, 3L, T, 1741052641000L), (sid, seq, Encoding.UTF8.GetString(fields.Ticker), fields.TimestampMs));
        Assert.False(KalshiDeltaScanner.TryScan(Encoding.UTF8.GetBytes("""{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"A\u0042","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}"""), out _, out _, out _));
        Assert.False(KalshiDeltaScanner.TryScan(Encoding.UTF8.GetBytes("""{"type":"orderbook_snapshot","sid":2,"seq":3,"msg":{}}"""), out _, out _, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void On_random_valid_and_broken_frames_the_fast_path_and_the_general_decoder_keep_identical_books(int seed)
    {
        // One stream of random frames (the usual shape, fields reordered, extra and repeated fields, spaces,
        // escapes, wrong types, bytes flipped or cut off) through a feed with the fast path and one without.
        var random = new Random(seed);
        var fast = new Harness(fast: true);
        var general = new Harness(fast: false);
        long seq = 2;
        for (int n = 0; n < 3_000; n++)
        {
            string frame = RandomFrame(random, ref seq);
            Assert.Equal(general.Handle(frame), fast.Handle(frame));
        }

        Assert.True(fast.Deltas > 500, $"only {fast.Deltas} deltas applied: the generator should mostly make valid frames");
        Assert.Equal(general.Book(), fast.Book());
    }

    private static string RandomFrame(Random random, ref long seq)
    {
        string ticker = random.Next(10) == 0 ? "KXOTHER-1" : T;
        string price = random.Next(4) switch { 0 => $"0.{random.Next(1, 99):D2}", 1 => $"0.{random.Next(1, 99):D2}00", 2 => $"0.{random.Next(1, 999):D3}", _ => $"0.{random.Next(1, 99):D2}0" };
        string delta = $"{(random.Next(3) == 0 ? "-" : "")}{random.Next(1, 500)}.{random.Next(100):D2}";
        string side = random.Next(20) == 0 ? "maybe" : random.Next(2) == 0 ? "yes" : "no";
        var fields = new List<string>
        {
            $"\"market_ticker\":\"{ticker}\"",
            "\"market_id\":\"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1\"",
            $"\"price_dollars\":\"{price}\"",
            $"\"delta_fp\":\"{delta}\"",
            $"\"side\":\"{side}\"",
        };
        if (random.Next(2) == 0)
        {
            fields.Add($"\"ts_ms\":{1_700_000_000_000L + random.Next()}");
        }

        switch (random.Next(12))
        {
            case 0:
                fields = fields.OrderBy(_ => random.Next()).ToList(); // another order
                break;
            case 1:
                fields.Insert(random.Next(fields.Count + 1), random.Next(3) switch { 0 => "\"client_order_id\":\"c-1\"", 1 => "\"subaccount\":0", _ => "\"price\":42" });
                break;
            case 2:
                fields.Add(fields[random.Next(fields.Count)]); // a repeated field
                break;
            case 3:
                fields[random.Next(fields.Count)] = "\"side\":\"y\\u0065s\""; // an escape
                break;
            case 4:
                fields[random.Next(fields.Count)] = $"\"delta_fp\":{random.Next(100)}"; // a number where a string belongs
                break;
        }

        long next = random.Next(30) switch { 0 => seq + 2, 1 => seq, _ => seq + 1 };
        seq = Math.Max(seq, next);
        string frame = random.Next(8) == 0
            ? $"{{ \"type\": \"orderbook_delta\", \"sid\": 2, \"seq\": {next}, \"msg\": {{ {string.Join(", ", fields)} }} }}"
            : $"{{\"type\":\"orderbook_delta\",\"sid\":2,\"seq\":{next},\"msg\":{{{string.Join(",", fields)}}}}}";
        return FrameMutations.Sometimes(random, frame);
    }

    /// <summary>A feed over its own book, fed a stream; each frame's result and events as text.</summary>
    private sealed class Harness
    {
        private readonly BookStore _store = new();
        private readonly MarketHandle _market;
        private readonly Recorder _sink = new();
        private readonly KalshiFeed _feed;

        public Harness(bool fast)
        {
            _market = _store.Register(0, "kalshi", T, BookStyle.BidsOnly);
            _feed = new KalshiFeed(new Applying(_store, _sink)) { UseFastPath = fast };
            _feed.AddMarket(T, _market);
            Handle($$$"""{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"{{{T}}}","yes_dollars_fp":[["0.40","10000.00"]],"no_dollars_fp":[["0.50","10000.00"]]}}""");
        }

        public int Deltas { get; private set; }

        public string Handle(string frame)
        {
            _sink.Events.Clear();
            FrameKind kind = _feed.Handle(Encoding.UTF8.GetBytes(frame), 7, out FrameInfo info);
            Deltas += kind == FrameKind.Book ? 1 : 0;
            return $"{kind} | {info.Sid} | {info.Text} | unknown {_feed.UnknownMarkets}, old {_feed.OldFrames} | {string.Join("; ", _sink.Events)}";
        }

        public string Book()
        {
            MarketBook book = _store[_market];
            string Side(Outcome outcome) => string.Join(" ", Enumerable.Range(0, book.LevelCount(outcome, BookSide.Bid)).Select(i => book.GetLevel(outcome, BookSide.Bid, i)).Select(l => $"{l.Price}x{l.Quantity}"));
            return $"epoch {book.Epoch} stale {book.IsStale} yes [{Side(Outcome.Yes)}] no [{Side(Outcome.No)}]";
        }
    }

    /// <summary>Applies each event to the store, and records it.</summary>
    private sealed class Applying(BookStore store, Recorder recorder) : IVenueEventSink
    {
        public void OnBookSnapshot(BookSnapshot snapshot)
        {
            recorder.OnBookSnapshot(snapshot);
            store.ApplySnapshot(snapshot, 0);
        }

        public void OnBookDelta(in BookDelta delta)
        {
            recorder.OnBookDelta(delta);
            store.ApplyDelta(delta, 0);
        }

        public void OnBookInvalidated(MarketHandle market, string reason)
        {
            recorder.OnBookInvalidated(market, reason);
            store.Invalidate(market, reason);
        }

        public void OnVenueStatus(VenueStatus status, string detail) => recorder.OnVenueStatus(status, detail);

        public void OnTrade(in TradePrint trade) => recorder.OnTrade(trade);
    }

    private static string Run(string frame, bool fast)
    {
        var store = new BookStore();
        MarketHandle market = store.Register(0, "kalshi", T, BookStyle.BidsOnly);
        var sink = new Recorder();
        var feed = new KalshiFeed(sink) { UseFastPath = fast };
        feed.AddMarket(T, market);
        feed.Handle(Encoding.UTF8.GetBytes($$$"""{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"{{{T}}}","yes_dollars_fp":[["0.40","10.00"]]}}"""), 0, out _);
        sink.Events.Clear();
        FrameKind kind = feed.Handle(Encoding.UTF8.GetBytes(frame), 7, out FrameInfo info);
        return $"{kind} | {info.Sid} | {info.Text} | unknown {feed.UnknownMarkets}, old {feed.OldFrames} | {string.Join("; ", sink.Events)}";
    }

    private sealed class Recorder : IVenueEventSink
    {
        public List<string> Events { get; } = new();

        public void OnBookSnapshot(BookSnapshot snapshot) => Events.Add($"snapshot {snapshot.YesBids.Length}/{snapshot.NoBids.Length}");

        public void OnBookDelta(in BookDelta delta) =>
            Events.Add($"delta {delta.Market.Value} {delta.Outcome} {delta.Side} {delta.Price} {delta.Quantity} {delta.Kind} {delta.Sequence} {delta.VenueTimestampMs} {delta.ReceivedTimestamp}");

        public void OnBookInvalidated(MarketHandle market, string reason) => Events.Add($"invalidated {market.Value} {reason}");

        public void OnVenueStatus(VenueStatus status, string detail) => Events.Add($"status {status}");

        public void OnTrade(in TradePrint trade) => Events.Add($"trade {trade}");
    }
}
