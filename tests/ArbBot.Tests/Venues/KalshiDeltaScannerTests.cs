using System.Text;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
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
