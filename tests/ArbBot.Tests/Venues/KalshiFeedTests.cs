using System.Text;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Venues.Kalshi.Execution;
using ArbBot.Venues.Kalshi.Parsing;

namespace ArbBot.Tests.Venues;

/// <summary>The Kalshi frame decoder on the recorded sample messages and the older integer-cent shapes, and the V2 order mapping.</summary>
public sealed class KalshiFeedTests
{
    private const string Ticker = "KXBTC-25MAR15-B100000";
    private readonly BookStore _store = new();
    private readonly RecordingBooks _sink;
    private readonly KalshiFeed _feed;
    private readonly MarketHandle _market;

    public KalshiFeedTests()
    {
        _market = _store.Register(0, "kalshi", Ticker, BookStyle.BidsOnly);
        _sink = new RecordingBooks(_store);
        _feed = new KalshiFeed(_sink);
        _feed.AddMarket(Ticker, _market);
    }

    [Fact]
    public void The_recorded_snapshot_then_delta_give_the_exact_bids_only_book()
    {
        Assert.Equal(FrameKind.Book, Handle(Fixture("ws_orderbook_snapshot.json")));
        Assert.Equal(FrameKind.Book, Handle(Fixture("ws_orderbook_delta.json")));

        MarketBook book = _store[_market];
        Assert.False(book.IsStale);
        Assert.Equal([L("0.42", "63"), L("0.35", "200")], Levels(book, Outcome.Yes)); // 13 + 50 at 0.42
        Assert.Equal([L("0.56", "17"), L("0.54", "400")], Levels(book, Outcome.No));
        Assert.True(book.TryGetBestAsk(Outcome.Yes, out PriceLevel ask));
        Assert.Equal(L("0.44", "17"), ask); // 1 - best NO bid
    }

    [Fact]
    public void The_older_integer_cent_shapes_are_read_too()
    {
        Handle("""{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","yes":[[8,300],[22,333]],"no":[[54,20],[56,146]]}}""");
        Handle("""{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price":22,"delta":-33,"side":"yes"}}""");
        Handle("""{"type":"orderbook_delta","sid":1,"seq":3,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.560","delta_fp":"-146.00","side":"no","ts_ms":1669149841000}}"""); // a 3-decimal width: a number, not a string to compare
        Assert.Equal([L("0.22", "300"), L("0.08", "300")], Levels(_store[_market], Outcome.Yes));
        Assert.Equal([L("0.54", "20")], Levels(_store[_market], Outcome.No));
    }

    [Fact]
    public void A_sequence_gap_invalidates_and_an_old_frame_is_skipped()
    {
        Handle(Fixture("ws_orderbook_snapshot.json")); // seq 1
        Assert.Equal(FrameKind.Book, Handle(Fixture("ws_orderbook_delta.json"))); // seq 2
        Assert.Equal(FrameKind.Ignored, Handle(Fixture("ws_orderbook_delta.json"))); // seq 2 again: old
        Assert.Equal(1, _feed.OldFrames);

        string jump = """{"type":"orderbook_delta","sid":1,"seq":9,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.4200","delta_fp":"1.00","side":"yes"}}""";
        Assert.Equal(FrameKind.Gap, Handle(jump));
        Assert.True(_store[_market].IsStale);
        Assert.Equal(1, _store[_market].Epoch);
    }

    [Theory]
    [InlineData(3, 4)] // the answer took a number of the sid's stream
    [InlineData(3, 3)] // it did not
    public void An_answer_to_update_subscription_is_not_a_gap_whether_or_not_it_takes_a_sequence_number(int answerSeq, int nextSeq)
    {
        Handle(Fixture("ws_orderbook_snapshot.json")); // seq 1
        Assert.Equal(FrameKind.Book, Handle(Fixture("ws_orderbook_delta.json"))); // seq 2
        Assert.Equal(FrameKind.Ignored, Handle($$$"""{"id":7,"sid":1,"seq":{{{answerSeq}}},"type":"ok","msg":{"market_tickers":["KXOTHER-1"]}}"""));
        string next = $$$"""{"type":"orderbook_delta","sid":1,"seq":{{{nextSeq}}},"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.4200","delta_fp":"1.00","side":"yes"}}""";
        Assert.Equal(FrameKind.Book, Handle(next));
        Assert.False(_store[_market].IsStale);
        Assert.Equal(0, _store[_market].Epoch);
        Assert.Equal(0, _feed.OldFrames);

        // A number skipped after that is still a gap.
        string skipped = $$$"""{"type":"orderbook_delta","sid":1,"seq":{{{nextSeq + 2}}},"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"0.4200","delta_fp":"1.00","side":"yes"}}""";
        Assert.Equal(FrameKind.Gap, Handle(skipped));
    }

    [Fact]
    public void A_removed_market_is_not_followed_any_more()
    {
        Handle(Fixture("ws_orderbook_snapshot.json"));
        _feed.RemoveMarket(Ticker);
        Assert.Equal(FrameKind.Ignored, Handle(Fixture("ws_orderbook_delta.json")));
        Assert.Equal(1, _feed.UnknownMarkets);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"sid":1}""")]
    [InlineData("""{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","price_dollars":"abc","delta_fp":"1.00","side":"yes"}}""")]
    [InlineData("""{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","yes_dollars_fp":5}}""")]
    public void Malformed_frames_are_reported_not_thrown(string frame)
    {
        Assert.Equal(FrameKind.Malformed, Handle(frame));
        Assert.Equal(0, _sink.Events);
    }

    [Fact]
    public void Unknown_types_and_markets_are_ignored()
    {
        Assert.Equal(FrameKind.Ignored, Handle("""{"type":"market_lifecycle_v2","sid":9,"msg":{"market_ticker":"KXBTC-25MAR15-B100000"}}"""));
        Assert.Equal(FrameKind.Ignored, Handle("""{"type":"orderbook_delta","sid":1,"seq":1,"msg":{"market_ticker":"OTHER","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}"""));
        Assert.Equal(FrameKind.Ignored, Handle("""{"type":"trade","sid":2,"msg":{"market_ticker":"OTHER","yes_price_dollars":"0.41","count_fp":"3.00","taker_side":"yes"}}"""));
        Assert.Equal(2, _feed.UnknownMarkets);
        Assert.Equal(FrameKind.Subscribed, Handle("""{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":4}}"""));
        Assert.Equal("orderbook_delta", _feed.ChannelOf(4));
    }

    [Fact]
    public void A_fill_message_is_read_with_its_direction_price_and_fee()
    {
        string frame = """{"type":"fill","sid":3,"msg":{"trade_id":"t-1","order_id":"o-1","client_order_id":"arb-1-0","market_ticker":"KXBTC-25MAR15-B100000","is_taker":true,"side":"no","outcome_side":"no","book_side":"ask","action":"buy","yes_price_dollars":"0.4100","no_price_dollars":"0.5900","count_fp":"7.00","fee_cost":"0.1200","ts_ms":1741052641000}}""";
        Assert.Equal(FrameKind.Fill, _feed.Handle(Encoding.UTF8.GetBytes(frame), 0, out FrameInfo info));
        KalshiFill fill = info.Fill!;
        Assert.Equal(("t-1", "o-1", "arb-1-0", Outcome.No, OrderSide.Buy, Price.Parse("0.59"), Quantity.Parse("7"), Money.Parse("0.12"), true),
            (fill.TradeId, fill.OrderId, fill.ClientOrderId, fill.Outcome, fill.Side, fill.Price, fill.Count, fill.Fee, fill.IsTaker));
    }

    [Theory]
    [InlineData(Outcome.Yes, OrderSide.Buy, "0.56", "bid", "0.56")]
    [InlineData(Outcome.No, OrderSide.Buy, "0.40", "ask", "0.60")]
    [InlineData(Outcome.Yes, OrderSide.Sell, "0.30", "ask", "0.30")]
    [InlineData(Outcome.No, OrderSide.Sell, "0.25", "bid", "0.75")]
    public void Orders_map_to_one_yes_price_book(Outcome outcome, OrderSide side, string limit, string expectedSide, string expectedYesPrice)
    {
        var request = new OrderRequest("arb-9-1", _market, Ticker, outcome, side, Price.Parse(limit), Quantity.Parse("10"), TimeInForce.ImmediateOrCancel);
        string body = KalshiExecutor.OrderBody(request);
        Assert.Contains($"\"side\":\"{expectedSide}\"", body);
        Assert.Contains($"\"price\":\"{Price.Parse(expectedYesPrice)}\"", body);
        Assert.Contains("\"count\":\"10.00\"", body);
        Assert.Contains("\"time_in_force\":\"immediate_or_cancel\"", body);
        Assert.Contains("\"client_order_id\":\"arb-9-1\"", body);
    }

    [Fact]
    public void The_recorded_rest_order_book_gives_the_same_bids_only_book_in_any_level_order()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Fixture("http_orderbook.json"));
        _store.ApplySnapshot(KalshiRestBook.Parse(doc.RootElement, _market, 1), 1);
        Assert.Equal([L("0.42", "13"), L("0.35", "200")], Levels(_store[_market], Outcome.Yes)); // best first, whatever the response's order
        Assert.Equal([L("0.56", "17"), L("0.54", "400")], Levels(_store[_market], Outcome.No));
    }

    [Fact]
    public void Older_rest_order_books_in_cents_with_a_null_side_are_read()
    {
        using var cents = System.Text.Json.JsonDocument.Parse("""{"orderbook":{"yes":[[35,200],[42,13]],"no":null}}""");
        _store.ApplySnapshot(KalshiRestBook.Parse(cents.RootElement, _market, 1), 1);
        Assert.Equal([L("0.42", "13"), L("0.35", "200")], Levels(_store[_market], Outcome.Yes));
        Assert.Empty(Levels(_store[_market], Outcome.No));

        using var dollars = System.Text.Json.JsonDocument.Parse("""{"orderbook":{"yes":[[15,100]],"yes_dollars":[["0.1500",100]],"no_dollars":[]}}""");
        Assert.Equal([L("0.15", "100")], KalshiRestBook.Parse(dollars.RootElement, _market, 1).YesBids);
    }

    [Theory]
    [InlineData("""{"orderbook_fp":{"yes_dollars":[["0.35"]]}}""", "yes_dollars[0] must be [price, count]")]
    [InlineData("""{"orderbook_fp":{"no_dollars":[["cheap","1.00"]]}}""", "no_dollars[0] has price \"cheap\"")]
    [InlineData("""{"markets":[]}""", "has orderbook_fp")]
    public void A_bad_rest_order_book_is_refused_naming_the_place(string json, string expected)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        FormatException error = Assert.Throws<FormatException>(() => KalshiRestBook.Parse(doc.RootElement, _market, 1));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_recorded_trade_is_told_from_yes_with_the_takers_side()
    {
        Assert.Equal(FrameKind.Tape, Handle(Fixture("ws_trade.json"))); // taker_side "no": the taker bought NO, so YES was sold at 0.36
        TradePrint trade = Assert.Single(_sink.Trades);
        Assert.Equal((_market, Outcome.Yes, Price.Parse("0.36"), Quantity.Parse("136"), OrderSide.Sell, 1741052641000L),
            (trade.Market, trade.Outcome, trade.Price, trade.Size, trade.Aggressor, trade.VenueTimestampMs));
        Assert.Equal((Outcome.No, Price.Parse("0.64"), OrderSide.Buy), (trade.As(Outcome.No).Outcome, trade.As(Outcome.No).Price, trade.As(Outcome.No).Aggressor));
    }

    [Fact]
    public void Trades_in_the_newer_direction_fields_and_the_older_integer_fields_are_read()
    {
        Handle($$$"""{"type":"trade","sid":2,"seq":5,"msg":{"market_ticker":"{{{Ticker}}}","yes_price_dollars":"0.4100","count_fp":"3.00","taker_side":"no","taker_outcome_side":"yes","taker_book_side":"bid","ts_ms":1741052641123}}""");
        Handle($$$"""{"type":"trade","sid":2,"msg":{"market_ticker":"{{{Ticker}}}","yes_price":55,"no_price":45,"count":7,"taker_side":"yes","ts":1741052642}}""");
        Assert.Equal(
            [(Price.Parse("0.41"), Quantity.Parse("3"), OrderSide.Buy, 1741052641123L), (Price.Parse("0.55"), Quantity.Parse("7"), OrderSide.Buy, 1741052642000L)],
            _sink.Trades.Select(t => (t.Price, t.Size, t.Aggressor, t.VenueTimestampMs)).ToArray());
    }

    [Fact]
    public void A_ticker_gives_the_venues_top_last_price_and_totals_in_either_field_set()
    {
        Handle($$$"""{"type":"ticker","sid":3,"msg":{"market_id":"m","market_ticker":"{{{Ticker}}}","price_dollars":"0.4800","yes_bid_dollars":"0.4700","yes_ask_dollars":"0.4900","volume_fp":"1500.00","open_interest_fp":"900.00","ts":1741052641,"Clock":123}}""");
        Handle($$$"""{"type":"ticker","sid":3,"msg":{"market_ticker":"{{{Ticker}}}","price":48,"yes_bid":46,"yes_ask":50,"volume":1600,"open_interest":910,"ts":1741052642}}""");
        Assert.Equal(
            [(Price.Parse("0.47"), Price.Parse("0.49"), Price.Parse("0.48"), (Quantity?)Quantity.Parse("1500"), (Quantity?)Quantity.Parse("900")),
             (Price.Parse("0.46"), Price.Parse("0.50"), Price.Parse("0.48"), Quantity.Parse("1600"), Quantity.Parse("910"))],
            _sink.Tickers.Select(t => (t.YesBid, t.YesAsk, t.LastPrice, t.Volume, t.OpenInterest)).ToArray());
    }

    [Theory]
    [InlineData("""{"type":"trade","sid":2,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","yes_price_dollars":"0.41","count_fp":"3.00"}}""")]
    [InlineData("""{"type":"trade","sid":2,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","yes_price_dollars":"0.41","count_fp":"3.00","taker_side":"maybe"}}""")]
    [InlineData("""{"type":"ticker","sid":3,"msg":{"yes_bid_dollars":"0.47"}}""")]
    [InlineData("""{"type":"ticker","sid":3,"msg":{"market_ticker":"KXBTC-25MAR15-B100000","volume_fp":"lots"}}""")]
    public void A_trade_or_ticker_without_what_it_needs_is_skipped_as_malformed(string frame)
    {
        Assert.Equal(FrameKind.Malformed, Handle(frame));
        Assert.Empty(_sink.Trades);
        Assert.Empty(_sink.Tickers);
    }

    private FrameKind Handle(string frame) => _feed.Handle(Encoding.UTF8.GetBytes(frame), 0, out _);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "kalshi", name));

    private static PriceLevel L(string price, string size) => new(Price.Parse(price), Quantity.Parse(size));

    private static PriceLevel[] Levels(MarketBook book, Outcome outcome) =>
        Enumerable.Range(0, book.LevelCount(outcome, BookSide.Bid)).Select(i => book.GetLevel(outcome, BookSide.Bid, i)).ToArray();

    /// <summary>Applies what the feed emits to a book store, as the kernel would.</summary>
    private sealed class RecordingBooks(BookStore store) : IVenueEventSink
    {
        public int Events { get; private set; }

        public void OnBookSnapshot(BookSnapshot snapshot)
        {
            Events++;
            store.ApplySnapshot(snapshot, 1);
        }

        public void OnBookDelta(in BookDelta delta)
        {
            Events++;
            store.ApplyDelta(delta, 1);
        }

        public List<TradePrint> Trades { get; } = new();

        public List<TickerUpdate> Tickers { get; } = new();

        public void OnBookInvalidated(MarketHandle market, string reason) => store.Invalidate(market, reason);

        public void OnTrade(in TradePrint trade) => Trades.Add(trade);

        public void OnTicker(TickerUpdate ticker) => Tickers.Add(ticker);

        public void OnVenueStatus(VenueStatus status, string detail)
        {
        }
    }
}
