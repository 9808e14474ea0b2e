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
        Assert.Equal(FrameKind.Ignored, Handle(Fixture("ws_trade.json")));
        Assert.Equal(FrameKind.Ignored, Handle("""{"type":"orderbook_delta","sid":1,"seq":1,"msg":{"market_ticker":"OTHER","price_dollars":"0.42","delta_fp":"1.00","side":"yes"}}"""));
        Assert.Equal(1, _feed.UnknownMarkets);
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

        public void OnBookInvalidated(MarketHandle market, string reason) => store.Invalidate(market, reason);

        public void OnVenueStatus(VenueStatus status, string detail)
        {
        }
    }
}
