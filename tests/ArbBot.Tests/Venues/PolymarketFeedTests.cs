using System.Text;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Venues.Polymarket.Parsing;

namespace ArbBot.Tests.Venues;

/// <summary>The Polymarket market-channel decoder on the recorded sample messages (tests/fixtures/polymarket, see SOURCES.md).</summary>
public sealed class PolymarketFeedTests
{
    // The sample messages' token ids; which is YES is decided here, as discovery would from the market's outcomes.
    private const string SampleYes = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    private const string SampleNo = "48331043336612883890938759509493159234755048973500640148014422747788308965732";
    private const string OtherYes = "52114319501245915516055106046884209969926127482827954674443846427813813222426";
    private const string OtherNo = "1111";
    private readonly BookStore _store = new();
    private readonly Recorder _sink;
    private readonly PolymarketFeed _feed;
    private readonly MarketHandle _market;
    private readonly MarketHandle _other;

    public PolymarketFeedTests()
    {
        _market = _store.Register(0, "poly", "0xdd22", BookStyle.TwoSided);
        _other = _store.Register(0, "poly", "0x5f65", BookStyle.TwoSided);
        _sink = new Recorder(_store);
        _feed = new PolymarketFeed(_sink);
        _feed.AddMarket(_market, SampleYes, SampleNo);
        _feed.AddMarket(_other, OtherYes, OtherNo);
    }

    [Fact]
    public void A_book_message_replaces_one_outcome_and_the_market_is_usable_once_both_tokens_have_one()
    {
        Assert.Equal(FrameKind.Book, Handle(Fixture("ws_market_book_msg.json"))); // YES token
        MarketBook book = _store[_market];
        Assert.True(book.IsStale); // the NO token's book has not come yet
        Assert.Equal([L("0.50", "200"), L("0.49", "350")], Levels(book, Outcome.Yes, BookSide.Bid));
        Assert.Equal([L("0.51", "150"), L("0.52", "250")], Levels(book, Outcome.Yes, BookSide.Ask));

        // The captured book (the NO token here) lists each side best last: sorted on the way in.
        Assert.Equal(FrameKind.Book, Handle(Fixture("book.json")));
        Assert.False(book.IsStale);
        Assert.Equal(L("0.511", "1304.72"), Levels(book, Outcome.No, BookSide.Bid)[0]);
        Assert.Equal(L("0.514", "20230.87"), Levels(book, Outcome.No, BookSide.Ask)[0]);
        Assert.Equal(76, book.LevelCount(Outcome.No, BookSide.Bid));
        Assert.Equal(1728799418260, _sink.Snapshots[^1].VenueTimestampMs);
    }

    [Fact]
    public void A_rest_book_without_event_type_is_the_same_snapshot_and_a_channel_message_still_needs_one()
    {
        // The captured GET /book answer (no event_type), for a token the test registers as YES of a new market.
        var store = new BookStore();
        MarketHandle handle = store.Register(0, "poly", "0x1a4f04c2e6c000d9fc524eb12e7333217411a226c34745af140f195c0227cd5f", BookStyle.TwoSided);
        var recorder = new Recorder(store);
        var feed = new PolymarketFeed(recorder);
        feed.AddMarket(handle, "23360939988679364027624185518382759743328544433592111535569478055890815567848", "1");
        byte[] body = Encoding.UTF8.GetBytes(Fixture("rest_book.json"));
        Assert.Equal(FrameKind.Book, feed.HandleRestBooks(body, 0, out string? problem));
        Assert.Null(problem);
        Assert.Equal(L("0.1", "125"), Levels(store[handle], Outcome.Yes, BookSide.Bid)[0]); // best last on the wire
        Assert.Equal(L("0.14", "705"), Levels(store[handle], Outcome.Yes, BookSide.Ask)[0]);
        Assert.Equal(5, store[handle].LevelCount(Outcome.Yes, BookSide.Bid));
        Assert.Equal(7, store[handle].LevelCount(Outcome.Yes, BookSide.Ask));

        // An array of them (POST /books) is as good; on the market channel, a message must say what it is.
        Assert.Equal(FrameKind.Book, feed.HandleRestBooks(Encoding.UTF8.GetBytes("[" + Fixture("rest_book.json") + "]"), 0, out _));
        Assert.Equal(FrameKind.Malformed, feed.Handle(body, 0, out problem));
        Assert.Equal("no event_type", problem);
    }

    [Fact]
    public void Price_changes_in_both_forms_set_the_new_absolute_size_and_zero_removes_the_level()
    {
        Handle(Fixture("ws_market_book_msg.json"));
        Handle(Fixture("book.json"));

        // Current form: BUY 0.51 for 150 on the YES token (a new best bid).
        Assert.Equal(FrameKind.Book, Handle(Fixture("ws_market_price_change_msg.json")));
        Assert.Equal(L("0.51", "150"), Levels(_store[_market], Outcome.Yes, BookSide.Bid)[0]);
        BookDelta d = _sink.Deltas.Single();
        Assert.Equal((Outcome.Yes, BookSide.Bid, DeltaKind.Set, true, 1703875201000L), (d.Outcome, d.Side, d.Kind, d.IsLastInBatch, d.VenueTimestampMs));

        // The older flat form: SELL 0.514 now 21574.08 on the NO token.
        Assert.Equal(FrameKind.Book, Handle(Fixture("price_change.json")));
        Assert.Equal(L("0.514", "21574.08"), Levels(_store[_market], Outcome.No, BookSide.Ask)[0]);

        Handle($$"""{"event_type":"price_change","market":"0xdd22","timestamp":"1","price_changes":[{"asset_id":"{{SampleYes}}","price":"0.51","side":"BUY","size":"0"}]}""");
        Assert.Equal(L("0.50", "200"), Levels(_store[_market], Outcome.Yes, BookSide.Bid)[0]);
    }

    [Fact]
    public void Several_changes_in_one_message_close_their_batch_on_the_last_one_and_unknown_tokens_are_skipped()
    {
        Assert.Equal(FrameKind.Book, Handle(Fixture("price_change_v2.json")));
        Assert.Equal([false, false, true], _sink.Deltas.Select(x => x.IsLastInBatch).ToArray());
        Assert.All(_sink.Deltas, x => Assert.Equal(_other, x.Market));

        _sink.Deltas.Clear();
        Handle($$"""{"event_type":"price_change","market":"m","timestamp":"1","price_changes":[{"asset_id":"{{OtherYes}}","price":"0.6","side":"BUY","size":"1"},{"asset_id":"999","price":"0.6","side":"BUY","size":"1"}]}""");
        Assert.True(Assert.Single(_sink.Deltas).IsLastInBatch);
        Assert.Equal(1, _feed.UnknownTokens);
    }

    [Fact]
    public void A_tick_size_change_invalidates_the_market_until_fresh_books_arrive()
    {
        Handle(Fixture("ws_market_book_msg.json"));
        Handle(Fixture("book.json"));
        int epoch = _store[_market].Epoch;
        Assert.Equal(FrameKind.TickSize, Handle(Fixture("ws_market_tick_size_msg.json")));
        Assert.True(_store[_market].IsStale);
        Assert.Equal(epoch + 1, _store[_market].Epoch);
        Assert.Equal("tick size changed to 0.01", _store[_market].StaleReason);
        Assert.Equal((_market, Price.Parse("0.01")), (_feed.TickSizeChanged, _feed.NewTick));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"0\"")]
    [InlineData("\"1\"")]
    public void A_tick_size_change_without_a_usable_tick_is_refused_and_the_book_is_kept(string tick)
    {
        Handle(Fixture("ws_market_book_msg.json"));
        Handle(Fixture("book.json"));
        int epoch = _store[_market].Epoch;
        string frame = Fixture("ws_market_tick_size_msg.json").Replace("\"0.01\"", tick, StringComparison.Ordinal);
        Assert.Equal(FrameKind.Malformed, _feed.Handle(Encoding.UTF8.GetBytes(frame), 0, out string? problem));
        Assert.Contains("tick_size_change without a valid new_tick_size", problem, StringComparison.Ordinal);
        Assert.False(_store[_market].IsStale);
        Assert.Equal(epoch, _store[_market].Epoch);
    }

    [Fact]
    public void The_executor_prices_with_the_tick_the_market_channel_announced_last()
    {
        var registry = new ArbBot.Venues.Polymarket.Execution.TokenRegistry();
        registry.Add("0xcond", _market, SampleYes, SampleNo);
        Assert.False(registry.TryGetTick("0xcond", out _)); // until the channel says otherwise, the market's own tick
        registry.TickChanged(_market, Price.Parse("0.001"));
        Assert.True(registry.TryGetTick("0xcond", out Price tick));
        Assert.Equal(Price.Parse("0.001"), tick);
        registry.TickChanged(_market, Price.Zero); // a frame without a usable tick changes nothing
        Assert.True(registry.TryGetTick("0xcond", out tick));
        Assert.Equal(Price.Parse("0.001"), tick);
    }

    [Fact]
    public void Last_trade_and_best_bid_ask_become_a_trade_print_and_a_ticker_told_from_yes()
    {
        Assert.Equal(FrameKind.Tape, Handle(Fixture("ws_market_last_trade_msg.json")));
        TradePrint trade = Assert.Single(_sink.Trades);
        Assert.Equal((_market, Outcome.Yes, Price.Parse("0.51"), Quantity.Parse("25"), OrderSide.Buy, 1703875202000L), (trade.Market, trade.Outcome, trade.Price, trade.Size, trade.Aggressor, trade.VenueTimestampMs));

        // The docs' best_bid_ask sample is for a token we do not stream; the same for our NO token is told from YES.
        Assert.Equal(FrameKind.Ignored, Handle(Fixture("ws_market_best_bid_ask_msg.json")));
        Handle($$"""{"event_type":"best_bid_ask","market":"0xdd22","asset_id":"{{SampleNo}}","best_bid":"0.73","best_ask":"0.77","spread":"0.04","timestamp":"1766789469958"}""");
        TickerUpdate ticker = Assert.Single(_sink.Tickers);
        Assert.Equal((Price.Parse("0.23"), Price.Parse("0.27")), (ticker.YesBid, ticker.YesAsk));
    }

    [Theory]
    [InlineData("""{"event_type":"price_change","market":"m","price_changes":[{"asset_id":"1111","price":"abc","side":"BUY","size":"1"}]}""", "without a valid asset_id, price, size and side")]
    [InlineData("""{"event_type":"price_change","market":"m","price_changes":[{"asset_id":"1111","price":"0.5","side":"HOLD","size":"1"}]}""", "without a valid asset_id, price, size and side")]
    [InlineData("""{"event_type":"book","asset_id":"1111","bids":[{"price":"0.5"}],"asks":[]}""", "a book level needs a price and a size")]
    [InlineData("""{"event_type":"book","asset_id":"1111","bids":[]}""", "book without asset_id, bids and asks")]
    [InlineData("""{"market":"m"}""", "no event_type")]
    [InlineData("""{"event_type":"price_change","price":0.5}""", "expected a plain string")]
    [InlineData("""{"event_type":"book",""", "")]
    [InlineData("""42""", "a frame must be a JSON object or an array of them")]
    public void Malformed_messages_are_refused_saying_why_and_change_nothing(string frame, string expected)
    {
        Assert.Equal(FrameKind.Malformed, _feed.Handle(Encoding.UTF8.GetBytes(frame), 0, out string? problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Empty(_sink.Deltas);
        Assert.Empty(_sink.Snapshots);
    }

    [Fact]
    public void An_initial_dump_array_and_keep_alive_replies_are_understood()
    {
        string dump = "[" + Fixture("ws_market_book_msg.json") + "," + Fixture("book.json") + "]";
        Assert.Equal(FrameKind.Book, Handle(dump));
        Assert.False(_store[_market].IsStale);
        Assert.Equal(FrameKind.Ignored, Handle("PONG"));
        Assert.Equal(FrameKind.Ignored, Handle("""{"event_type":"new_market","id":"1","market":"0xabc"}"""));
    }

    [Fact]
    public void The_tops_a_price_change_carries_follow_its_changes_one_per_token_from_its_last_change()
    {
        // Two changes of the YES token (its top after the second is the one to check), one of NO, one of a token nobody subscribed.
        Handle($$"""
            {"event_type":"price_change","market":"0xdd22","timestamp":"1","price_changes":[
            {"asset_id":"{{SampleYes}}","price":"0.50","side":"BUY","size":"10","best_bid":"0.5","best_ask":"0.53"},
            {"asset_id":"{{SampleYes}}","price":"0.51","side":"BUY","size":"5","best_bid":"0.51","best_ask":"0.53"},
            {"asset_id":"{{SampleNo}}","price":"0.47","side":"SELL","size":"5","best_bid":"0.47","best_ask":"0"},
            {"asset_id":"999","price":"0.6","side":"BUY","size":"1","best_bid":"0.6","best_ask":"0.7"}]}
            """);
        Assert.Equal([$"{_market.Value} Yes 0.51/0.53 after 3 deltas", $"{_market.Value} No 0.47/0.00 after 3 deltas"], _sink.Tops);

        // The older flat form and changes without tops send none.
        _sink.Tops.Clear();
        Handle($$"""{"event_type":"price_change","asset_id":"{{SampleYes}}","market":"0xdd22","price":"0.5","side":"BUY","size":"1","timestamp":"1"}""");
        Handle($$"""{"event_type":"price_change","market":"0xdd22","timestamp":"1","price_changes":[{"asset_id":"{{SampleYes}}","price":"0.50","side":"BUY","size":"2"}]}""");
        Assert.Empty(_sink.Tops);
    }

    [Fact]
    public void A_null_top_or_a_top_of_one_or_zero_means_no_level_and_never_drops_the_changes()
    {
        // The venue sends null for an empty side and, in places, "1" for no ask and "0" for no bid.
        FrameKind kind = Handle($$"""
            {"event_type":"price_change","market":"0xdd22","timestamp":"1","price_changes":[
            {"asset_id":"{{SampleYes}}","price":"0.51","side":"BUY","size":"5","best_bid":"0.51","best_ask":null},
            {"asset_id":"{{SampleNo}}","price":"0.47","side":"SELL","size":"5","best_bid":"0","best_ask":"1"}]}
            """);
        Assert.Equal(FrameKind.Book, kind);
        Assert.Equal(2, _sink.Deltas.Count(d => d.Quantity.Micros == 5_000_000));
        Assert.Equal([$"{_market.Value} Yes 0.51/0.00 after 2 deltas"], _sink.Tops); // NO said nothing usable: no top to check
    }

    [Fact]
    public void A_market_resolved_message_tells_the_winner_by_its_winning_token()
    {
        // The captured message's market, its tokens as discovery would list them (the first is the winner there).
        const string WinningToken = "76043073756653678226373981964075571318267289248134717369284518995922789326425";
        const string LosingToken = "31690934263385727664202099278545688007799199447969475608906331829650099442770";
        MarketHandle resolvedYes = _store.Register(0, "poly", "0x311d", BookStyle.TwoSided);
        MarketHandle resolvedNo = _store.Register(0, "poly", "0x311e", BookStyle.TwoSided);
        var feed = new PolymarketFeed(_sink);
        feed.AddMarket(resolvedYes, WinningToken, LosingToken);
        Assert.Equal(FrameKind.Tape, feed.Handle(Encoding.UTF8.GetBytes(Fixture("ws_market_resolved_msg.json")), 0, out _));

        // The same market paired the other way round (the pair's YES is the venue's losing token): NO won.
        var swapped = new PolymarketFeed(_sink);
        swapped.AddMarket(resolvedNo, LosingToken, WinningToken);
        Assert.Equal(FrameKind.Tape, swapped.Handle(Encoding.UTF8.GetBytes(Fixture("ws_market_resolved_msg.json")), 0, out _));
        Assert.Equal([$"{resolvedYes.Value} Yes at 1766790415550", $"{resolvedNo.Value} No at 1766790415550"], _sink.Resolutions);

        // Not subscribed: ignored; no winning token: refused.
        Assert.Equal(FrameKind.Ignored, _feed.Handle(Encoding.UTF8.GetBytes(Fixture("ws_market_resolved_msg.json")), 0, out _));
        Assert.Equal(FrameKind.Malformed, _feed.Handle("{\"event_type\":\"market_resolved\",\"market\":\"0xdd22\"}"u8.ToArray(), 0, out string? problem));
        Assert.Equal("market_resolved without winning_asset_id", problem);
    }

    private FrameKind Handle(string frame) => _feed.Handle(Encoding.UTF8.GetBytes(frame), 0, out _);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "polymarket", name));

    private static PriceLevel L(string price, string size) => new(Price.Parse(price), Quantity.Parse(size));

    private static PriceLevel[] Levels(MarketBook book, Outcome outcome, BookSide side) =>
        Enumerable.Range(0, book.LevelCount(outcome, side)).Select(i => book.GetLevel(outcome, side, i)).ToArray();

    /// <summary>Applies what the feed emits to a book store, as the kernel would, and keeps it.</summary>
    private sealed class Recorder(BookStore store) : IVenueEventSink
    {
        public List<BookSnapshot> Snapshots { get; } = new();

        public List<BookDelta> Deltas { get; } = new();

        public List<TradePrint> Trades { get; } = new();

        public List<TickerUpdate> Tickers { get; } = new();

        public void OnBookSnapshot(BookSnapshot snapshot)
        {
            Snapshots.Add(snapshot);
            Assert.Equal(ApplyResult.Applied, store.ApplySnapshot(snapshot, 1));
        }

        public void OnBookDelta(in BookDelta delta)
        {
            Deltas.Add(delta);
            store.ApplyDelta(delta, 1);
        }

        public void OnBookInvalidated(MarketHandle market, string reason) => store.Invalidate(market, reason);

        public void OnVenueStatus(VenueStatus status, string detail)
        {
        }

        public void OnTrade(in TradePrint trade) => Trades.Add(trade);

        public void OnTicker(TickerUpdate ticker) => Tickers.Add(ticker);

        public List<string> Tops { get; } = new();

        public List<string> Resolutions { get; } = new();

        public void OnMarketResolved(MarketHandle market, Outcome winner, long venueTimestampMs) =>
            Resolutions.Add($"{market.Value} {winner} at {venueTimestampMs}");

        public void OnVenueTop(MarketHandle market, Outcome outcome, Price bestBid, Price bestAsk) =>
            Tops.Add($"{market.Value} {outcome} {bestBid}/{bestAsk} after {Deltas.Count} deltas");
    }
}
